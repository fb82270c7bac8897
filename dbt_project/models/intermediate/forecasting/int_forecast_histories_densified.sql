-- Each forecast origin's training history: for every customer and SKU still in use (some
-- usage in the last 3 months up to the origin), every month of its last 36 up to the
-- origin, from its first month of usage, months without usage as 0. Volumes counted by the
-- day (server-days, CPU-hours, hours, cloud spend) become a daily rate (volume / days in the
-- month), so February's 28 days are not read as a dip; monthly units (GB-month, port-month,
-- subscription-month) stay monthly.
-- month_offset is the month's distance to the origin (0 at the origin, negative before).
with

history as (

    select * from {{ ref('int_usage_months_aggregated') }}

),

origins as (

    select * from {{ ref('int_forecast_origins') }}

),

catalog as (

    select * from {{ ref('sku_catalog') }}

),

offsets as (

    select -n as month_offset
    from ({{ integer_spine() }}) as spine
    where n < 36

),

active as (

    select
        origins.origin_type,
        origins.origin_month,
        history.customer_id,
        history.sku_id,
        min(history.billing_month) as first_month,
        max(history.billing_month) as last_used_month

    from origins
    inner join history
        on origins.origin_month >= history.billing_month
    group by origins.origin_type, origins.origin_month, history.customer_id, history.sku_id

),

grid as (

    select
        active.origin_type,
        active.origin_month,
        active.customer_id,
        active.sku_id,
        offsets.month_offset,
        {{ add_months_n('active.origin_month', 'offsets.month_offset') }} as billing_month

    from active
    cross join offsets
    where
        active.last_used_month >= {{ add_months('active.origin_month', -2) }}
        and {{ add_months_n('active.origin_month', 'offsets.month_offset') }}
        >= active.first_month

),

final as (

    select
        grid.origin_type,
        grid.origin_month,
        grid.customer_id,
        grid.sku_id,
        grid.billing_month,
        grid.month_offset,
        {{ days_in_month('grid.billing_month') }} as days_in_month,
        coalesce(history.volume, 0) as volume,
        coalesce(history.rated_amount, 0) as rated_amount,
        coalesce(history.list_amount, 0) as list_amount,
        catalog.pricing_unit not like '%-month' as is_daily_rate,
        case
            when catalog.pricing_unit not like '%-month'
                then {{ exact_ratio(
                    'coalesce(history.volume, 0)', days_in_month('grid.billing_month')
                ) }}
            else cast(coalesce(history.volume, 0) as decimal(38, 6))
        end as daily_volume

    from grid
    inner join catalog
        on grid.sku_id = catalog.sku_id
    left join history
        on
            grid.customer_id = history.customer_id
            and grid.sku_id = history.sku_id
            and grid.billing_month = history.billing_month

)

select * from final
