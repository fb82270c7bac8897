-- Each accepted version of every billing dispute, numbered in update order, and what changed
-- since the dispute's previous accepted version: state, owner, priority, root cause, outcome,
-- disputed and resolution amounts ("first recorded: <state>" for the first version), as
-- fct_dispute_audit_trail tells it.
with

versions as (

    select * from {{ ref('int_dispute_versions_validated') }}
    where version_status = 'accepted'

),

with_previous as (

    select
        dispute_version_id,
        dispute_id,
        state,
        assigned_to,
        priority,
        root_cause_code,
        outcome,
        resolution_amount,
        disputed_amount,
        lag(state) over (partition by dispute_id order by updated_at) as previous_state,
        lag(assigned_to) over (partition by dispute_id order by updated_at)
            as previous_assigned_to,
        lag(priority) over (partition by dispute_id order by updated_at) as previous_priority,
        lag(root_cause_code) over (partition by dispute_id order by updated_at)
            as previous_root_cause_code,
        lag(outcome) over (partition by dispute_id order by updated_at) as previous_outcome,
        lag(resolution_amount) over (partition by dispute_id order by updated_at)
            as previous_resolution_amount,
        lag(disputed_amount) over (partition by dispute_id order by updated_at)
            as previous_disputed_amount,
        row_number() over (partition by dispute_id order by updated_at) as version_number

    from versions

),

final as (

    select
        dispute_version_id,
        dispute_id,
        version_number,
        case
            when version_number = 1 then 'first recorded: ' || state
            else concat_ws(
                '; ',
                case
                    when state is distinct from previous_state
                        then 'state ' || coalesce(previous_state, '-') || ' -> ' || state
                end,
                case
                    when assigned_to is distinct from previous_assigned_to
                        then
                            'owner ' || coalesce(previous_assigned_to, '-') || ' -> '
                            || coalesce(assigned_to, '-')
                end,
                case
                    when priority is distinct from previous_priority
                        then
                            'priority '
                            || coalesce(cast(previous_priority as {{ text_type() }}), '-')
                            || ' -> ' || coalesce(cast(priority as {{ text_type() }}), '-')
                end,
                case
                    when root_cause_code is distinct from previous_root_cause_code
                        then
                            'root cause ' || coalesce(previous_root_cause_code, '-') || ' -> '
                            || coalesce(root_cause_code, '-')
                end,
                case
                    when outcome is distinct from previous_outcome
                        then
                            'outcome ' || coalesce(previous_outcome, '-') || ' -> '
                            || coalesce(outcome, '-')
                end,
                case
                    when disputed_amount is distinct from previous_disputed_amount
                        then
                            'disputed amount '
                            || coalesce(cast(previous_disputed_amount as {{ text_type() }}), '-')
                            || ' -> '
                            || coalesce(cast(disputed_amount as {{ text_type() }}), '-')
                end,
                case
                    when resolution_amount is distinct from previous_resolution_amount
                        then
                            'resolution amount '
                            || coalesce(cast(previous_resolution_amount as {{ text_type() }}), '-')
                            || ' -> '
                            || coalesce(cast(resolution_amount as {{ text_type() }}), '-')
                end
            )
        end as change_summary

    from with_previous

)

select * from final
