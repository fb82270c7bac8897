-- Every landed record that was not billed because something is wrong with it, with the
-- reason code, its meaning, and the way back to the file and line. Nothing is dropped
-- silently: landed = rated + unallocated + quarantined + duplicates (fct_landing_reconciliation).
with

validated as (

    select * from {{ ref('int_usage_events_validated') }}

),

rated as (

    select * from {{ ref('int_usage_events_rated') }}
    where rating_status = 'quarantined'

),

reasons as (

    select * from {{ ref('quarantine_reasons') }}

),

failed as (

    -- one read of the usage-sized table: a record fails at validation, or passes it and
    -- fails at rating (a CTE read twice would be materialized whole, 10M rows)
    select
        validated.usage_id,
        validated.feed,
        case
            when validated.validation_status = 'quarantined' then 'validation' else 'rating'
        end as quarantine_stage,
        coalesce(validated.validation_reason, rated.rating_reason) as reason_code,
        validated.charge_period_start_text,
        validated.billing_month,
        validated.provider_name,
        validated.sku_id,
        -- a rating failure shows the cost center it was assigned to
        case
            when rated.usage_id is not null then rated.cost_center_id
            else validated.cost_center_id
        end as cost_center_id,
        validated.quantity_text,
        validated.source_cost_text,
        validated.source_cost,
        validated.raw_line,
        validated.parse_error,
        validated.file_id,
        validated.source_file,
        validated.source_row,
        validated.source_line,
        validated.landed_at

    from validated
    left join rated
        on validated.usage_id = rated.usage_id
    where validated.validation_status = 'quarantined' or rated.usage_id is not null

),

final as (

    select
        failed.usage_id,
        failed.feed,
        failed.quarantine_stage,
        failed.reason_code,
        reasons.description as reason_description,
        failed.charge_period_start_text,
        failed.billing_month,
        failed.provider_name,
        failed.sku_id,
        failed.cost_center_id,
        failed.quantity_text,
        failed.source_cost_text,
        failed.source_cost,
        failed.parse_error,
        failed.raw_line,
        failed.file_id,
        failed.source_file,
        failed.source_row,
        failed.source_line,
        failed.landed_at

    from failed
    left join reasons
        on failed.reason_code = reasons.reason_code

)

select * from final
