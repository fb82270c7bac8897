-- The unallocated bucket: cloud spend with no usable department tag and a sub-account that
-- no cost center owns. It is rated but invoiced to nobody, and it stays visible here.
with

rated as (

    select * from {{ ref('int_usage_events_rated') }}
    where rating_status = 'unallocated'

),

final as (

    select
        {{ text_hash(['billing_month', 'provider_name', 'sub_account_id', 'currency']) }}
            as unallocated_charge_id,
        billing_month,
        provider_name,
        sub_account_id,
        max(sub_account_name) as sub_account_name,
        currency,
        count(*) as usage_event_count,
        sum(source_cost) as source_cost,
        sum(rated_amount) as unrounded_amount,
        {{ to_cents('sum(rated_amount)') }} as rated_amount

    from rated
    group by billing_month, provider_name, sub_account_id, currency

)

select * from final
