-- The billing desk's manual adjustments (seeds/billing_adjustments.csv): deferrals, credits
-- and cancellations, with who asked and why. Their effect on invoices is the lines of
-- charge_type deferral, credit and activity_cancellation (int_manual_adjustments_applied).
with

adjustments as (

    select * from {{ ref('billing_adjustments') }}

),

final as (

    select
        adjustment_id,
        customer_id,
        billing_month,
        adjustment_type,
        amount,
        usage_id,
        reason,
        requested_by,
        requested_at

    from adjustments

)

select * from final
