-- Committed but not delivered: per contract and billing month, what the customer paid for
-- and did not consume, so service managers can act before the customer concludes the
-- service is not needed:
--   hybrid             included quantity of the SKU not used (seeds/contracts.csv);
--   labour             included service-desk hours not used (seeds/labour_contracts.csv);
--   minimum_commitment spend below the commitment, billed as a true-up.
with

contracts as (

    select * from {{ ref('contracts') }}

),

hybrid_lines as (

    select * from {{ ref('int_hybrid_allowances_applied') }}

),

labour_contracts as (

    select * from {{ ref('labour_contracts') }}

),

labour_contract_lines as (

    select * from {{ ref('int_labour_contract_lines') }}

),

labour_allowances as (

    select * from {{ ref('int_labour_allowances_applied') }}

),

true_ups as (

    select * from {{ ref('int_commitments_trued_up') }}

),

skus as (

    select * from {{ ref('sku_catalog') }}

),

hybrid_used as (

    select
        contract_id,
        billing_month,
        sum(case when charge_type = 'hybrid_allowance' then quantity else 0 end) as used

    from hybrid_lines
    group by contract_id, billing_month

),

hybrid as (

    select
        hybrid_used.contract_id,
        contracts.customer_id,
        hybrid_used.billing_month,
        'hybrid' as billing_model,
        skus.pricing_unit as unit,
        cast(contracts.included_quantity as {{ amount_type() }}) as committed_quantity,
        cast(hybrid_used.used as {{ amount_type() }}) as consumed_quantity

    from hybrid_used
    inner join contracts
        on hybrid_used.contract_id = contracts.contract_id
    inner join skus
        on contracts.sku_id = skus.sku_id

),

labour_used as (

    select
        customer_id,
        billing_month,
        sum(included_hours_used) as used

    from labour_allowances
    group by customer_id, billing_month

),

labour as (

    select
        'LABOUR-' || fees.customer_id as contract_id,
        fees.customer_id,
        fees.billing_month,
        'labour' as billing_model,
        'hour' as unit,
        cast(labour_contracts.included_hours as {{ amount_type() }}) as committed_quantity,
        cast(coalesce(labour_used.used, 0) as {{ amount_type() }}) as consumed_quantity

    from labour_contract_lines as fees
    inner join labour_contracts
        on
            fees.customer_id = labour_contracts.customer_id
            and {{ is_effective('fees.billing_month', 'labour_contracts') }}
    left join labour_used
        on
            fees.customer_id = labour_used.customer_id
            and fees.billing_month = labour_used.billing_month
    where fees.charge_type = 'labour_contract'

),

commitments as (

    select
        true_ups.contract_id,
        true_ups.customer_id,
        true_ups.billing_month,
        'minimum_commitment' as billing_model,
        true_ups.currency as unit,
        cast(contracts.commitment_amount as {{ amount_type() }}) as committed_quantity,
        true_ups.quantity as consumed_quantity

    from true_ups
    inner join contracts
        on true_ups.contract_id = contracts.contract_id

),

unioned as (

    select * from hybrid
    union all
    select * from labour
    union all
    select * from commitments

),

final as (

    select
        {{ text_hash(['contract_id', 'billing_month']) }} as undelivered_id,
        contract_id,
        customer_id,
        billing_month,
        billing_model,
        unit,
        committed_quantity,
        consumed_quantity,
        cast(
            greatest(committed_quantity - consumed_quantity, 0) as {{ amount_type() }}
        ) as undelivered_quantity,
        committed_quantity > consumed_quantity as is_undelivered

    from unioned

)

select * from final
