-- Every invoice line before spend discounts, commitments, currency and tax, in the rate
-- card's currency and unrounded: usage lines at the rate card (list) price, shared-cost
-- lines (split to the cent by largest remainder), labour-contract lines, and the contract
-- lines of each billing model (subscriptions, tier adjustments, hybrid fees and
-- allowances, bundle discounts). contract_id says which contract a line comes from.
-- Every line is taken by name in the priced shape (macro invoice_line_shape).
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
        cast(null as {{ text_type() }}) as rate_version,
        cast(null as {{ amount_type() }}) as unit_price,
        cast(null as decimal(18, 12)) as rate_multiplier,
        currency,
        0 as usage_event_count,
        cast(null as {{ amount_type() }}) as quantity,
        cast(allocated_amount as {{ amount_type() }}) as unrounded_amount,
        cast(null as {{ text_type() }}) as contract_id

    from allocations

),

final as (

    select {{ invoice_line_columns('priced') }} from usage_lines
    union all
    select {{ invoice_line_columns('priced') }} from labour_contract_lines
    union all
    select {{ invoice_line_columns('priced') }} from shared_cost_lines
    union all
    select {{ invoice_line_columns('priced') }} from subscription_lines
    union all
    select {{ invoice_line_columns('priced') }} from tier_lines
    union all
    select {{ invoice_line_columns('priced') }} from hybrid_lines
    union all
    select {{ invoice_line_columns('priced') }} from bundle_lines

)

select * from final
