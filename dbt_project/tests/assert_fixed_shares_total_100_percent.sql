-- Fixed-percentage pools: the shares of each pool must total exactly 100%.
select
    pool_id,
    sum(share_percent) as total_percent

from {{ ref('allocation_fixed_shares') }}
group by pool_id
having sum(share_percent) <> 100
