{{ config(meta={'dagster': {'ref': {'name': 'contract_tiers'}}}) }}
-- The tiers of a contract (seeds/contract_tiers.csv) start at 0 and follow each other with
-- no gap and no overlap: each tier starts where the previous one ends, and only the last
-- tier is open-ended. A tier has a unit_price (tiered pricing) or a discount_percent
-- (discount tiers), not both.
with

tiers as (

    select * from {{ ref('contract_tiers') }}

),

ordered as (

    select
        *,
        lag(upper_bound) over (partition by contract_id order by tier_number) as previous_upper,
        row_number() over (partition by contract_id order by tier_number) as position,
        count(*) over (partition by contract_id) as tier_count

    from tiers

),

checked as (

    select
        contract_id,
        tier_number,
        case
            when position = 1 and lower_bound <> 0 then 'the first tier must start at 0'
            when position > 1 and (previous_upper is null or lower_bound <> previous_upper)
                then
                    'starts at ' || cast(lower_bound as {{ text_type() }})
                    || ' but the previous tier ends at '
                    || coalesce(cast(previous_upper as {{ text_type() }}), 'no limit')
            when position < tier_count and upper_bound is null
                then 'only the last tier may be open-ended'
            when upper_bound is not null and upper_bound <= lower_bound
                then 'upper_bound must be above lower_bound'
            when (unit_price is null) = (discount_percent is null)
                then 'set exactly one of unit_price and discount_percent'
        end as problem

    from ordered

)

select
    contract_id,
    tier_number,
    'contract ' || contract_id || ' tier ' || cast(tier_number as {{ text_type() }}) || ': '
    || problem
        as problem

from checked
where problem is not null
