-- The report analysts work from: month-over-month changes above the thresholds that nobody
-- has explained yet (fct_billing_variances where is_flagged and not is_explained). Add a row
-- to seeds/variance_explanations.csv to take one off the list.
with

variances as (

    select * from {{ ref('fct_billing_variances') }}

),

final as (

    select
        variance_id,
        customer_id,
        service_category,
        service_name,
        currency,
        billing_month,
        previous_amount,
        amount,
        amount_change,
        amount_change_percent,
        previous_volume,
        volume,
        volume_change

    from variances
    where is_flagged and not is_explained

)

select * from final
