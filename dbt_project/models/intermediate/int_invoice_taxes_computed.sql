-- Tax lines of chargeback invoices. The customer's tax code (seeds/customers.csv) gives the
-- rate in force on the last day of the billing month (seeds/tax_codes.csv). Tax is
-- computed on the invoice's net total (the sum of its rounded lines), once per invoice and
-- rate, and rounded to cents half away from zero (docs/rounding.md): so the tax printed is
-- exactly the rate x the base printed. Exempt customers (rate 0) get no tax line; their
-- invoice carries the exemption mention instead (fct_invoices.tax_mention). Showback
-- statements are not billed and carry no tax.
with

converted as (

    select * from {{ ref('int_invoice_lines_converted') }}

),

manual_adjustments as (

    select * from {{ ref('int_manual_adjustments_applied') }}

),

service_credits as (

    select * from {{ ref('int_service_credits_applied') }}

),

lines as (

    select {{ invoice_line_columns('billed') }} from converted
    where billing_mode = 'chargeback'

    union all

    select {{ invoice_line_columns('billed') }} from manual_adjustments
    where billing_mode = 'chargeback'

    union all

    select {{ invoice_line_columns('billed') }} from service_credits
    where billing_mode = 'chargeback'

),

customers as (

    select * from {{ ref('customers') }}

),

tax_codes as (

    select * from {{ ref('tax_codes') }}

),

invoices as (

    select
        invoice_id,
        customer_id,
        billing_month,
        currency,
        sum(line_amount) as net_amount

    from lines
    group by invoice_id, customer_id, billing_month, currency

),

taxed as (

    select
        invoices.*,
        tax_codes.tax_code,
        tax_codes.tax_name,
        tax_codes.rate_percent,
        tax_codes.invoice_mention

    from invoices
    inner join customers
        on invoices.customer_id = customers.customer_id
    inner join tax_codes
        on
            customers.tax_code = tax_codes.tax_code
            and {{ is_effective(month_end('invoices.billing_month'), 'tax_codes') }}
    where tax_codes.rate_percent > 0

),

final as (

    select
        {{ text_hash(['invoice_id', "'tax'", 'tax_code']) }} as invoice_line_id,
        invoice_id,
        customer_id,
        billing_month,
        'tax' as charge_type,
        'Tax' as service_category,
        tax_name as service_name,
        tax_name || ' ' || cast(rate_percent as {{ text_type() }}) || ' %' as product_name,
        invoice_mention as component_name,
        tax_code as sku_id,
        'taxable base' as pricing_unit,
        cast(null as {{ text_type() }}) as rate_version,
        {{ to_amount('rate_percent * 0.01') }} as unit_price,
        cast(null as decimal(18, 12)) as rate_multiplier,
        cast(null as {{ text_type() }}) as contract_id,
        0 as usage_event_count,
        cast(net_amount as {{ amount_type() }}) as quantity,
        currency as rate_currency,
        {{ percent_of('net_amount', 'rate_percent') }} as unrounded_amount,
        cast(1 as decimal(18, 8)) as fx_rate,
        cast(null as date) as fx_rate_date,
        currency,
        {{ to_cents(percent_of('net_amount', 'rate_percent')) }} as line_amount,
        'chargeback' as billing_mode

    from taxed

)

select * from final
