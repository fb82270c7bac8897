-- The customers billed in each billing month: one row per customer and month in which the
-- customer has usage (int_usage_lines_aggregated), or a contract in force on at least one
-- day of the month (seeds/contracts.csv, approved; seeds/labour_contracts.csv). The billing
-- months are the months with usage. A shared-cost share goes only to these customers
-- (int_allocation_weights_computed), so a share never opens an invoice month on its own.
with

usage_lines as (

    select * from {{ ref('int_usage_lines_aggregated') }}

),

contracts as (

    select
        customer_id,
        effective_from,
        effective_to

    from {{ ref('contracts') }}
    where {{ is_approved() }}

    union all

    select
        customer_id,
        effective_from,
        effective_to

    from {{ ref('labour_contracts') }}

),

billing_months as (

    select distinct billing_month from usage_lines

),

customers_with_usage as (

    select distinct
        customer_id,
        billing_month

    from usage_lines

),

customers_with_contracts as (

    select distinct
        contracts.customer_id,
        billing_months.billing_month

    from contracts
    inner join billing_months
        on
            contracts.effective_from <= {{ month_end('billing_months.billing_month') }}
            and (
                contracts.effective_to is null
                or contracts.effective_to >= billing_months.billing_month
            )

),

listed as (

    select
        customer_id,
        billing_month,
        1 as usage_flag,
        0 as contract_flag

    from customers_with_usage

    union all

    select
        customer_id,
        billing_month,
        0 as usage_flag,
        1 as contract_flag

    from customers_with_contracts

),

final as (

    select
        {{ text_hash(['customer_id', 'billing_month']) }} as customer_month_id,
        customer_id,
        billing_month,
        max(usage_flag) = 1 as is_metered,
        max(contract_flag) = 1 as is_under_contract

    from listed
    group by customer_id, billing_month

)

select * from final
