-- Seasonal indices per forecast origin, SKU and calendar month: how much a month's daily
-- volume sits above or below the customer's trend line, averaged over every customer and
-- year of the SKU (ratio to trend; averages are exact sums / counts), then scaled so that
-- the twelve indices average 1. Only histories of at least 24 months (two full seasons)
-- count, and a SKU gets indices only when all twelve calendar months are covered;
-- otherwise its index is 1 (no seasonality assumed).
with

histories as (

    select * from {{ ref('int_forecast_histories_densified') }}

),

trends as (

    select * from {{ ref('int_forecast_trends_fitted') }}
    where month_count >= 24

),

ratios as (

    select
        histories.origin_type,
        histories.sku_id,
        cast(extract(month from histories.billing_month) as integer) as calendar_month,
        {{ exact_ratio(
            'histories.daily_volume',
            'trends.intercept + trends.slope * histories.month_offset'
        ) }} as ratio_to_trend

    from histories
    inner join trends
        on
            histories.origin_type = trends.origin_type
            and histories.customer_id = trends.customer_id
            and histories.sku_id = trends.sku_id
    where trends.intercept + trends.slope * histories.month_offset > 0

),

by_month as (

    select
        origin_type,
        sku_id,
        calendar_month,
        {{ exact_ratio('sum(ratio_to_trend)', 'count(*)') }} as raw_index,
        count(*) as observation_count

    from ratios
    group by origin_type, sku_id, calendar_month

),

complete as (

    select
        *,
        count(*) over (partition by origin_type, sku_id) as months_covered,
        {{ exact_ratio(
            'sum(raw_index) over (partition by origin_type, sku_id)',
            'count(*) over (partition by origin_type, sku_id)'
        ) }} as mean_index

    from by_month

),

final as (

    select
        origin_type,
        sku_id,
        calendar_month,
        observation_count,
        {{ exact_ratio('raw_index', 'mean_index') }} as seasonal_index

    from complete
    where months_covered = 12

)

select * from final
