-- Every version of every billing dispute, from both intakes, in one schema and typed: the
-- ServiceNow export feed (stg_landing__dispute_requests, one row per dispute and export) and
-- the billing desk's manual entries (seeds/dispute_entries.csv, one row per version, numbered
-- in the order of dispute, update time and state). Timestamps, the billing period, amounts
-- and the priority are cast safely (a value that does not type is null next to its text);
-- ServiceNow's state and outcome names are mapped to ours (new, acknowledged, investigating,
-- resolved, closed, cancelled; credit_memo, rebill, rejected), anything else is null.
-- int_dispute_versions_validated checks them.
with

servicenow as (

    select * from {{ ref('stg_landing__dispute_requests') }}

),

manual_entries as (

    select * from {{ ref('dispute_entries') }}

),

unioned as (

    select
        'servicenow' as intake_channel,
        file_id,
        source_file,
        source_row,
        landed_at,
        parse_error,
        dispute_id,
        opened_at_text,
        opened_by,
        customer_id,
        billing_period_text,
        invoice_number,
        description,
        disputed_amount_text,
        currency,
        priority_text,
        state_text,
        assigned_to,
        acknowledged_at_text,
        investigated_at_text,
        resolved_at_text,
        resolved_by,
        root_cause_text,
        outcome_text,
        resolution_amount_text,
        resolution_note,
        updated_at_text,
        updated_by

    from servicenow

    union all

    select
        'manual' as intake_channel,
        cast(null as {{ text_type() }}) as file_id,
        'seeds/dispute_entries.csv' as source_file,
        row_number() over (order by dispute_id, updated_at, state) as source_row,
        cast(null as timestamp) as landed_at,
        cast(null as {{ text_type() }}) as parse_error,
        upper(trim(dispute_id)) as dispute_id,
        opened_at as opened_at_text,
        opened_by,
        upper(trim(customer_id)) as customer_id,
        trim(billing_period) as billing_period_text,
        upper(trim(invoice_number)) as invoice_number,
        description,
        disputed_amount as disputed_amount_text,
        upper(trim(currency)) as currency,
        priority as priority_text,
        state as state_text,
        assigned_to,
        acknowledged_at as acknowledged_at_text,
        investigated_at as investigated_at_text,
        resolved_at as resolved_at_text,
        resolved_by,
        root_cause_code as root_cause_text,
        outcome as outcome_text,
        resolution_amount as resolution_amount_text,
        resolution_note,
        updated_at as updated_at_text,
        updated_by

    from manual_entries

),

final as (

    select
        {{ text_hash(['intake_channel', 'source_file', 'source_row', 'file_id']) }}
            as dispute_version_id,
        *,
        {{ safe_timestamp('opened_at_text') }} as opened_at,
        {{ safe_timestamp('acknowledged_at_text') }} as acknowledged_at,
        {{ safe_timestamp('investigated_at_text') }} as investigated_at,
        {{ safe_timestamp('resolved_at_text') }} as resolved_at,
        {{ safe_timestamp('updated_at_text') }} as updated_at,
        cast({{ safe_timestamp("billing_period_text || '-01'") }} as date) as billing_month,
        cast({{ safe_decimal('disputed_amount_text') }} as decimal(18, 2)) as disputed_amount,
        cast({{ safe_decimal('resolution_amount_text') }} as decimal(18, 2))
            as resolution_amount,
        cast({{ regexp_first_match('trim(priority_text)', "'^[1-4]'") }} as integer)
            as priority,
        case lower(trim(state_text))
            when 'new' then 'new'
            when 'acknowledged' then 'acknowledged'
            when 'work in progress' then 'investigating'
            when 'in progress' then 'investigating'
            when 'investigating' then 'investigating'
            when 'resolved' then 'resolved'
            when 'closed' then 'closed'
            when 'closed complete' then 'closed'
            when 'cancelled' then 'cancelled'
            when 'canceled' then 'cancelled'
            when 'closed incomplete' then 'cancelled'
        end as state,
        case lower(trim(outcome_text))
            when 'credit memo' then 'credit_memo'
            when 'credit_memo' then 'credit_memo'
            when 're-bill' then 'rebill'
            when 'rebill' then 'rebill'
            when 'rejected' then 'rejected'
        end as outcome,
        upper(replace(trim(root_cause_text), ' ', '_')) as root_cause_code

    from unioned

)

select * from final
