-- The monthly history the forecast learns from: rated usage per customer, SKU and billing
-- month (volume in the SKU's pricing unit, amount at the rate card in the rate currency,
-- and the list amount before shift and site multipliers). The unallocated bucket is not a
-- customer and is left out.
with

rated as (

    select * from {{ ref('int_usage_events_rated') }}
    where
        rating_status = 'rated'
        and customer_id <> '{{ var("unallocated_customer_id") }}'

),

final as (

    select
        customer_id,
        sku_id,
        billing_month,
        max(currency) as currency,
        sum(billed_quantity) as volume,
        sum(rated_amount) as rated_amount,
        sum({{ to_amount('billed_quantity * unit_price') }}) as list_amount,
        count(*) as usage_event_count

    from rated
    group by customer_id, sku_id, billing_month

)

select * from final
