{{ config(meta={'dagster': {'ref': {'name': 'rate_cards'}}}) }}
-- Every rate-card row needs its approval (approved_by and approved_at) before it can be
-- built: prices are published only after finance signs them off. The failing rows name the
-- version and SKU to fix in seeds/rate_cards.csv.
select
    rate_version,
    sku_id,
    'rate version ' || rate_version || ' for ' || sku_id
    || ' is not approved: set approved_by and approved_at in seeds/rate_cards.csv'
        as problem

from {{ ref('rate_cards') }}
where approved_by is null or trim(approved_by) = '' or approved_at is null
