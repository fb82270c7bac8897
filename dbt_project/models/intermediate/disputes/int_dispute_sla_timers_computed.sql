-- Each billing dispute as it stands now (its latest accepted version), with its SLA timers.
--
-- SLA timers (seeds/dispute_sla_targets.csv, by priority, in calendar hours from opening):
-- acknowledgment, investigation and resolution. A later milestone implies the earlier ones
-- (a dispute resolved without an acknowledgment time was acknowledged when resolved). A timer
-- is met or breached when its milestone is reached; until then it is running, or breached once
-- its due time is past. Open timers run until the warehouse's dispute clock: the latest time
-- recorded by any dispute version or approval, so a rebuild gives the same answer.
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

milestones as (

    select
        latest.*,
        sla_targets.priority_name,
        dispute_clock.clock_at,
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
            as resolve_due_at

    from latest
    inner join sla_targets
        on latest.priority = sla_targets.priority
    cross join dispute_clock

),

timed as (

    select
        *,
        coalesce(acknowledged_milestone_at, cancelled_at, clock_at) as acknowledge_clock_at,
        coalesce(investigated_milestone_at, cancelled_at, clock_at) as investigate_clock_at,
        coalesce(resolved_milestone_at, cancelled_at, clock_at) as resolve_clock_at

    from milestones

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
        end as resolve_sla_status

    from timed

)

select * from final
