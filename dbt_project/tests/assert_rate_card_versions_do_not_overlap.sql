-- Two rate-card rows of one SKU must not both be in force on the same day: the build
-- fails and names the two versions to fix in seeds/rate_cards.csv.
with

rates as (

    select * from {{ ref('rate_cards') }}

)

select
    a.sku_id,
    a.rate_version as version_a,
    b.rate_version as version_b

from rates as a
inner join rates as b
    on
        a.sku_id = b.sku_id
        and a.rate_version < b.rate_version
        and a.effective_from <= coalesce(b.effective_to, cast('9999-12-31' as date))
        and b.effective_from <= coalesce(a.effective_to, cast('9999-12-31' as date))
