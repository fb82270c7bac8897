{{ config(materialized='view') }}
-- Every valid, first-seen usage event assigned to its consumer: the cost center that pays
-- for it, that cost center's customer, and the account code valid on its charge date.
-- A view over the whole event stream: int_usage_events_rated reads it with its landing-batch
-- watermark, which the database applies at the scan of int_usage_events_validated.
--
-- Consumer: RU and labour rows carry their cost center. A cloud row goes to the cost center
-- whose department_tag equals its `department` tag; failing that, to the owner of its
-- sub-account (seeds/cloud_accounts.csv) unless the provider's untagged-spend policy says
-- `unallocated` (seeds/untagged_spend_policies.csv); failing that, to the visible
-- unallocated bucket.
-- Account code: the one valid for the consumer's cost center on the charge date
-- (seeds/account_codes.csv). has_any_account_code tells an expired code (the cost center has
-- codes, none valid that day) from a missing one; int_usage_events_rated quarantines both.
with

validated as (

    select * from {{ ref('int_usage_events_validated') }}
    where validation_status = 'valid'

),

cost_centers as (

    select * from {{ ref('cost_centers') }}

),

cloud_accounts as (

    select * from {{ ref('cloud_accounts') }}

),

untagged_policies as (

    select * from {{ ref('untagged_spend_policies') }}

),

account_codes as (

    select * from {{ ref('account_codes') }}

),

consumers as (

    select
        validated.*,
        coalesce(
            validated.cost_center_id,
            tagged.cost_center_id,
            owners.owner_cost_center_id
        ) as resolved_cost_center_id,
        case
            when validated.feed <> 'cloud' then 'direct'
            when tagged.cost_center_id is not null then 'tag'
            when owners.owner_cost_center_id is not null then 'account_owner'
            else 'unallocated'
        end as consumer_rule

    from validated
    left join cost_centers as tagged
        on validated.tag_department = tagged.department_tag
    left join untagged_policies
        on validated.provider_name = untagged_policies.provider_name
    left join cloud_accounts as owners
        on
            validated.provider_name = owners.provider_name
            and validated.sub_account_id = owners.sub_account_id
            and coalesce(untagged_policies.untagged_policy, 'account_owner') = 'account_owner'

),

cost_centers_with_codes as (

    select distinct cost_center_id from account_codes

),

coded as (

    select
        consumers.*,
        cost_centers.customer_id,
        account_codes.account_code_id,
        cost_centers_with_codes.cost_center_id is not null as has_any_account_code

    from consumers
    left join cost_centers
        on consumers.resolved_cost_center_id = cost_centers.cost_center_id
    left join account_codes
        on
            consumers.resolved_cost_center_id = account_codes.cost_center_id
            and {{ is_effective(
                'consumers.charge_date', 'account_codes', 'valid_from', 'valid_to'
            ) }}
    left join cost_centers_with_codes
        on consumers.resolved_cost_center_id = cost_centers_with_codes.cost_center_id

),

final as (

    select
        usage_id,
        feed,
        file_id,
        source_file,
        source_row,
        source_line,
        landed_at,
        consumer_rule,
        customer_id,
        resolved_cost_center_id as cost_center_id,
        account_code_id,
        has_any_account_code,
        charge_category,
        charge_period_start,
        charge_date,
        billing_month,
        provider_name,
        service_category,
        service_name,
        product_name,
        component_name,
        sku_id,
        source_sku_id,
        charge_description,
        resource_id,
        resource_name,
        rating_basis,
        quantity,
        pricing_unit,
        catalog_pricing_unit,
        source_cost,
        billing_currency,
        sub_account_id,
        sub_account_name,
        billing_account_id,
        delivery_id,
        tags,
        tag_department,
        tag_project,
        tag_application,
        site,
        shift,
        ticket_id,
        technician_id,
        source_record_id

    from coded

)

select * from final
