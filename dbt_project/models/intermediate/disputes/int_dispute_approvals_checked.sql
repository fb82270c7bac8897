-- The maker-checker decision on each billing dispute's outcome, for the dispute as it stands
-- now (int_dispute_sla_timers_computed).
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

disputes as (

    select * from {{ ref('int_dispute_sla_timers_computed') }}

),

approvals as (

    select * from {{ ref('dispute_approvals') }}

),

thresholds as (

    select * from {{ ref('dispute_materiality_thresholds') }}

),

valid_approvals as (

    select
        disputes.dispute_id,
        count(*) as approval_count,
        min(case when approvals.approved_by <> disputes.maker then approvals.approved_by end)
            as checker,
        min(case when approvals.approved_by <> disputes.maker then approvals.approved_at end)
            as checked_at,
        count(case when approvals.approved_by = disputes.maker then 1 end)
            as approvals_by_maker,
        count(case when approvals.approved_at < disputes.resolved_at then 1 end)
            as approvals_before_resolution,
        max(approvals.approved_at) as last_approval_at

    from disputes
    inner join approvals
        on disputes.dispute_id = approvals.dispute_id
    group by disputes.dispute_id

),

outcomes as (

    select
        disputes.*,
        thresholds.materiality_threshold,
        case
            when disputes.outcome = 'credit_memo' then -disputes.resolution_amount
            when disputes.outcome = 'rebill' then disputes.resolution_amount
            else 0
        end as outcome_amount

    from disputes
    left join thresholds
        on disputes.currency = thresholds.currency

),

decided as (

    select
        outcomes.*,
        valid_approvals.checker,
        valid_approvals.checked_at,
        coalesce(valid_approvals.approval_count, 0) as approval_count,
        case
            when valid_approvals.checker is not null then valid_approvals.checked_at
            when valid_approvals.last_approval_at > outcomes.last_updated_at
                then valid_approvals.last_approval_at
            else outcomes.last_updated_at
        end as decided_at,
        case
            when outcomes.state = 'cancelled' then 'cancelled'
            when outcomes.state not in ('resolved', 'closed') then 'awaiting_resolution'
            when outcomes.outcome = 'rejected' then 'not_required'
            when abs(outcomes.outcome_amount) <= outcomes.materiality_threshold then 'approved'
            when valid_approvals.checker is not null then 'approved'
            else 'refused'
        end as approval_status,
        case
            when outcomes.state not in ('resolved', 'closed') or outcomes.outcome = 'rejected'
                then null
            when abs(outcomes.outcome_amount) <= outcomes.materiality_threshold
                then 'within the materiality threshold: the maker''s resolution suffices'
            when valid_approvals.checker is not null
                then
                    'above the materiality threshold: approved by ' || valid_approvals.checker
                    || ', who is not the maker'
        end as approval_rule,
        case
            when
                outcomes.state in ('resolved', 'closed')
                and outcomes.outcome in ('credit_memo', 'rebill')
                and abs(outcomes.outcome_amount) > outcomes.materiality_threshold
                and valid_approvals.checker is null
                then
                    'Refused: a '
                    || case
                        when outcomes.outcome = 'credit_memo' then 'credit memo'
                        else 're-bill'
                    end
                    || ' of ' || cast(outcomes.resolution_amount as {{ text_type() }}) || ' '
                    || outcomes.currency
                    || ' is above the materiality threshold of '
                    || cast(outcomes.materiality_threshold as {{ text_type() }}) || ' '
                    || outcomes.currency
                    || ' and needs a second approver who is not its maker (' || outcomes.maker
                    || '): '
                    || case
                        when coalesce(valid_approvals.approvals_by_maker, 0) > 0
                            then 'the only approval is by the maker'
                        when coalesce(valid_approvals.approvals_before_resolution, 0) > 0
                            then 'approvals dated before the resolution do not count'
                        else 'no approval is recorded'
                    end
        end as refusal_reason

    from outcomes
    left join valid_approvals
        on outcomes.dispute_id = valid_approvals.dispute_id

),

final as (

    select
        dispute_id,
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
