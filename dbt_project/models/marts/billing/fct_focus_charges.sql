-- Prior-period adjustments carry ChargeClass 'Correction' (FOCUS: a row that corrects a
-- previously invoiced period) and name the original invoice and period in x_ columns.
-- What we bill, as FOCUS 1.2 rows, so other FinOps tools can read it: one row per invoice
-- or showback line. FOCUS columns keep their names (quoted, PascalCase); our own columns
-- follow them with an x_ prefix. BilledCost is the rounded line amount, so the BilledCost
-- of an invoice's rows adds up to the invoice total (tested); ListCost and ContractedCost
-- are ListUnitPrice x PricingQuantity, held to 12 decimals (to_amount) like every amount,
-- in the billing currency (unit prices x fx_rate; x_RateCurrency and x_FxRate say from what).
with

lines as (

    select * from {{ ref('fct_invoice_lines') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

final as (

    select
        lines.line_amount as "BilledCost",
        lines.customer_id as "BillingAccountId",
        customers.customer_name as "BillingAccountName",
        lines.currency as "BillingCurrency",
        cast(lines.billing_month as timestamp) as "BillingPeriodStart",
        cast({{ add_months('lines.billing_month', 1) }} as timestamp) as "BillingPeriodEnd",
        case
            when lines.charge_type = 'usage' and lines.service_category = 'Public Cloud'
                then lines.component_name
            when lines.charge_type = 'tax' then 'Tax'
            when lines.charge_type in ('ppa', 'ppa_interest') then 'Adjustment'
            when lines.charge_type in ('subscription', 'labour_contract', 'hybrid_fee')
                then 'Purchase'
            when
                lines.charge_type in (
                    'labour_allowance', 'hybrid_allowance', 'bundle_discount', 'spend_discount',
                    'credit', 'sla_credit', 'dispute_credit'
                )
                then 'Credit'
            when
                lines.charge_type in (
                    'tier_adjustment', 'commitment_true_up', 'deferral', 'activity_cancellation',
                    'dispute_rebill'
                )
                then 'Adjustment'
            else 'Usage'
        end as "ChargeCategory",
        case
            when lines.charge_type in ('ppa', 'ppa_interest') then 'Correction'
        end as "ChargeClass",
        lines.service_name || ' / ' || lines.product_name || ' / ' || lines.component_name
            as "ChargeDescription",
        case when lines.charge_type = 'usage' then 'Usage-Based' else 'Recurring' end
            as "ChargeFrequency",
        cast(lines.billing_month as timestamp) as "ChargePeriodStart",
        cast({{ add_months('lines.billing_month', 1) }} as timestamp) as "ChargePeriodEnd",
        {{ to_amount(
            "coalesce(lines.unit_price * lines.quantity, lines.unrounded_amount) * lines.fx_rate"
        ) }}
            as "ContractedCost",
        {{ to_amount('lines.unit_price * lines.fx_rate') }} as "ContractedUnitPrice",
        lines.line_amount as "EffectiveCost",
        '{{ var("invoice_issuer_name") }}' as "InvoiceIssuerName",
        lines.invoice_id as "InvoiceId",
        {{ to_amount(
            "coalesce(lines.unit_price * lines.quantity, lines.unrounded_amount) * lines.fx_rate"
        ) }}
            as "ListCost",
        {{ to_amount('lines.unit_price * lines.fx_rate') }} as "ListUnitPrice",
        lines.quantity as "PricingQuantity",
        lines.pricing_unit as "PricingUnit",
        '{{ var("invoice_issuer_name") }}' as "ProviderName",
        '{{ var("invoice_issuer_name") }}' as "PublisherName",
        case lines.service_category
            when 'Compute' then 'Compute'
            when 'Storage' then 'Storage'
            when 'Network' then 'Networking'
            when 'Shared Services' then 'Management and Governance'
            else 'Other'
        end as "ServiceCategory",
        lines.service_name as "ServiceName",
        lines.sku_id as "SkuId",
        lines.sku_id || coalesce(':' || lines.rate_version, '') as "SkuPriceId",
        lines.invoice_line_id as "x_InvoiceLineId",
        lines.charge_type as "x_ChargeType",
        lines.billing_mode as "x_BillingMode",
        lines.product_name as "x_ProductName",
        lines.component_name as "x_ComponentName",
        lines.rate_version as "x_RateVersion",
        lines.usage_event_count as "x_UsageEventCount",
        lines.contract_id as "x_ContractId",
        lines.rate_currency as "x_RateCurrency",
        lines.fx_rate as "x_FxRate",
        lines.invoice_status as "x_InvoiceStatus",
        lines.original_invoice_id as "x_OriginalInvoiceId",
        lines.original_billing_month as "x_OriginalBillingMonth"

    from lines
    inner join customers
        on lines.customer_id = customers.customer_id

)

select * from final
