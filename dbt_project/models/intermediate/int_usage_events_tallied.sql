-- Every landed usage row of every feed, tallied per billing month and SKU by what became of
-- it: the source side of fct_feed_reconciliation. A row is a duplicate (counted once),
-- quarantined by validation or by rating (fct_quarantined_usage), superseded (a cloud record
-- of a delivery restated by a later one, int_cloud_deliveries_ranked), unallocated (rated
-- into the visible bucket, fct_unallocated_charges) or rated; a valid row that
-- int_usage_events_rated does not hold is unaccounted. Rated rows also carry their quantity
-- and amount at the rate card (rate currency, unrounded). A row of quarantined data without
-- a valid month or SKU has billing_month or sku_id null.
with

validated as (

    select * from {{ ref('int_usage_events_validated') }}

),

rated as (

    select * from {{ ref('int_usage_events_rated') }}

),

events as (

    select
        validated.feed,
        validated.billing_month,
        validated.sku_id,
        validated.quantity,
        validated.source_cost,
        case
            when validated.validation_status = 'duplicate' then 'duplicate'
            when validated.validation_status = 'quarantined' then 'quarantined'
            when rated.rating_status = 'quarantined' then 'quarantined'
            when rated.rating_status = 'superseded' then 'superseded'
            when rated.rating_status = 'unallocated' then 'unallocated'
            when rated.rating_status = 'rated' then 'rated'
            else 'unaccounted'
        end as event_status,
        rated.billed_quantity,
        rated.rated_amount

    from validated
    left join rated
        on validated.usage_id = rated.usage_id

),

grouped as (

    select
        feed,
        billing_month,
        sku_id,
        count(*) as landed_rows,
        sum(quantity) as landed_quantity,
        sum(source_cost) as landed_source_cost,
        count(case when event_status = 'duplicate' then 1 end) as duplicate_rows,
        sum(case when event_status = 'duplicate' then quantity end) as duplicate_quantity,
        sum(case when event_status = 'duplicate' then source_cost end)
            as duplicate_source_cost,
        count(case when event_status = 'quarantined' then 1 end) as quarantined_rows,
        sum(case when event_status = 'quarantined' then quantity end) as quarantined_quantity,
        sum(case when event_status = 'quarantined' then source_cost end)
            as quarantined_source_cost,
        count(case when event_status = 'superseded' then 1 end) as superseded_rows,
        sum(case when event_status = 'superseded' then quantity end) as superseded_quantity,
        sum(case when event_status = 'superseded' then source_cost end)
            as superseded_source_cost,
        count(case when event_status = 'unallocated' then 1 end) as unallocated_rows,
        sum(case when event_status = 'unallocated' then quantity end) as unallocated_quantity,
        sum(case when event_status = 'unallocated' then source_cost end)
            as unallocated_source_cost,
        count(case when event_status = 'rated' then 1 end) as rated_rows,
        sum(case when event_status = 'rated' then quantity end) as rated_source_quantity,
        sum(case when event_status = 'rated' then source_cost end) as rated_source_cost,
        sum(case when event_status = 'rated' then billed_quantity end) as rated_quantity,
        sum(case when event_status = 'rated' then rated_amount end) as rated_amount,
        count(case when event_status = 'unaccounted' then 1 end) as unaccounted_rows

    from events
    group by feed, billing_month, sku_id

),

final as (

    select
        {{ text_hash(['feed', 'billing_month', 'sku_id']) }} as usage_tally_id,
        *

    from grouped

)

select * from final
