-- Every landed service-level measurement with what became of it: accepted (used by the SLA
-- credits), superseded by a later restatement, a duplicate, or quarantined with the reason
-- (seeds/quarantine_reasons.csv).
with

measurements as (

    select * from {{ ref('int_sla_measurements_validated') }}

),

reasons as (

    select * from {{ ref('quarantine_reasons') }}

),

final as (

    select
        measurements.*,
        reasons.description as reason_description

    from measurements
    left join reasons
        on measurements.validation_reason = reasons.reason_code

)

select * from final
