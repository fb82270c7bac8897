-- Data-center resource-unit meter readings, renamed into the shared usage schema.
{# the content that makes two records the same: row_hash, row_candidate_hash, row_content #}
{% set content = [
    'record_id', 'usage_date', 'cost_center_id', 'sku_id', 'asset_id', 'quantity',
    'unit', '_extra', '_raw_line',
] %}
with

source as (

    select * from {{ source('landing', 'ru_usage') }}
    where {{ is_landed_record() }}

),

cleaned as (

    select
        {{ landing_lineage_columns() }},
        {{ blank_to_null('record_id') }} as source_record_id,
        {{ blank_to_null('usage_date') }} as charge_period_start_text,
        {{ blank_to_null('cost_center_id') }} as cost_center_id,
        upper(trim({{ blank_to_null('sku_id') }})) as sku_id,
        {{ blank_to_null('asset_id') }} as resource_id,
        {{ blank_to_null('quantity') }} as quantity_text,
        {{ blank_to_null('unit') }} as pricing_unit,
        {{ content_hash(content) }} as row_hash,
        {{ candidate_hash(content) }} as row_candidate_hash,
        {{ row_content(content) }} as row_content

    from source

),

final as (

    select
        *,
        'ru' as feed,
        'Usage' as charge_category,
        {{ safe_timestamp('charge_period_start_text') }} as charge_period_start,
        {{ safe_decimal('quantity_text') }} as quantity

    from cleaned

)

select * from final
