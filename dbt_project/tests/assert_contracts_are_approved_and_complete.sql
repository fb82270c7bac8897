{{ config(meta={'dagster': {'ref': {'name': 'contracts'}}}) }}
-- Every contract row (seeds/contracts.csv) names a known billing model, is approved
-- (approved_by and approved_at), and has the terms its billing model needs. A failing row
-- fails the build and says what to fix.
with

contracts as (

    select * from {{ ref('contracts') }}

),

tiers as (

    select distinct contract_id from {{ ref('contract_tiers') }}

),

bundle_skus as (

    select distinct contract_id from {{ ref('contract_bundle_skus') }}

),

checked as (

    select
        contracts.contract_id,
        case
            when
                contracts.billing_model not in (
                    'subscription', 'tiered_graduated', 'tiered_volume', 'hybrid',
                    'minimum_commitment', 'discount_tiers', 'bundle'
                )
                then 'unknown billing_model ' || coalesce(contracts.billing_model, '(empty)')
            when
                contracts.approved_by is null or trim(contracts.approved_by) = ''
                or contracts.approved_at is null
                then 'not approved: set approved_by and approved_at'
            when
                contracts.billing_model in (
                    'subscription', 'tiered_graduated', 'tiered_volume', 'hybrid'
                )
                and contracts.sku_id is null
                then contracts.billing_model || ' needs a sku_id'
            when
                contracts.billing_model = 'subscription'
                and coalesce(contracts.quantity, 0) <= 0
                then 'subscription needs a quantity above 0'
            when
                contracts.billing_model = 'hybrid'
                and (contracts.monthly_fee is null or contracts.included_quantity is null)
                then 'hybrid needs monthly_fee and included_quantity'
            when
                contracts.billing_model = 'minimum_commitment'
                and (
                    contracts.commitment_amount is null
                    or coalesce(contracts.commitment_months, 0) < 1
                )
                then 'minimum_commitment needs commitment_amount and commitment_months >= 1'
            when
                contracts.billing_model = 'bundle'
                and (
                    coalesce(contracts.discount_percent, 0) <= 0 or bundle_skus.contract_id is null
                )
                then 'bundle needs a discount_percent above 0 and its SKUs in contract_bundle_skus'
            when
                contracts.billing_model in ('tiered_graduated', 'tiered_volume', 'discount_tiers')
                and tiers.contract_id is null
                then contracts.billing_model || ' needs its tiers in contract_tiers'
            when contracts.effective_to < contracts.effective_from
                then 'effective_to is before effective_from'
        end as problem

    from contracts
    left join tiers
        on contracts.contract_id = tiers.contract_id
    left join bundle_skus
        on contracts.contract_id = bundle_skus.contract_id

)

select
    contract_id,
    'contract ' || contract_id || ': ' || problem || ' (seeds/contracts.csv)' as problem

from checked
where problem is not null
