-- Each billing dispute as it stands now (its latest accepted version), with its SLA timers
-- (int_dispute_sla_timers_computed) and the maker-checker decision on its outcome
-- (int_dispute_approvals_checked). A refused outcome is never billed; an approved one
-- becomes an invoice line of the disputed month (int_manual_adjustments_applied).
with

disputes as (

    select * from {{ ref('int_dispute_sla_timers_computed') }}

),

decisions as (

    select * from {{ ref('int_dispute_approvals_checked') }}

),

final as (

    select
        disputes.dispute_id,
        disputes.intake_channel,
        disputes.customer_id,
        disputes.billing_month,
        disputes.invoice_id,
        disputes.invoice_number,
        disputes.description,
        disputes.disputed_amount,
        disputes.currency,
        disputes.priority,
        disputes.priority_name,
        disputes.state,
        disputes.owner,
        disputes.opened_at,
        disputes.opened_by,
        disputes.acknowledged_at,
        disputes.investigated_at,
        disputes.resolved_at,
        disputes.maker,
        disputes.root_cause_code,
        disputes.outcome,
        disputes.resolution_amount,
        disputes.resolution_note,
        disputes.version_count,
        disputes.first_recorded_at,
        disputes.last_updated_at,
        disputes.last_updated_by,
        disputes.dispute_clock_at,
        disputes.acknowledge_due_at,
        disputes.investigate_due_at,
        disputes.resolve_due_at,
        disputes.acknowledge_elapsed_hours,
        disputes.investigate_elapsed_hours,
        disputes.resolve_elapsed_hours,
        disputes.acknowledge_sla_status,
        disputes.investigate_sla_status,
        disputes.resolve_sla_status,
        decisions.materiality_threshold,
        decisions.outcome_amount,
        decisions.is_above_materiality,
        decisions.approval_count,
        decisions.checker,
        decisions.checked_at,
        decisions.approval_status,
        decisions.decided_at,
        decisions.approval_rule,
        decisions.refusal_reason,
        decisions.is_billed

    from disputes
    left join decisions
        on disputes.dispute_id = decisions.dispute_id

)

select * from final
