-- Every invoice line before spend discounts, commitments, currency and tax, in the rate
-- card's currency and unrounded: usage lines at the rate card (list) price, shared-cost
-- lines (split to the cent by largest remainder), labour-contract lines, and the contract
-- lines of each billing model (subscriptions, tier adjustments, hybrid fees and
-- allowances, bundle discounts). contract_id says which contract a line comes from.
with

usage_lines as (

    select * from {{ ref('int_usage_lines_aggregated') }}

),

allocations as (

    select * from {{ ref('int_shared_costs_allocated') }}
    where customer_id <> '{{ var("unallocated_customer_id") }}'

),

labour_contract_lines as (

    select * from {{ ref('int_labour_contract_lines') }}

),

subscription_lines as (

    select * from {{ ref('int_subscription_fees_prorated') }}

),

tier_lines as (

    select * from {{ ref('int_tiered_usage_repriced') }}

),

hybrid_lines as (

    select * from {{ ref('int_hybrid_allowances_applied') }}

),

bundle_lines as (

    select * from {{ ref('int_bundle_discounts_applied') }}

),

shared_cost_lines as (

    select
        {{ text_hash(['customer_id', 'billing_month', 'pool_id']) }} as invoice_line_id,
        customer_id || '-' || {{ month_key('billing_month') }} as invoice_id,
        customer_id,
        billing_month,
        'shared_cost' as charge_type,
        'Shared Services' as service_category,
        'Shared services' as service_name,
        pool_name as product_name,
        'Allocated: ' || allocation_method
        || coalesce(' by ' || driver, '') as component_name,
        pool_id as sku_id,
        'allocation' as pricing_unit,
        cast(null as varchar) as rate_version,
        cast(null as {{ amount_type() }}) as unit_price,
        cast(null as decimal(18, 12)) as rate_multiplier,
        currency,
        0 as usage_event_count,
        cast(null as {{ amount_type() }}) as quantity,
        cast(allocated_amount as {{ amount_type() }}) as unrounded_amount,
        cast(null as varchar) as contract_id

    from allocations

),

direct_lines as (

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
        currency,
        usage_event_count,
        quantity,
        unrounded_amount,
        cast(null as varchar) as contract_id

    from usage_lines

    union all

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
        currency,
        usage_event_count,
        quantity,
        unrounded_amount,
        cast(null as varchar) as contract_id

    from labour_contract_lines

),

final as (

    select * from direct_lines
    union all
    select * from shared_cost_lines
    union all
    select * from subscription_lines
    union all
    select * from tier_lines
    union all
    select * from hybrid_lines
    union all
    select * from bundle_lines

)

select * from final
