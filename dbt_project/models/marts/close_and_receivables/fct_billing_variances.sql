-- Month-over-month variance per customer, service and billing month, in volume (the usage
-- quantity, in the service's units) and in amount (every invoice line of the service, in
-- the billing currency): this month against the month before. A service that stops shows
-- its drop to zero, and a new one its rise from zero (from the warehouse's second month
-- on). A change is flagged when it reaches both thresholds of its service
-- category in seeds/variance_thresholds.csv (the row with an empty category is the
-- default): at least min_amount_change in absolute value, and at least min_percent_change
-- percent of the previous month (always, when the previous month was zero). Analysts
-- explain flagged changes in seeds/variance_explanations.csv; fct_unexplained_variances
-- lists the flagged ones still unexplained.
-- The percentage is exact (integer arithmetic, divide_amount) and rounded to 0.01 only for
-- display; flagging compares |change| x 100 with the threshold x |previous|, without a
-- division.
with

lines as (

    select * from {{ ref('fct_invoice_lines') }}
    where charge_type <> 'tax'

),

thresholds as (

    select * from {{ ref('variance_thresholds') }}

),

explanations as (

    select * from {{ ref('variance_explanations') }}

),

monthly as (

    select
        customer_id,
        service_category,
        service_name,
        currency,
        billing_month,
        sum(case when charge_type = 'usage' then quantity else 0 end) as volume,
        sum(line_amount) as amount

    from lines
    group by customer_id, service_category, service_name, currency, billing_month

),

month_range as (

    select
        min(billing_month) as first_month,
        max(billing_month) as last_month

    from monthly

),

-- each month, and the month after it (where a service that stopped shows a zero)
spine as (

    select
        customer_id,
        service_category,
        service_name,
        currency,
        billing_month

    from monthly

    union

    select
        monthly.customer_id,
        monthly.service_category,
        monthly.service_name,
        monthly.currency,
        {{ add_months('monthly.billing_month', 1) }} as billing_month

    from monthly
    cross join month_range
    where monthly.billing_month < month_range.last_month

),

compared as (

    select
        spine.customer_id,
        spine.service_category,
        spine.service_name,
        spine.currency,
        spine.billing_month,
        coalesce(current_month.volume, 0) as volume,
        coalesce(previous_month.volume, 0) as previous_volume,
        coalesce(current_month.amount, 0) as amount,
        coalesce(previous_month.amount, 0) as previous_amount

    from spine
    left join monthly as current_month
        on
            spine.customer_id = current_month.customer_id
            and spine.service_name = current_month.service_name
            and spine.currency = current_month.currency
            and spine.billing_month = current_month.billing_month
    left join monthly as previous_month
        on
            spine.customer_id = previous_month.customer_id
            and spine.service_name = previous_month.service_name
            and spine.currency = previous_month.currency
            and {{ add_months('previous_month.billing_month', 1) }} = spine.billing_month
    cross join month_range
    where spine.billing_month > month_range.first_month

),

changes as (

    select
        compared.*,
        compared.volume - compared.previous_volume as volume_change,
        compared.amount - compared.previous_amount as amount_change,
        coalesce(category_thresholds.min_amount_change, default_thresholds.min_amount_change)
            as min_amount_change,
        coalesce(category_thresholds.min_percent_change, default_thresholds.min_percent_change)
            as min_percent_change

    from compared
    left join thresholds as category_thresholds
        on compared.service_category = category_thresholds.service_category
    left join thresholds as default_thresholds
        on default_thresholds.service_category is null

),

flagged as (

    select
        *,
        case
            when previous_amount = 0 then null
            else
                case when amount_change < 0 then -1 else 1 end
                * {{ to_cents(divide_amount(
                    'abs(amount_change) * 100 * 100',
                    big_integer('abs(previous_amount) * 100')
                )) }}
        end as amount_change_percent,
        (
            abs(amount_change) >= min_amount_change
            and abs(amount_change) * 100 >= min_percent_change * abs(previous_amount)
        ) as is_flagged

    from changes

),

final as (

    select
        {{ text_hash([
            'flagged.customer_id', 'flagged.service_name', 'flagged.currency',
            'flagged.billing_month',
        ]) }} as variance_id,
        flagged.customer_id,
        flagged.service_category,
        flagged.service_name,
        flagged.currency,
        flagged.billing_month,
        flagged.previous_volume,
        flagged.volume,
        flagged.volume_change,
        cast(flagged.previous_amount as decimal(18, 2)) as previous_amount,
        cast(flagged.amount as decimal(18, 2)) as amount,
        cast(flagged.amount_change as decimal(18, 2)) as amount_change,
        cast(flagged.amount_change_percent as decimal(18, 2)) as amount_change_percent,
        flagged.min_amount_change,
        flagged.min_percent_change,
        flagged.is_flagged,
        explanations.explanation,
        explanations.explained_by,
        explanations.explained_at,
        explanations.explanation is not null as is_explained

    from flagged
    left join explanations
        on
            flagged.customer_id = explanations.customer_id
            and flagged.service_name = explanations.service_name
            and flagged.billing_month = explanations.billing_month

)

select * from final
