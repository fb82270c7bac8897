-- The rolling forecast (docs/forecasting.md): for every customer and SKU in use, each month
-- from the month after the latest usage to the end of the next biennium (is_rolling_horizon
-- marks the first var forecast_horizon_months, 18), the forecast volume (trend and seasonal
-- indices from history, then the approved planned changes) rated with the rate card in
-- force that month, announced future versions included, in the customer's billing currency.
with

charges as (

    select * from {{ ref('int_forecast_charges_rated') }}
    where origin_type = 'forecast'

),

origins as (

    select * from {{ ref('int_forecast_origins') }}
    where origin_type = 'forecast'

),

customers as (

    select * from {{ ref('customers') }}

),

final as (

    select
        {{ text_hash(['charges.customer_id', 'charges.sku_id', 'charges.billing_month']) }}
            as forecast_id,
        charges.customer_id,
        customers.customer_name,
        charges.sku_id,
        charges.service_category,
        charges.service_name,
        charges.pricing_unit,
        charges.billing_month,
        {{ fiscal_year('charges.billing_month') }} as fiscal_year,
        charges.origin_month,
        charges.months_ahead,
        charges.billing_month <= origins.rolling_last_month as is_rolling_horizon,
        charges.slope,
        charges.intercept,
        charges.seasonal_index,
        charges.base_volume,
        charges.planned_change_ids,
        charges.planned_percent_delta,
        charges.planned_quantity_delta,
        charges.volume,
        charges.rate_version,
        charges.unit_price,
        charges.rate_multiplier,
        charges.rate_currency,
        charges.rate_currency_amount,
        charges.fx_rate,
        charges.currency,
        charges.amount

    from charges
    cross join origins
    inner join customers
        on charges.customer_id = customers.customer_id

)

select * from final
