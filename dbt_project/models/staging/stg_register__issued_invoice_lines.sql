-- The lines of issued invoices, exactly as issued at the close (the columns of
-- fct_invoice_lines at the time, macro invoice_line_register_columns), with their number.
with

source as (

    select * from {{ source('register', 'issued_invoice_lines') }}

),

final as (

    select
        invoice_line_id,
        invoice_id,
        customer_id,
        billing_month,
        charge_type,
        service_category,
        service_name,
        product_name,
        component_name,
        sku_id,
        pricing_unit,
        rate_version,
        unit_price,
        rate_multiplier,
        contract_id,
        usage_event_count,
        quantity,
        rate_currency,
        unrounded_amount,
        fx_rate,
        fx_rate_date,
        currency,
        line_amount,
        billing_mode,
        original_invoice_id,
        original_billing_month,
        original_invoice_line_id,
        invoice_number

    from source

)

select * from final
