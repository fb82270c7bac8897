-- How much of each allocation driver every customer had in each billing month: the volumes
-- that proportional and activity pools weigh (int_allocation_weights_computed), as numbers
-- that round to whole weight units:
--   usage_cost    the customer's usage invoice lines of the month, in cents;
--   server_count  distinct servers (SKUs SRV-*) rated to the customer that month;
--   any other     the customer's volume in seeds/allocation_drivers.csv in force that
--                 month (for example headcount or firewall_changes), x 10,000.
with

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

billing_months as (

    select distinct billing_month from usage_lines

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

unioned as (

    select * from usage_cost
    union all
    select * from server_count
    union all
    select * from seeded_drivers

),

final as (

    select
        {{ text_hash(['driver', 'customer_id', 'billing_month']) }} as driver_volume_id,
        customer_id,
        billing_month,
        driver,
        volume

    from unioned

)

select * from final
