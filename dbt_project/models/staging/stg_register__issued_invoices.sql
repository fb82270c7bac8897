-- Issued invoices, exactly as issued at the close, with their gapless numbers.
with

source as (

    select * from {{ source('register', 'issued_invoices') }}

),

final as (

    select
        invoice_number,
        sequence_number,
        invoice_id,
        issuing_entity_id,
        customer_id,
        customer_name,
        billing_month,
        currency,
        line_count,
        usage_event_count,
        net_amount,
        tax_amount,
        total_amount,
        fx_rate_date,
        issuer_legal_name,
        tax_code,
        tax_rate_percent,
        tax_mention,
        customer_vat_number,
        payment_terms_days,
        legal_mentions,
        invoice_date,
        due_date,
        closed_at,
        closed_by

    from source

)

select * from final
