-- Prior-period adjustments (PPAs). A closed month's invoices never change (the register,
-- macros/close/). When the warehouse now computes a closed month differently (late usage,
-- a corrected rate, a dispute resolved after the close), the difference of each line,
--     recomputed draft - issued - what earlier PPAs already corrected,
-- is billed (or credited) on the customer's next open invoice: the first month after the
-- last closed one. Each PPA line names the original invoice, its number, period and line.
-- Interest (seeds/ppa_terms.csv): simple, at the customer's annual rate, on the invoice's
-- net adjustment, for the actual days from the original due date to the new invoice date,
-- over 365 (actual/365), rounded once to cents; none when the new invoice date is not
-- after the due date, or the customer has no terms. One interest line per original invoice.
with

closes as (

    select * from {{ ref('stg_register__period_closes') }}

),

issued_lines as (

    select * from {{ ref('stg_register__issued_invoice_lines') }}

),

issued_invoices as (

    select * from {{ ref('stg_register__issued_invoices') }}

),

drafted as (

    select * from {{ ref('int_invoice_lines_drafted') }}
    where billing_mode = 'chargeback'

),

customers as (

    select * from {{ ref('customers') }}

),

calendar as (

    select * from {{ ref('billing_calendar') }}

),

ppa_terms as (

    select * from {{ ref('ppa_terms') }}

),

open_period as (

    select {{ add_months('max(billing_month)', 1) }} as billing_month
    from closes
    having count(*) > 0

),

recomputed as (

    select drafted.*
    from drafted
    inner join closes
        on drafted.billing_month = closes.billing_month

),

issued_originals as (

    select * from issued_lines
    where charge_type not in ('ppa', 'ppa_interest')

),

corrections as (

    select
        original_invoice_line_id,
        sum(line_amount) as corrected_amount,
        sum(coalesce(quantity, 0)) as corrected_quantity

    from issued_lines
    where charge_type = 'ppa'
    group by original_invoice_line_id

),

compared as (

    select
        coalesce(recomputed.invoice_line_id, issued_originals.invoice_line_id)
            as original_invoice_line_id,
        coalesce(recomputed.invoice_id, issued_originals.invoice_id) as original_invoice_id,
        coalesce(recomputed.customer_id, issued_originals.customer_id) as customer_id,
        coalesce(recomputed.billing_month, issued_originals.billing_month)
            as original_billing_month,
        coalesce(recomputed.service_category, issued_originals.service_category)
            as service_category,
        coalesce(recomputed.service_name, issued_originals.service_name) as service_name,
        coalesce(recomputed.product_name, issued_originals.product_name) as product_name,
        coalesce(recomputed.component_name, issued_originals.component_name) as component_name,
        coalesce(recomputed.sku_id, issued_originals.sku_id) as sku_id,
        coalesce(recomputed.pricing_unit, issued_originals.pricing_unit) as pricing_unit,
        coalesce(recomputed.rate_version, issued_originals.rate_version) as rate_version,
        coalesce(recomputed.unit_price, issued_originals.unit_price) as unit_price,
        coalesce(recomputed.rate_multiplier, issued_originals.rate_multiplier) as rate_multiplier,
        coalesce(recomputed.contract_id, issued_originals.contract_id) as contract_id,
        coalesce(recomputed.rate_currency, issued_originals.rate_currency) as rate_currency,
        coalesce(recomputed.fx_rate, issued_originals.fx_rate) as fx_rate,
        coalesce(recomputed.fx_rate_date, issued_originals.fx_rate_date) as fx_rate_date,
        coalesce(recomputed.currency, issued_originals.currency) as currency,
        coalesce(recomputed.quantity, 0) - coalesce(issued_originals.quantity, 0)
        - coalesce(corrections.corrected_quantity, 0) as adjustment_quantity,
        coalesce(recomputed.unrounded_amount, 0) - coalesce(issued_originals.unrounded_amount, 0)
            as unrounded_difference,
        coalesce(recomputed.line_amount, 0) - coalesce(issued_originals.line_amount, 0)
        - coalesce(corrections.corrected_amount, 0) as adjustment_amount

    from recomputed
    full outer join issued_originals
        on recomputed.invoice_line_id = issued_originals.invoice_line_id
    left join corrections
        on
            coalesce(recomputed.invoice_line_id, issued_originals.invoice_line_id)
            = corrections.original_invoice_line_id

),

adjustments as (

    select
        compared.*,
        open_period.billing_month,
        issued_invoices.invoice_number as original_invoice_number,
        issued_invoices.due_date as original_due_date

    from compared
    cross join open_period
    left join issued_invoices
        on compared.original_invoice_id = issued_invoices.invoice_id
    where compared.adjustment_amount <> 0

),

dated as (

    select
        adjustments.*,
        cast(
            {{ add_months('adjustments.billing_month', 1) }} + (calendar.invoice_day - 1) as date
        ) as new_invoice_date,
        ppa_terms.annual_interest_rate_percent

    from adjustments
    inner join customers
        on adjustments.customer_id = customers.customer_id
    inner join calendar
        on customers.issuing_entity_id = calendar.issuing_entity_id
    left join ppa_terms
        on
            adjustments.customer_id = ppa_terms.customer_id
            and {{ is_effective(
                add_months('adjustments.billing_month', 1), 'ppa_terms'
            ) }}

),

per_invoice as (

    select
        customer_id,
        billing_month,
        original_invoice_id,
        original_invoice_number,
        original_billing_month,
        original_due_date,
        new_invoice_date,
        annual_interest_rate_percent,
        currency,
        sum(adjustment_amount) as adjustment_amount,
        new_invoice_date - original_due_date as interest_days

    from dated
    group by
        customer_id,
        billing_month,
        original_invoice_id,
        original_invoice_number,
        original_billing_month,
        original_due_date,
        new_invoice_date,
        annual_interest_rate_percent,
        currency

),

interest as (

    select
        *,
        case when adjustment_amount < 0 then -1 else 1 end
        * {{ divide_amount(
            'abs(adjustment_amount) * annual_interest_rate_percent * 0.01 * interest_days', '365'
        ) }} as interest_amount

    from per_invoice
    where
        annual_interest_rate_percent > 0
        and interest_days > 0
        and adjustment_amount <> 0

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

    from dated

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
        cast(annual_interest_rate_percent as varchar) || ' % a year x '
        || cast(interest_days as varchar) || ' days / 365, from '
        || cast(original_due_date as varchar) || ' to ' || cast(new_invoice_date as varchar)
            as component_name,
        'PPA-INTEREST' as sku_id,
        'day' as pricing_unit,
        cast(null as varchar) as rate_version,
        cast(null as {{ amount_type() }}) as unit_price,
        cast(null as decimal(18, 12)) as rate_multiplier,
        cast(null as varchar) as contract_id,
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
        cast(null as varchar) as original_invoice_line_id

    from interest

),

final as (

    select {{ invoice_line_columns('invoiced') }} from adjustment_lines
    union all
    select {{ invoice_line_columns('invoiced') }} from interest_lines

)

select * from final
