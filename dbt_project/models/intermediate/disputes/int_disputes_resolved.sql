-- Each billing dispute as it stands now (its latest accepted version), with its SLA timers
-- and the decision on its outcome.
--
-- SLA timers (seeds/dispute_sla_targets.csv, by priority, in calendar hours from opening):
-- acknowledgment, investigation and resolution. A later milestone implies the earlier ones
-- (a dispute resolved without an acknowledgment time was acknowledged when resolved). A timer
-- is met or breached when its milestone is reached; until then it is running, or breached once
-- its due time is past. Open timers run until the warehouse's dispute clock: the latest time
-- recorded by any dispute version or approval, so a rebuild gives the same answer.
--
-- Maker and checker: the maker of an outcome is who resolved the dispute. A credit memo or a
-- re-bill whose amount is above the materiality threshold of its currency
-- (seeds/dispute_materiality_thresholds.csv) needs a second approver who is not the maker
-- (seeds/dispute_approvals.csv, approved at or after the resolution). Within the threshold
-- the maker's resolution suffices. Anything else is refused, with the reason; a refused
-- outcome is never billed. An approved outcome becomes an invoice line of the disputed month
-- (int_manual_adjustments_applied): on its draft, or as a prior-period adjustment on the next
-- open invoice once that month is closed.
with

versions as (

    select * from {{ ref('int_dispute_versions_validated') }}
    where version_status = 'accepted'

),

approvals as (

    select * from {{ ref('dispute_approvals') }}

),

sla_targets as (

    select * from {{ ref('dispute_sla_targets') }}

),

thresholds as (

    select * from {{ ref('dispute_materiality_thresholds') }}

),

ranked as (

    select
        *,
        row_number() over (partition by dispute_id order by updated_at desc) as recency,
        count(*) over (partition by dispute_id) as version_count,
        min(updated_at) over (partition by dispute_id) as first_recorded_at

    from versions

),

latest as (

    select * from ranked
    where recency = 1

),

dispute_clock as (

    select max(recorded_at) as clock_at
    from (
        select updated_at as recorded_at from versions
        union all
        select approved_at as recorded_at from approvals
    ) as recorded

),

valid_approvals as (

    select
        latest.dispute_id,
        count(*) as approval_count,
        min(
            case when approvals.approved_by <> latest.resolved_by then approvals.approved_by end
        ) as checker,
        min(
            case when approvals.approved_by <> latest.resolved_by then approvals.approved_at end
        ) as checked_at,
        count(case when approvals.approved_by = latest.resolved_by then 1 end)
            as approvals_by_maker,
        count(case when approvals.approved_at < latest.resolved_at then 1 end)
            as approvals_before_resolution,
        max(approvals.approved_at) as last_approval_at

    from latest
    inner join approvals
        on latest.dispute_id = approvals.dispute_id
    group by latest.dispute_id

),

milestones as (

    select
        latest.*,
        sla_targets.priority_name,
        sla_targets.acknowledge_within_hours,
        sla_targets.investigate_within_hours,
        sla_targets.resolve_within_hours,
        dispute_clock.clock_at,
        thresholds.materiality_threshold,
        case when latest.state = 'cancelled' then latest.updated_at end as cancelled_at,
        coalesce(latest.acknowledged_at, latest.investigated_at, latest.resolved_at)
            as acknowledged_milestone_at,
        coalesce(latest.investigated_at, latest.resolved_at) as investigated_milestone_at,
        case when latest.state in ('resolved', 'closed') then latest.resolved_at end
            as resolved_milestone_at,
        {{ add_hours('latest.opened_at', 'sla_targets.acknowledge_within_hours') }}
            as acknowledge_due_at,
        {{ add_hours('latest.opened_at', 'sla_targets.investigate_within_hours') }}
            as investigate_due_at,
        {{ add_hours('latest.opened_at', 'sla_targets.resolve_within_hours') }}
            as resolve_due_at,
        case
            when latest.outcome = 'credit_memo' then -latest.resolution_amount
            when latest.outcome = 'rebill' then latest.resolution_amount
            else 0
        end as outcome_amount

    from latest
    inner join sla_targets
        on latest.priority = sla_targets.priority
    cross join dispute_clock
    left join thresholds
        on latest.billing_currency = thresholds.currency

),

timed as (

    select
        *,
        coalesce(acknowledged_milestone_at, cancelled_at, clock_at) as acknowledge_clock_at,
        coalesce(investigated_milestone_at, cancelled_at, clock_at) as investigate_clock_at,
        coalesce(resolved_milestone_at, cancelled_at, clock_at) as resolve_clock_at

    from milestones

),

decided as (

    select
        timed.*,
        valid_approvals.checker,
        valid_approvals.checked_at,
        coalesce(valid_approvals.approval_count, 0) as approval_count,
        case
            when valid_approvals.checker is not null then valid_approvals.checked_at
            when valid_approvals.last_approval_at > timed.updated_at
                then valid_approvals.last_approval_at
            else timed.updated_at
        end as decided_at,
        case
            when timed.state = 'cancelled' then 'cancelled'
            when timed.state not in ('resolved', 'closed') then 'awaiting_resolution'
            when timed.outcome = 'rejected' then 'not_required'
            when abs(timed.outcome_amount) <= timed.materiality_threshold then 'approved'
            when valid_approvals.checker is not null then 'approved'
            else 'refused'
        end as approval_status,
        case
            when timed.state not in ('resolved', 'closed') or timed.outcome = 'rejected'
                then null
            when abs(timed.outcome_amount) <= timed.materiality_threshold
                then 'within the materiality threshold: the maker''s resolution suffices'
            when valid_approvals.checker is not null
                then
                    'above the materiality threshold: approved by ' || valid_approvals.checker
                    || ', who is not the maker'
        end as approval_rule,
        case
            when
                timed.state in ('resolved', 'closed')
                and timed.outcome in ('credit_memo', 'rebill')
                and abs(timed.outcome_amount) > timed.materiality_threshold
                and valid_approvals.checker is null
                then
                    'Refused: a '
                    || case when timed.outcome = 'credit_memo' then 'credit memo' else 're-bill' end
                    || ' of ' || cast(timed.resolution_amount as varchar) || ' '
                    || timed.billing_currency
                    || ' is above the materiality threshold of '
                    || cast(timed.materiality_threshold as varchar) || ' ' || timed.billing_currency
                    || ' and needs a second approver who is not its maker (' || timed.resolved_by
                    || '): '
                    || case
                        when coalesce(valid_approvals.approvals_by_maker, 0) > 0
                            then 'the only approval is by the maker'
                        when coalesce(valid_approvals.approvals_before_resolution, 0) > 0
                            then 'approvals dated before the resolution do not count'
                        else 'no approval is recorded'
                    end
        end as refusal_reason

    from timed
    left join valid_approvals
        on timed.dispute_id = valid_approvals.dispute_id

),

final as (

    select
        dispute_id,
        intake_channel,
        customer_id,
        billing_month,
        customer_id || '-' || {{ month_key('billing_month') }} as invoice_id,
        invoice_number,
        description,
        disputed_amount,
        billing_currency as currency,
        priority,
        priority_name,
        state,
        assigned_to as owner,
        opened_at,
        opened_by,
        acknowledged_milestone_at as acknowledged_at,
        investigated_milestone_at as investigated_at,
        resolved_milestone_at as resolved_at,
        resolved_by as maker,
        root_cause_code,
        outcome,
        resolution_amount,
        resolution_note,
        version_count,
        first_recorded_at,
        updated_at as last_updated_at,
        updated_by as last_updated_by,
        clock_at as dispute_clock_at,
        acknowledge_due_at,
        investigate_due_at,
        resolve_due_at,
        {{ hours_between('opened_at', 'acknowledge_clock_at') }} as acknowledge_elapsed_hours,
        {{ hours_between('opened_at', 'investigate_clock_at') }} as investigate_elapsed_hours,
        {{ hours_between('opened_at', 'resolve_clock_at') }} as resolve_elapsed_hours,
        case
            when
                acknowledged_milestone_at is not null
                and acknowledged_milestone_at <= acknowledge_due_at
                then 'met'
            when acknowledge_clock_at > acknowledge_due_at then 'breached'
            when cancelled_at is not null then 'stopped'
            else 'running'
        end as acknowledge_sla_status,
        case
            when
                investigated_milestone_at is not null
                and investigated_milestone_at <= investigate_due_at
                then 'met'
            when investigate_clock_at > investigate_due_at then 'breached'
            when cancelled_at is not null then 'stopped'
            else 'running'
        end as investigate_sla_status,
        case
            when
                resolved_milestone_at is not null and resolved_milestone_at <= resolve_due_at
                then 'met'
            when resolve_clock_at > resolve_due_at then 'breached'
            when cancelled_at is not null then 'stopped'
            else 'running'
        end as resolve_sla_status,
        materiality_threshold,
        outcome_amount,
        abs(outcome_amount) > materiality_threshold as is_above_materiality,
        approval_count,
        checker,
        checked_at,
        approval_status,
        decided_at,
        approval_rule,
        refusal_reason,
        approval_status = 'approved' and outcome in ('credit_memo', 'rebill') as is_billed

    from decided

)

select * from final
