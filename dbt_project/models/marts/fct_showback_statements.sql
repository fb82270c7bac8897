-- Showback statements: what a showback customer consumed in a month, with the same lines
-- and the same rounding as an invoice (fct_invoice_lines where billing_mode = 'showback'),
-- but nothing is billed.
with

lines as (

    select * from {{ ref('fct_invoice_lines') }}
    where billing_mode = 'showback'

),

customers as (

    select * from {{ ref('dim_customers') }}

),

totals as (

    select
        invoice_id as statement_id,
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
        totals.statement_id,
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
