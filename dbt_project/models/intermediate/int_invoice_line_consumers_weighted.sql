-- The consumer cost centers behind each usage invoice line, and their weight in the line:
-- the rated usage of the line summed per cost center and account code, unrounded, as a whole
-- number of millionths of the rate currency (weight_units, of the absolute amount).
-- fct_gl_journal splits each chargeback line over them, to the cent by largest remainder.
with

rated_usage as (

    select * from {{ ref('int_usage_events_rated') }}
    where rating_status = 'rated'

),

usage_by_cost_center as (

    select
        invoice_line_id,
        cost_center_id,
        account_code_id,
        sum(rated_amount) as rated_amount

    from rated_usage
    group by invoice_line_id, cost_center_id, account_code_id

),

final as (

    select
        {{ text_hash(['invoice_line_id', 'cost_center_id', 'account_code_id']) }}
            as line_consumer_id,
        invoice_line_id,
        cost_center_id,
        account_code_id,
        rated_amount,
        {{ big_integer('round(abs(rated_amount) * 1000000, 0)') }} as weight_units

    from usage_by_cost_center

)

select * from final
