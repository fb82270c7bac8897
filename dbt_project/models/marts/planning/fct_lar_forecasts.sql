-- The Legislative Appropriations Request view (docs/forecasting.md), per customer, fiscal
-- year and service category, from two fiscal years before the current one to the end of the
-- next biennium: what was billed (invoice and statement lines without tax, in the billing
-- currency) and what is forecast (fct_forecasts), and their total. fiscal_year_role says
-- which is which: actual (a past year), current_estimate (billed so far + forecast),
-- forecast (a later year), and is_requested_biennium marks the two years the LAR asks for.
-- The LAR workbook (chargeback-export lar) is this mart, formatted.
with

origins as (

    select * from {{ ref('int_forecast_origins') }}
    where origin_type = 'forecast'

),

lines as (

    select * from {{ ref('fct_invoice_lines') }}
    where charge_type <> 'tax'

),

forecasts as (

    select * from {{ ref('fct_forecasts') }}

),

customers as (

    select * from {{ ref('customers') }}

),

frame as (

    select
        origin_month,
        {{ fiscal_year('origin_month') }} as current_fiscal_year,
        next_biennium_first_fiscal_year

    from origins

),

actuals as (

    select
        lines.customer_id,
        {{ fiscal_year('lines.billing_month') }} as fiscal_year,
        lines.service_category,
        lines.currency,
        sum(lines.line_amount) as actual_amount

    from lines
    cross join frame
    where lines.billing_month <= frame.origin_month
    group by
        lines.customer_id,
        {{ fiscal_year('lines.billing_month') }},
        lines.service_category,
        lines.currency

),

forecast_totals as (

    select
        customer_id,
        fiscal_year,
        service_category,
        currency,
        sum(amount) as forecast_amount

    from forecasts
    group by customer_id, fiscal_year, service_category, currency

),

combined as (

    select
        coalesce(actuals.customer_id, forecast_totals.customer_id) as customer_id,
        coalesce(actuals.fiscal_year, forecast_totals.fiscal_year) as fiscal_year,
        coalesce(actuals.service_category, forecast_totals.service_category)
            as service_category,
        coalesce(actuals.currency, forecast_totals.currency) as currency,
        cast(coalesce(actuals.actual_amount, 0) as decimal(18, 2)) as actual_amount,
        cast(coalesce(forecast_totals.forecast_amount, 0) as decimal(18, 2)) as forecast_amount

    from actuals
    full outer join forecast_totals
        on
            actuals.customer_id = forecast_totals.customer_id
            and actuals.fiscal_year = forecast_totals.fiscal_year
            and actuals.service_category = forecast_totals.service_category
            and actuals.currency = forecast_totals.currency

),

final as (

    select
        {{ text_hash([
            'combined.customer_id', 'combined.fiscal_year', 'combined.service_category',
            'combined.currency',
        ]) }} as lar_row_id,
        combined.customer_id,
        customers.customer_name,
        cast(frame.next_biennium_first_fiscal_year as {{ text_type() }}) || '-'
        || substr(cast(frame.next_biennium_first_fiscal_year + 1 as {{ text_type() }}), 3, 2)
            as requested_biennium,
        combined.fiscal_year,
        case
            when combined.fiscal_year < frame.current_fiscal_year then 'actual'
            when combined.fiscal_year = frame.current_fiscal_year then 'current_estimate'
            else 'forecast'
        end as fiscal_year_role,
        combined.fiscal_year >= frame.next_biennium_first_fiscal_year as is_requested_biennium,
        combined.service_category,
        combined.currency,
        combined.actual_amount,
        combined.forecast_amount,
        combined.actual_amount + combined.forecast_amount as total_amount

    from combined
    cross join frame
    inner join customers
        on combined.customer_id = customers.customer_id
    where
        combined.fiscal_year >= frame.current_fiscal_year - 2
        and combined.fiscal_year <= frame.next_biennium_first_fiscal_year + 1

)

select * from final
