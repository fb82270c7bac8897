-- Committed spend and minimum charges (seeds/contracts.csv, billing_model =
-- 'minimum_commitment'). The customer commits to commitment_amount over each period of
-- commitment_months months counted from effective_from (1: a monthly minimum charge; 12:
-- an annual commitment). On the period's last month (or the contract's last month, if it
-- ends first), the spend in scope over the period (every line except shared costs, after
-- discounts; or only the contract's service_category) is compared with the commitment, and
-- a true-up line bills the shortfall. Nothing is billed when the spend reaches it.
with

contracts as (

    select * from {{ ref('contracts') }}
    where billing_model = 'minimum_commitment' and {{ is_approved() }}

),

unioned_lines as (

    select * from {{ ref('int_invoice_lines_unioned') }}
    where charge_type <> 'shared_cost'

),

discount_lines as (

    select * from {{ ref('int_spend_discounts_applied') }}

),

lines as (

    select
        customer_id,
        billing_month,
        service_category,
        unrounded_amount
    from unioned_lines
    union all
    select
        customer_id,
        billing_month,
        service_category,
        unrounded_amount
    from discount_lines

),

billing_months as (

    select distinct billing_month from unioned_lines

),

contract_months as (

    select
        contracts.contract_id,
        contracts.customer_id,
        contracts.service_category,
        contracts.commitment_amount,
        contracts.commitment_months,
        contracts.currency,
        billing_months.billing_month,
        {{ int_div(
            months_between('contracts.effective_from', 'billing_months.billing_month'),
            'contracts.commitment_months'
        ) }} as period_number,
        (
            {{ int_mod(
                months_between('contracts.effective_from', 'billing_months.billing_month'),
                'contracts.commitment_months'
            ) }} = contracts.commitment_months - 1
            or (
                contracts.effective_to is not null
                and {{ months_between('billing_months.billing_month', 'contracts.effective_to') }}
                = 0
            )
        ) as is_period_end

    from contracts
    inner join billing_months
        on
            {{ months_between('contracts.effective_from', 'billing_months.billing_month') }} >= 0
            and (
                contracts.effective_to is null
                or contracts.effective_to >= billing_months.billing_month
            )

),

monthly_spend as (

    select
        contract_months.contract_id,
        contract_months.billing_month,
        contract_months.period_number,
        coalesce(sum(lines.unrounded_amount), 0) as spend_amount

    from contract_months
    left join lines
        on
            contract_months.customer_id = lines.customer_id
            and contract_months.billing_month = lines.billing_month
            and (
                contract_months.service_category is null
                or contract_months.service_category = lines.service_category
            )
    group by
        contract_months.contract_id,
        contract_months.billing_month,
        contract_months.period_number

),

period_ends as (

    select * from contract_months
    where is_period_end

),

period_spend as (

    select
        period_ends.contract_id,
        period_ends.billing_month,
        sum(monthly_spend.spend_amount) as spend_amount

    from period_ends
    inner join monthly_spend
        on
            period_ends.contract_id = monthly_spend.contract_id
            and period_ends.period_number = monthly_spend.period_number
            and period_ends.billing_month >= monthly_spend.billing_month
    group by period_ends.contract_id, period_ends.billing_month

),

shortfalls as (

    select
        period_ends.*,
        period_spend.spend_amount,
        period_ends.commitment_amount - period_spend.spend_amount as shortfall_amount

    from period_ends
    inner join period_spend
        on
            period_ends.contract_id = period_spend.contract_id
            and period_ends.billing_month = period_spend.billing_month
    where period_spend.spend_amount < period_ends.commitment_amount

),

final as (

    select
        {{ text_hash(['contract_id', 'billing_month', "'true_up'"]) }} as invoice_line_id,
        customer_id || '-' || {{ month_key('billing_month') }} as invoice_id,
        customer_id,
        billing_month,
        'commitment_true_up' as charge_type,
        coalesce(service_category, 'Contract Adjustments') as service_category,
        'Contract commitments' as service_name,
        case
            when commitment_months = 1 then 'Minimum monthly charge'
            else
                'Committed spend over ' || cast(commitment_months as {{ text_type() }})
                || ' months'
        end as product_name,
        'True-up: commitment ' || cast(commitment_amount as {{ text_type() }}) || ', spend '
        || cast(cast(round(spend_amount, 2) as decimal(18, 2)) as {{ text_type() }})
            as component_name,
        contract_id as sku_id,
        'commitment' as pricing_unit,
        cast(null as {{ text_type() }}) as rate_version,
        cast(null as {{ amount_type() }}) as unit_price,
        cast(null as decimal(18, 12)) as rate_multiplier,
        currency,
        0 as usage_event_count,
        cast(spend_amount as {{ amount_type() }}) as quantity,
        cast(shortfall_amount as {{ amount_type() }}) as unrounded_amount,
        contract_id

    from shortfalls

)

select * from final
