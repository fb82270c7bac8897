-- Service-desk technician activities, renamed into the shared usage schema.
-- The SKU of an activity is LAB-<activity_code> (seeds/sku_catalog.csv).
{# the content that makes two records the same: row_hash, row_candidate_hash, row_content #}
{% set content = [
    'ticket_id', 'activity_id', 'technician_id', 'activity_date', 'activity_code',
    'activity_type', 'site', 'shift', 'hours', 'cost_center_id', '_extra', '_raw_line',
] %}
with

source as (

    select * from {{ source('landing', 'labour_activities') }}
    where {{ is_landed_record() }}

),

cleaned as (

    select
        {{ landing_lineage_columns() }},
        {{ blank_to_null('ticket_id') }} as ticket_id,
        {{ blank_to_null('activity_id') }} as source_record_id,
        {{ blank_to_null('technician_id') }} as technician_id,
        {{ blank_to_null('activity_date') }} as charge_period_start_text,
        'LAB-' || upper(trim({{ blank_to_null('activity_code') }})) as sku_id,
        {{ blank_to_null('activity_type') }} as charge_description,
        {{ blank_to_null('site') }} as site,
        lower(trim({{ blank_to_null('shift') }})) as shift,
        {{ blank_to_null('hours') }} as quantity_text,
        {{ blank_to_null('cost_center_id') }} as cost_center_id,
        {{ content_hash(content) }} as row_hash,
        {{ candidate_hash(content) }} as row_candidate_hash,
        {{ row_content(content) }} as row_content

    from source

),

final as (

    select
        *,
        'labour' as feed,
        'Usage' as charge_category,
        'hour' as pricing_unit,
        {{ safe_timestamp('charge_period_start_text') }} as charge_period_start,
        {{ safe_decimal('quantity_text') }} as quantity

    from cleaned

)

select * from final
