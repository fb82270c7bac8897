-- The lines of issued invoices, exactly as issued at the close (the invoiced shape of
-- macro invoice_line_shape, which the register table is created with), with their number.
with

source as (

    select * from {{ source('register', 'issued_invoice_lines') }}

),

final as (

    select
        {{ invoice_line_columns('invoiced') }},
        invoice_number

    from source

)

select * from final
