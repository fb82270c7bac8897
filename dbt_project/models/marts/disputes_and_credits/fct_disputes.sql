-- Billing disputes, one row per dispute as it stands now (int_disputes_resolved): owner,
-- root cause, outcome, SLA timers, the maker-checker decision and, once approved, the
-- invoice line that bills the outcome (on the disputed month's draft, or a prior-period
-- adjustment on the next open invoice when that month is closed). Every version and approval
-- is in fct_dispute_audit_trail.
with

disputes as (

    select * from {{ ref('int_disputes_resolved') }}

),

customers as (

    select * from {{ ref('customers') }}

),

root_causes as (

    select * from {{ ref('dispute_root_causes') }}

),

invoice_lines as (

    select * from {{ ref('fct_invoice_lines') }}
    where charge_type in ('dispute_credit', 'dispute_rebill', 'ppa')

),

billed_lines as (

    select
        disputes.dispute_id,
        min(invoice_lines.invoice_id) as billed_invoice_id,
        min(invoice_lines.invoice_status) as billed_invoice_status,
        sum(invoice_lines.line_amount) as billed_amount

    from disputes
    inner join invoice_lines
        on
            invoice_lines.charge_type in ('dispute_credit', 'dispute_rebill')
            and disputes.dispute_id = invoice_lines.product_name
            and disputes.invoice_id = invoice_lines.invoice_id
    group by disputes.dispute_id

),

corrected_lines as (

    select
        disputes.dispute_id,
        min(invoice_lines.invoice_id) as ppa_invoice_id,
        min(invoice_lines.invoice_status) as ppa_invoice_status,
        sum(invoice_lines.line_amount) as ppa_amount

    from disputes
    inner join invoice_lines
        on
            invoice_lines.charge_type = 'ppa'
            and disputes.dispute_id = invoice_lines.product_name
            and disputes.invoice_id = invoice_lines.original_invoice_id
    group by disputes.dispute_id

),

final as (

    select
        disputes.dispute_id,
        disputes.intake_channel,
        disputes.customer_id,
        customers.customer_name,
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
        root_causes.description as root_cause_description,
        disputes.outcome,
        disputes.resolution_amount,
        disputes.resolution_note,
        disputes.version_count,
        disputes.first_recorded_at,
        disputes.last_updated_at,
        disputes.last_updated_by,
        disputes.dispute_clock_at,
        disputes.acknowledge_due_at,
        disputes.acknowledge_elapsed_hours,
        disputes.acknowledge_sla_status,
        disputes.investigate_due_at,
        disputes.investigate_elapsed_hours,
        disputes.investigate_sla_status,
        disputes.resolve_due_at,
        disputes.resolve_elapsed_hours,
        disputes.resolve_sla_status,
        disputes.materiality_threshold,
        disputes.outcome_amount,
        disputes.is_above_materiality,
        disputes.approval_count,
        disputes.checker,
        disputes.checked_at,
        disputes.approval_status,
        disputes.decided_at,
        disputes.approval_rule,
        disputes.refusal_reason,
        disputes.is_billed,
        coalesce(corrected_lines.ppa_invoice_id, billed_lines.billed_invoice_id)
            as billed_on_invoice_id,
        case
            when corrected_lines.ppa_invoice_id is not null then 'prior_period_adjustment'
            when billed_lines.billed_invoice_status = 'issued' then 'issued_invoice_line'
            when billed_lines.billed_invoice_status = 'draft' then 'draft_invoice_line'
            when disputes.is_billed then 'awaiting_an_open_invoice'
        end as billing_route,
        coalesce(corrected_lines.ppa_amount, billed_lines.billed_amount) as billed_line_amount

    from disputes
    inner join customers
        on disputes.customer_id = customers.customer_id
    left join root_causes
        on disputes.root_cause_code = root_causes.root_cause_code
    left join billed_lines
        on disputes.dispute_id = billed_lines.dispute_id
    left join corrected_lines
        on disputes.dispute_id = corrected_lines.dispute_id

)

select * from final
