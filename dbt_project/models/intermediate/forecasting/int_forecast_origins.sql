-- Where each forecast starts and ends (docs/forecasting.md):
--   forecast   from the latest month with rated usage, for the rolling horizon
--              (var forecast_horizon_months, 18) or to the end of the next biennium, the
--              later of the two (a LAR needs the whole next biennium);
--   backtest   the same method started var backtest_holdout_months (6) earlier, knowing
--              only the history up to then, so its forecast of the held-out months can be
--              compared with what happened.
with

history as (

    select * from {{ ref('int_usage_months_aggregated') }}

),

latest as (

    select max(billing_month) as last_month from history

),

framed as (

    select
        last_month,
        {{ biennium_start(fiscal_year('last_month')) }} + 2 as next_biennium_first_fiscal_year

    from latest

),

ends as (

    select
        *,
        {{ add_months_n(
            fiscal_year_start_date('next_biennium_first_fiscal_year + 2'), -1
        ) }} as next_biennium_last_month,
        {{ add_months_n('last_month', var('forecast_horizon_months', 18)) }}
            as rolling_last_month

    from framed

),

final as (

    select
        'forecast' as origin_type,
        last_month as origin_month,
        case
            when next_biennium_last_month > rolling_last_month then next_biennium_last_month
            else rolling_last_month
        end as horizon_last_month,
        rolling_last_month,
        next_biennium_first_fiscal_year

    from ends

    union all

    select
        'backtest' as origin_type,
        {{ add_months_n('last_month', -(var('backtest_holdout_months', 6) | int)) }}
            as origin_month,
        last_month as horizon_last_month,
        last_month as rolling_last_month,
        next_biennium_first_fiscal_year

    from ends

)

select * from final
