{{ config(meta={'dagster': {'ref': {'name': 'fct_invoice_lines'}}}) }}
-- A line billed in another currency than its rate card's needs an FX rate dated on or
-- before the last day of its billing month (seeds/fx_rates.csv). Without one the build
-- fails and names the month and the currency pair to add.
select distinct
    billing_month,
    rate_currency,
    currency,
    'no ' || rate_currency || ' -> ' || currency || ' rate on or before the end of '
    || cast(billing_month as {{ text_type() }}) || ': add it to seeds/fx_rates.csv' as problem

from {{ ref('int_invoice_lines_converted') }}
where fx_rate is null
