{{ config(meta={'dagster': {'ref': {'name': 'rate_cards'}}}) }}
-- A price sells: it is zero or above. Only a credit SKU (sku_catalog.is_credit) gives back,
-- and its price is zero or below. A price of the wrong sign would bill a credit (or charge
-- a rebate) on every line of the SKU, and turn a bundle discount into a surcharge, so the
-- build stops with an error naming every such rate-card row (macro fail_with).
with

wrong_sign as (

    select
        'rate_cards row rate_version=' || rates.rate_version || ', sku_id=' || rates.sku_id
        || ': unit_price = ' || cast(rates.unit_price as {{ text_type() }}) || ' ' || case
            when skus.is_credit then 'is above 0, but ' || rates.sku_id || ' is a credit SKU'
            else
                'is below 0, and ' || rates.sku_id
                || ' is not a credit SKU (sku_catalog.is_credit)'
        end as problem

    from {{ ref('rate_cards') }} as rates
    inner join {{ ref('sku_catalog') }} as skus
        on rates.sku_id = skus.sku_id
    where
        (skus.is_credit and rates.unit_price > 0)
        or (not skus.is_credit and rates.unit_price < 0)

),

every_problem as (

    select
        count(*) as problem_count,
        {{ string_agg('problem', "'; '", 'problem') }} as problems

    from wrong_sign

)

select *
from every_problem
where problem_count > 0 and {{ fail_with('problems') }}
