{{ config(meta={'dagster': {'ref': {'name': 'fct_focus_charges'}}}) }}
-- FOCUS rule: the BilledCost of an invoice's rows adds up to the invoice's payable amount;
-- and ChargeCategory is one of the FOCUS values.
with

focus as (

    select
        {{ adapter.quote('InvoiceId') }} as invoice_id,
        sum({{ adapter.quote('BilledCost') }}) as billed_cost,
        sum(
            case
                when
                    {{ adapter.quote('ChargeCategory') }}
                    in ('Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment')
                    then 0
                else 1
            end
        ) as bad_categories

    from {{ ref('fct_focus_charges') }}
    where {{ adapter.quote('x_BillingMode') }} = 'chargeback'
    group by {{ adapter.quote('InvoiceId') }}

)

select
    focus.invoice_id,
    focus.billed_cost,
    invoices.total_amount,
    focus.bad_categories

from focus
full outer join {{ ref('fct_invoices') }} as invoices
    on focus.invoice_id = invoices.invoice_id
where
    focus.invoice_id is null
    or invoices.invoice_id is null
    or focus.billed_cost <> invoices.total_amount
    or focus.bad_categories > 0
