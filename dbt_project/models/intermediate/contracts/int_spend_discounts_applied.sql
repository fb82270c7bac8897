-- Discount tiers (seeds/contracts.csv, billing_model = 'discount_tiers'; the tiers are in
-- seeds/contract_tiers.csv with a discount_percent each). The month's spend in scope (every
-- line of the customer's month except shared costs, or only the contract's
-- service_category when it names one) reaches a tier, and the whole spend gets that tier's
-- discount, as one credit line. A tier covers spend above its lower bound up to and
-- including its upper bound.
with

contracts as (

    select * from {{ ref('contracts') }}
    where billing_model = 'discount_tiers' and {{ is_approved() }}

),

tiers as (

    select * from {{ ref('contract_tiers') }}

),

lines as (

    select * from {{ ref('int_invoice_lines_unioned') }}
    where charge_type <> 'shared_cost'

),

spend as (

    select
        contracts.contract_id,
        contracts.customer_id,
        contracts.service_category,
        contracts.currency,
        lines.billing_month,
        sum(lines.unrounded_amount) as spend_amount

    from lines
    inner join contracts
        on
            lines.customer_id = contracts.customer_id
            and {{ is_effective('lines.billing_month', 'contracts') }}
            and (
                contracts.service_category is null
                or lines.service_category = contracts.service_category
            )
    group by
        contracts.contract_id,
        contracts.customer_id,
        contracts.service_category,
        contracts.currency,
        lines.billing_month

),

reached as (

    select
        spend.*,
        tiers.tier_number,
        tiers.discount_percent

    from spend
    inner join tiers
        on
            spend.contract_id = tiers.contract_id
            and (spend.spend_amount > tiers.lower_bound or tiers.lower_bound = 0)
            and (tiers.upper_bound is null or spend.spend_amount <= tiers.upper_bound)
    where tiers.discount_percent > 0

),

final as (

    select
        {{ text_hash(['contract_id', 'billing_month', "'spend_discount'"]) }} as invoice_line_id,
        customer_id || '-' || {{ month_key('billing_month') }} as invoice_id,
        customer_id,
        billing_month,
        'spend_discount' as charge_type,
        coalesce(service_category, 'Contract Adjustments') as service_category,
        'Contract discounts' as service_name,
        'Spend discount tier ' || cast(tier_number as {{ text_type() }}) as product_name,
        cast(discount_percent as {{ text_type() }}) || ' % of the month''s spend' as component_name,
        contract_id as sku_id,
        'spend' as pricing_unit,
        cast(null as {{ text_type() }}) as rate_version,
        cast(null as {{ amount_type() }}) as unit_price,
        cast(null as decimal(18, 12)) as rate_multiplier,
        currency,
        0 as usage_event_count,
        cast(spend_amount as {{ amount_type() }}) as quantity,
        {{ percent_of('-spend_amount', 'discount_percent') }} as unrounded_amount,
        contract_id

    from reached

)

select * from final
