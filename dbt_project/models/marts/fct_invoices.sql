-- Invoices: one per customer per billing month, in the rate card's currency. The total is
-- the sum of the rounded line amounts, so an invoice always equals the sum of its lines.
-- Invoices stay drafts until the month-end close issues them. Only chargeback customers
-- are invoiced; showback customers get fct_showback_statements instead.
with

lines as (

    select * from {{ ref('fct_invoice_lines') }}
    where billing_mode = 'chargeback'

),

customers as (

    select * from {{ ref('dim_customers') }}

),

totals as (

    select
        invoice_id,
        customer_id,
        billing_month,
        currency,
        count(*) as line_count,
        sum(usage_event_count) as usage_event_count,
        sum(line_amount) as total_amount

    from lines
    group by invoice_id, customer_id, billing_month, currency

),

final as (

    select
        totals.invoice_id,
        totals.customer_id,
        customers.customer_name,
        totals.billing_month,
        totals.currency,
        'draft' as invoice_status,
        totals.line_count,
        totals.usage_event_count,
        totals.total_amount

    from totals
    inner join customers
        on totals.customer_id = customers.customer_id

)

select * from final
