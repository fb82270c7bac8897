-- Interest on prior-period adjustments (seeds/ppa_terms.csv): simple, at the customer's
-- annual rate, on an original invoice's net adjustment, for the actual days from its due
-- date to the new invoice date, over 365 (actual/365), exact to 12 decimals (rounded once to
-- cents on its line, int_prior_period_adjustments). None when the new invoice date is not
-- after the due date, the net adjustment is zero, or the customer has no terms. One row per
-- original invoice.
with

differences as (

    select * from {{ ref('int_closed_invoice_lines_compared') }}

),

per_invoice as (

    select
        customer_id,
        billing_month,
        original_invoice_id,
        original_invoice_number,
        original_billing_month,
        original_due_date,
        new_invoice_date,
        annual_interest_rate_percent,
        currency,
        sum(adjustment_amount) as adjustment_amount,
        {{ days_between("original_due_date", "new_invoice_date") }} as interest_days

    from differences
    group by
        customer_id,
        billing_month,
        original_invoice_id,
        original_invoice_number,
        original_billing_month,
        original_due_date,
        new_invoice_date,
        annual_interest_rate_percent,
        currency

),

interest as (

    select
        *,
        case when adjustment_amount < 0 then -1 else 1 end
        * {{ divide_amount(
            'abs(adjustment_amount) * annual_interest_rate_percent * 0.01 * interest_days', '365'
        ) }} as interest_amount

    from per_invoice
    where
        annual_interest_rate_percent > 0
        and interest_days > 0
        and adjustment_amount <> 0

),

final as (

    select
        original_invoice_id,
        original_invoice_number,
        original_billing_month,
        original_due_date,
        customer_id,
        billing_month,
        new_invoice_date,
        annual_interest_rate_percent,
        currency,
        adjustment_amount,
        interest_days,
        interest_amount

    from interest

)

select * from final
