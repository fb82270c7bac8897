-- Conservation: for every landed file, manifest rows = landed rows = rated + unallocated +
-- quarantined + duplicates, and cloud BilledCost is conserved the same way.
select *
from {{ ref('fct_landing_reconciliation') }}
where not is_balanced
