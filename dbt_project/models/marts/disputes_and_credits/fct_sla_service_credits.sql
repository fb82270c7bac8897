-- Every SLA in every billing month it is in force: the target, what was measured, met or
-- breached (or not measured), the credit percentage of its tier and the credit, rounded once
-- to cents, that is billed as an sla_credit line on the customer's invoice of that month
-- (int_sla_credits_computed, int_service_credits_applied).
with

credits as (

    select * from {{ ref('int_sla_credits_computed') }}

),

customers as (

    select * from {{ ref('customers') }}

),

final as (

    select
        credits.sla_evaluation_id,
        credits.sla_id,
        credits.customer_id,
        customers.customer_name,
        credits.contract_id,
        credits.invoice_id,
        credits.billing_month,
        credits.service_name,
        credits.metric,
        credits.target_value,
        credits.measured_value,
        credits.measurement_id,
        credits.measurement_scope,
        credits.sla_status,
        credits.credit_percent,
        credits.credit_cap_percent,
        credits.charged_amount,
        credits.currency,
        credits.credit_amount,
        credits.credit_amount > 0 as is_credited,
        credits.terms_note

    from credits
    inner join customers
        on credits.customer_id = customers.customer_id

)

select * from final
