{{ config(meta={'dagster': {'ref': {'name': 'rate_cards'}}}) }}
-- A price is per the SKU's pricing unit: a rate-card row in another unit (GB instead of
-- GB-month, say) would bill the wrong amount, so it fails the build.
select
    rates.rate_version,
    rates.sku_id,
    rates.pricing_unit as rate_card_unit,
    skus.pricing_unit as catalog_unit

from {{ ref('rate_cards') }} as rates
inner join {{ ref('sku_catalog') }} as skus
    on rates.sku_id = skus.sku_id
where rates.pricing_unit <> skus.pricing_unit
