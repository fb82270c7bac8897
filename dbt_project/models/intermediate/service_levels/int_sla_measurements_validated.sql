-- Every landed service-level measurement, checked. The first failing check is the
-- quarantine reason (seeds/quarantine_reasons.csv). A measurement is of one service
-- (service_name, as in seeds/sku_catalog.csv), one month and one metric, for one customer
-- or, when customer_id is blank, for every customer of the service. The latest landed
-- measurement of the same service, customer, month and metric is the one used (a
-- restatement); earlier ones are superseded, or duplicates when they say the same.
with

measurements as (

    select * from {{ ref('stg_landing__sla_measurements') }}

),

services as (

    select distinct service_name from {{ ref('sku_catalog') }}

),

customers as (

    select * from {{ ref('customers') }}

),

checked as (

    select
        measurements.*,
        case
            when measurements.parse_error is not null
                then 'MALFORMED_LINE'
            when services.service_name is null
                then 'UNKNOWN_SERVICE'
            when measurements.customer_id is not null and customers.customer_id is null
                then 'UNKNOWN_CUSTOMER'
            when measurements.period_month is null
                then 'INVALID_DATE'
            when
                measurements.metric is null
                or measurements.metric not in ('availability_percent', 'response_minutes')
                then 'UNKNOWN_METRIC'
            when
                measurements.measured_value is null
                or measurements.measured_value < 0
                or (
                    measurements.metric = 'availability_percent'
                    and measurements.measured_value > 100
                )
                then 'INVALID_MEASUREMENT'
            when
                (
                    measurements.metric = 'availability_percent'
                    and coalesce(measurements.unit, 'percent') not in ('percent', '%')
                )
                or (
                    measurements.metric = 'response_minutes'
                    and coalesce(measurements.unit, 'minutes') not in ('minutes', 'min')
                )
                then 'UNIT_MISMATCH'
        end as validation_reason

    from measurements
    left join services
        on measurements.service_name = services.service_name
    left join customers
        on measurements.customer_id = customers.customer_id

),

ranked as (

    select
        *,
        row_number() over (
            partition by
                validation_reason, service_name, customer_id, period_month, metric
            order by landed_at desc, source_file desc, source_row desc
        ) as recency,
        first_value(measured_value) over (
            partition by
                validation_reason, service_name, customer_id, period_month, metric
            order by landed_at desc, source_file desc, source_row desc
        ) as latest_value

    from checked

),

final as (

    select
        {{ text_hash(['file_id', 'source_row']) }} as sla_measurement_row_id,
        measurement_id,
        service_name,
        customer_id,
        period_month,
        metric,
        measured_value,
        unit,
        source_system,
        validation_reason,
        case
            when validation_reason is not null then 'quarantined'
            when recency = 1 then 'accepted'
            when measured_value = latest_value then 'duplicate'
            else 'superseded'
        end as measurement_status,
        file_id,
        source_file,
        source_row,
        landed_at,
        raw_line

    from ranked

)

select * from final
