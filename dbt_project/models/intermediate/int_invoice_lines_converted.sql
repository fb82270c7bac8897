-- Every invoice line except tax, after spend discounts and commitment true-ups, in the
-- customer's billing currency and rounded once. unrounded_amount stays in the rate card's
-- currency (rate_currency); line_amount = unrounded_amount x fx_rate, rounded to cents
-- (half away from zero, macro to_cents): the one money rounding of a line.
-- FX date (docs/rounding.md): the rate of the billing month's last day in seeds/fx_rates.csv,
-- or, when none was published that day (a weekend, a holiday), the latest one before it.
-- A line in the customer's own currency has fx_rate 1. A missing rate fails the build
-- (assert_foreign_currency_lines_have_an_fx_rate).
with

unioned as (

    select * from {{ ref('int_invoice_lines_unioned') }}

),

discounts as (

    select * from {{ ref('int_spend_discounts_applied') }}

),

true_ups as (

    select * from {{ ref('int_commitments_trued_up') }}

),

customers as (

    select * from {{ ref('customers') }}

),

policies as (

    select * from {{ ref('billing_policies') }}

),

fx_rates as (

    select * from {{ ref('fx_rates') }}

),

lines as (

    select {{ invoice_line_columns('priced') }} from unioned
    union all
    select {{ invoice_line_columns('priced') }} from discounts
    union all
    select {{ invoice_line_columns('priced') }} from true_ups

),

currencies as (

    select
        lines.*,
        coalesce(customers.billing_currency, lines.currency) as billing_currency

    from lines
    left join customers
        on lines.customer_id = customers.customer_id

),

currency_months as (

    select distinct
        billing_month,
        currency as rate_currency,
        billing_currency

    from currencies
    where currency <> billing_currency

),

fx_ranked as (

    select
        currency_months.billing_month,
        currency_months.rate_currency,
        currency_months.billing_currency,
        fx_rates.rate,
        fx_rates.rate_date,
        row_number() over (
            partition by
                currency_months.billing_month,
                currency_months.rate_currency,
                currency_months.billing_currency
            order by fx_rates.rate_date desc
        ) as recency

    from currency_months
    inner join fx_rates
        on
            currency_months.rate_currency = fx_rates.base_currency
            and currency_months.billing_currency = fx_rates.quote_currency
            and fx_rates.rate_date <= {{ month_end('currency_months.billing_month') }}

),

fx_applied as (

    select * from fx_ranked
    where recency = 1

),

converted as (

    select
        currencies.*,
        case
            when currencies.currency = currencies.billing_currency
                then cast(1 as decimal(18, 8))
            else fx_applied.rate
        end as fx_rate,
        fx_applied.rate_date as fx_rate_date

    from currencies
    left join fx_applied
        on
            currencies.billing_month = fx_applied.billing_month
            and currencies.currency = fx_applied.rate_currency
            and currencies.billing_currency = fx_applied.billing_currency

),

final as (

    select
        converted.invoice_line_id,
        converted.invoice_id,
        converted.customer_id,
        converted.billing_month,
        converted.charge_type,
        converted.service_category,
        converted.service_name,
        converted.product_name,
        converted.component_name,
        converted.sku_id,
        converted.pricing_unit,
        converted.rate_version,
        converted.unit_price,
        converted.rate_multiplier,
        converted.contract_id,
        converted.usage_event_count,
        converted.quantity,
        converted.currency as rate_currency,
        converted.unrounded_amount,
        converted.fx_rate,
        converted.fx_rate_date,
        converted.billing_currency as currency,
        {{ to_cents('converted.unrounded_amount * converted.fx_rate') }} as line_amount,
        coalesce(policies.billing_mode, 'chargeback') as billing_mode

    from converted
    left join policies
        on
            converted.customer_id = policies.customer_id
            and {{ is_effective('converted.billing_month', 'policies') }}

)

select * from final
