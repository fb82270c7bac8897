-- Billed, paid and outstanding per month and currency: what was invoiced (issued invoices
-- by invoice date), what was received against invoices (matched payments by booking date),
-- and what is still owed at the end of the month (everything billed minus everything paid
-- up to then). Overpayments count as paid.
with

invoices as (

    select * from {{ ref('stg_register__issued_invoices') }}

),

payments as (

    select * from {{ ref('int_payments_matched') }}
    where match_status = 'matched'

),

movements as (

    select
        cast({{ month_start('invoice_date') }} as date) as month,
        currency,
        total_amount as billed_amount,
        cast(0 as decimal(18, 2)) as paid_amount

    from invoices

    union all

    select
        cast({{ month_start('booking_date') }} as date) as month,
        currency,
        cast(0 as decimal(18, 2)) as billed_amount,
        amount as paid_amount

    from payments

),

monthly as (

    select
        month,
        currency,
        sum(billed_amount) as billed_amount,
        sum(paid_amount) as paid_amount

    from movements
    group by month, currency

),

final as (

    select
        month,
        currency,
        cast(billed_amount as decimal(18, 2)) as billed_amount,
        cast(paid_amount as decimal(18, 2)) as paid_amount,
        cast(
            sum(billed_amount - paid_amount) over (
                partition by currency
                order by month
                rows between unbounded preceding and current row
            ) as decimal(18, 2)
        ) as outstanding_amount

    from monthly

)

select * from final
