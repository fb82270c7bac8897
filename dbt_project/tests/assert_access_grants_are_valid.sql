-- Every access grant is well formed (an invalid grant gives no access, and fails the build).
select
    access_grant_id,
    invalid_reason

from {{ ref('dim_access_grants') }}
where not is_valid
