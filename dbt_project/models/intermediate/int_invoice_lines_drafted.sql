-- Draft invoice lines of every month, as the warehouse computes them now from the landed
-- usage and the rules in force, in the customer's billing currency, each rounded once:
--   usage            one per customer, month, service, product, component, SKU, rate and
--                    multiplier, at the rate card (list) price;
--   shared_cost      one per customer, month and pool, split to the cent;
--   labour_contract, labour_allowance   the service-desk fee and included hours;
--   subscription, tier_adjustment, hybrid_fee, hybrid_allowance, bundle_discount,
--   spend_discount, commitment_true_up   the contract lines of each billing model;
--   deferral, activity_cancellation, credit   a service manager's adjustments before
--                    the invoice, and approved dispute outcomes, dispute_credit and
--                    dispute_rebill (int_manual_adjustments_applied);
--   sla_credit       SLA service credits (int_service_credits_applied);
--   tax              one per chargeback invoice and tax rate, on the invoice's net total.
-- A closed month's invoices are not these drafts but the register's copy (fct_invoice_lines);
-- where a draft of a closed month now differs, int_prior_period_adjustments bills the
-- difference on the next open invoice.
with

lines as (

    select * from {{ ref('int_invoice_lines_converted') }}

),

manual_adjustments as (

    select * from {{ ref('int_manual_adjustments_applied') }}

),

service_credits as (

    select * from {{ ref('int_service_credits_applied') }}

),

tax_lines as (

    select * from {{ ref('int_invoice_taxes_computed') }}

),

unioned as (

    select {{ invoice_line_columns('billed') }} from lines
    union all
    select {{ invoice_line_columns('billed') }} from manual_adjustments
    union all
    select {{ invoice_line_columns('billed') }} from service_credits
    union all
    select {{ invoice_line_columns('billed') }} from tax_lines

),

final as (

    select
        *,
        cast(null as {{ text_type() }}) as original_invoice_id,
        cast(null as date) as original_billing_month,
        cast(null as {{ text_type() }}) as original_invoice_line_id

    from unioned

)

select * from final
