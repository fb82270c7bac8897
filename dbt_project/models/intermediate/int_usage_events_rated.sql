{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        post_hook=[
            "{{ lookup_index(['invoice_line_id']) }}",
            "{{ lookup_index(['file_id', 'source_row']) }}",
        ],
    )
}}
-- Valid, first-seen usage, assigned to a consumer and priced with the rate card in force on
-- its charge date. Incremental by landing batch, like int_usage_events_validated. A rate
-- card change applies to history after `dbt build --full-refresh --select int_usage_events_rated+`.
--
-- Consumer: RU and labour rows carry their cost center. A cloud row goes to the cost center
-- whose department_tag equals its `department` tag; failing that, to the owner of its
-- sub-account (seeds/cloud_accounts.csv) unless the provider's untagged-spend policy says
-- `unallocated` (seeds/untagged_spend_policies.csv); failing that, to the visible
-- unallocated bucket.
-- Labour hours are priced x the product of the modifiers that apply (night shift, weekend,
-- site: seeds/labour_rate_modifiers.csv); other feeds have rate_multiplier 1.
-- Every billed charge carries the account code valid for its cost center on its charge
-- date; without one it is quarantined (EXPIRED_ACCOUNT_CODE or MISSING_ACCOUNT_CODE).
-- Amounts stay unrounded (decimal(38,12)); rounding to cents happens on invoice lines.
with

validated as (

    select * from {{ ref('int_usage_events_validated') }}
    where
        validation_status = 'valid'
        and {{ landed_after_watermark('landed_at') }}

),

cost_centers as (

    select * from {{ ref('cost_centers') }}

),

cloud_accounts as (

    select * from {{ ref('cloud_accounts') }}

),

untagged_policies as (

    select * from {{ ref('untagged_spend_policies') }}

),

rate_cards as (

    select * from {{ ref('rate_cards') }}
    where approved_by is not null and approved_at is not null

),

account_codes as (

    select * from {{ ref('account_codes') }}

),

modifiers as (

    select * from {{ ref('labour_rate_modifiers') }}

),

consumers as (

    select
        validated.*,
        coalesce(
            validated.cost_center_id,
            tagged.cost_center_id,
            owners.owner_cost_center_id
        ) as resolved_cost_center_id,
        case
            when validated.feed <> 'cloud' then 'direct'
            when tagged.cost_center_id is not null then 'tag'
            when owners.owner_cost_center_id is not null then 'account_owner'
            else 'unallocated'
        end as consumer_rule

    from validated
    left join cost_centers as tagged
        on validated.tag_department = tagged.department_tag
    left join untagged_policies
        on validated.provider_name = untagged_policies.provider_name
    left join cloud_accounts as owners
        on
            validated.provider_name = owners.provider_name
            and validated.sub_account_id = owners.sub_account_id
            and coalesce(untagged_policies.untagged_policy, 'account_owner') = 'account_owner'

),

priced as (

    select
        consumers.*,
        cost_centers.customer_id,
        rate_cards.rate_version,
        rate_cards.unit_price,
        rate_cards.currency,
        case
            when consumers.rating_basis = 'source_cost' then consumers.source_cost
            else consumers.quantity
        end as billed_quantity

    from consumers
    left join cost_centers
        on consumers.resolved_cost_center_id = cost_centers.cost_center_id
    left join rate_cards
        on
            consumers.sku_id = rate_cards.sku_id
            and {{ is_effective('consumers.charge_date', 'rate_cards') }}

),

multiplied as (

    select
        priced.*,
        cast(
            coalesce(night.multiplier, 1)
            * coalesce(weekend.multiplier, 1)
            * coalesce(site_rule.multiplier, 1)
            as decimal(18, 12)
        ) as rate_multiplier

    from priced
    left join modifiers as night
        on
            priced.feed = 'labour'
            and priced.shift = 'night'
            and night.rule = 'night_shift'
            and {{ is_effective('priced.charge_date', 'night') }}
    left join modifiers as weekend
        on
            priced.feed = 'labour'
            and extract(dow from priced.charge_date) in (0, 6)
            and weekend.rule = 'weekend'
            and {{ is_effective('priced.charge_date', 'weekend') }}
    left join modifiers as site_rule
        on
            priced.feed = 'labour'
            and priced.site = site_rule.site
            and site_rule.rule = 'site'
            and {{ is_effective('priced.charge_date', 'site_rule') }}

),

cost_centers_with_codes as (

    select distinct cost_center_id from account_codes

),

coded as (

    select
        multiplied.*,
        account_codes.account_code_id,
        cost_centers_with_codes.cost_center_id is not null as has_any_account_code

    from multiplied
    left join account_codes
        on
            multiplied.resolved_cost_center_id = account_codes.cost_center_id
            and {{ is_effective(
                'multiplied.charge_date', 'account_codes', 'valid_from', 'valid_to'
            ) }}
    left join cost_centers_with_codes
        on multiplied.resolved_cost_center_id = cost_centers_with_codes.cost_center_id

),

checked as (

    select
        *,
        case
            when rate_version is null then 'NO_RATE'
            when feed = 'cloud' and billing_currency <> currency then 'CURRENCY_MISMATCH'
            when consumer_rule = 'unallocated' then null
            when account_code_id is null and has_any_account_code then 'EXPIRED_ACCOUNT_CODE'
            when account_code_id is null then 'MISSING_ACCOUNT_CODE'
        end as rating_reason

    from coded

),

final as (

    select
        usage_id,
        feed,
        file_id,
        source_file,
        source_row,
        source_line,
        landed_at,
        rating_reason,
        case
            when rating_reason is not null then 'quarantined'
            when consumer_rule = 'unallocated' then 'unallocated'
            else 'rated'
        end as rating_status,
        consumer_rule,
        coalesce(customer_id, '{{ var("unallocated_customer_id") }}') as customer_id,
        resolved_cost_center_id as cost_center_id,
        account_code_id,
        charge_category,
        charge_period_start,
        charge_date,
        billing_month,
        provider_name,
        service_category,
        service_name,
        product_name,
        component_name,
        sku_id,
        source_sku_id,
        charge_description,
        resource_id,
        resource_name,
        rating_basis,
        quantity,
        pricing_unit,
        billed_quantity,
        catalog_pricing_unit as billed_unit,
        source_cost,
        billing_currency,
        sub_account_id,
        sub_account_name,
        tags,
        tag_department,
        tag_project,
        tag_application,
        site,
        shift,
        ticket_id,
        technician_id,
        source_record_id,
        rate_version,
        unit_price,
        rate_multiplier,
        currency,
        {{ to_amount(to_amount('billed_quantity * unit_price') ~ ' * rate_multiplier') }}
            as rated_amount,
        case
            when customer_id is not null
                then customer_id || '-' || {{ month_key('billing_month') }}
        end as invoice_id,
        case
            when customer_id is not null
                then {{ text_hash([
                    'customer_id', 'billing_month', 'service_name', 'product_name',
                    'component_name', 'sku_id', 'rate_version', 'rate_multiplier',
                ]) }}
        end as invoice_line_id

    from checked

)

select * from final
-- Stored in invoice and line order, so the dashboard's drill-down from a line to its events
-- reads a few row groups instead of the whole table (benchmarks/bench_drilldown.py).
order by invoice_id, invoice_line_id
