-- Invoice lines of labour contracts, per customer and month: the fixed monthly fee, and a
-- credit for the included hours used (their rated value, rounded once to cents), so that
-- only the overage hours remain billed. Months are the billing months of the warehouse.
with

contracts as (

    select * from {{ ref('labour_contracts') }}

),

allowances as (

    select * from {{ ref('int_labour_allowances_applied') }}

),

usage_lines as (

    select * from {{ ref('int_usage_lines_aggregated') }}

),

billing_months as (

    select distinct billing_month from usage_lines

),

contract_months as (

    select
        contracts.customer_id,
        billing_months.billing_month,
        contracts.included_hours,
        contracts.monthly_fee,
        contracts.currency

    from contracts
    inner join billing_months
        on
            {{ is_effective('billing_months.billing_month', 'contracts') }}

),

used as (

    select
        customer_id,
        billing_month,
        sum(included_hours_used) as included_hours_used,
        sum(included_amount) as included_amount

    from allowances
    group by customer_id, billing_month

),

fees as (

    select
        customer_id,
        billing_month,
        'labour_contract' as charge_type,
        'Labour contract' as product_name,
        'Monthly fee, ' || cast(included_hours as {{ text_type() }})
        || ' h included' as component_name,
        'LAB-CONTRACT' as sku_id,
        'month' as pricing_unit,
        cast(1 as {{ amount_type() }}) as quantity,
        cast(monthly_fee as {{ amount_type() }}) as unit_price,
        currency,
        cast(monthly_fee as {{ amount_type() }}) as unrounded_amount

    from contract_months

),

credits as (

    select
        contract_months.customer_id,
        contract_months.billing_month,
        'labour_allowance' as charge_type,
        'Labour contract' as product_name,
        'Included hours used' as component_name,
        'LAB-INCLUDED' as sku_id,
        'hour' as pricing_unit,
        cast(used.included_hours_used as {{ amount_type() }}) as quantity,
        cast(null as {{ amount_type() }}) as unit_price,
        contract_months.currency,
        cast(-used.included_amount as {{ amount_type() }}) as unrounded_amount

    from contract_months
    inner join used
        on
            contract_months.customer_id = used.customer_id
            and contract_months.billing_month = used.billing_month
    where used.included_hours_used > 0

),

unioned as (

    select * from fees
    union all
    select * from credits

),

final as (

    select
        {{ text_hash(['customer_id', 'billing_month', 'sku_id']) }} as invoice_line_id,
        customer_id || '-' || {{ month_key('billing_month') }} as invoice_id,
        customer_id,
        billing_month,
        charge_type,
        'Support' as service_category,
        'Service Desk' as service_name,
        product_name,
        component_name,
        sku_id,
        pricing_unit,
        cast(null as {{ text_type() }}) as rate_version,
        unit_price,
        cast(null as decimal(18, 12)) as rate_multiplier,
        cast(null as {{ text_type() }}) as contract_id,
        currency,
        0 as usage_event_count,
        quantity,
        unrounded_amount,
        {{ to_cents('unrounded_amount') }} as line_amount

    from unioned

)

select * from final
