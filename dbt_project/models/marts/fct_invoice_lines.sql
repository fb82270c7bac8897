-- Invoice lines: usage lines (one per customer, month, service, product, component, SKU,
-- rate and multiplier; rounded once to cents), shared-cost lines (one per customer, month
-- and pool; split to the cent by largest remainder) and labour-contract lines (the monthly
-- fee, and the credit for the included hours used). Drill down from a usage line with
-- invoice_line_id in fct_rated_usage, from a shared-cost line in fct_shared_cost_allocations.
-- billing_mode says whether the line is invoiced (chargeback) or only shown on a showback
-- statement (seeds/billing_policies.csv; customers without a policy are charged back).
with

usage_lines as (

    select * from {{ ref('int_usage_lines_aggregated') }}

),

allocations as (

    select * from {{ ref('fct_shared_cost_allocations') }}
    where invoice_id is not null

),

labour_contract_lines as (

    select * from {{ ref('int_labour_contract_lines') }}

),

shared_cost_lines as (

    select
        {{ text_hash(['customer_id', 'billing_month', 'pool_id']) }} as invoice_line_id,
        invoice_id,
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
        allocated_amount as line_amount

    from allocations

),

policies as (

    select * from {{ ref('billing_policies') }}

),

unioned as (

    select * from usage_lines
    union all
    select * from shared_cost_lines
    union all
    select * from labour_contract_lines

),

final as (

    select
        unioned.*,
        coalesce(policies.billing_mode, 'chargeback') as billing_mode

    from unioned
    left join policies
        on
            unioned.customer_id = policies.customer_id
            and {{ is_effective('unioned.billing_month', 'policies') }}

)

select * from final
