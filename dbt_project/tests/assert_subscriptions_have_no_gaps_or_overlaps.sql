{{ config(meta={'dagster': {'ref': {'name': 'contracts'}}}) }}
-- Subscriptions are never billed twice for a day, and an upgrade leaves no gap:
--   * two subscription contracts of one customer and SKU must not overlap;
--   * a contract that replaces another (replaces_contract_id) starts the day after the
--     replaced one ends, and the replaced one must have an end;
--   * every day of a subscription has an approved rate for its SKU.
with

subscriptions as (

    select * from {{ ref('contracts') }}
    where billing_model = 'subscription'

),

rate_cards as (

    select * from {{ ref('rate_cards') }}
    where {{ is_approved() }}

),

overlapping as (

    select
        a.contract_id,
        'overlaps ' || b.contract_id || ' for ' || a.sku_id as problem

    from subscriptions as a
    inner join subscriptions as b
        on
            a.customer_id = b.customer_id
            and a.sku_id = b.sku_id
            and a.contract_id < b.contract_id
            and a.effective_from <= coalesce(b.effective_to, cast('9999-12-31' as date))
            and b.effective_from <= coalesce(a.effective_to, cast('9999-12-31' as date))

),

replacements as (

    select
        successor.contract_id,
        case
            when replaced.contract_id is null
                then
                    'replaces ' || successor.replaces_contract_id || ', which is not a subscription'
            when replaced.effective_to is null
                then 'replaces ' || replaced.contract_id || ', which has no effective_to'
            when successor.effective_from <> replaced.effective_to + 1
                then
                    'starts on ' || cast(successor.effective_from as {{ text_type() }})
                    || ' but ' || replaced.contract_id || ' ends on '
                    || cast(replaced.effective_to as {{ text_type() }})
                    || ': the replacement must start the next day'
        end as problem

    from subscriptions as successor
    left join subscriptions as replaced
        on successor.replaces_contract_id = replaced.contract_id
    where successor.replaces_contract_id is not null

),

-- the days a rate must cover: each subscription's first day, and the day after each of
-- its SKU's rate versions ends inside the subscription
coverage_days as (

    select
        contract_id,
        sku_id,
        effective_from as covered_day

    from subscriptions

    union all

    select
        subscriptions.contract_id,
        subscriptions.sku_id,
        rate_cards.effective_to + 1 as covered_day

    from subscriptions
    inner join rate_cards
        on
            subscriptions.sku_id = rate_cards.sku_id
            and subscriptions.effective_from <= rate_cards.effective_to
            and (
                subscriptions.effective_to is null
                or subscriptions.effective_to > rate_cards.effective_to
            )

),

unpriced as (

    select
        coverage_days.contract_id,
        'no approved rate for ' || coverage_days.sku_id || ' on '
        || cast(coverage_days.covered_day as {{ text_type() }}) as problem

    from coverage_days
    left join rate_cards
        on
            coverage_days.sku_id = rate_cards.sku_id
            and {{ is_effective('coverage_days.covered_day', 'rate_cards') }}
    where rate_cards.sku_id is null

),

problems as (

    select * from overlapping
    union all
    select * from replacements
    where problem is not null
    union all
    select * from unpriced

)

select
    contract_id,
    'subscription ' || contract_id || ' ' || problem || ' (seeds/contracts.csv)' as problem

from problems
