{{ config(materialized='table') }}
-- Shared cost pools split over customers, to the cent, by the rule in
-- seeds/shared_cost_pools.csv:
--   even          equal weights over the customers billed for usage that month;
--   proportional  weight = the customer's driver: usage_cost (its usage invoice, in cents),
--                 server_count (distinct servers billed that month) or a driver volume
--                 from seeds/allocation_drivers.csv (for example headcount);
--   fixed         weight = share_percent from seeds/allocation_fixed_shares.csv (tested to
--                 total 100 per pool);
--   activity      weight = a driver volume from seeds/allocation_drivers.csv.
-- Largest remainder (macro largest_remainder_ctes): each customer first gets
-- floor(amount x weight / total weight) cents, then the cents left over go one each to the
-- largest remainders (ties: customer_id). The arithmetic is on integers, never a float, so
-- the parts always add up to the pool. A pool month with no weight at all goes whole to
-- the unallocated bucket.
with

pools as (

    select * from {{ ref('shared_cost_pools') }}

),

usage_lines as (

    select * from {{ ref('int_usage_lines_aggregated') }}

),

rated_usage as (

    select * from {{ ref('int_usage_events_rated') }}
    where rating_status = 'rated'

),

drivers as (

    select * from {{ ref('allocation_drivers') }}

),

fixed_shares as (

    select * from {{ ref('allocation_fixed_shares') }}

),

billing_months as (

    select distinct billing_month from usage_lines

),

pool_months as (

    select
        pools.pool_id,
        pools.pool_name,
        pools.allocation_method,
        pools.driver,
        pools.currency,
        billing_months.billing_month,
        {{ big_integer('round(pools.monthly_amount * 100, 0)') }} as pool_cents

    from pools
    inner join billing_months
        on
            {{ is_effective('billing_months.billing_month', 'pools') }}

),

usage_cost as (

    select
        customer_id,
        billing_month,
        'usage_cost' as driver,
        sum(line_amount) * 100 as volume

    from usage_lines
    group by customer_id, billing_month

),

server_count as (

    select
        customer_id,
        billing_month,
        'server_count' as driver,
        count(distinct resource_id) as volume

    from rated_usage
    where sku_id like 'SRV-%'
    group by customer_id, billing_month

),

seeded_drivers as (

    select
        drivers.customer_id,
        billing_months.billing_month,
        drivers.driver,
        drivers.volume * 10000 as volume

    from drivers
    inner join billing_months
        on
            {{ is_effective('billing_months.billing_month', 'drivers') }}

),

driver_volumes as (

    select * from usage_cost
    union all
    select * from server_count
    union all
    select * from seeded_drivers

),

weights as (

    select
        pool_months.pool_id,
        pool_months.billing_month,
        usage_cost.customer_id,
        {{ big_integer(1) }} as weight_units

    from pool_months
    inner join usage_cost
        on pool_months.billing_month = usage_cost.billing_month
    where pool_months.allocation_method = 'even'

    union all

    select
        pool_months.pool_id,
        pool_months.billing_month,
        driver_volumes.customer_id,
        {{ big_integer('round(driver_volumes.volume, 0)') }} as weight_units

    from pool_months
    inner join driver_volumes
        on
            pool_months.billing_month = driver_volumes.billing_month
            and pool_months.driver = driver_volumes.driver
    where pool_months.allocation_method in ('proportional', 'activity')

    union all

    select
        pool_months.pool_id,
        pool_months.billing_month,
        fixed_shares.customer_id,
        {{ big_integer('round(fixed_shares.share_percent * 10000, 0)') }} as weight_units

    from pool_months
    inner join fixed_shares
        on pool_months.pool_id = fixed_shares.pool_id
    where pool_months.allocation_method = 'fixed'

),

positive_weights as (

    select * from weights
    where weight_units > 0

),

weights_by_pool as (

    select
        pool_months.*,
        positive_weights.customer_id,
        positive_weights.weight_units

    from pool_months
    inner join positive_weights
        on
            pool_months.pool_id = positive_weights.pool_id
            and pool_months.billing_month = positive_weights.billing_month

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
        pool_months.pool_id,
        pool_months.pool_name,
        pool_months.allocation_method,
        pool_months.driver,
        pool_months.currency,
        pool_months.billing_month,
        '{{ var("unallocated_customer_id") }}' as customer_id,
        {{ big_integer(0) }} as weight_units,
        {{ big_integer(0) }} as total_weight_units,
        pool_months.pool_cents,
        pool_months.pool_cents as allocated_cents

    from pool_months
    left join positive_weights
        on
            pool_months.pool_id = positive_weights.pool_id
            and pool_months.billing_month = positive_weights.billing_month
    where positive_weights.pool_id is null

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
