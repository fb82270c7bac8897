-- Subscriptions (seeds/contracts.csv, billing_model = 'subscription'): a fixed monthly fee
-- per subscribed service, the rate card's unit price x the subscribed quantity. A month the
-- subscription starts, stops or is replaced in is prorated by day:
--     fee x quantity x active days / days in the month
-- (macro divide_amount: exact to 12 decimals, on integers). An upgrade is a new contract
-- that replaces the old one (replaces_contract_id) from the day after it ends, so no day is
-- billed twice or missed (assert_subscriptions_have_no_gaps_or_overlaps). A rate change
-- inside a month splits the month at the change: one line per rate version.
with

contracts as (

    select * from {{ ref('contracts') }}
    where billing_model = 'subscription' and {{ is_approved() }}

),

rate_cards as (

    select * from {{ ref('rate_cards') }}
    where {{ is_approved() }}

),

skus as (

    select * from {{ ref('sku_catalog') }}

),

usage_lines as (

    select * from {{ ref('int_usage_lines_aggregated') }}

),

billing_months as (

    select distinct
        billing_month,
        {{ month_end('billing_month') }} as month_end

    from usage_lines

),

contract_months as (

    select
        contracts.contract_id,
        contracts.customer_id,
        contracts.sku_id,
        contracts.quantity,
        contracts.currency,
        billing_months.billing_month,
        billing_months.month_end,
        greatest(contracts.effective_from, billing_months.billing_month) as active_from,
        least(
            coalesce(contracts.effective_to, billing_months.month_end), billing_months.month_end
        ) as active_to

    from contracts
    inner join billing_months
        on
            contracts.effective_from <= billing_months.month_end
            and (
                contracts.effective_to is null
                or contracts.effective_to >= billing_months.billing_month
            )

),

segments as (

    select
        contract_months.*,
        rate_cards.rate_version,
        rate_cards.unit_price,
        greatest(contract_months.active_from, rate_cards.effective_from) as segment_from,
        least(
            contract_months.active_to, coalesce(rate_cards.effective_to, contract_months.active_to)
        ) as segment_to,
        {{ days_between("contract_months.billing_month", "contract_months.month_end") }} + 1
            as days_in_month

    from contract_months
    inner join rate_cards
        on
            contract_months.sku_id = rate_cards.sku_id
            and contract_months.active_to >= rate_cards.effective_from
            and (
                rate_cards.effective_to is null
                or contract_months.active_from <= rate_cards.effective_to
            )

),

prorated as (

    select
        *,
        {{ days_between("segment_from", "segment_to") }} + 1 as active_days

    from segments

),

final as (

    select
        {{ text_hash(['prorated.contract_id', 'prorated.billing_month', 'prorated.rate_version']) }}
            as invoice_line_id,
        prorated.customer_id || '-' || {{ month_key('prorated.billing_month') }} as invoice_id,
        prorated.customer_id,
        prorated.billing_month,
        'subscription' as charge_type,
        skus.service_category,
        skus.service_name,
        skus.product_name,
        case
            when prorated.active_days = prorated.days_in_month then skus.component_name
            else
                skus.component_name || ': ' || cast(prorated.active_days as {{ text_type() }})
                || ' of ' || cast(prorated.days_in_month as {{ text_type() }}) || ' days'
        end as component_name,
        prorated.sku_id,
        skus.pricing_unit,
        prorated.rate_version,
        prorated.unit_price,
        cast(null as decimal(18, 12)) as rate_multiplier,
        prorated.currency,
        0 as usage_event_count,
        cast(
            {{ divide_amount(
                'prorated.quantity * prorated.active_days', 'prorated.days_in_month'
            ) }}
            as {{ amount_type() }}
        ) as quantity,
        cast(
            {{ divide_amount(
                'prorated.unit_price * prorated.quantity * prorated.active_days',
                'prorated.days_in_month'
            ) }} as {{ amount_type() }}
        ) as unrounded_amount,
        prorated.contract_id

    from prorated
    inner join skus
        on prorated.sku_id = skus.sku_id
    where prorated.segment_to >= prorated.segment_from

)

select * from final
