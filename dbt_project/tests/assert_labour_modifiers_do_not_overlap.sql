-- Two modifiers of the same rule (and site) in force on the same day would both multiply
-- the rate: the build fails and names them (seeds/labour_rate_modifiers.csv).
with

modifiers as (

    select * from {{ ref('labour_rate_modifiers') }}

)

select
    a.modifier_id as modifier_a,
    b.modifier_id as modifier_b

from modifiers as a
inner join modifiers as b
    on
        a.rule = b.rule
        and coalesce(a.site, '') = coalesce(b.site, '')
        and a.modifier_id < b.modifier_id
        and a.effective_from <= coalesce(b.effective_to, cast('9999-12-31' as date))
        and b.effective_from <= coalesce(a.effective_to, cast('9999-12-31' as date))
