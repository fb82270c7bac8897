{{ config(meta={'dagster': {'ref': {'name': 'fct_focus_charges'}}}) }}
-- FOCUS export: every row names its invoice line (x_InvoiceLineId), and no invoice line has
-- two rows.
select
    {{ adapter.quote('x_InvoiceLineId') }} as invoice_line_id,
    count(*) as focus_rows

from {{ ref('fct_focus_charges') }}
group by {{ adapter.quote('x_InvoiceLineId') }}
having count(*) > 1 or {{ adapter.quote('x_InvoiceLineId') }} is null
