-- Conservation per landed file (is_balanced, tested): a usage record is rated, unallocated,
-- quarantined, a duplicate or superseded (its cloud delivery restated: fct_cloud_deliveries),
-- in rows and in cloud BilledCost; a bank line is a payment line (fct_payments), invalid
-- or a duplicate; a dispute export row is a version, quarantined or a duplicate; an SLA
-- measurement is accepted or superseded by a restatement, quarantined or a duplicate.
with

files as (

    select * from {{ ref('stg_landing__files') }}

),

validated as (

    select * from {{ ref('int_usage_events_validated') }}

),

rated as (

    select * from {{ ref('int_usage_events_rated') }}

),

validated_counts as (

    select
        file_id,
        count(*) as landed_rows,
        count(case when validation_status = 'duplicate' then 1 end) as duplicate_rows,
        count(case when validation_status = 'quarantined' then 1 end)
            as quarantined_at_validation_rows,
        sum(source_cost) as landed_source_cost,
        sum(case when validation_status = 'duplicate' then source_cost end)
            as duplicate_source_cost,
        sum(case when validation_status = 'quarantined' then source_cost end)
            as quarantined_at_validation_source_cost

    from validated
    group by file_id

),

payments as (

    select * from {{ ref('int_payments_matched') }}

),

payment_counts as (

    select
        file_id,
        count(*) as landed_rows,
        count(case when match_status = 'duplicate' then 1 end) as duplicate_rows,
        count(case when match_status = 'invalid' then 1 end) as quarantined_rows,
        count(case when match_status not in ('duplicate', 'invalid') then 1 end)
            as payment_rows

    from payments
    group by file_id

),

disputes as (

    select * from {{ ref('int_dispute_versions_validated') }}
    where intake_channel = 'servicenow'

),

dispute_counts as (

    select
        file_id,
        count(*) as landed_rows,
        count(case when version_status = 'accepted' then 1 end) as dispute_version_rows,
        count(case when version_status = 'quarantined' then 1 end) as quarantined_rows,
        count(case when version_status = 'duplicate' then 1 end) as duplicate_rows

    from disputes
    group by file_id

),

sla_measurements as (

    select * from {{ ref('int_sla_measurements_validated') }}

),

sla_counts as (

    select
        file_id,
        count(*) as landed_rows,
        count(case when measurement_status in ('accepted', 'superseded') then 1 end)
            as sla_measurement_rows,
        count(case when measurement_status = 'quarantined' then 1 end) as quarantined_rows,
        count(case when measurement_status = 'duplicate' then 1 end) as duplicate_rows

    from sla_measurements
    group by file_id

),

rated_counts as (

    select
        file_id,
        count(case when rating_status = 'rated' then 1 end) as rated_rows,
        count(case when rating_status = 'unallocated' then 1 end) as unallocated_rows,
        count(case when rating_status = 'superseded' then 1 end) as superseded_rows,
        count(case when rating_status = 'quarantined' then 1 end)
            as quarantined_at_rating_rows,
        sum(case when rating_status = 'superseded' then source_cost end)
            as superseded_source_cost,
        sum(case when rating_status = 'rated' then source_cost end) as rated_source_cost,
        sum(case when rating_status = 'unallocated' then source_cost end)
            as unallocated_source_cost,
        sum(case when rating_status = 'quarantined' then source_cost end)
            as quarantined_at_rating_source_cost,
        sum(case when rating_status = 'rated' then rated_amount end) as rated_amount

    from rated
    group by file_id

),

joined as (

    select
        files.file_id,
        files.feed,
        files.source_file,
        files.landed_at,
        files.row_count as manifest_rows,
        coalesce(validated_counts.landed_rows, 0)
        + coalesce(payment_counts.landed_rows, 0)
        + coalesce(dispute_counts.landed_rows, 0)
        + coalesce(sla_counts.landed_rows, 0) as landed_rows,
        coalesce(rated_counts.rated_rows, 0) as rated_rows,
        coalesce(rated_counts.unallocated_rows, 0) as unallocated_rows,
        coalesce(rated_counts.superseded_rows, 0) as superseded_rows,
        coalesce(payment_counts.payment_rows, 0) as payment_rows,
        coalesce(dispute_counts.dispute_version_rows, 0) as dispute_version_rows,
        coalesce(sla_counts.sla_measurement_rows, 0) as sla_measurement_rows,
        coalesce(validated_counts.quarantined_at_validation_rows, 0)
        + coalesce(rated_counts.quarantined_at_rating_rows, 0)
        + coalesce(payment_counts.quarantined_rows, 0)
        + coalesce(dispute_counts.quarantined_rows, 0)
        + coalesce(sla_counts.quarantined_rows, 0) as quarantined_rows,
        coalesce(validated_counts.duplicate_rows, 0)
        + coalesce(payment_counts.duplicate_rows, 0)
        + coalesce(dispute_counts.duplicate_rows, 0)
        + coalesce(sla_counts.duplicate_rows, 0) as duplicate_rows,
        coalesce(validated_counts.landed_source_cost, 0) as landed_source_cost,
        coalesce(rated_counts.rated_source_cost, 0) as rated_source_cost,
        coalesce(rated_counts.unallocated_source_cost, 0) as unallocated_source_cost,
        coalesce(validated_counts.quarantined_at_validation_source_cost, 0)
        + coalesce(rated_counts.quarantined_at_rating_source_cost, 0)
            as quarantined_source_cost,
        coalesce(validated_counts.duplicate_source_cost, 0) as duplicate_source_cost,
        coalesce(rated_counts.superseded_source_cost, 0) as superseded_source_cost,
        coalesce(rated_counts.rated_amount, 0) as rated_amount

    from files
    left join validated_counts
        on files.file_id = validated_counts.file_id
    left join rated_counts
        on files.file_id = rated_counts.file_id
    left join payment_counts
        on files.file_id = payment_counts.file_id
    left join dispute_counts
        on files.file_id = dispute_counts.file_id
    left join sla_counts
        on files.file_id = sla_counts.file_id

),

final as (

    select
        *,
        (
            manifest_rows = landed_rows
            and landed_rows
            = rated_rows + unallocated_rows + payment_rows + dispute_version_rows
            + sla_measurement_rows + quarantined_rows + duplicate_rows + superseded_rows
            and landed_source_cost
            = rated_source_cost + unallocated_source_cost + quarantined_source_cost
            + duplicate_source_cost + superseded_source_cost
        ) as is_balanced

    from joined

)

select * from final
