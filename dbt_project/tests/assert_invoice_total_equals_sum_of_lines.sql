{{ config(meta={'dagster': {'ref': {'name': 'fct_invoices'}}}) }}
-- An invoice's (or a showback statement's) total equals the sum of its rounded lines, to
-- the cent, and every line belongs to exactly one document.
with

lines as (

    select
        invoice_id as document_id,
        sum(line_amount) as lines_total

    from {{ ref('fct_invoice_lines') }}
    group by invoice_id

),

documents as (

    select
        invoice_id as document_id,
        total_amount

    from {{ ref('fct_invoices') }}

    union all

    select
        statement_id as document_id,
        total_amount

    from {{ ref('fct_showback_statements') }}

)

select
    coalesce(documents.document_id, lines.document_id) as document_id,
    documents.total_amount,
    lines.lines_total

from documents
full outer join lines
    on documents.document_id = lines.document_id
where
    documents.document_id is null
    or lines.document_id is null
    or documents.total_amount <> lines.lines_total
