{{ config(meta={'dagster': {'ref': {'name': 'fct_invoices'}}}) }}
-- An invoice's total equals the sum of its rounded lines, to the cent.
with

lines as (

    select
        invoice_id,
        sum(line_amount) as lines_total

    from {{ ref('fct_invoice_lines') }}
    group by invoice_id

)

select
    invoices.invoice_id,
    invoices.total_amount,
    lines.lines_total

from {{ ref('fct_invoices') }} as invoices
left join lines
    on invoices.invoice_id = lines.invoice_id
where lines.lines_total is null or invoices.total_amount <> lines.lines_total
