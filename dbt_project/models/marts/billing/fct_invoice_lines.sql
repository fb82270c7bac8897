{{ config(post_hook=["{{ lookup_index(['invoice_id']) }}"]) }}
-- Invoice lines, in the customer's billing currency, each rounded once to cents: a closed
-- month's exactly as issued (from the register), an open month's as drafts with the
-- prior-period adjustments of the closed months (int_invoice_lines_resolved). The columns
-- are the invoiced shape of macro invoice_line_shape, then invoice_number,
-- invoice_status and is_fx_rate_fallback, under an enforced contract.
-- is_fx_rate_fallback: the line was converted at an FX rate dated before the last day of
-- its month (the month it corrects, for a prior-period adjustment), because no rate was
-- published that day: the documented fallback to the latest earlier rate
-- (docs/rounding.md), shown on the Data quality page. A fallback older than the dbt var
-- fx_rate_max_staleness_days fails the build (assert_fx_rates_are_recent_enough).
with

lines as (

    select * from {{ ref('int_invoice_lines_resolved') }}

),

final as (

    select
        {{ invoice_line_columns('invoiced') }},
        invoice_number,
        invoice_status,
        coalesce(
            fx_rate_date < {{ month_end('coalesce(original_billing_month, billing_month)') }},
            false
        ) as is_fx_rate_fallback

    from lines

)

select * from final
