-- Every rate card version of every SKU, with its effective dates and its approval: what an
-- auditor checks a rated amount against (fct_rated_usage.rate_version).
with

rate_cards as (

    select * from {{ ref('rate_cards') }}

),

catalog as (

    select * from {{ ref('sku_catalog') }}

),

final as (

    select
        rate_cards.rate_version || ':' || rate_cards.sku_id as rate_card_id,
        rate_cards.rate_version,
        rate_cards.sku_id,
        catalog.service_category,
        catalog.service_name,
        catalog.product_name,
        catalog.component_name,
        rate_cards.pricing_unit,
        rate_cards.unit_price,
        rate_cards.currency,
        rate_cards.effective_from,
        rate_cards.effective_to,
        rate_cards.approved_by,
        rate_cards.approved_at,
        rate_cards.approved_by is not null
        and rate_cards.approved_at is not null as is_approved

    from rate_cards
    left join catalog
        on rate_cards.sku_id = catalog.sku_id

)

select * from final
