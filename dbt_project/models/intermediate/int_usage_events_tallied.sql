-- Every landed usage row of every feed, tallied per billing month and SKU by what became of
-- it: the source side of fct_feed_reconciliation. A row is a duplicate (counted once),
-- quarantined by validation or by rating (fct_quarantined_usage), superseded (a cloud record
-- of a delivery restated by a later one, int_cloud_deliveries_ranked), unallocated (rated
-- into the visible bucket, fct_unallocated_charges) or rated; a valid row that
-- int_usage_events_rated does not hold is unaccounted. Rated rows also carry their quantity
-- and amount at the rate card (rate currency, unrounded). A row of quarantined data without
-- a valid month or SKU has billing_month or sku_id null.
-- Each side is aggregated on its own and the two tallies joined on their keys: rated rows
-- are valid rows of validation with the same feed, month, SKU, quantity and source cost
-- (int_usage_events_assigned passes them through), so no row-level join of the two
-- usage-sized tables is needed (that join spilled at 100M rows: 213 s). The valid rows
-- that rating does not hold are the unaccounted ones.
with

validated as (

    select * from {{ ref('int_usage_events_validated') }}

),

rated as (

    select * from {{ ref('int_usage_events_rated') }}

),

validation_tally as (

    select
        feed,
        billing_month,
        sku_id,
        count(*) as landed_rows,
        sum(quantity) as landed_quantity,
        sum(source_cost) as landed_source_cost,
        count(case when validation_status = 'duplicate' then 1 end) as duplicate_rows,
        sum(case when validation_status = 'duplicate' then quantity end) as duplicate_quantity,
        sum(case when validation_status = 'duplicate' then source_cost end)
            as duplicate_source_cost,
        count(case when validation_status = 'quarantined' then 1 end) as quarantined_rows,
        sum(case when validation_status = 'quarantined' then quantity end)
            as quarantined_quantity,
        sum(case when validation_status = 'quarantined' then source_cost end)
            as quarantined_source_cost,
        count(case when validation_status = 'valid' then 1 end) as valid_rows

    from validated
    group by feed, billing_month, sku_id

),

rating_tally as (

    select
        feed,
        billing_month,
        sku_id,
        count(*) as held_rows,
        count(case when rating_status = 'quarantined' then 1 end) as quarantined_rows,
        sum(case when rating_status = 'quarantined' then quantity end) as quarantined_quantity,
        sum(case when rating_status = 'quarantined' then source_cost end)
            as quarantined_source_cost,
        count(case when rating_status = 'superseded' then 1 end) as superseded_rows,
        sum(case when rating_status = 'superseded' then quantity end) as superseded_quantity,
        sum(case when rating_status = 'superseded' then source_cost end)
            as superseded_source_cost,
        count(case when rating_status = 'unallocated' then 1 end) as unallocated_rows,
        sum(case when rating_status = 'unallocated' then quantity end) as unallocated_quantity,
        sum(case when rating_status = 'unallocated' then source_cost end)
            as unallocated_source_cost,
        count(case when rating_status = 'rated' then 1 end) as rated_rows,
        sum(case when rating_status = 'rated' then quantity end) as rated_source_quantity,
        sum(case when rating_status = 'rated' then source_cost end) as rated_source_cost,
        sum(case when rating_status = 'rated' then billed_quantity end) as rated_quantity,
        sum(case when rating_status = 'rated' then rated_amount end) as rated_amount

    from rated
    group by feed, billing_month, sku_id

),

grouped as (

    -- quarantined rows come from both stages; a sum stays null when neither side has one
    -- (coalesce of the sum, then either side)
    select
        validation_tally.feed,
        validation_tally.billing_month,
        validation_tally.sku_id,
        validation_tally.landed_rows,
        validation_tally.landed_quantity,
        validation_tally.landed_source_cost,
        validation_tally.duplicate_rows,
        validation_tally.duplicate_quantity,
        validation_tally.duplicate_source_cost,
        validation_tally.quarantined_rows + coalesce(rating_tally.quarantined_rows, 0)
            as quarantined_rows,
        coalesce(
            validation_tally.quarantined_quantity + rating_tally.quarantined_quantity,
            validation_tally.quarantined_quantity,
            rating_tally.quarantined_quantity
        ) as quarantined_quantity,
        coalesce(
            validation_tally.quarantined_source_cost + rating_tally.quarantined_source_cost,
            validation_tally.quarantined_source_cost,
            rating_tally.quarantined_source_cost
        ) as quarantined_source_cost,
        coalesce(rating_tally.superseded_rows, 0) as superseded_rows,
        rating_tally.superseded_quantity,
        rating_tally.superseded_source_cost,
        coalesce(rating_tally.unallocated_rows, 0) as unallocated_rows,
        rating_tally.unallocated_quantity,
        rating_tally.unallocated_source_cost,
        coalesce(rating_tally.rated_rows, 0) as rated_rows,
        rating_tally.rated_source_quantity,
        rating_tally.rated_source_cost,
        rating_tally.rated_quantity,
        rating_tally.rated_amount,
        validation_tally.valid_rows - coalesce(rating_tally.held_rows, 0) as unaccounted_rows

    from validation_tally
    left join rating_tally
        on
            validation_tally.feed = rating_tally.feed
            and validation_tally.billing_month = rating_tally.billing_month
            and validation_tally.sku_id = rating_tally.sku_id

),

final as (

    select
        {{ text_hash(['feed', 'billing_month', 'sku_id']) }} as usage_tally_id,
        *

    from grouped

)

select * from final
