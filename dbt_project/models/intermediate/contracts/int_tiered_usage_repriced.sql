-- Tiered pricing (seeds/contracts.csv, billing_model tiered_graduated or tiered_volume, one
-- SKU each; the tiers are in seeds/contract_tiers.csv). The customer's usage lines of the
-- SKU stay on the invoice at the rate card (list) price, so every line still drills down to
-- its events; one contract line per month then brings them to the tiered price:
--     adjustment = tiered amount - list amount of the month's quantity.
-- A tier covers the quantities above its lower bound up to and including its upper bound
-- (no upper bound: everything above).
--   graduated: each tier prices the part of the quantity that falls in it;
--   volume:    the whole quantity is priced at the tier it reaches.
with

contracts as (

    select * from {{ ref('contracts') }}
    where
        billing_model in ('tiered_graduated', 'tiered_volume')
        and {{ is_approved() }}

),

tiers as (

    select * from {{ ref('contract_tiers') }}

),

usage_lines as (

    select * from {{ ref('int_usage_lines_aggregated') }}

),

monthly_usage as (

    select
        customer_id,
        billing_month,
        sku_id,
        service_category,
        service_name,
        product_name,
        pricing_unit,
        currency,
        sum(quantity) as quantity,
        sum(unrounded_amount) as list_amount

    from usage_lines
    group by
        customer_id,
        billing_month,
        sku_id,
        service_category,
        service_name,
        product_name,
        pricing_unit,
        currency

),

contracted as (

    select
        monthly_usage.*,
        contracts.contract_id,
        contracts.billing_model

    from monthly_usage
    inner join contracts
        on
            monthly_usage.customer_id = contracts.customer_id
            and monthly_usage.sku_id = contracts.sku_id
            and {{ is_effective('monthly_usage.billing_month', 'contracts') }}

),

banded as (

    select
        contracted.*,
        tiers.tier_number,
        tiers.unit_price as tier_unit_price,
        case
            when contracted.billing_model = 'tiered_graduated'
                then greatest(
                    0,
                    least(contracted.quantity, coalesce(tiers.upper_bound, contracted.quantity))
                    - tiers.lower_bound
                )
            when
                (contracted.quantity > tiers.lower_bound or tiers.lower_bound = 0)
                and (tiers.upper_bound is null or contracted.quantity <= tiers.upper_bound)
                then contracted.quantity
            else 0
        end as tier_quantity

    from contracted
    inner join tiers
        on contracted.contract_id = tiers.contract_id

),

repriced as (

    select
        contract_id,
        billing_model,
        customer_id,
        billing_month,
        sku_id,
        service_category,
        service_name,
        product_name,
        pricing_unit,
        currency,
        quantity,
        list_amount,
        count(case when tier_quantity > 0 then 1 end) as tiers_used,
        max(case when tier_quantity > 0 then tier_number end) as top_tier,
        sum({{ to_amount('tier_quantity * tier_unit_price') }}) as tiered_amount

    from banded
    group by
        contract_id,
        billing_model,
        customer_id,
        billing_month,
        sku_id,
        service_category,
        service_name,
        product_name,
        pricing_unit,
        currency,
        quantity,
        list_amount

),

final as (

    select
        {{ text_hash(['contract_id', 'billing_month', "'tier'"]) }} as invoice_line_id,
        customer_id || '-' || {{ month_key('billing_month') }} as invoice_id,
        customer_id,
        billing_month,
        'tier_adjustment' as charge_type,
        service_category,
        service_name,
        product_name,
        case billing_model
            when 'tiered_graduated'
                then
                    'Graduated tier pricing over ' || cast(tiers_used as {{ text_type() }})
                    || ' tier(s)'
            else 'Volume tier pricing at tier ' || cast(top_tier as {{ text_type() }})
        end as component_name,
        sku_id,
        pricing_unit,
        cast(null as {{ text_type() }}) as rate_version,
        cast(null as {{ amount_type() }}) as unit_price,
        cast(null as decimal(18, 12)) as rate_multiplier,
        currency,
        0 as usage_event_count,
        cast(quantity as {{ amount_type() }}) as quantity,
        {{ to_amount('tiered_amount - list_amount') }} as unrounded_amount,
        contract_id

    from repriced

)

select * from final
