-- One alert per customer and month whose labour contract allowance ran out: the activity
-- that reached it, when, and the overage billed. Service managers warn the customer before
-- more hours are billed.
with

allowances as (

    select * from {{ ref('int_labour_allowances_applied') }}

),

months as (

    select
        customer_id,
        billing_month,
        invoice_id,
        max(included_hours) as included_hours,
        sum(hours) as hours_used,
        sum(overage_hours) as overage_hours,
        min(case when hours_to_date >= included_hours then charge_date end) as reached_on

    from allowances
    group by customer_id, billing_month, invoice_id

),

final as (

    select
        {{ text_hash(['customer_id', 'billing_month']) }} as alert_id,
        customer_id,
        billing_month,
        invoice_id,
        'allowance_reached' as alert_type,
        reached_on,
        included_hours,
        hours_used,
        overage_hours,
        'Labour allowance of ' || cast(included_hours as {{ text_type() }}) || ' h reached on '
        || cast(reached_on as {{ text_type() }}) || ': '
        || cast(cast(overage_hours as decimal(18, 2)) as {{ text_type() }})
        || ' h billed as overage' as message

    from months
    where reached_on is not null

)

select * from final
