-- Shared cost pools allocated to customers, one row per pool, month and customer, with the
-- weights used. For every pool and month the allocated amounts add up to the pool amount
-- exactly (largest-remainder rounding; tested).
with

allocations as (

    select * from {{ ref('int_shared_costs_allocated') }}

),

final as (

    select
        allocation_id,
        pool_id,
        pool_name,
        allocation_method,
        driver,
        billing_month,
        customer_id,
        case
            when customer_id <> '{{ var("unallocated_customer_id") }}'
                then customer_id || '-' || {{ month_key('billing_month') }}
        end as invoice_id,
        currency,
        weight_units,
        total_weight_units,
        pool_amount,
        allocated_amount

    from allocations

)

select * from final
