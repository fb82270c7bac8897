-- Budget vs actual vs forecast per customer and fiscal year (seeds/budgets.csv): the budget,
-- what was billed so far, what the forecast adds for the rest of the year, the projected
-- total, both in percent of the budget, and whether the customer is marked for a
-- throttling review (the projection reaches the budget's throttle_at_percent).
with

budget_months as (

    select * from {{ ref('fct_budget_months') }}

),

budgets as (

    select * from {{ ref('budgets') }}
    where {{ is_approved() }}

),

customers as (

    select * from {{ ref('customers') }}

),

totals as (

    select
        customer_id,
        fiscal_year,
        sum(coalesce(actual_amount, 0)) as actual_amount,
        sum(coalesce(forecast_amount, 0)) as forecast_amount,
        sum(projected_amount) as projected_amount,
        max(case when actual_amount is not null then billing_month end) as last_actual_month

    from budget_months
    group by customer_id, fiscal_year

),

final as (

    select
        {{ text_hash(['budgets.customer_id', 'budgets.fiscal_year']) }} as budget_id,
        budgets.customer_id,
        customers.customer_name,
        budgets.fiscal_year,
        budgets.currency,
        budgets.budget_amount,
        cast(coalesce(totals.actual_amount, 0) as decimal(18, 2)) as actual_amount,
        totals.last_actual_month,
        cast(coalesce(totals.forecast_amount, 0) as decimal(18, 2)) as forecast_amount,
        cast(coalesce(totals.projected_amount, 0) as decimal(18, 2)) as projected_amount,
        cast(budgets.budget_amount - coalesce(totals.projected_amount, 0) as decimal(18, 2))
            as projected_remaining_amount,
        {{ exact_ratio('100 * coalesce(totals.actual_amount, 0)', 'budgets.budget_amount', 2) }}
            as actual_percent_of_budget,
        {{ exact_ratio('100 * coalesce(totals.projected_amount, 0)', 'budgets.budget_amount', 2) }}
            as projected_percent_of_budget,
        budgets.throttle_at_percent,
        coalesce(
            budgets.throttle_at_percent is not null
            and 100 * coalesce(totals.projected_amount, 0)
            >= budgets.throttle_at_percent * budgets.budget_amount,
            false
        ) as is_throttling_review,
        budgets.budget_note

    from budgets
    inner join customers
        on budgets.customer_id = customers.customer_id
    left join totals
        on
            budgets.customer_id = totals.customer_id
            and budgets.fiscal_year = totals.fiscal_year

)

select * from final
