{{ config(materialized='view') }}
-- The three feeds in one FOCUS-aligned usage schema, one row per landed record.
-- Columns that a feed does not have are null. Nothing is filtered here. A view: the
-- usage-sized stream is read once, by int_usage_events_validated.
with

cloud as (

    select * from {{ ref('stg_landing__cloud_charges') }}

),

ru as (

    select * from {{ ref('stg_landing__ru_meter_readings') }}

),

labour as (

    select * from {{ ref('stg_landing__labour_activities') }}

),

cloud_shaped as (

    select
        feed,
        file_id,
        source_file,
        source_row,
        source_line,
        landed_at,
        parse_error,
        raw_line,
        extra_columns,
        row_hash,
        row_candidate_hash,
        row_content,
        charge_category,
        charge_period_start_text,
        charge_period_start,
        provider_name,
        source_service_name,
        source_service_category,
        sku_id,
        source_sku_id,
        charge_description,
        resource_id,
        resource_name,
        quantity_text,
        quantity,
        pricing_unit,
        source_cost_text,
        source_cost,
        billing_currency,
        sub_account_id,
        sub_account_name,
        billing_account_id,
        billing_period_start,
        delivery_id,
        tags,
        is_tags_valid,
        tag_department,
        tag_project,
        tag_application,
        cost_center_id,
        site,
        shift,
        cast(null as {{ text_type() }}) as ticket_id,
        cast(null as {{ text_type() }}) as technician_id,
        cast(null as {{ text_type() }}) as source_record_id

    from cloud

),

ru_shaped as (

    select
        feed,
        file_id,
        source_file,
        source_row,
        source_line,
        landed_at,
        parse_error,
        raw_line,
        extra_columns,
        row_hash,
        row_candidate_hash,
        row_content,
        charge_category,
        charge_period_start_text,
        charge_period_start,
        'Data Center' as provider_name,
        cast(null as {{ text_type() }}) as source_service_name,
        cast(null as {{ text_type() }}) as source_service_category,
        sku_id,
        sku_id as source_sku_id,
        cast(null as {{ text_type() }}) as charge_description,
        resource_id,
        cast(null as {{ text_type() }}) as resource_name,
        quantity_text,
        quantity,
        pricing_unit,
        cast(null as {{ text_type() }}) as source_cost_text,
        cast(null as {{ amount_type() }}) as source_cost,
        cast(null as {{ text_type() }}) as billing_currency,
        cast(null as {{ text_type() }}) as sub_account_id,
        cast(null as {{ text_type() }}) as sub_account_name,
        cast(null as {{ text_type() }}) as billing_account_id,
        cast(null as timestamp) as billing_period_start,
        cast(null as {{ text_type() }}) as delivery_id,
        cast(null as {{ text_type() }}) as tags,
        true as is_tags_valid,
        cast(null as {{ text_type() }}) as tag_department,
        cast(null as {{ text_type() }}) as tag_project,
        cast(null as {{ text_type() }}) as tag_application,
        cost_center_id,
        cast(null as {{ text_type() }}) as site,
        cast(null as {{ text_type() }}) as shift,
        cast(null as {{ text_type() }}) as ticket_id,
        cast(null as {{ text_type() }}) as technician_id,
        source_record_id

    from ru

),

labour_shaped as (

    select
        feed,
        file_id,
        source_file,
        source_row,
        source_line,
        landed_at,
        parse_error,
        raw_line,
        extra_columns,
        row_hash,
        row_candidate_hash,
        row_content,
        charge_category,
        charge_period_start_text,
        charge_period_start,
        'Service Desk' as provider_name,
        cast(null as {{ text_type() }}) as source_service_name,
        cast(null as {{ text_type() }}) as source_service_category,
        sku_id,
        sku_id as source_sku_id,
        charge_description,
        ticket_id as resource_id,
        cast(null as {{ text_type() }}) as resource_name,
        quantity_text,
        quantity,
        pricing_unit,
        cast(null as {{ text_type() }}) as source_cost_text,
        cast(null as {{ amount_type() }}) as source_cost,
        cast(null as {{ text_type() }}) as billing_currency,
        cast(null as {{ text_type() }}) as sub_account_id,
        cast(null as {{ text_type() }}) as sub_account_name,
        cast(null as {{ text_type() }}) as billing_account_id,
        cast(null as timestamp) as billing_period_start,
        cast(null as {{ text_type() }}) as delivery_id,
        cast(null as {{ text_type() }}) as tags,
        true as is_tags_valid,
        cast(null as {{ text_type() }}) as tag_department,
        cast(null as {{ text_type() }}) as tag_project,
        cast(null as {{ text_type() }}) as tag_application,
        cost_center_id,
        site,
        shift,
        ticket_id,
        technician_id,
        source_record_id

    from labour

),

unioned as (

    select * from cloud_shaped
    union all
    select * from ru_shaped
    union all
    select * from labour_shaped

),

final as (

    select
        {{ usage_id('file_id', 'source_row') }} as usage_id,
        *

    from unioned

)

select * from final
