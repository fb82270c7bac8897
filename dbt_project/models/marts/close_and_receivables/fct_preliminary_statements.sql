-- Preliminary statements: before a month is closed, what each customer will be invoiced,
-- by service, with its RU volumes and amounts, for the customer to review by the review
-- deadline of the billing calendar. The customer's answer (seeds/statement_reviews.csv) is
-- `approved` or `disputed`; without one the statement is `pending`. A service manager's
-- adjustments (seeds/billing_adjustments.csv) are already on it, as lines of their own.
-- Only open months: a closed month is invoiced (fct_invoices).
with

lines as (

    select * from {{ ref('fct_invoice_lines') }}
    where invoice_status = 'draft'

),

documents as (

    select * from {{ ref('int_billing_documents_aggregated') }}

),

reviews as (

    select * from {{ ref('statement_reviews') }}

),

by_service as (

    select
        invoice_id,
        customer_id,
        billing_month,
        billing_mode,
        service_category,
        service_name,
        currency,
        sum(case when charge_type = 'usage' then quantity else 0 end) as ru_volume,
        sum(line_amount) as amount

    from lines
    group by
        invoice_id,
        customer_id,
        billing_month,
        billing_mode,
        service_category,
        service_name,
        currency

),

final as (

    select
        {{ text_hash(['by_service.invoice_id', 'by_service.service_name']) }}
            as statement_line_id,
        by_service.invoice_id as statement_id,
        by_service.customer_id,
        by_service.billing_month,
        by_service.billing_mode,
        by_service.service_category,
        by_service.service_name,
        by_service.currency,
        by_service.ru_volume,
        cast(by_service.amount as decimal(18, 2)) as amount,
        documents.total_amount as statement_total,
        documents.cutoff_date,
        documents.review_end_date,
        documents.invoice_date,
        coalesce(reviews.review_status, 'pending') as review_status,
        reviews.reviewed_by,
        reviews.reviewed_at,
        reviews.review_note

    from by_service
    inner join documents
        on by_service.invoice_id = documents.document_id
    left join reviews
        on
            by_service.customer_id = reviews.customer_id
            and by_service.billing_month = reviews.billing_month

)

select * from final
