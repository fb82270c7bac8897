{{ config(post_hook=["{{ lookup_index(['invoice_id']) }}"]) }}
-- Invoice lines, in the customer's billing currency, each rounded once to cents: a closed
-- month's exactly as issued (from the register), an open month's as drafts with the
-- prior-period adjustments of the closed months (int_invoice_lines_resolved). The columns
-- are the invoiced shape of macro invoice_line_shape, then invoice_number and
-- invoice_status, under an enforced contract.
with

lines as (

    select * from {{ ref('int_invoice_lines_resolved') }}

),

final as (

    select
        {{ invoice_line_columns('invoiced') }},
        invoice_number,
        invoice_status

    from lines

)

select * from final
