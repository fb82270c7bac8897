-- Hybrid contracts (seeds/contracts.csv, billing_model = 'hybrid', one SKU each): a fixed
-- monthly fee that includes a quantity of the SKU; usage above it is billed at the rate
-- card. Like the service-desk allowance, the month's rated events of the SKU are taken in
-- order (charge date, file, record); the included quantity is credited back at the price
-- each event was rated at, so only the overage stays billed. Two lines a month: the fee,
-- and the credit for the included quantity used.
with

contracts as (

    select * from {{ ref('contracts') }}
    where billing_model = 'hybrid' and {{ is_approved() }}

),

skus as (

    select * from {{ ref('sku_catalog') }}

),

rated as (

    select * from {{ ref('int_usage_events_rated') }}
    where rating_status = 'rated'

),

usage_lines as (

    select * from {{ ref('int_usage_lines_aggregated') }}

),

billing_months as (

    select distinct billing_month from usage_lines

),

contract_months as (

    select
        contracts.contract_id,
        contracts.customer_id,
        contracts.sku_id,
        contracts.monthly_fee,
        contracts.included_quantity,
        contracts.currency,
        billing_months.billing_month

    from contracts
    inner join billing_months
        on {{ is_effective('billing_months.billing_month', 'contracts') }}

),

events as (

    select
        contract_months.contract_id,
        contract_months.billing_month,
        contract_months.included_quantity,
        rated.billed_quantity,
        rated.unit_price,
        rated.rate_multiplier,
        sum(rated.billed_quantity) over (
            partition by contract_months.contract_id, contract_months.billing_month
            order by rated.charge_date, rated.source_file, rated.source_row
            rows between unbounded preceding and current row
        ) as quantity_to_date

    from contract_months
    inner join rated
        on
            contract_months.customer_id = rated.customer_id
            and contract_months.sku_id = rated.sku_id
            and contract_months.billing_month = rated.billing_month

),

included as (

    select
        contract_id,
        billing_month,
        unit_price,
        rate_multiplier,
        greatest(
            0,
            least(billed_quantity, included_quantity - (quantity_to_date - billed_quantity))
        ) as included_used

    from events

),

used as (

    select
        contract_id,
        billing_month,
        sum(included_used) as included_used,
        sum(
            {{ to_amount(to_amount('included_used * unit_price') ~ ' * rate_multiplier') }}
        ) as included_amount

    from included
    group by contract_id, billing_month

),

fees as (

    select
        contract_id,
        customer_id,
        billing_month,
        sku_id,
        currency,
        'hybrid_fee' as charge_type,
        'Monthly fee, ' || cast(included_quantity as {{ text_type() }})
        || ' included' as component_name,
        'month' as pricing_unit,
        cast(1 as {{ amount_type() }}) as quantity,
        cast(monthly_fee as {{ amount_type() }}) as unit_price,
        cast(monthly_fee as {{ amount_type() }}) as unrounded_amount

    from contract_months

),

credits as (

    select
        contract_months.contract_id,
        contract_months.customer_id,
        contract_months.billing_month,
        contract_months.sku_id,
        contract_months.currency,
        'hybrid_allowance' as charge_type,
        'Included quantity used' as component_name,
        skus.pricing_unit,
        cast(used.included_used as {{ amount_type() }}) as quantity,
        cast(null as {{ amount_type() }}) as unit_price,
        cast(-used.included_amount as {{ amount_type() }}) as unrounded_amount

    from contract_months
    inner join used
        on
            contract_months.contract_id = used.contract_id
            and contract_months.billing_month = used.billing_month
    inner join skus
        on contract_months.sku_id = skus.sku_id
    where used.included_used > 0

),

unioned as (

    select * from fees
    union all
    select * from credits

),

final as (

    select
        {{ text_hash(['unioned.contract_id', 'unioned.billing_month', 'unioned.charge_type']) }}
            as invoice_line_id,
        unioned.customer_id || '-' || {{ month_key('unioned.billing_month') }} as invoice_id,
        unioned.customer_id,
        unioned.billing_month,
        unioned.charge_type,
        skus.service_category,
        skus.service_name,
        skus.product_name,
        unioned.component_name,
        unioned.sku_id,
        unioned.pricing_unit,
        cast(null as {{ text_type() }}) as rate_version,
        unioned.unit_price,
        cast(null as decimal(18, 12)) as rate_multiplier,
        unioned.currency,
        0 as usage_event_count,
        unioned.quantity,
        unioned.unrounded_amount,
        unioned.contract_id

    from unioned
    inner join skus
        on unioned.sku_id = skus.sku_id

)

select * from final
