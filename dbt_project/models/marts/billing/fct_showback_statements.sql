-- Showback statements: what a showback customer consumed in a month, with the same lines
-- and the same rounding as an invoice (fct_invoice_lines where billing_mode = 'showback'),
-- but nothing is billed, so no tax either.
with

documents as (

    select * from {{ ref('int_billing_documents_aggregated') }}
    where billing_mode = 'showback'

),

final as (

    select
        document_id as statement_id,
        customer_id,
        customer_name,
        billing_month,
        currency,
        line_count,
        usage_event_count,
        total_amount

    from documents

)

select * from final
