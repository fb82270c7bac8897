-- The backtest (docs/forecasting.md): the forecast method started var
-- backtest_holdout_months (6) before the latest usage month, knowing only the history up to
-- then, against what was then rated, per service (and for all services), next to the naive
-- forecast (the origin month's volume repeated). Amounts are in the rate currency.
--   WAPE = Sum |actual - forecast| / Sum actual, in percent;
--   MAPE = mean of |actual - forecast| / actual over customer, SKU and month with an
--          actual above 0, in percent.
-- The method must beat the naive forecast (is_better_than_naive): a test asserts it on the
-- demo data.
with

origins as (

    select * from {{ ref('int_forecast_origins') }}
    where origin_type = 'backtest'

),

charges as (

    select * from {{ ref('int_forecast_charges_rated') }}
    where origin_type = 'backtest'

),

history as (

    select * from {{ ref('int_usage_months_aggregated') }}

),

catalog as (

    select * from {{ ref('sku_catalog') }}

),

actuals as (

    select history.*
    from history
    cross join origins
    where
        history.billing_month > origins.origin_month
        and history.billing_month <= origins.horizon_last_month

),

points as (

    select
        coalesce(charges.customer_id, actuals.customer_id) as customer_id,
        coalesce(charges.sku_id, actuals.sku_id) as sku_id,
        coalesce(charges.billing_month, actuals.billing_month) as billing_month,
        cast(coalesce(actuals.rated_amount, 0) as decimal(38, 12)) as actual_amount,
        cast(coalesce(charges.rate_currency_amount, 0) as decimal(18, 2)) as forecast_amount,
        cast(coalesce(charges.naive_rate_currency_amount, 0) as decimal(18, 2)) as naive_amount

    from charges
    full outer join actuals
        on
            charges.customer_id = actuals.customer_id
            and charges.sku_id = actuals.sku_id
            and charges.billing_month = actuals.billing_month

),

errors as (

    select
        catalog.service_name,
        points.actual_amount,
        points.forecast_amount,
        points.naive_amount,
        abs(points.actual_amount - points.forecast_amount) as forecast_error,
        abs(points.actual_amount - points.naive_amount) as naive_error,
        case
            when points.actual_amount > 0
                then {{ exact_ratio(
                    'abs(points.actual_amount - points.forecast_amount)', 'points.actual_amount'
                ) }}
        end as forecast_percentage_error,
        case
            when points.actual_amount > 0
                then {{ exact_ratio(
                    'abs(points.actual_amount - points.naive_amount)', 'points.actual_amount'
                ) }}
        end as naive_percentage_error

    from points
    inner join catalog
        on points.sku_id = catalog.sku_id

),

by_service as (

    select
        coalesce(service_name, 'All services') as service_name,
        count(*) as point_count,
        sum(actual_amount) as actual_amount,
        sum(forecast_amount) as forecast_amount,
        sum(naive_amount) as naive_amount,
        sum(forecast_error) as forecast_error,
        sum(naive_error) as naive_error,
        sum(forecast_percentage_error) as forecast_percentage_error,
        sum(naive_percentage_error) as naive_percentage_error,
        count(forecast_percentage_error) as mape_point_count

    -- one row per service and, from the rollup's grand total, 'All services'
    from errors
    group by rollup(service_name)

),

final as (

    select
        by_service.service_name,
        origins.origin_month as backtest_origin_month,
        origins.horizon_last_month as backtest_last_month,
        by_service.point_count,
        by_service.actual_amount,
        by_service.forecast_amount,
        by_service.naive_amount,
        {{ exact_ratio('100 * by_service.forecast_error', 'by_service.actual_amount', 2) }}
            as forecast_wape_percent,
        {{ exact_ratio('100 * by_service.naive_error', 'by_service.actual_amount', 2) }}
            as naive_wape_percent,
        {{ exact_ratio(
            '100 * by_service.forecast_percentage_error', 'by_service.mape_point_count', 2
        ) }} as forecast_mape_percent,
        {{ exact_ratio(
            '100 * by_service.naive_percentage_error', 'by_service.mape_point_count', 2
        ) }} as naive_mape_percent,
        by_service.forecast_error < by_service.naive_error as is_better_than_naive

    from by_service
    cross join origins

)

select * from final
