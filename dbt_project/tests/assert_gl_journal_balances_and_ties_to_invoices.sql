{{ config(meta={'dagster': {'ref': {'name': 'fct_gl_journal'}}}) }}
-- Double entry: debits equal credits in every period and currency; and the net expense
-- booked for each invoice (debits - credits on expense accounts) equals the invoice total.
with

periods as (

    select
        'period ' || cast(period_month as {{ text_type() }}) || ' ' || currency as problem,
        sum(debit_amount) - sum(credit_amount) as difference

    from {{ ref('fct_gl_journal') }}
    group by period_month, currency

),

booked as (

    select
        invoice_id,
        sum(debit_amount) - sum(credit_amount) as net_expense

    from {{ ref('fct_gl_journal') }}
    where account_role = 'expense'
    group by invoice_id

),

invoices as (

    select
        'invoice ' || coalesce(invoices.invoice_id, booked.invoice_id) as problem,
        coalesce(invoices.total_amount, 0) - coalesce(booked.net_expense, 0) as difference

    from {{ ref('fct_invoices') }} as invoices
    full outer join booked
        on invoices.invoice_id = booked.invoice_id

),

unioned as (

    select * from periods
    union all
    select * from invoices

)

select * from unioned
where difference <> 0
