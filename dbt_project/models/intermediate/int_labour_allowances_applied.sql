-- Included service-desk hours. A customer with a labour contract (seeds/labour_contracts.csv)
-- pays a monthly fee that includes N hours. Its rated labour activities of the month are
-- taken in order (charge date, file, record); the first N hours are included and the rest
-- is overage. An activity that crosses the allowance is split: its included hours are
-- credited back at the price they were rated at (rate x multipliers), its overage stays.
with

rated as (

    select * from {{ ref('int_usage_events_rated') }}
    where rating_status = 'rated' and feed = 'labour'

),

contracts as (

    select * from {{ ref('labour_contracts') }}

),

contracted as (

    select
        rated.usage_id,
        rated.invoice_id,
        rated.customer_id,
        rated.billing_month,
        rated.charge_date,
        rated.source_file,
        rated.source_row,
        rated.sku_id,
        rated.quantity as hours,
        rated.unit_price,
        rated.rate_multiplier,
        rated.rated_amount,
        contracts.included_hours,
        contracts.monthly_fee

    from rated
    inner join contracts
        on
            rated.customer_id = contracts.customer_id
            and {{ is_effective('rated.billing_month', 'contracts') }}

),

cumulated as (

    select
        *,
        sum(hours) over (
            partition by customer_id, billing_month
            order by charge_date, source_file, source_row
            rows between unbounded preceding and current row
        ) as hours_to_date

    from contracted

),

split as (

    select
        *,
        greatest(0, least(hours, included_hours - (hours_to_date - hours))) as included_hours_used

    from cumulated

),

final as (

    select
        usage_id,
        invoice_id,
        customer_id,
        billing_month,
        charge_date,
        sku_id,
        hours,
        cast(hours_to_date as {{ amount_type() }}) as hours_to_date,
        included_hours,
        cast(included_hours_used as {{ amount_type() }}) as included_hours_used,
        cast(hours - included_hours_used as {{ amount_type() }}) as overage_hours,
        unit_price,
        rate_multiplier,
        rated_amount,
        {{ to_amount(to_amount('included_hours_used * unit_price') ~ ' * rate_multiplier') }}
            as included_amount

    from split

)

select * from final
