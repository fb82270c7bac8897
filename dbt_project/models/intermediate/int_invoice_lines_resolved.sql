-- Every invoice line as it stands now, in the customer's billing currency, each rounded
-- once to cents (fct_invoice_lines shows it; invoices and statements add it up). A closed
-- month's invoices are shown exactly as issued, from the register (invoice_status
-- 'issued'); an open month's are the drafts the warehouse computes now (int_invoice_lines_
-- drafted: usage, shared costs, labour and contract lines, tax), plus, on the first open
-- month, the prior-period adjustments of the closed months and their interest
-- (charge_type 'ppa' and 'ppa_interest', with the original invoice, period and line).
-- billing_mode says whether the line is invoiced (chargeback) or only shown on a showback
-- statement (showback statements are never issued: they are always drafts). The columns
-- are the invoiced shape of macro invoice_line_shape, then invoice_number and
-- invoice_status.
with

closes as (

    select * from {{ ref('stg_register__period_closes') }}

),

issued as (

    select * from {{ ref('stg_register__issued_invoice_lines') }}

),

drafted as (

    select * from {{ ref('int_invoice_lines_drafted') }}

),

adjustments as (

    select * from {{ ref('int_prior_period_adjustments') }}

),

open_drafts as (

    select drafted.*
    from drafted
    left join closes
        on drafted.billing_month = closes.billing_month
    where closes.billing_month is null or drafted.billing_mode = 'showback'

),

issued_lines as (

    select
        {{ invoice_line_columns('invoiced') }},
        invoice_number,
        cast('issued' as {{ text_type() }}) as invoice_status

    from issued

),

draft_lines as (

    select
        {{ invoice_line_columns('invoiced') }},
        cast(null as {{ text_type() }}) as invoice_number,
        cast('draft' as {{ text_type() }}) as invoice_status

    from open_drafts

    union all

    select
        {{ invoice_line_columns('invoiced') }},
        cast(null as {{ text_type() }}) as invoice_number,
        cast('draft' as {{ text_type() }}) as invoice_status

    from adjustments

),

final as (

    select * from issued_lines
    union all
    select * from draft_lines

)

select * from final
