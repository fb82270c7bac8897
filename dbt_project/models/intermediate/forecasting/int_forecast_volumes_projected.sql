{% set damping = var('forecast_slope_damping', 0.5) %}
-- The forecast volume of every customer and SKU, month by month, per origin:
--   base      (intercept + damping x slope x months ahead), never below 0 (var
--             forecast_slope_damping, 0.5: a damped trend, half the fitted slope), x the
--             calendar month's seasonal index (1 without one), x the days of the month for
--             volumes counted by the day; to 4 decimals;
--   naive     the origin month's volume, repeated (the benchmark the method must beat);
--   planned   for the forecast origin only, the approved planned changes
--             (seeds/planned_changes.csv) in force that month: volume x (1 + percent / 100)
--             + quantity, never below 0. A change for a customer and SKU without history
--             (an onboarding) starts from 0.

with

origins as (

    select * from {{ ref('int_forecast_origins') }}

),

trends as (

    select * from {{ ref('int_forecast_trends_fitted') }}

),

seasonal as (

    select * from {{ ref('int_forecast_seasonal_indices') }}

),

planned as (

    select * from {{ ref('planned_changes') }}
    where {{ is_approved() }}

),

steps as (

    select n + 1 as months_ahead
    from ({{ integer_spine() }}) as spine

),

combos as (

    select
        origin_type,
        customer_id,
        sku_id,
        is_daily_rate,
        slope,
        intercept,
        last_volume,
        rate_multiplier

    from trends

    union all

    select distinct
        'forecast' as origin_type,
        planned.customer_id,
        planned.sku_id,
        false as is_daily_rate,
        cast(0 as decimal(38, 6)) as slope,
        cast(0 as decimal(38, 6)) as intercept,
        cast(0 as decimal(38, 12)) as last_volume,
        cast(1 as decimal(38, 6)) as rate_multiplier

    from planned
    where not exists (
        select 1 from trends
        where
            trends.origin_type = 'forecast'
            and trends.customer_id = planned.customer_id
            and trends.sku_id = planned.sku_id
    )

),

months as (

    select
        combos.*,
        origins.origin_month,
        steps.months_ahead,
        {{ add_months_n('origins.origin_month', 'steps.months_ahead') }} as billing_month

    from combos
    inner join origins
        on combos.origin_type = origins.origin_type
    inner join steps
        on
            {{ add_months_n('origins.origin_month', 'steps.months_ahead') }}
            <= origins.horizon_last_month

),

based as (

    select
        months.*,
        cast(coalesce(seasonal.seasonal_index, 1) as decimal(38, 6)) as seasonal_index,
        cast(round(
            case
                when months.intercept + {{ damping }} * months.slope * months.months_ahead > 0
                    then months.intercept + {{ damping }} * months.slope * months.months_ahead
                else 0
            end
            * coalesce(seasonal.seasonal_index, 1)
            * case
                when months.is_daily_rate then {{ days_in_month('months.billing_month') }}
                else 1
            end,
            4
        ) as decimal(18, 4)) as base_volume

    from months
    left join seasonal
        on
            months.origin_type = seasonal.origin_type
            and months.sku_id = seasonal.sku_id
            and cast(extract(month from months.billing_month) as integer)
            = seasonal.calendar_month

),

changes as (

    select
        based.origin_type,
        based.customer_id,
        based.sku_id,
        based.billing_month,
        sum(coalesce(planned.percent_delta, 0)) as percent_delta,
        sum(coalesce(planned.quantity_delta, 0)) as quantity_delta,
        {{ string_agg('planned.change_id', "', '", 'planned.change_id') }} as planned_change_ids

    from based
    inner join planned
        on
            based.customer_id = planned.customer_id
            and based.sku_id = planned.sku_id
            and based.billing_month >= planned.effective_month
    where based.origin_type = 'forecast'
    group by based.origin_type, based.customer_id, based.sku_id, based.billing_month

),

final as (

    select
        based.origin_type,
        based.origin_month,
        based.customer_id,
        based.sku_id,
        based.billing_month,
        based.months_ahead,
        based.slope,
        based.intercept,
        based.seasonal_index,
        based.rate_multiplier,
        based.base_volume,
        cast(based.last_volume as decimal(18, 4)) as naive_volume,
        changes.planned_change_ids,
        cast(coalesce(changes.percent_delta, 0) as decimal(9, 4)) as planned_percent_delta,
        cast(coalesce(changes.quantity_delta, 0) as decimal(18, 4)) as planned_quantity_delta,
        cast(
            case
                when
                    based.base_volume * (1 + coalesce(changes.percent_delta, 0) * 0.01)
                    + coalesce(changes.quantity_delta, 0) > 0
                    then
                        based.base_volume * (1 + coalesce(changes.percent_delta, 0) * 0.01)
                        + coalesce(changes.quantity_delta, 0)
                else 0
            end as decimal(18, 4)
        ) as volume

    from based
    left join changes
        on
            based.origin_type = changes.origin_type
            and based.customer_id = changes.customer_id
            and based.sku_id = changes.sku_id
            and based.billing_month = changes.billing_month

)

select * from final
