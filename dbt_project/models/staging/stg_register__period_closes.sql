-- Closed billing months (the month-end close, macros/close/close_billing_period.sql).
with

source as (

    select * from {{ source('register', 'period_closes') }}

),

final as (

    select
        billing_month,
        closed_at,
        closed_by,
        invoice_count

    from source

)

select * from final
