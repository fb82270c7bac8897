-- Budget alerts: one per customer, fiscal year, threshold (seeds/budget_alert_thresholds.csv,
-- 80 % and 100 %; plus the budget's throttle_at_percent) and basis, when it is crossed:
--   actual     what was billed so far has reached the threshold (the month it did);
--   forecast   the projection (billed so far, then the forecast) reaches it (the month it
--              is expected to).
-- The key (alert_id) is the customer, fiscal year, threshold and basis, so an alert exists
-- once however often the warehouse is rebuilt; the Dagster sensor delivers each new one
-- once to the notifications outbox (chargeback/outputs/alerts.py), as an e-mail-ready message.
with

budget_months as (

    select * from {{ ref('fct_budget_months') }}

),

budgets as (

    select * from {{ ref('budgets') }}
    where {{ is_approved() }}

),

thresholds as (

    select
        threshold_percent,
        severity,
        alert_note,
        false as is_throttling_review

    from {{ ref('budget_alert_thresholds') }}

),

customers as (

    select * from {{ ref('customers') }}

),

levels as (

    select
        budgets.customer_id,
        budgets.fiscal_year,
        thresholds.threshold_percent,
        thresholds.severity,
        thresholds.alert_note,
        thresholds.is_throttling_review

    from budgets
    cross join thresholds

    union all

    select
        customer_id,
        fiscal_year,
        throttle_at_percent as threshold_percent,
        'throttling_review' as severity,
        'The customer is marked for a throttling review: spending is projected beyond the '
        || 'budget cap' as alert_note,
        true as is_throttling_review

    from budgets
    where throttle_at_percent is not null

),

bases as (

    select 'actual' as basis
    union all
    select 'forecast' as basis

),

crossings as (

    select
        levels.customer_id,
        levels.fiscal_year,
        levels.threshold_percent,
        levels.severity,
        levels.alert_note,
        levels.is_throttling_review,
        bases.basis,
        min(budget_months.billing_month) as crossed_month

    from levels
    cross join bases
    inner join budget_months
        on
            levels.customer_id = budget_months.customer_id
            and levels.fiscal_year = budget_months.fiscal_year
            and 100 * case
                when bases.basis = 'actual' then budget_months.cumulative_actual_amount
                else budget_months.cumulative_projected_amount
            end >= levels.threshold_percent * budget_months.budget_amount
    where not (levels.is_throttling_review and bases.basis = 'actual')
    group by
        levels.customer_id,
        levels.fiscal_year,
        levels.threshold_percent,
        levels.severity,
        levels.alert_note,
        levels.is_throttling_review,
        bases.basis

),

final as (

    select
        {{ text_hash([
            'crossings.customer_id', 'crossings.fiscal_year', 'crossings.threshold_percent',
            'crossings.basis',
        ]) }} as alert_id,
        crossings.customer_id,
        customers.customer_name,
        crossings.fiscal_year,
        crossings.basis,
        crossings.threshold_percent,
        crossings.severity,
        crossings.is_throttling_review,
        crossings.crossed_month,
        budgets.budget_amount,
        budgets.currency,
        budgets.notify_email,
        '[' || upper(crossings.severity) || '] ' || customers.customer_name || ': FY'
        || cast(crossings.fiscal_year as {{ text_type() }}) || ' '
        || case
            when crossings.basis = 'actual' then 'spending has reached ' else 'forecast to reach '
        end
        || cast(cast(crossings.threshold_percent as decimal(9, 0)) as {{ text_type() }})
        || ' % of budget'
            as subject,
        customers.customer_name || ' (' || crossings.customer_id || '), fiscal year '
        || cast(crossings.fiscal_year as {{ text_type() }}) || ': '
        || case
            when crossings.basis = 'actual'
                then 'billed spending reached '
            else 'billed spending plus the forecast is expected to reach '
        end
        || cast(cast(crossings.threshold_percent as decimal(9, 0)) as {{ text_type() }})
        || ' % of the budget of ' || cast(budgets.budget_amount as {{ text_type() }}) || ' '
        || budgets.currency
        || ' in '
        || substr(cast(crossings.crossed_month as {{ text_type() }}), 1, 7)
        || '. '
        || crossings.alert_note || '.' as body

    from crossings
    inner join budgets
        on
            crossings.customer_id = budgets.customer_id
            and crossings.fiscal_year = budgets.fiscal_year
    inner join customers
        on crossings.customer_id = customers.customer_id

)

select * from final
