-- Measured service levels, typed with the same safe casts as usage: a value that does not
-- parse becomes null here and the row is kept, with its reason, in fct_sla_measurements.
with

source as (

    select * from {{ source('landing', 'sla_measurements') }}
    where {{ is_landed_record() }}

),

cleaned as (

    select
        {{ landing_lineage_columns() }},
        trim({{ blank_to_null('measurement_id') }}) as measurement_id,
        trim({{ blank_to_null('service_name') }}) as service_name,
        upper(trim({{ blank_to_null('customer_id') }})) as customer_id,
        trim({{ blank_to_null('period') }}) as period_text,
        lower(trim({{ blank_to_null('metric') }})) as metric,
        trim({{ blank_to_null('measured_value') }}) as measured_value_text,
        lower(trim({{ blank_to_null('unit') }})) as unit,
        {{ blank_to_null('source_system') }} as source_system

    from source

),

final as (

    select
        *,
        cast({{ safe_timestamp("period_text || '-01'") }} as date) as period_month,
        cast({{ safe_decimal('measured_value_text') }} as decimal(18, 4)) as measured_value

    from cleaned

)

select * from final
