-- FOCUS rows from any provider, renamed into the shared usage schema.
-- Values stay as landed text here, cleaned of NULL tokens; typing happens in the next CTE.
{# the content that makes two records the same: row_hash, row_candidate_hash, row_content #}
{% set content = [
    'charge_category', 'charge_period_start', 'charge_period_end', 'provider_name',
    'service_name', 'sku_id', 'sku_price_id', 'charge_description', 'resource_id',
    'region_id', 'pricing_quantity', 'pricing_unit', 'consumed_quantity', 'billed_cost',
    'effective_cost', 'list_cost', 'billing_currency', 'billing_account_id',
    'sub_account_id', 'commitment_discount_id', 'tags', '_extra', '_raw_line',
    delivery_folder('_source_file'),
] %}
with

source as (

    select * from {{ source('landing', 'focus_usage') }}
    where {{ is_landed_record() }}

),

cleaned as (

    select
        {{ landing_lineage_columns() }},
        {{ blank_to_null('charge_category') }} as charge_category,
        {{ blank_to_null('charge_period_start') }} as charge_period_start_text,
        {{ blank_to_null('charge_period_end') }} as charge_period_end_text,
        {{ blank_to_null('provider_name') }} as provider_name,
        {{ blank_to_null('service_name') }} as source_service_name,
        {{ blank_to_null('service_category') }} as source_service_category,
        {{ blank_to_null('sku_id') }} as source_sku_id,
        {{ blank_to_null('charge_description') }} as charge_description,
        {{ blank_to_null('resource_id') }} as resource_id,
        {{ blank_to_null('resource_name') }} as resource_name,
        {{ blank_to_null('region_id') }} as region_id,
        {{ blank_to_null('pricing_quantity') }} as quantity_text,
        {{ blank_to_null('pricing_unit') }} as pricing_unit,
        {{ blank_to_null('billed_cost') }} as source_cost_text,
        {{ blank_to_null('billing_currency') }} as billing_currency,
        {{ blank_to_null('billing_account_id') }} as billing_account_id,
        {{ blank_to_null('billing_period_start') }} as billing_period_start_text,
        {{ delivery_folder('_source_file') }} as delivery_id,
        {{ blank_to_null('sub_account_id') }} as sub_account_id,
        {{ blank_to_null('sub_account_name') }} as sub_account_name,
        {{ blank_to_null('tags') }} as tags,
        {{ content_hash(content) }} as row_hash,
        {{ candidate_hash(content) }} as row_candidate_hash,
        {{ row_content(content) }} as row_content

    from source

),

final as (

    select
        *,
        'cloud' as feed,
        {{ safe_timestamp('charge_period_start_text') }} as charge_period_start,
        {{ safe_timestamp('charge_period_end_text') }} as charge_period_end,
        {{ safe_timestamp('billing_period_start_text') }} as billing_period_start,
        {{ safe_decimal('quantity_text') }} as quantity,
        {{ safe_decimal('source_cost_text') }} as source_cost,
        'CLOUD-' || upper(provider_name) as sku_id,
        {{ is_json_object('tags') }} as is_tags_valid,
        {{ json_text('tags', 'department') }} as tag_department,
        {{ json_text('tags', 'project') }} as tag_project,
        {{ json_text('tags', 'application') }} as tag_application,
        cast(null as {{ text_type() }}) as cost_center_id,
        cast(null as {{ text_type() }}) as site,
        cast(null as {{ text_type() }}) as shift

    from cleaned

)

select * from final
