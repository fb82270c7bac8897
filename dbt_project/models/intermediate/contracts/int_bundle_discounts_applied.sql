-- Service bundles (seeds/contracts.csv, billing_model = 'bundle'; the bundled SKUs are in
-- seeds/contract_bundle_skus.csv). In a month the customer uses every service of the
-- bundle, each of them is discounted by the bundle's discount_percent of its list amount
-- (usage at the rate card, and subscription fees). The discount is one line per bundled
-- SKU, under that SKU's service, so the profitability of each service stays visible. A
-- month without all of the bundle's services gets no discount.
with

contracts as (

    select * from {{ ref('contracts') }}
    where billing_model = 'bundle' and {{ is_approved() }}

),

bundle_skus as (

    select * from {{ ref('contract_bundle_skus') }}

),

usage_lines as (

    select * from {{ ref('int_usage_lines_aggregated') }}

),

subscription_lines as (

    select * from {{ ref('int_subscription_fees_prorated') }}

),

list_lines as (

    select
        customer_id,
        billing_month,
        sku_id,
        service_category,
        service_name,
        product_name,
        pricing_unit,
        currency,
        unrounded_amount

    from usage_lines

    union all

    select
        customer_id,
        billing_month,
        sku_id,
        service_category,
        service_name,
        product_name,
        pricing_unit,
        currency,
        unrounded_amount

    from subscription_lines

),

bundled as (

    select
        contracts.contract_id,
        contracts.discount_percent,
        list_lines.customer_id,
        list_lines.billing_month,
        list_lines.sku_id,
        list_lines.service_category,
        list_lines.service_name,
        list_lines.product_name,
        list_lines.pricing_unit,
        list_lines.currency,
        sum(list_lines.unrounded_amount) as list_amount

    from list_lines
    inner join contracts
        on
            list_lines.customer_id = contracts.customer_id
            and {{ is_effective('list_lines.billing_month', 'contracts') }}
    inner join bundle_skus
        on
            contracts.contract_id = bundle_skus.contract_id
            and list_lines.sku_id = bundle_skus.sku_id
    group by
        contracts.contract_id,
        contracts.discount_percent,
        list_lines.customer_id,
        list_lines.billing_month,
        list_lines.sku_id,
        list_lines.service_category,
        list_lines.service_name,
        list_lines.product_name,
        list_lines.pricing_unit,
        list_lines.currency

),

bundle_sizes as (

    select
        contract_id,
        count(*) as bundle_size

    from bundle_skus
    group by contract_id

),

complete_months as (

    select
        bundled.contract_id,
        bundled.billing_month

    from bundled
    inner join bundle_sizes
        on bundled.contract_id = bundle_sizes.contract_id
    group by bundled.contract_id, bundled.billing_month, bundle_sizes.bundle_size
    having count(distinct bundled.sku_id) = bundle_sizes.bundle_size

),

final as (

    select
        {{ text_hash(['bundled.contract_id', 'bundled.billing_month', 'bundled.sku_id']) }}
            as invoice_line_id,
        bundled.customer_id || '-' || {{ month_key('bundled.billing_month') }} as invoice_id,
        bundled.customer_id,
        bundled.billing_month,
        'bundle_discount' as charge_type,
        bundled.service_category,
        bundled.service_name,
        bundled.product_name,
        'Bundle discount ' || cast(bundled.discount_percent as {{ text_type() }}) || ' % ('
        || bundled.contract_id || ')' as component_name,
        bundled.sku_id,
        bundled.pricing_unit,
        cast(null as {{ text_type() }}) as rate_version,
        cast(null as {{ amount_type() }}) as unit_price,
        cast(null as decimal(18, 12)) as rate_multiplier,
        bundled.currency,
        0 as usage_event_count,
        cast(null as {{ amount_type() }}) as quantity,
        {{ percent_of('-bundled.list_amount', 'bundled.discount_percent') }} as unrounded_amount,
        bundled.contract_id

    from bundled
    inner join complete_months
        on
            bundled.contract_id = complete_months.contract_id
            and bundled.billing_month = complete_months.billing_month

)

select * from final
