-- Every version of every billing dispute, from both intakes: the ServiceNow export feed
-- (one row per dispute and export) and the billing desk's manual entries
-- (seeds/dispute_entries.csv, one row per version). Each version is typed and checked; the
-- first failing check is its quarantine reason (seeds/quarantine_reasons.csv). Nothing is
-- dropped: a version is accepted, quarantined, or a duplicate (the same dispute at the same
-- update time with the same content, as when two exports both list an unchanged dispute).
with

servicenow as (

    select * from {{ ref('stg_landing__dispute_requests') }}

),

manual_entries as (

    select * from {{ ref('dispute_entries') }}

),

customers as (

    select * from {{ ref('customers') }}

),

root_causes as (

    select * from {{ ref('dispute_root_causes') }}

),

issued_invoices as (

    select * from {{ ref('stg_register__issued_invoices') }}

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
        cast(null as varchar) as file_id,
        'seeds/dispute_entries.csv' as source_file,
        row_number() over (order by dispute_id, updated_at, state) as source_row,
        cast(null as timestamp) as landed_at,
        cast(null as varchar) as parse_error,
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

typed as (

    select
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

),

checked as (

    select
        typed.*,
        customers.billing_currency,
        case
            when typed.parse_error is not null
                then 'MALFORMED_LINE'
            when typed.dispute_id is null
                then 'MISSING_DISPUTE_ID'
            when
                typed.updated_at is null
                or typed.opened_at is null
                or (typed.acknowledged_at_text is not null and typed.acknowledged_at is null)
                or (typed.investigated_at_text is not null and typed.investigated_at is null)
                or (typed.resolved_at_text is not null and typed.resolved_at is null)
                then 'INVALID_DATE'
            when
                typed.acknowledged_at < typed.opened_at
                or typed.investigated_at < typed.opened_at
                or typed.resolved_at < typed.opened_at
                or typed.updated_at < typed.opened_at
                then 'TIMELINE_OUT_OF_ORDER'
            when customers.customer_id is null
                then 'UNKNOWN_CUSTOMER'
            when typed.billing_month is null
                then 'INVALID_BILLING_PERIOD'
            when typed.priority is null
                then 'UNKNOWN_PRIORITY'
            when typed.state is null
                then 'UNKNOWN_STATE'
            when
                (typed.disputed_amount_text is not null and typed.disputed_amount is null)
                or (typed.resolution_amount_text is not null and typed.resolution_amount is null)
                then 'INVALID_AMOUNT'
            when typed.currency is not null and typed.currency <> customers.billing_currency
                then 'CURRENCY_MISMATCH'
            when typed.root_cause_code is not null and root_causes.root_cause_code is null
                then 'UNKNOWN_ROOT_CAUSE'
            when typed.outcome_text is not null and typed.outcome is null
                then 'UNKNOWN_OUTCOME'
            when typed.state in ('resolved', 'closed') and typed.outcome is null
                then 'MISSING_OUTCOME'
            when
                typed.state in ('resolved', 'closed')
                and (typed.resolved_at is null or typed.resolved_by is null)
                then 'MISSING_RESOLVER'
            when typed.outcome in ('credit_memo', 'rebill') and typed.root_cause_code is null
                then 'MISSING_ROOT_CAUSE'
            when
                (typed.outcome = 'credit_memo' and coalesce(typed.resolution_amount, 0) <= 0)
                or (typed.outcome = 'rebill' and coalesce(typed.resolution_amount, 0) = 0)
                then 'INVALID_RESOLUTION_AMOUNT'
            when typed.invoice_number is not null and issued_invoices.invoice_number is null
                then 'UNKNOWN_INVOICE'
        end as validation_reason

    from typed
    left join customers
        on typed.customer_id = customers.customer_id
    left join root_causes
        on typed.root_cause_code = root_causes.root_cause_code
    left join issued_invoices
        on
            typed.invoice_number = issued_invoices.invoice_number
            and typed.customer_id = issued_invoices.customer_id
            and typed.billing_month = issued_invoices.billing_month

),

hashed as (

    select
        *,
        {{ text_hash([
            'customer_id', 'billing_month', 'invoice_number', 'description', 'disputed_amount',
            'priority', 'state', 'assigned_to', 'opened_at', 'acknowledged_at',
            'investigated_at', 'resolved_at', 'resolved_by', 'root_cause_code', 'outcome',
            'resolution_amount', 'resolution_note',
        ]) }} as content_hash

    from checked

),

ranked as (

    select
        *,
        case
            when validation_reason is null
                then row_number() over (
                    partition by dispute_id, updated_at, validation_reason
                    order by landed_at, intake_channel, source_file, source_row
                )
        end as occurrence,
        first_value(content_hash) over (
            partition by dispute_id, updated_at, validation_reason
            order by landed_at, intake_channel, source_file, source_row
        ) as first_content_hash

    from hashed

),

final as (

    select
        {{ text_hash(['intake_channel', 'source_file', 'source_row', 'file_id']) }}
            as dispute_version_id,
        dispute_id,
        intake_channel,
        file_id,
        source_file,
        source_row,
        landed_at,
        updated_at,
        updated_by,
        customer_id,
        billing_month,
        invoice_number,
        description,
        disputed_amount,
        currency,
        billing_currency,
        priority,
        state,
        assigned_to,
        opened_at,
        opened_by,
        acknowledged_at,
        investigated_at,
        resolved_at,
        resolved_by,
        root_cause_code,
        outcome,
        resolution_amount,
        resolution_note,
        content_hash,
        case
            when validation_reason is not null then validation_reason
            when occurrence > 1 and content_hash <> first_content_hash
                then 'CONFLICTING_VERSION'
        end as validation_reason,
        case
            when validation_reason is not null then 'quarantined'
            when occurrence > 1 and content_hash <> first_content_hash then 'quarantined'
            when occurrence > 1 then 'duplicate'
            else 'accepted'
        end as version_status

    from ranked

)

select * from final
