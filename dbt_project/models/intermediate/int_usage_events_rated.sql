{{ config(materialized='incremental', incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook=["{{ reset_when_rules_changed() }}", "{{ supersede_restated_deliveries() }}"],
    post_hook=["{{ lookup_index(['invoice_line_id']) }}",
        "{{ lookup_index(['file_id', 'source_row']) }}", "{{ refresh_statistics() }}",
        "{{ record_rules_fingerprint() }}"]) }}
-- Valid, first-seen usage, assigned to a consumer (int_usage_events_assigned) and priced
-- with the rate card in force on its charge date. Incremental by landing batch while the
-- rules stay the same; a changed upstream seed, SQL or macro re-rates every landed record
-- on the next plain build (macros/incremental_rules.sql): closed months then get PPAs.
-- Labour hours are priced x the product of the modifiers that apply (night, weekend, site:
-- seeds/labour_rate_modifiers.csv). A charge without an account code valid on its date is
-- quarantined (EXPIRED_ or MISSING_ACCOUNT_CODE). A cloud record of a delivery that a later
-- one supersedes (int_cloud_deliveries_ranked) is `superseded`, billed by no invoice.
-- Amounts stay unrounded (decimal(38,12)); rounding to cents happens on invoice lines.
-- Rows keep their landing order (no sort: sorting 10M wide rows cost 40 s of the build), so
-- the table stays clustered by month; the drill-down filters on billing_month and DuckDB's
-- zone maps skip the other months' row groups (benchmarks/bench_drilldown.py).
with

assigned as (

    select * from {{ ref('int_usage_events_assigned') }}
    where {{ landed_after_watermark('landed_at') }}

),

rate_cards as (

    select * from {{ ref('rate_cards') }}
    where approved_by is not null and approved_at is not null

),

modifiers as (

    select * from {{ ref('labour_rate_modifiers') }}

),

superseded as (

    select * from {{ ref('int_cloud_deliveries_ranked') }}
    where not is_in_force

),

priced as (

    select
        assigned.*,
        rate_cards.rate_version,
        rate_cards.unit_price,
        rate_cards.currency,
        superseded.delivery_id is not null as is_superseded,
        case
            when assigned.rating_basis = 'source_cost' then assigned.source_cost
            else assigned.quantity
        end as billed_quantity

    from assigned
    left join rate_cards
        on
            assigned.sku_id = rate_cards.sku_id
            and {{ is_effective('assigned.charge_date', 'rate_cards') }}
    left join superseded
        on
            assigned.delivery_id = superseded.delivery_id
            and assigned.provider_name = superseded.provider_name
            and coalesce(assigned.billing_account_id, '') = superseded.billing_account_key

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
            and {{ day_of_week("priced.charge_date") }} in (0, 6)
            and weekend.rule = 'weekend'
            and {{ is_effective('priced.charge_date', 'weekend') }}
    left join modifiers as site_rule
        on
            priced.feed = 'labour'
            and priced.site = site_rule.site
            and site_rule.rule = 'site'
            and {{ is_effective('priced.charge_date', 'site_rule') }}

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
        end as rating_check

    from multiplied

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
        case when not is_superseded then rating_check end as rating_reason,
        case
            when is_superseded then 'superseded'
            when rating_check is not null then 'quarantined'
            when consumer_rule = 'unallocated' then 'unallocated'
            else 'rated'
        end as rating_status,
        consumer_rule,
        coalesce(customer_id, '{{ var("unallocated_customer_id") }}') as customer_id,
        cost_center_id,
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
        quantity,
        pricing_unit,
        billed_quantity,
        catalog_pricing_unit as billed_unit,
        source_cost,
        sub_account_id,
        sub_account_name,
        billing_account_id,
        delivery_id,
        tag_department,
        tag_project,
        tag_application,
        site,
        shift,
        ticket_id,
        rate_version,
        unit_price,
        rate_multiplier,
        currency,
        -- the same amount either way: without a modifier (rate_multiplier = 1) the second
        -- rounding changes nothing, and rounding a decimal(38, 24) is most of this model's
        -- arithmetic (1.9 s of CPU per 10M rows on DuckDB)
        case
            when rate_multiplier = 1 then {{ to_amount('billed_quantity * unit_price') }}
            else {{ to_amount(to_amount('billed_quantity * unit_price') ~ ' * rate_multiplier') }}
        end as rated_amount,
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
