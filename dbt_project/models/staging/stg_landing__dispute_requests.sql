-- Billing disputes as exported from ServiceNow, renamed to the warehouse's words and kept as
-- text: typing and validation happen in int_dispute_versions_validated, where the manual
-- entries of seeds/dispute_entries.csv join them. Each export row is one version of a
-- dispute (its state at sys_updated_on).
with

source as (

    select * from {{ source('landing', 'dispute_requests') }}
    where {{ is_landed_record() }}

),

final as (

    select
        {{ landing_lineage_columns() }},
        upper(trim({{ blank_to_null('number') }})) as dispute_id,
        {{ blank_to_null('sys_id') }} as servicenow_sys_id,
        {{ blank_to_null('opened_at') }} as opened_at_text,
        {{ blank_to_null('opened_by') }} as opened_by,
        upper(trim({{ blank_to_null('company') }})) as customer_id,
        trim({{ blank_to_null('u_billing_period') }}) as billing_period_text,
        upper(trim({{ blank_to_null('u_invoice_number') }})) as invoice_number,
        {{ blank_to_null('short_description') }} as description,
        {{ blank_to_null('u_disputed_amount') }} as disputed_amount_text,
        upper(trim({{ blank_to_null('u_currency') }})) as currency,
        {{ blank_to_null('priority') }} as priority_text,
        {{ blank_to_null('state') }} as state_text,
        {{ blank_to_null('assigned_to') }} as assigned_to,
        {{ blank_to_null('assignment_group') }} as assignment_group,
        {{ blank_to_null('u_acknowledged_at') }} as acknowledged_at_text,
        {{ blank_to_null('u_investigation_completed_at') }} as investigated_at_text,
        {{ blank_to_null('resolved_at') }} as resolved_at_text,
        {{ blank_to_null('resolved_by') }} as resolved_by,
        {{ blank_to_null('u_root_cause') }} as root_cause_text,
        {{ blank_to_null('u_outcome') }} as outcome_text,
        {{ blank_to_null('u_resolution_amount') }} as resolution_amount_text,
        {{ blank_to_null('close_notes') }} as resolution_note,
        {{ blank_to_null('sys_updated_on') }} as updated_at_text,
        {{ blank_to_null('sys_updated_by') }} as updated_by

    from source

)

select * from final
