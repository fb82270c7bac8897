-- One billing document per customer and month: an invoice (chargeback) or a showback
-- statement, with the same lines. The total is the sum of the rounded line amounts, so a
-- document always equals the sum of its lines: net_amount (every line but tax) plus
-- tax_amount (the tax lines). The issuing entity (seeds/issuing_entities.csv) and the tax
-- code (seeds/tax_codes.csv) give the legal mentions the document must carry; the billing
-- calendar (seeds/billing_calendar.csv) its cut-off, review, invoice and due dates.
with

lines as (

    select * from {{ ref('int_invoice_lines_resolved') }}

),

customers as (

    select * from {{ ref('customers') }}

),

issuers as (

    select * from {{ ref('issuing_entities') }}

),

tax_codes as (

    select * from {{ ref('tax_codes') }}

),

calendar as (

    select * from {{ ref('billing_calendar') }}

),

totals as (

    select
        invoice_id as document_id,
        customer_id,
        billing_month,
        currency,
        billing_mode,
        count(*) as line_count,
        sum(usage_event_count) as usage_event_count,
        sum(case when charge_type <> 'tax' then line_amount else 0 end) as net_amount,
        sum(case when charge_type = 'tax' then line_amount else 0 end) as tax_amount,
        sum(line_amount) as total_amount,
        max(fx_rate_date) as fx_rate_date

    from lines
    group by invoice_id, customer_id, billing_month, currency, billing_mode

),

final as (

    select
        totals.document_id,
        totals.billing_mode,
        totals.customer_id,
        customers.customer_name,
        totals.billing_month,
        totals.currency,
        totals.line_count,
        totals.usage_event_count,
        cast(totals.net_amount as decimal(18, 2)) as net_amount,
        cast(totals.tax_amount as decimal(18, 2)) as tax_amount,
        cast(totals.total_amount as decimal(18, 2)) as total_amount,
        totals.fx_rate_date,
        customers.issuing_entity_id,
        issuers.invoice_prefix,
        issuers.legal_name as issuer_legal_name,
        customers.tax_code,
        tax_codes.rate_percent as tax_rate_percent,
        tax_codes.invoice_mention as tax_mention,
        customers.vat_number as customer_vat_number,
        issuers.payment_terms_days,
        issuers.legal_name || ', ' || issuers.address || '. ' || issuers.registration_id
        || coalesce('. VAT ' || issuers.vat_number, '')
        || coalesce('. Customer VAT ' || customers.vat_number, '')
        || '. ' || issuers.legal_mentions
        || coalesce(' ' || tax_codes.invoice_mention, '') as legal_mentions,
        cast({{ add_months('totals.billing_month', 1) }} + (calendar.cutoff_day - 1) as date)
            as cutoff_date,
        cast({{ add_months('totals.billing_month', 1) }} + (calendar.review_end_day - 1) as date)
            as review_end_date,
        cast({{ add_months('totals.billing_month', 1) }} + (calendar.invoice_day - 1) as date)
            as invoice_date,
        cast(
            {{ add_months('totals.billing_month', 1) }} + (calendar.invoice_day - 1)
            + issuers.payment_terms_days as date
        ) as due_date

    from totals
    inner join customers
        on totals.customer_id = customers.customer_id
    left join issuers
        on customers.issuing_entity_id = issuers.issuing_entity_id
    left join calendar
        on customers.issuing_entity_id = calendar.issuing_entity_id
    left join tax_codes
        on
            customers.tax_code = tax_codes.tax_code
            and {{ is_effective(month_end('totals.billing_month'), 'tax_codes') }}

)

select * from final
