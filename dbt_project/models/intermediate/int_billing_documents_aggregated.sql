-- One billing document per customer and month: an invoice (chargeback) or a showback
-- statement, with the same lines. The total is the sum of the rounded line amounts, so a
-- document always equals the sum of its lines.
with

lines as (

    select * from {{ ref('fct_invoice_lines') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

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
        sum(line_amount) as total_amount

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
        totals.total_amount

    from totals
    inner join customers
        on totals.customer_id = customers.customer_id

)

select * from final
