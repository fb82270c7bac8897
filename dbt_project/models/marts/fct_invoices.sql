-- Invoices: one per chargeback customer per billing month, in the rate card's currency.
-- The total is the sum of the rounded line amounts, so an invoice always equals the sum
-- of its lines. Invoices stay drafts until the month-end close issues them. Showback
-- customers get fct_showback_statements instead.
with

documents as (

    select * from {{ ref('int_billing_documents_aggregated') }}
    where billing_mode = 'chargeback'

),

final as (

    select
        document_id as invoice_id,
        customer_id,
        customer_name,
        billing_month,
        currency,
        'draft' as invoice_status,
        line_count,
        usage_event_count,
        total_amount

    from documents

)

select * from final
