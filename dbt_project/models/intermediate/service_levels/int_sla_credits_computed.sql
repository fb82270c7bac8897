-- Every SLA (seeds/sla_targets.csv) in every billing month it is in force, against what was
-- measured (int_sla_measurements_validated): the customer's own measurement of the service,
-- else the service-wide one. A breached SLA credits the customer a percentage of what it is
-- charged that month for the service (the sum of its rounded lines of that service_name, in
-- its billing currency; only the contract's lines when the SLA belongs to a contract): the
-- highest tier breached (seeds/sla_credit_tiers.csv; availability below the tier's value,
-- response time above it), never above the SLA's cap. The credit is rounded once, to cents.
-- No measurement means no credit, and says so.
with

targets as (

    select * from {{ ref('sla_targets') }}

),

tiers as (

    select * from {{ ref('sla_credit_tiers') }}

),

measurements as (

    select * from {{ ref('int_sla_measurements_validated') }}
    where measurement_status = 'accepted'

),

lines as (

    select * from {{ ref('int_invoice_lines_converted') }}

),

customers as (

    select * from {{ ref('customers') }}

),

billing_months as (

    select distinct billing_month from {{ ref('int_usage_lines_aggregated') }}

),

sla_months as (

    select
        targets.*,
        billing_months.billing_month

    from targets
    inner join billing_months
        on {{ is_effective('billing_months.billing_month', 'targets') }}

),

measured as (

    select
        sla_months.*,
        coalesce(own.measured_value, service_wide.measured_value) as measured_value,
        coalesce(own.measurement_id, service_wide.measurement_id) as measurement_id,
        case
            when own.measured_value is not null then 'customer'
            when service_wide.measured_value is not null then 'service'
        end as measurement_scope

    from sla_months
    left join measurements as own
        on
            sla_months.service_name = own.service_name
            and sla_months.customer_id = own.customer_id
            and sla_months.billing_month = own.period_month
            and sla_months.metric = own.metric
    left join measurements as service_wide
        on
            sla_months.service_name = service_wide.service_name
            and service_wide.customer_id is null
            and sla_months.billing_month = service_wide.period_month
            and sla_months.metric = service_wide.metric

),

tier_percent as (

    select
        measured.sla_id,
        measured.billing_month,
        max(tiers.credit_percent) as tier_credit_percent

    from measured
    inner join tiers
        on measured.sla_id = tiers.sla_id
    where
        (measured.metric = 'availability_percent' and measured.measured_value < tiers.breach_value)
        or (measured.metric = 'response_minutes' and measured.measured_value > tiers.breach_value)
    group by measured.sla_id, measured.billing_month

),

charged as (

    select
        sla_months.sla_id,
        sla_months.billing_month,
        sum(lines.line_amount) as charged_amount

    from sla_months
    inner join lines
        on
            sla_months.customer_id = lines.customer_id
            and sla_months.billing_month = lines.billing_month
            and sla_months.service_name = lines.service_name
            and (sla_months.contract_id is null or sla_months.contract_id = lines.contract_id)
    group by sla_months.sla_id, sla_months.billing_month

),

evaluated as (

    select
        measured.*,
        customers.billing_currency as currency,
        cast(coalesce(charged.charged_amount, 0) as decimal(18, 2)) as charged_amount,
        case
            when measured.measured_value is null then 'not_measured'
            when
                measured.metric = 'availability_percent'
                and measured.measured_value < measured.target_value
                then 'breached'
            when
                measured.metric = 'response_minutes'
                and measured.measured_value > measured.target_value
                then 'breached'
            else 'met'
        end as sla_status,
        cast(
            case
                when tier_percent.tier_credit_percent > measured.credit_cap_percent
                    then measured.credit_cap_percent
                else coalesce(tier_percent.tier_credit_percent, 0)
            end as decimal(9, 4)
        ) as credit_percent

    from measured
    inner join customers
        on measured.customer_id = customers.customer_id
    left join tier_percent
        on
            measured.sla_id = tier_percent.sla_id
            and measured.billing_month = tier_percent.billing_month
    left join charged
        on
            measured.sla_id = charged.sla_id
            and measured.billing_month = charged.billing_month

),

final as (

    select
        {{ text_hash(['sla_id', 'billing_month']) }} as sla_evaluation_id,
        sla_id,
        customer_id,
        contract_id,
        customer_id || '-' || {{ month_key('billing_month') }} as invoice_id,
        billing_month,
        service_name,
        metric,
        target_value,
        measured_value,
        measurement_id,
        measurement_scope,
        sla_status,
        credit_percent,
        credit_cap_percent,
        charged_amount,
        currency,
        {{ to_cents(percent_of('charged_amount', 'credit_percent')) }} as credit_amount,
        terms_note

    from evaluated

)

select * from final
