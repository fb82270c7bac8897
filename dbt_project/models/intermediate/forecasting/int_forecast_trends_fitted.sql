-- A weighted least-squares line through each customer and SKU's daily volume (monthly for
-- monthly units), per forecast origin:
--     daily volume = intercept + slope x month_offset   (month_offset 0 at the origin)
-- Recent months weigh more: the origin month 32, then 16, 8, 4, 2, and 1 for every earlier
-- month (up to 36), so the line follows the latest level while the older history steadies
-- its slope. With weights w: slope = (Sum w . Sum w.t.y - Sum w.t . Sum w.y) /
-- (Sum w . Sum w.t^2 - (Sum w.t)^2), intercept = (Sum w.y - slope . Sum w.t) / Sum w, in
-- exact decimal arithmetic (exact_ratio, 6 decimals) so that DuckDB and PostgreSQL fit the
-- same line. Fewer than 3 months: a flat line at the weighted mean. Also kept: the naive
-- forecast's last value (the origin month's volume) and the effective multiplier of the
-- last 12 months (rated / list amount: shift and site uplifts), used to rate.
with

histories as (

    select * from {{ ref('int_forecast_histories_densified') }}

),

weighted as (

    select
        *,
        case month_offset
            when 0 then 32
            when -1 then 16
            when -2 then 8
            when -3 then 4
            when -4 then 2
            else 1
        end as weight

    from histories

),

sums as (

    select
        origin_type,
        origin_month,
        customer_id,
        sku_id,
        count(*) as month_count,
        bool_and(is_daily_rate) as is_daily_rate,
        sum(weight) as sum_w,
        sum(weight * month_offset) as sum_t,
        sum(weight * daily_volume) as sum_y,
        sum(weight * month_offset * daily_volume) as sum_ty,
        sum(weight * month_offset * month_offset) as sum_tt,
        cast(sum(case when month_offset = 0 then volume else 0 end) as decimal(38, 12))
            as last_volume,
        sum(case when month_offset > -12 then rated_amount else 0 end) as recent_rated_amount,
        sum(case when month_offset > -12 then list_amount else 0 end) as recent_list_amount

    from weighted
    group by origin_type, origin_month, customer_id, sku_id

),

slopes as (

    select
        *,
        case
            when month_count >= 3
                then {{ exact_ratio(
                    'sum_w * sum_ty - sum_t * sum_y',
                    'sum_w * sum_tt - sum_t * sum_t'
                ) }}
            else cast(0 as decimal(38, 6))
        end as slope

    from sums

),

final as (

    select
        origin_type,
        origin_month,
        customer_id,
        sku_id,
        month_count,
        is_daily_rate,
        slope,
        {{ exact_ratio('sum_y - slope * sum_t', 'sum_w') }} as intercept,
        last_volume,
        cast(coalesce(
            {{ exact_ratio('recent_rated_amount', 'recent_list_amount') }},
            1
        ) as decimal(38, 6)) as rate_multiplier

    from slopes

)

select * from final
