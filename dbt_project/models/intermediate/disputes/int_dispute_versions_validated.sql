-- Every version of every billing dispute, from both intakes: the ServiceNow export feed
-- (one row per dispute and export) and the billing desk's manual entries
-- (seeds/dispute_entries.csv, one row per version). Each version, typed in
-- int_dispute_versions_typed, is checked here; the first failing check is its quarantine
-- reason (seeds/quarantine_reasons.csv). Nothing is dropped: a version is accepted,
-- quarantined, or a duplicate (the same dispute at the same update time with the same
-- content, as when two exports both list an unchanged dispute).
with

typed as (

    select * from {{ ref('int_dispute_versions_typed') }}

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
        dispute_version_id,
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
