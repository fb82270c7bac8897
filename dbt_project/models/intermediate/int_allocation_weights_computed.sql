-- Who carries each shared cost pool month, and with what weight, by the rule of the pool in
-- seeds/shared_cost_pools.csv:
--   even          equal weights over the customers billed for usage that month;
--   proportional  weight = the customer's driver: usage_cost (its usage invoice, in cents),
--                 server_count (distinct servers billed that month) or a driver volume
--                 from seeds/allocation_drivers.csv (for example headcount);
--   fixed         weight = share_percent from seeds/allocation_fixed_shares.csv (tested to
--                 total 100 per pool);
--   activity      weight = a driver volume from seeds/allocation_drivers.csv.
-- Driver volumes: int_allocation_drivers_measured. Weights are whole numbers (weight_units);
-- only positive ones count, and only for a customer billed that month
-- (int_customer_months_listed: usage, or a contract in force): a share never opens an
-- invoice month on its own. A pool month with no positive weight at all has a single row:
-- the unallocated bucket, with weight 0 (int_shared_costs_allocated gives it the whole pool).
with

pools as (

    select * from {{ ref('shared_cost_pools') }}

),

usage_lines as (

    select * from {{ ref('int_usage_lines_aggregated') }}

),

driver_volumes as (

    select * from {{ ref('int_allocation_drivers_measured') }}

),

fixed_shares as (

    select * from {{ ref('allocation_fixed_shares') }}

),

billing_months as (

    select distinct billing_month from usage_lines

),

billed_customers as (

    select distinct
        customer_id,
        billing_month

    from usage_lines

),

billable_customers as (

    select * from {{ ref('int_customer_months_listed') }}

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

weights as (

    select
        pool_months.pool_id,
        pool_months.billing_month,
        billed_customers.customer_id,
        {{ big_integer(1) }} as weight_units

    from pool_months
    inner join billed_customers
        on pool_months.billing_month = billed_customers.billing_month
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

    select weights.*
    from weights
    inner join billable_customers
        on
            weights.customer_id = billable_customers.customer_id
            and weights.billing_month = billable_customers.billing_month
    where weights.weight_units > 0

),

weighted_pools as (

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

unweighted_pools as (

    select
        pool_months.*,
        '{{ var("unallocated_customer_id") }}' as customer_id,
        {{ big_integer(0) }} as weight_units

    from pool_months
    left join positive_weights
        on
            pool_months.pool_id = positive_weights.pool_id
            and pool_months.billing_month = positive_weights.billing_month
    where positive_weights.pool_id is null

),

unioned as (

    select * from weighted_pools
    union all
    select * from unweighted_pools

),

final as (

    select
        {{ text_hash(['pool_id', 'billing_month', 'customer_id']) }} as allocation_weight_id,
        pool_id,
        pool_name,
        allocation_method,
        driver,
        currency,
        billing_month,
        customer_id,
        pool_cents,
        weight_units

    from unioned

)

select * from final
