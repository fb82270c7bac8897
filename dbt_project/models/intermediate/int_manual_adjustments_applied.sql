-- What a service manager decides before the invoice is issued (seeds/billing_adjustments.csv,
-- each with who, when and why), as invoice lines in the customer's billing currency:
--   defer_to_next_term  part of an over-budget balance moves to the next term: -amount this
--                       month, +amount the next month (like a credit-card balance);
--   cancel_activity     one rated usage event (usage_id, for example a labour activity) is
--                       not charged: minus its rated amount, converted like its line
--                       (int_activity_cancellations_applied);
--   credit_next_term    a credit in the billing currency on the next month's invoice.
-- And the outcome of a billing dispute, once approved (int_disputes_resolved, maker and
-- checker above the materiality threshold), on the disputed month:
--   dispute_credit      a credit memo: minus the amount credited;
--   dispute_rebill      a re-bill: the signed difference between the corrected and the
--                       billed charge.
-- Amounts are in the customer's billing currency. Taxed like any line. An adjustment of a
-- month already closed becomes a prior-period adjustment on the next open invoice. Like
-- contract lines, adjustments land in the warehouse's billing months: a deferral or credit
-- to a month without usage yet appears when that month does.
with

adjustments as (

    select * from {{ ref('billing_adjustments') }}

),

disputes as (

    select * from {{ ref('int_disputes_resolved') }}
    where is_billed

),

customers as (

    select * from {{ ref('customers') }}

),

policies as (

    select * from {{ ref('billing_policies') }}

),

cancellations as (

    select * from {{ ref('int_activity_cancellations_applied') }}

),

billing_months as (

    select distinct billing_month from {{ ref('int_usage_lines_aggregated') }}

),

amounts as (

    select
        adjustments.adjustment_id,
        adjustments.customer_id,
        adjustments.billing_month,
        'deferral' as charge_type,
        'Deferred to the next term: ' || adjustments.reason as component_name,
        -adjustments.amount as amount

    from adjustments
    where adjustments.adjustment_type = 'defer_to_next_term'

    union all

    select
        adjustments.adjustment_id,
        adjustments.customer_id,
        {{ add_months('adjustments.billing_month', 1) }} as billing_month,
        'deferral' as charge_type,
        'Deferred from ' || {{ month_key('adjustments.billing_month') }} || ': '
        || adjustments.reason as component_name,
        adjustments.amount

    from adjustments
    where adjustments.adjustment_type = 'defer_to_next_term'

    union all

    select
        adjustments.adjustment_id,
        adjustments.customer_id,
        {{ add_months('adjustments.billing_month', 1) }} as billing_month,
        'credit' as charge_type,
        'Credit granted on ' || {{ month_key('adjustments.billing_month') }} || ': '
        || adjustments.reason as component_name,
        -adjustments.amount as amount

    from adjustments
    where adjustments.adjustment_type = 'credit_next_term'

    union all

    select
        disputes.dispute_id as adjustment_id,
        disputes.customer_id,
        disputes.billing_month,
        case
            when disputes.outcome = 'credit_memo' then 'dispute_credit' else 'dispute_rebill'
        end as charge_type,
        'Dispute ' || disputes.dispute_id || ', '
        || case when disputes.outcome = 'credit_memo' then 'credit memo' else 're-bill' end
        || ' (' || disputes.root_cause_code || '): '
        || coalesce(disputes.resolution_note, disputes.description, '') as component_name,
        disputes.outcome_amount as amount

    from disputes

),

amount_lines as (

    select
        {{ text_hash(['amounts.adjustment_id', 'amounts.billing_month']) }} as invoice_line_id,
        amounts.customer_id || '-' || {{ month_key('amounts.billing_month') }} as invoice_id,
        amounts.customer_id,
        amounts.billing_month,
        amounts.charge_type,
        'Billing adjustments' as service_category,
        'Billing adjustments' as service_name,
        amounts.adjustment_id as product_name,
        amounts.component_name,
        amounts.adjustment_id as sku_id,
        customers.billing_currency as pricing_unit,
        cast(null as {{ text_type() }}) as rate_version,
        cast(null as {{ amount_type() }}) as unit_price,
        cast(null as decimal(18, 12)) as rate_multiplier,
        cast(null as {{ text_type() }}) as contract_id,
        0 as usage_event_count,
        cast(null as {{ amount_type() }}) as quantity,
        customers.billing_currency as rate_currency,
        cast(amounts.amount as {{ amount_type() }}) as unrounded_amount,
        cast(1 as decimal(18, 8)) as fx_rate,
        cast(null as date) as fx_rate_date,
        customers.billing_currency as currency,
        cast(amounts.amount as decimal(18, 2)) as line_amount

    from amounts
    inner join customers
        on amounts.customer_id = customers.customer_id
    inner join billing_months
        on amounts.billing_month = billing_months.billing_month

),

unioned as (

    select * from amount_lines
    union all
    select * from cancellations

),

final as (

    select
        unioned.*,
        coalesce(policies.billing_mode, 'chargeback') as billing_mode

    from unioned
    left join policies
        on
            unioned.customer_id = policies.customer_id
            and {{ is_effective('unioned.billing_month', 'policies') }}

)

select * from final
