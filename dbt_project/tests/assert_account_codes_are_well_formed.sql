{{ config(meta={'dagster': {'ref': {'name': 'account_codes'}}}) }}
-- An account code is <fund>-<cost center>-<object>, its parts must match their columns,
-- its cost center must exist, and its validity must not end before it starts.
select
    codes.account_code_id,
    codes.fund_code,
    codes.cost_center_id,
    codes.object_code

from {{ ref('account_codes') }} as codes
left join {{ ref('cost_centers') }} as cost_centers
    on codes.cost_center_id = cost_centers.cost_center_id
where
    codes.account_code_id
    <> codes.fund_code || '-' || codes.cost_center_id || '-' || codes.object_code
    or cost_centers.cost_center_id is null
    or codes.valid_to < codes.valid_from
