{{ config(meta={'dagster': {'ref': {'name': 'fct_invoice_lines'}}}) }}
-- A line converted at a fallback FX rate (is_fx_rate_fallback: no rate on the last day of
-- its month) is fine while the rate is at most var fx_rate_max_staleness_days days older
-- than the month end (a weekend, a holiday). An older one means the month-end rate was
-- never added: the build stops, naming the month, the currency pair and the rate used.
with

stale as (

    select distinct
        coalesce(original_billing_month, billing_month) as rate_month,
        rate_currency,
        currency,
        fx_rate_date

    from {{ ref('fct_invoice_lines') }}
    where
        is_fx_rate_fallback
        and fx_rate_date < {{ month_end('coalesce(original_billing_month, billing_month)') }}
        - {{ var('fx_rate_max_staleness_days') }}

)

select *
from stale
where
    {{ fail_with(
        "'the ' || rate_currency || ' -> ' || currency || ' rate of '"
        ~ " || cast(rate_month as " ~ text_type() ~ ") || ' is the one of ' || cast(fx_rate_date as " ~ text_type() ~ ")"
        ~ " || ', more than " ~ var('fx_rate_max_staleness_days') ~ " days before the month end:"
        ~ " add the month-end rate to seeds/fx_rates.csv (or raise the dbt var"
        ~ " fx_rate_max_staleness_days)'"
    ) }}
