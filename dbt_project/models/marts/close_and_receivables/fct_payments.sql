-- Payments received, one row per bank statement line, matched to the issued invoice they
-- pay (int_payments_matched), with their source file and row. Every landed bank line is
-- here, with a match_status saying what became of it.
with

payments as (

    select * from {{ ref('int_payments_matched') }}

),

final as (

    select * from payments

)

select * from final
