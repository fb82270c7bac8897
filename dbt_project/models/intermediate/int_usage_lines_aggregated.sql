-- Usage invoice lines: one per customer, month, service, product, component, SKU and price.
-- The line amount is the sum of the unrounded rated amounts, rounded once to cents here
-- (half away from zero, macro to_cents). Drill down with invoice_line_id in fct_rated_usage.
with

rated as (

    select * from {{ ref('int_usage_events_rated') }}
    where rating_status = 'rated'

),

lines as (

    select
        invoice_line_id,
        invoice_id,
        customer_id,
        billing_month,
        'usage' as charge_type,
        service_category,
        service_name,
        product_name,
        component_name,
        sku_id,
        billed_unit as pricing_unit,
        rate_version,
        unit_price,
        rate_multiplier,
        currency,
        count(*) as usage_event_count,
        sum(billed_quantity) as quantity,
        sum(rated_amount) as unrounded_amount

    from rated
    group by
        invoice_line_id,
        invoice_id,
        customer_id,
        billing_month,
        service_category,
        service_name,
        product_name,
        component_name,
        sku_id,
        billed_unit,
        rate_version,
        unit_price,
        rate_multiplier,
        currency

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
        cast(null as {{ text_type() }}) as contract_id,
        currency,
        usage_event_count,
        quantity,
        unrounded_amount,
        {{ to_cents('unrounded_amount') }} as line_amount

    from lines

)

select * from final
