-- Shared cost pools split over customers, to the cent, in proportion to their weights
-- (int_allocation_weights_computed: even, proportional, fixed or activity, by the rule of
-- the pool in seeds/shared_cost_pools.csv).
-- Largest remainder (macro largest_remainder_ctes): each customer first gets
-- floor(amount x weight / total weight) cents, then the cents left over go one each to the
-- largest remainders (ties: customer_id). The arithmetic is on integers, never a float, so
-- the parts always add up to the pool. A pool month with no weight at all goes whole to
-- the unallocated bucket.
with

weights as (

    select * from {{ ref('int_allocation_weights_computed') }}

),

weights_by_pool as (

    select * from weights
    where weight_units > 0

),

{{ largest_remainder_ctes(
    'split', 'weights_by_pool', ['pool_id', 'billing_month'], 'pool_cents', 'weight_units',
    'customer_id'
) }},

allocated as (

    select
        pool_id,
        pool_name,
        allocation_method,
        driver,
        currency,
        billing_month,
        customer_id,
        weight_units,
        total_weight_units,
        pool_cents,
        allocated_cents

    from split

),

unweighted_pools as (

    select
        pool_id,
        pool_name,
        allocation_method,
        driver,
        currency,
        billing_month,
        customer_id,
        weight_units,
        {{ big_integer(0) }} as total_weight_units,
        pool_cents,
        pool_cents as allocated_cents

    from weights
    where weight_units = 0

),

unioned as (

    select * from allocated
    union all
    select * from unweighted_pools

),

final as (

    select
        {{ text_hash(['pool_id', 'billing_month', 'customer_id']) }} as allocation_id,
        pool_id,
        pool_name,
        allocation_method,
        driver,
        billing_month,
        customer_id,
        currency,
        weight_units,
        total_weight_units,
        cast(pool_cents * 0.01 as decimal(18, 2)) as pool_amount,
        cast(allocated_cents * 0.01 as decimal(18, 2)) as allocated_amount

    from unioned

)

select * from final
