-- Invoices: one per chargeback customer per billing month, in the customer's billing
-- currency. total_amount = net_amount + tax_amount = the sum of the invoice's rounded lines,
-- so an invoice always equals the sum of its lines. Each invoice names its issuing entity
-- and carries the legal mentions of its locale (for a French customer: SIREN/SIRET, VAT
-- numbers, payment terms, the late-payment penalty rate and the 40 EUR recovery indemnity).
-- Invoices stay drafts until the month-end close issues them. Showback customers get
-- fct_showback_statements instead.
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
        net_amount,
        tax_amount,
        total_amount,
        fx_rate_date,
        issuing_entity_id,
        issuer_legal_name,
        tax_code,
        tax_rate_percent,
        tax_mention,
        customer_vat_number,
        payment_terms_days,
        legal_mentions

    from documents

)

select * from final
