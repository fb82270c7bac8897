{{ config(meta={'dagster': {'ref': {'name': 'fct_shared_cost_allocations'}}}) }}
-- Conservation: for every pool and month, the allocated amounts add up to the pool's
-- monthly amount in seeds/shared_cost_pools.csv, to the cent.
with

allocations as (

    select
        pool_id,
        billing_month,
        max(pool_amount) as pool_amount,
        sum(allocated_amount) as allocated_amount

    from {{ ref('fct_shared_cost_allocations') }}
    group by pool_id, billing_month

)

select
    allocations.*,
    pools.monthly_amount

from allocations
inner join {{ ref('shared_cost_pools') }} as pools
    on allocations.pool_id = pools.pool_id
where
    allocations.allocated_amount <> pools.monthly_amount
    or allocations.pool_amount <> pools.monthly_amount
