-- The general-ledger journal of what is invoiced, double entry, per billing month. Each
-- chargeback invoice line is split over the consumer cost centers behind it (in proportion
-- to their unrounded rated amounts: int_invoice_line_consumers_weighted), to the cent by
-- largest remainder, and each part debits the cost center's expense account code and
-- credits the IT recovery account of the line's service category
-- (seeds/gl_recovery_accounts.csv). A negative line (a cloud credit) does the reverse. Lines
-- with no usage behind them (shared costs, labour contract fees and credits) go to the
-- customer's first cost center.
-- Debits equal credits per month, and a customer's net expense equals its invoice (tested).
with

lines as (

    select * from {{ ref('fct_invoice_lines') }}
    where billing_mode = 'chargeback'

),

line_consumers as (

    select * from {{ ref('int_invoice_line_consumers_weighted') }}

),

cost_centers as (

    select * from {{ ref('cost_centers') }}

),

account_codes as (

    select * from {{ ref('account_codes') }}

),

recovery_accounts as (

    select * from {{ ref('gl_recovery_accounts') }}

),

first_cost_centers as (

    select
        customer_id,
        min(cost_center_id) as cost_center_id

    from cost_centers
    group by customer_id

),

customer_level_parts as (

    select
        lines.invoice_line_id,
        first_cost_centers.cost_center_id,
        account_codes.account_code_id,
        {{ big_integer(1) }} as weight_units

    from lines
    inner join first_cost_centers
        on lines.customer_id = first_cost_centers.customer_id
    left join account_codes
        on
            first_cost_centers.cost_center_id = account_codes.cost_center_id
            and {{ is_effective('lines.billing_month', 'account_codes', 'valid_from', 'valid_to') }}
    where lines.charge_type <> 'usage'

),

usage_parts as (

    select
        invoice_line_id,
        cost_center_id,
        account_code_id,
        weight_units

    from line_consumers

),

weights as (

    select * from usage_parts
    union all
    select * from customer_level_parts

),

parts as (

    select
        lines.invoice_line_id,
        lines.invoice_id,
        lines.customer_id,
        lines.billing_month,
        lines.service_category,
        lines.currency,
        case when lines.line_amount < 0 then -1 else 1 end as line_sign,
        {{ big_integer('round(abs(lines.line_amount) * 100, 0)') }} as line_cents,
        weights.cost_center_id,
        weights.account_code_id,
        weights.weight_units

    from lines
    inner join weights
        on lines.invoice_line_id = weights.invoice_line_id

),

{{ largest_remainder_ctes(
    'split', 'parts', ['invoice_line_id'], 'line_cents', 'weight_units',
    'cost_center_id || coalesce(account_code_id, \'\')'
) }},

entries as (

    select
        {{ text_hash(['split.invoice_line_id', 'split.cost_center_id', 'split.account_code_id']) }}
            as journal_entry_id,
        split.invoice_line_id,
        split.invoice_id,
        split.customer_id,
        split.cost_center_id,
        split.billing_month,
        split.currency,
        split.account_code_id as expense_account_id,
        recovery_accounts.gl_account_id as recovery_account_id,
        cast(split.allocated_cents * split.line_sign * 0.01 as decimal(18, 2)) as amount

    from split
    left join recovery_accounts
        on split.service_category = recovery_accounts.service_category
    where split.allocated_cents > 0

),

journal_lines as (

    select
        journal_entry_id,
        'expense' as account_role,
        expense_account_id as gl_account_id,
        case when amount > 0 then amount else 0 end as debit_amount,
        case when amount < 0 then -amount else 0 end as credit_amount,
        invoice_line_id,
        invoice_id,
        customer_id,
        cost_center_id,
        billing_month,
        currency

    from entries

    union all

    select
        journal_entry_id,
        'recovery' as account_role,
        recovery_account_id as gl_account_id,
        case when amount < 0 then -amount else 0 end as debit_amount,
        case when amount > 0 then amount else 0 end as credit_amount,
        invoice_line_id,
        invoice_id,
        customer_id,
        cost_center_id,
        billing_month,
        currency

    from entries

),

final as (

    select
        {{ text_hash(['journal_entry_id', 'account_role']) }} as journal_line_id,
        journal_entry_id,
        billing_month as period_month,
        cast({{ add_months('billing_month', 1) }} - 1 as date) as posting_date,
        account_role,
        gl_account_id,
        cast(debit_amount as decimal(18, 2)) as debit_amount,
        cast(credit_amount as decimal(18, 2)) as credit_amount,
        currency,
        invoice_id,
        invoice_line_id,
        customer_id,
        cost_center_id

    from journal_lines

)

select * from final
