-- Each budgeted customer's fiscal year month by month (seeds/budgets.csv): what was billed
-- (invoice and statement lines without tax, in the billing currency; issued months as
-- issued) up to the latest usage month, the forecast after it (fct_forecasts), and both
-- cumulated over the fiscal year: cumulative_actual_amount stops at the latest actual month,
-- cumulative_projected_amount runs on with the forecast.
with

budgets as (

    select * from {{ ref('budgets') }}
    where {{ is_approved() }}

),

lines as (

    select * from {{ ref('fct_invoice_lines') }}
    where charge_type <> 'tax'

),

forecasts as (

    select * from {{ ref('fct_forecasts') }}

),

origins as (

    select * from {{ ref('int_forecast_origins') }}
    where origin_type = 'forecast'

),

actual_months as (

    select
        lines.customer_id,
        lines.billing_month,
        sum(lines.line_amount) as actual_amount

    from lines
    cross join origins
    where lines.billing_month <= origins.origin_month
    group by lines.customer_id, lines.billing_month

),

forecast_months as (

    select
        customer_id,
        billing_month,
        sum(amount) as forecast_amount

    from forecasts
    group by customer_id, billing_month

),

months as (

    select
        coalesce(actual_months.customer_id, forecast_months.customer_id) as customer_id,
        coalesce(actual_months.billing_month, forecast_months.billing_month) as billing_month,
        actual_months.actual_amount,
        forecast_months.forecast_amount

    from actual_months
    full outer join forecast_months
        on
            actual_months.customer_id = forecast_months.customer_id
            and actual_months.billing_month = forecast_months.billing_month

),

budgeted as (

    select
        budgets.customer_id,
        budgets.fiscal_year,
        budgets.budget_amount,
        budgets.currency,
        months.billing_month,
        months.actual_amount,
        months.forecast_amount,
        cast(coalesce(months.actual_amount, months.forecast_amount, 0) as decimal(18, 2))
            as projected_amount

    from budgets
    inner join months
        on
            budgets.customer_id = months.customer_id
            and {{ fiscal_year('months.billing_month') }} = budgets.fiscal_year

),

final as (

    select
        {{ text_hash(['customer_id', 'billing_month']) }} as budget_month_id,
        customer_id,
        fiscal_year,
        billing_month,
        budget_amount,
        currency,
        actual_amount,
        forecast_amount,
        projected_amount,
        case
            when actual_amount is not null
                then sum(coalesce(actual_amount, 0)) over (
                    partition by customer_id, fiscal_year
                    order by billing_month
                    rows between unbounded preceding and current row
                )
        end as cumulative_actual_amount,
        sum(projected_amount) over (
            partition by customer_id, fiscal_year
            order by billing_month
            rows between unbounded preceding and current row
        ) as cumulative_projected_amount

    from budgeted

)

select * from final
