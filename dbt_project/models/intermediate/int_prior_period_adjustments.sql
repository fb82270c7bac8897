-- Prior-period adjustments (PPAs) as invoice lines on the customer's next open invoice:
-- one per line of a closed month whose amount now differs from what was issued
-- (int_closed_invoice_lines_compared), naming the original invoice, its number, period and
-- line, and one interest line per original invoice (int_ppa_interest_computed), rounded
-- once to cents. The columns are the invoiced shape (macro invoice_line_shape).
with

differences as (

    select * from {{ ref('int_closed_invoice_lines_compared') }}

),

interest as (

    select * from {{ ref('int_ppa_interest_computed') }}

),

adjustment_lines as (

    select
        {{ text_hash(["'ppa'", 'original_invoice_line_id', 'billing_month']) }}
            as invoice_line_id,
        customer_id || '-' || {{ month_key('billing_month') }} as invoice_id,
        customer_id,
        billing_month,
        'ppa' as charge_type,
        service_category,
        service_name,
        product_name,
        'PPA ' || coalesce(original_invoice_number, original_invoice_id) || ' ('
        || {{ month_key('original_billing_month') }} || '): ' || component_name as component_name,
        sku_id,
        pricing_unit,
        rate_version,
        unit_price,
        rate_multiplier,
        contract_id,
        cast(0 as bigint) as usage_event_count,
        cast(adjustment_quantity as {{ amount_type() }}) as quantity,
        rate_currency,
        cast(unrounded_difference as {{ amount_type() }}) as unrounded_amount,
        fx_rate,
        fx_rate_date,
        currency,
        cast(adjustment_amount as decimal(18, 2)) as line_amount,
        'chargeback' as billing_mode,
        original_invoice_id,
        original_billing_month,
        original_invoice_line_id

    from differences

),

interest_lines as (

    select
        {{ text_hash(["'ppa_interest'", 'original_invoice_id', 'billing_month']) }}
            as invoice_line_id,
        customer_id || '-' || {{ month_key('billing_month') }} as invoice_id,
        customer_id,
        billing_month,
        'ppa_interest' as charge_type,
        'Prior-period adjustments' as service_category,
        'Prior-period adjustments' as service_name,
        'Interest on the adjustment of ' || coalesce(original_invoice_number, original_invoice_id)
            as product_name,
        cast(annual_interest_rate_percent as {{ text_type() }}) || ' % a year x '
        || cast(interest_days as {{ text_type() }}) || ' days / 365, from '
        || cast(original_due_date as {{ text_type() }}) || ' to '
        || cast(new_invoice_date as {{ text_type() }})
            as component_name,
        'PPA-INTEREST' as sku_id,
        'day' as pricing_unit,
        cast(null as {{ text_type() }}) as rate_version,
        cast(null as {{ amount_type() }}) as unit_price,
        cast(null as decimal(18, 12)) as rate_multiplier,
        cast(null as {{ text_type() }}) as contract_id,
        cast(0 as bigint) as usage_event_count,
        cast(interest_days as {{ amount_type() }}) as quantity,
        currency as rate_currency,
        cast(interest_amount as {{ amount_type() }}) as unrounded_amount,
        cast(1 as decimal(18, 8)) as fx_rate,
        cast(null as date) as fx_rate_date,
        currency,
        {{ to_cents('interest_amount') }} as line_amount,
        'chargeback' as billing_mode,
        original_invoice_id,
        original_billing_month,
        cast(null as {{ text_type() }}) as original_invoice_line_id

    from interest

),

final as (

    select {{ invoice_line_columns('invoiced') }} from adjustment_lines
    union all
    select {{ invoice_line_columns('invoiced') }} from interest_lines

)

select * from final
