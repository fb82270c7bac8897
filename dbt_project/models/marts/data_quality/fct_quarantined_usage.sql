-- Every landed record that was not billed because something is wrong with it, with the
-- reason code, its meaning, and the way back to the file and line. Nothing is dropped
-- silently: landed = rated + unallocated + quarantined + duplicates (fct_landing_reconciliation).
with

validated as (

    select * from {{ ref('int_usage_events_validated') }}

),

rated as (

    select * from {{ ref('int_usage_events_rated') }}

),

reasons as (

    select * from {{ ref('quarantine_reasons') }}

),

failed_validation as (

    select
        usage_id,
        feed,
        'validation' as quarantine_stage,
        validation_reason as reason_code,
        charge_period_start_text,
        billing_month,
        provider_name,
        sku_id,
        cost_center_id,
        quantity_text,
        source_cost_text,
        source_cost,
        raw_line,
        parse_error,
        file_id,
        source_file,
        source_row,
        source_line,
        landed_at

    from validated
    where validation_status = 'quarantined'

),

failed_rating as (

    select
        rated.usage_id,
        rated.feed,
        'rating' as quarantine_stage,
        rated.rating_reason as reason_code,
        validated.charge_period_start_text,
        rated.billing_month,
        rated.provider_name,
        rated.sku_id,
        rated.cost_center_id,
        validated.quantity_text,
        validated.source_cost_text,
        rated.source_cost,
        validated.raw_line,
        validated.parse_error,
        rated.file_id,
        rated.source_file,
        rated.source_row,
        rated.source_line,
        rated.landed_at

    from rated
    inner join validated
        on rated.usage_id = validated.usage_id
    where rated.rating_status = 'quarantined'

),

unioned as (

    select * from failed_validation
    union all
    select * from failed_rating

),

final as (

    select
        unioned.usage_id,
        unioned.feed,
        unioned.quarantine_stage,
        unioned.reason_code,
        reasons.description as reason_description,
        unioned.charge_period_start_text,
        unioned.billing_month,
        unioned.provider_name,
        unioned.sku_id,
        unioned.cost_center_id,
        unioned.quantity_text,
        unioned.source_cost_text,
        unioned.source_cost,
        unioned.parse_error,
        unioned.raw_line,
        unioned.file_id,
        unioned.source_file,
        unioned.source_row,
        unioned.source_line,
        unioned.landed_at

    from unioned
    left join reasons
        on unioned.reason_code = reasons.reason_code

)

select * from final
