-- The lines of closed months, compared with what was issued. A closed month's invoices
-- never change (the register, macros/close/). When the warehouse now computes a closed
-- month differently (late usage, a corrected rate, a dispute resolved after the close), the
-- difference of each line,
--     recomputed draft - issued - what earlier PPAs already corrected,
-- is to be billed (or credited) on the customer's next open invoice: the first month after
-- the last closed one (int_prior_period_adjustments). One row per line with a difference,
-- with the original invoice, its number, period and due date, the new invoice's date and the
-- customer's interest terms (seeds/ppa_terms.csv) in force then.
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

final as (

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

)

select * from final
