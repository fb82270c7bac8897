-- Cloud deliveries, and which one is in force (docs/restated-deliveries.md).
-- Providers re-deliver a billing period: a month-to-date export every day, then
-- corrections. A delivery is the folder its FOCUS files were landed from (each export run
-- writes a folder of its own; its parts sit side by side), per provider and billing
-- account. Its billing period is the latest of its valid rows (BillingPeriodStart, else the
-- month of ChargePeriodStart): a delivery of March may carry late rows of February without
-- restating February. Of the deliveries of one (provider, billing account, billing period),
-- the one landed last is in force (ties: the greater folder name) and supersedes the
-- others: their records are `superseded` in int_usage_events_rated, billed by no invoice.
-- In a closed month the difference becomes a PPA, as late usage does.
with

validated as (

    select * from {{ ref('int_usage_events_validated') }}
    where feed = 'cloud' and validation_status = 'valid'

),

deliveries as (

    select
        delivery_id,
        provider_name,
        coalesce(billing_account_id, '') as billing_account_key,
        cast(max(coalesce(billing_period_start, billing_month)) as date) as billing_period,
        count(distinct file_id) as file_count,
        count(*) as valid_rows,
        sum(source_cost) as billed_cost,
        min(landed_at) as first_landed_at,
        max(landed_at) as delivered_at

    from validated
    group by delivery_id, provider_name, coalesce(billing_account_id, '')

),

ranked as (

    select
        *,
        row_number() over (
            partition by provider_name, billing_account_key, billing_period
            order by delivered_at desc, delivery_id desc
        ) as recency_rank,
        first_value(delivery_id) over (
            partition by provider_name, billing_account_key, billing_period
            order by delivered_at desc, delivery_id desc
        ) as latest_delivery_id

    from deliveries

),

final as (

    select
        {{ text_hash(['delivery_id', 'provider_name', 'billing_account_key']) }}
            as cloud_delivery_id,
        delivery_id,
        provider_name,
        billing_account_key,
        billing_period,
        file_count,
        valid_rows,
        billed_cost,
        first_landed_at,
        delivered_at,
        recency_rank = 1 as is_in_force,
        case when recency_rank > 1 then latest_delivery_id end as superseded_by_delivery_id

    from ranked

)

select * from final
