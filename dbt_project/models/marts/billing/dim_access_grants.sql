-- Who may read what (seeds/access_grants.csv), checked. Only valid grants give access: the
-- PostgreSQL row-level security policies (macro apply_row_level_security) and the DuckDB
-- query layer (chargeback/access.py) both read this table. docs/access-control.md.
with

grants as (

    select * from {{ ref('access_grants') }}

),

cost_centers as (

    select * from {{ ref('cost_centers') }}

),

checked as (

    select
        grants.principal,
        grants.role,
        grants.customer_id,
        grants.cost_center_id,
        grants.email,
        grants.granted_by,
        grants.granted_at,
        grants.grant_note,
        case
            when {{ regexp_first_match('grants.principal', "'^[a-z][a-z0-9_]{0,62}$'") }} is null
                then 'the principal must be lowercase letters, digits and underscores'
            when grants.role = 'viewer' and grants.customer_id is null
                then 'a viewer needs a customer'
            when
                grants.role <> 'viewer'
                and coalesce(grants.customer_id, grants.cost_center_id) is not null
                then 'staff see every customer: leave customer and cost center empty'
            when grants.cost_center_id is not null and cost_centers.customer_id is null
                then 'unknown cost center'
            when cost_centers.customer_id <> grants.customer_id
                then 'the cost center belongs to another customer'
        end as invalid_reason

    from grants
    left join cost_centers
        on grants.cost_center_id = cost_centers.cost_center_id

),

final as (

    select
        principal
        || ':' || coalesce(customer_id, '*')
        || ':' || coalesce(cost_center_id, '*') as access_grant_id,
        principal,
        role,
        customer_id,
        cost_center_id,
        cost_center_id is null as is_whole_customer,
        email,
        granted_by,
        granted_at,
        grant_note,
        invalid_reason is null as is_valid,
        invalid_reason

    from checked

)

select * from final
