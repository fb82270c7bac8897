-- Invoice lines, in the customer's billing currency, each rounded once to cents:
--   usage            one per customer, month, service, product, component, SKU, rate and
--                    multiplier, at the rate card (list) price; drill down with
--                    invoice_line_id in fct_rated_usage;
--   shared_cost      one per customer, month and pool, split to the cent by largest
--                    remainder; drill down in fct_shared_cost_allocations;
--   labour_contract, labour_allowance   the service-desk fee and included hours;
--   subscription, tier_adjustment, hybrid_fee, hybrid_allowance, bundle_discount,
--   spend_discount, commitment_true_up   the contract lines of each billing model
--                    (contract_id, seeds/contracts.csv);
--   tax              one per chargeback invoice and tax rate, on the invoice's net total.
-- billing_mode says whether the line is invoiced (chargeback) or only shown on a showback
-- statement (seeds/billing_policies.csv; customers without a policy are charged back).
with

lines as (

    select * from {{ ref('int_invoice_lines_converted') }}

),

tax_lines as (

    select * from {{ ref('int_invoice_taxes_computed') }}

),

final as (

    select * from lines
    union all
    select * from tax_lines

)

select * from final
