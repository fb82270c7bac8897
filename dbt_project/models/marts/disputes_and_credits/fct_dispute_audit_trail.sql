-- The full audit trail of every billing dispute, one row per event, in order:
--   version    each version recorded by either intake (ServiceNow export row or manual
--              entry), accepted, quarantined (with its reason) or a duplicate, with what
--              changed since the previous accepted version (int_dispute_versions_compared);
--   approval   each approval recorded in seeds/dispute_approvals.csv, and whether it counts
--              as the checker's (not the maker, at or after the resolution);
--   decision   the warehouse's decision on the outcome: approved (and by which rule) or
--              refused (and why).
-- Nothing is dropped: quarantined versions and approvals of disputes not landed yet are here.
with

versions as (

    select * from {{ ref('int_dispute_versions_validated') }}

),

approvals as (

    select * from {{ ref('dispute_approvals') }}

),

disputes as (

    select * from {{ ref('int_disputes_resolved') }}

),

reasons as (

    select * from {{ ref('quarantine_reasons') }}

),

changes as (

    select * from {{ ref('int_dispute_versions_compared') }}

),

version_events as (

    select
        versions.dispute_version_id as audit_event_id,
        versions.dispute_id,
        'version' as event_type,
        versions.updated_at as event_at,
        versions.updated_by as actor,
        versions.intake_channel,
        versions.version_status as event_status,
        versions.validation_reason,
        changes.version_number,
        versions.state,
        case
            when versions.version_status = 'duplicate'
                then 'The same version again, already recorded: counted once'
            when versions.version_status = 'quarantined' then reasons.description
            else changes.change_summary
        end as details,
        versions.source_file,
        versions.source_row,
        versions.file_id

    from versions
    left join changes
        on versions.dispute_version_id = changes.dispute_version_id
    left join reasons
        on versions.validation_reason = reasons.reason_code

),

approval_events as (

    select
        {{ text_hash(["'approval'", 'approvals.dispute_id', 'approvals.approved_by',
                      'approvals.approved_at']) }} as audit_event_id,
        approvals.dispute_id,
        'approval' as event_type,
        approvals.approved_at as event_at,
        approvals.approved_by as actor,
        'manual' as intake_channel,
        case
            when disputes.dispute_id is null then 'no_such_dispute'
            when disputes.resolved_at is null then 'before_resolution'
            when approvals.approved_at < disputes.resolved_at then 'before_resolution'
            when approvals.approved_by = disputes.maker then 'by_maker'
            else 'checker'
        end as event_status,
        cast(null as {{ text_type() }}) as validation_reason,
        cast(null as bigint) as version_number,
        disputes.state,
        case
            when disputes.dispute_id is null
                then 'No dispute with this number has landed (yet): '
            when disputes.resolved_at is null or approvals.approved_at < disputes.resolved_at
                then 'Dated before the resolution, so it does not count: '
            when approvals.approved_by = disputes.maker
                then 'By the maker of the outcome, so it is not a second approval: '
            else 'Second approval (checker): '
        end || coalesce(approvals.approval_note, '') as details,
        'seeds/dispute_approvals.csv' as source_file,
        cast(null as bigint) as source_row,
        cast(null as {{ text_type() }}) as file_id

    from approvals
    left join disputes
        on approvals.dispute_id = disputes.dispute_id

),

decision_events as (

    select
        {{ text_hash(["'decision'", 'dispute_id']) }} as audit_event_id,
        dispute_id,
        'decision' as event_type,
        decided_at as event_at,
        'warehouse' as actor,
        cast(null as {{ text_type() }}) as intake_channel,
        approval_status as event_status,
        cast(null as {{ text_type() }}) as validation_reason,
        cast(null as bigint) as version_number,
        state,
        coalesce(refusal_reason, approval_rule, 'Rejected: nothing is billed') as details,
        cast(null as {{ text_type() }}) as source_file,
        cast(null as bigint) as source_row,
        cast(null as {{ text_type() }}) as file_id

    from disputes
    where approval_status in ('approved', 'refused', 'not_required')

),

unioned as (

    select * from version_events
    union all
    select * from approval_events
    union all
    select * from decision_events

),

final as (

    select
        *,
        row_number() over (
            partition by dispute_id
            order by
                event_at,
                case event_type when 'version' then 1 when 'approval' then 2 else 3 end,
                source_file,
                source_row
        ) as event_sequence

    from unioned

)

select * from final
