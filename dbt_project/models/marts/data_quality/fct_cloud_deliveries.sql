-- Which cloud delivery is in force, per provider, billing account and billing period: the
-- record of restated deliveries (docs/restated-deliveries.md). A provider re-delivers a
-- billing period (a month-to-date export every day, then corrections); the latest delivery
-- is billed, the earlier ones are superseded. Its BilledCost is what the period's invoices
-- bill from that provider and account (tested); in a closed month the difference from
-- what was issued is a prior-period adjustment.
with

deliveries as (

    select * from {{ ref('int_cloud_deliveries_ranked') }}

),

final as (

    select
        cloud_delivery_id,
        delivery_id,
        provider_name,
        billing_account_key,
        billing_period,
        file_count,
        valid_rows,
        billed_cost,
        first_landed_at,
        delivered_at,
        is_in_force,
        superseded_by_delivery_id

    from deliveries

)

select * from final
