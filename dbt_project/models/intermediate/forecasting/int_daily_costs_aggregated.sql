-- Daily rated cost per customer and service (rate currency), the series the anomaly
-- detection watches (fct_cost_anomalies). Days without usage are not rows.
with

rated as (

    select * from {{ ref('int_usage_events_rated') }}
    where
        rating_status = 'rated'
        and customer_id <> '{{ var("unallocated_customer_id") }}'

),

final as (

    select
        {{ text_hash(['customer_id', 'service_name', 'charge_date']) }} as daily_cost_id,
        customer_id,
        service_name,
        charge_date,
        max(currency) as currency,
        sum(rated_amount) as daily_amount,
        count(*) as usage_event_count

    from rated
    group by customer_id, service_name, charge_date

)

select * from final
