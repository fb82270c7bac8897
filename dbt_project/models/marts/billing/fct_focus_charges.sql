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
        lines.line_amount as {{ adapter.quote('BilledCost') }},
        lines.customer_id as {{ adapter.quote('BillingAccountId') }},
        customers.customer_name as {{ adapter.quote('BillingAccountName') }},
        lines.currency as {{ adapter.quote('BillingCurrency') }},
        cast(lines.billing_month as timestamp) as {{ adapter.quote('BillingPeriodStart') }},
        cast({{ add_months('lines.billing_month', 1) }} as timestamp)
            as {{ adapter.quote('BillingPeriodEnd') }},
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
        end as {{ adapter.quote('ChargeCategory') }},
        case
            when lines.charge_type in ('ppa', 'ppa_interest') then 'Correction'
        end as {{ adapter.quote('ChargeClass') }},
        lines.service_name || ' / ' || lines.product_name || ' / ' || lines.component_name
            as {{ adapter.quote('ChargeDescription') }},
        case when lines.charge_type = 'usage' then 'Usage-Based' else 'Recurring' end
            as {{ adapter.quote('ChargeFrequency') }},
        cast(lines.billing_month as timestamp) as {{ adapter.quote('ChargePeriodStart') }},
        cast({{ add_months('lines.billing_month', 1) }} as timestamp)
            as {{ adapter.quote('ChargePeriodEnd') }},
        {{ to_amount(
            "coalesce(lines.unit_price * lines.quantity, lines.unrounded_amount) * lines.fx_rate"
        ) }}
            as {{ adapter.quote('ContractedCost') }},
        {{ to_amount('lines.unit_price * lines.fx_rate') }}
            as {{ adapter.quote('ContractedUnitPrice') }},
        lines.line_amount as {{ adapter.quote('EffectiveCost') }},
        '{{ var("invoice_issuer_name") }}' as {{ adapter.quote('InvoiceIssuerName') }},
        lines.invoice_id as {{ adapter.quote('InvoiceId') }},
        {{ to_amount(
            "coalesce(lines.unit_price * lines.quantity, lines.unrounded_amount) * lines.fx_rate"
        ) }}
            as {{ adapter.quote('ListCost') }},
        {{ to_amount('lines.unit_price * lines.fx_rate') }} as {{ adapter.quote('ListUnitPrice') }},
        lines.quantity as {{ adapter.quote('PricingQuantity') }},
        lines.pricing_unit as {{ adapter.quote('PricingUnit') }},
        '{{ var("invoice_issuer_name") }}' as {{ adapter.quote('ProviderName') }},
        '{{ var("invoice_issuer_name") }}' as {{ adapter.quote('PublisherName') }},
        case lines.service_category
            when 'Compute' then 'Compute'
            when 'Storage' then 'Storage'
            when 'Network' then 'Networking'
            when 'Shared Services' then 'Management and Governance'
            else 'Other'
        end as {{ adapter.quote('ServiceCategory') }},
        lines.service_name as {{ adapter.quote('ServiceName') }},
        lines.sku_id as {{ adapter.quote('SkuId') }},
        lines.sku_id || coalesce(':' || lines.rate_version, '')
            as {{ adapter.quote('SkuPriceId') }},
        lines.invoice_line_id as {{ adapter.quote('x_InvoiceLineId') }},
        lines.charge_type as {{ adapter.quote('x_ChargeType') }},
        lines.billing_mode as {{ adapter.quote('x_BillingMode') }},
        lines.product_name as {{ adapter.quote('x_ProductName') }},
        lines.component_name as {{ adapter.quote('x_ComponentName') }},
        lines.rate_version as {{ adapter.quote('x_RateVersion') }},
        lines.usage_event_count as {{ adapter.quote('x_UsageEventCount') }},
        lines.contract_id as {{ adapter.quote('x_ContractId') }},
        lines.rate_currency as {{ adapter.quote('x_RateCurrency') }},
        lines.fx_rate as {{ adapter.quote('x_FxRate') }},
        lines.invoice_status as {{ adapter.quote('x_InvoiceStatus') }},
        lines.original_invoice_id as {{ adapter.quote('x_OriginalInvoiceId') }},
        lines.original_billing_month as {{ adapter.quote('x_OriginalBillingMonth') }}

    from lines
    inner join customers
        on lines.customer_id = customers.customer_id

)

select * from final
