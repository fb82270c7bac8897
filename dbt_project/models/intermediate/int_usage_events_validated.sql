{{ config(materialized='incremental', incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ reset_when_rules_changed() }}",
    post_hook=["{{ refresh_statistics() }}", "{{ record_rules_fingerprint() }}"]) }}
-- Every landed record, once, with its duplicate flag and its validation verdict.
-- Incremental by landing batch while the rules stay the same: a run only reads the records
-- landed since the last one. A changed seed it reads (SKU catalog, cost centers), SQL or
-- macro rebuilds it from every landed record on the next plain build (incremental_rules).
-- A record is a duplicate when a record with the same content (row_hash; for cloud, in
-- the same delivery: restated_deliveries) landed earlier in the same feed; the first one
-- (by landing time, file path, record number) stays the original. Checks run in a fixed
-- order; the first failing one is the quarantine reason (seeds/quarantine_reasons.csv).
-- Only the content hashes seen more than once are ranked (a window over every wide row
-- cost 32 s of CPU at 10M rows); the other rows keep their landing order, which keeps the
-- tables below clustered by month for the dashboard's drill-down.
with

unioned as {{ reused_cte() }} (

    -- read three times (rows, repeated hashes, their ranks): not materialized on DuckDB
    -- (it would keep every wide row of the batch), materialized on PostgreSQL (it would
    -- parse the batch three times); reused_cte

    select * from {{ ref('int_usage_events_unioned') }}
    where {{ landed_after_watermark('landed_at') }}

),

skus as (

    select * from {{ ref('sku_catalog') }}

),

cost_centers as (

    select * from {{ ref('cost_centers') }}

),

earlier_hashes as (

    -- the records already here; none on a first build or when the rules changed
    select distinct
        feed,
        row_hash
    from {{ this if rules_unchanged() else ref('int_usage_events_unioned') }}
    where {{ rules_unchanged() }}

),

repeated_hashes as (

    -- content that may repeat in this batch: the few rows that need ranking. Grouped by a
    -- cheap hash of the content on DuckDB (dedup_candidates), by row_hash elsewhere
    select
        feed,
        {{ candidate_key() }} as candidate_key

    from unioned
    group by feed, {{ candidate_key() }}
    having count(*) > 1

),

repeats as (

    select
        unioned.usage_id,
        row_number() over (
            partition by unioned.feed, unioned.{{ duplicate_key() }}
            order by unioned.landed_at, unioned.source_file, unioned.source_row
        ) as occurrence_in_batch

    from unioned
    inner join repeated_hashes
        on
            unioned.feed = repeated_hashes.feed
            and unioned.{{ candidate_key() }} = repeated_hashes.candidate_key

),

deduplicated as (

    select
        unioned.*,
        (
            coalesce(repeats.occurrence_in_batch, 1) > 1
            or earlier_hashes.row_hash is not null
        ) as is_duplicate

    from unioned
    left join repeats
        on unioned.usage_id = repeats.usage_id
    left join earlier_hashes
        on
            unioned.feed = earlier_hashes.feed
            and unioned.row_hash = earlier_hashes.row_hash

),

checked as (

    select
        deduplicated.*,
        skus.service_category,
        skus.service_name,
        skus.product_name,
        skus.component_name,
        skus.rating_basis,
        skus.pricing_unit as catalog_pricing_unit,
        case
            when deduplicated.parse_error is not null then 'MALFORMED_LINE'
            when deduplicated.charge_period_start is null then 'INVALID_DATE'
            when
                cast(deduplicated.charge_period_start as date)
                > cast(deduplicated.landed_at as date)
                then 'FUTURE_DATE'
            when
                deduplicated.charge_period_start
                < cast('{{ var("earliest_charge_date") }}' as date)
                then 'DATE_BEFORE_BILLING_START'
            when deduplicated.feed = 'cloud' and deduplicated.source_cost is null
                then 'INVALID_COST'
            when
                deduplicated.feed = 'cloud'
                and coalesce(deduplicated.charge_category, '')
                not in ('Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment')
                then 'INVALID_CHARGE_CATEGORY'
            when
                deduplicated.feed = 'cloud' and not deduplicated.is_tags_valid
                and deduplicated.tags is not null
                then 'INVALID_TAGS'
            when
                deduplicated.quantity is null
                and (deduplicated.feed <> 'cloud' or deduplicated.quantity_text is not null)
                then 'INVALID_QUANTITY'
            when skus.sku_id is null and deduplicated.feed = 'cloud' then 'UNKNOWN_PROVIDER'
            when skus.sku_id is null then 'UNKNOWN_SKU'
            when deduplicated.feed <> 'cloud' and deduplicated.quantity < 0
                then 'NEGATIVE_QUANTITY'
            when
                skus.rating_basis = 'quantity' and deduplicated.quantity > skus.max_quantity_per_row
                then 'ABSURD_QUANTITY'
            when
                skus.rating_basis = 'source_cost'
                and abs(deduplicated.source_cost) > skus.max_quantity_per_row
                then 'ABSURD_QUANTITY'
            when deduplicated.feed = 'ru' and deduplicated.pricing_unit is null
                then 'MISSING_UNIT'
            when deduplicated.feed = 'ru' and deduplicated.pricing_unit <> skus.pricing_unit
                then 'UNIT_MISMATCH'
            when deduplicated.feed <> 'cloud' and cost_centers.cost_center_id is null
                then 'UNKNOWN_COST_CENTER'
        end as validation_reason

    from deduplicated
    left join skus
        on deduplicated.sku_id = skus.sku_id and deduplicated.feed = skus.feed
    left join cost_centers
        on deduplicated.cost_center_id = cost_centers.cost_center_id

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
        parse_error,
        raw_line,
        extra_columns,
        row_hash,
        is_duplicate,
        case
            when is_duplicate then 'duplicate'
            when validation_reason is not null then 'quarantined'
            else 'valid'
        end as validation_status,
        case when not is_duplicate then validation_reason end as validation_reason,
        charge_category,
        charge_period_start_text,
        charge_period_start,
        cast(charge_period_start as date) as charge_date,
        cast(date_trunc('month', charge_period_start) as date) as billing_month,
        provider_name,
        service_category,
        service_name,
        coalesce(source_service_name, product_name) as product_name,
        case when feed = 'cloud' then charge_category else component_name end as component_name,
        sku_id,
        source_sku_id,
        rating_basis,
        catalog_pricing_unit,
        charge_description,
        resource_id,
        resource_name,
        quantity_text,
        quantity,
        pricing_unit,
        source_cost_text,
        source_cost,
        billing_currency,
        sub_account_id,
        sub_account_name,
        billing_account_id,
        billing_period_start,
        delivery_id,
        tags,
        tag_department,
        tag_project,
        tag_application,
        cost_center_id,
        site,
        shift,
        ticket_id,
        technician_id,
        source_record_id

    from checked

)

select * from final
