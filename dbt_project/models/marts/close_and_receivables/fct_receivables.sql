-- Accounts receivable: every issued invoice with what was paid against it and what is
-- still owed, as of the latest booking date of the bank feed (or the last invoice date
-- when no payment landed yet), so the report is the same however often it is rebuilt.
--   payment_status   unpaid, partially_paid, paid or overpaid (the excess is a credit the
--                    customer holds);
--   aging_bucket     of the outstanding amount, by days past the due date: not_due, 1-30,
--                    31-60, 61-90, over_90; settled when nothing is owed.
with

invoices as (

    select * from {{ ref('stg_register__issued_invoices') }}

),

payments as (

    select * from {{ ref('int_payments_matched') }}
    where match_status = 'matched'

),

as_of as (

    select
        coalesce(
            (select max(booking_date) from {{ ref('int_payments_matched') }}),
            (select max(invoice_date) from invoices)
        ) as as_of_date

),

paid as (

    select
        invoice_number,
        sum(amount) as paid_amount,
        count(*) as payment_count,
        max(booking_date) as last_payment_date

    from payments
    group by invoice_number

),

balances as (

    select
        invoices.invoice_number,
        invoices.invoice_id,
        invoices.customer_id,
        invoices.issuing_entity_id,
        invoices.billing_month,
        invoices.currency,
        invoices.invoice_date,
        invoices.due_date,
        invoices.total_amount,
        coalesce(paid.paid_amount, 0) as paid_amount,
        coalesce(paid.payment_count, 0) as payment_count,
        paid.last_payment_date,
        as_of.as_of_date,
        {{ days_between("invoices.due_date", "as_of.as_of_date") }} as days_past_due

    from invoices
    cross join as_of
    left join paid
        on invoices.invoice_number = paid.invoice_number

),

final as (

    select
        invoice_number,
        invoice_id,
        customer_id,
        issuing_entity_id,
        billing_month,
        currency,
        invoice_date,
        due_date,
        total_amount,
        cast(paid_amount as decimal(18, 2)) as paid_amount,
        cast(greatest(total_amount - paid_amount, 0) as decimal(18, 2)) as outstanding_amount,
        cast(greatest(paid_amount - total_amount, 0) as decimal(18, 2)) as overpaid_amount,
        payment_count,
        last_payment_date,
        case
            when paid_amount = 0 then 'unpaid'
            when paid_amount < total_amount then 'partially_paid'
            when paid_amount = total_amount then 'paid'
            else 'overpaid'
        end as payment_status,
        as_of_date,
        days_past_due,
        case
            when paid_amount >= total_amount then 'settled'
            when days_past_due <= 0 then 'not_due'
            when days_past_due <= 30 then '1-30'
            when days_past_due <= 60 then '31-60'
            when days_past_due <= 90 then '61-90'
            else 'over_90'
        end as aging_bucket

    from balances

)

select * from final
