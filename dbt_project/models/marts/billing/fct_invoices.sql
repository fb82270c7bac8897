-- Invoices: one per chargeback customer per billing month, in the customer's billing
-- currency. total_amount = net_amount + tax_amount = the sum of the invoice's rounded lines.
-- A closed month's invoices come from the register exactly as issued, with their gapless
-- invoice_number per issuing entity (invoice_status 'issued'); an open month's are drafts
-- with the dates the billing calendar will give them (seeds/billing_calendar.csv). Each
-- invoice names its issuing entity and carries the legal mentions of its locale (for a
-- French customer: SIREN/SIRET, VAT numbers, payment terms, the late-payment penalty rate
-- and the 40 EUR recovery indemnity). Showback customers get fct_showback_statements.
with

issued as (

    select * from {{ ref('stg_register__issued_invoices') }}

),

documents as (

    select * from {{ ref('int_billing_documents_aggregated') }}
    where billing_mode = 'chargeback'

),

issuers as (

    select * from {{ ref('issuing_entities') }}

),

issued_invoices as (

    select
        issued.invoice_id,
        issued.invoice_number,
        'issued' as invoice_status,
        issued.customer_id,
        issued.customer_name,
        issued.billing_month,
        issued.currency,
        issued.line_count,
        issued.usage_event_count,
        issued.net_amount,
        issued.tax_amount,
        issued.total_amount,
        issued.fx_rate_date,
        issued.issuing_entity_id,
        issuers.invoice_prefix,
        issued.issuer_legal_name,
        issued.tax_code,
        issued.tax_rate_percent,
        issued.tax_mention,
        issued.customer_vat_number,
        issued.payment_terms_days,
        issued.legal_mentions,
        issued.invoice_date,
        issued.due_date,
        issued.closed_at,
        issued.closed_by

    from issued
    left join issuers
        on issued.issuing_entity_id = issuers.issuing_entity_id

),

draft_invoices as (

    select
        documents.document_id as invoice_id,
        cast(null as {{ text_type() }}) as invoice_number,
        'draft' as invoice_status,
        documents.customer_id,
        documents.customer_name,
        documents.billing_month,
        documents.currency,
        documents.line_count,
        documents.usage_event_count,
        documents.net_amount,
        documents.tax_amount,
        documents.total_amount,
        documents.fx_rate_date,
        documents.issuing_entity_id,
        documents.invoice_prefix,
        documents.issuer_legal_name,
        documents.tax_code,
        documents.tax_rate_percent,
        documents.tax_mention,
        documents.customer_vat_number,
        documents.payment_terms_days,
        documents.legal_mentions,
        documents.invoice_date,
        documents.due_date,
        cast(null as timestamp) as closed_at,
        cast(null as {{ text_type() }}) as closed_by

    from documents
    left join issued
        on documents.document_id = issued.invoice_id
    where issued.invoice_id is null

),

invoices as (

    select * from issued_invoices
    union all
    select * from draft_invoices

),

final as (

    select
        invoices.*,
        issuers.country_code as issuer_country_code

    from invoices
    left join issuers
        on invoices.issuing_entity_id = issuers.issuing_entity_id

)

select * from final
