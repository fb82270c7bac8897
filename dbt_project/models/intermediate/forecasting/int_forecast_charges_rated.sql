-- The forecast volumes rated: each month's volume x the unit price of the approved rate-card
-- version in force on the month's first day (announced future versions included) x the
-- customer and SKU's effective multiplier of the last 12 months (shift and site uplifts),
-- in the rate currency, rounded once to cents per customer, SKU and month. Customers billed
-- in another currency get it converted at the latest rate known at the origin
-- (seeds/fx_rates.csv), and rounded once again: a forecast cannot know future rates.
-- The naive forecast is rated the same way.
with

volumes as (

    select * from {{ ref('int_forecast_volumes_projected') }}

),

rate_cards as (

    select * from {{ ref('rate_cards') }}
    where {{ is_approved() }}

),

catalog as (

    select * from {{ ref('sku_catalog') }}

),

customers as (

    select * from {{ ref('customers') }}

),

fx_rates as (

    select * from {{ ref('fx_rates') }}

),

latest_fx as (

    select
        volumes.origin_type,
        fx_rates.quote_currency,
        fx_rates.rate,
        row_number() over (
            partition by volumes.origin_type, fx_rates.quote_currency
            order by fx_rates.rate_date desc
        ) as recency

    from (select distinct
        origin_type,
        origin_month
    from volumes) as volumes
    inner join fx_rates
        on
            fx_rates.base_currency = 'USD'
            and fx_rates.rate_date <= {{ month_end('volumes.origin_month') }}

),

priced as (

    select
        volumes.*,
        catalog.service_category,
        catalog.service_name,
        catalog.pricing_unit,
        rate_cards.rate_version,
        rate_cards.unit_price,
        rate_cards.currency as rate_currency,
        customers.billing_currency as currency,
        {{ to_cents(
            'volumes.volume * rate_cards.unit_price * volumes.rate_multiplier'
        ) }} as rate_currency_amount,
        {{ to_cents(
            'volumes.naive_volume * rate_cards.unit_price * volumes.rate_multiplier'
        ) }} as naive_rate_currency_amount

    from volumes
    inner join catalog
        on volumes.sku_id = catalog.sku_id
    inner join customers
        on volumes.customer_id = customers.customer_id
    left join rate_cards
        on
            volumes.sku_id = rate_cards.sku_id
            and {{ is_effective('volumes.billing_month', 'rate_cards') }}

),

final as (

    select
        priced.*,
        cast(
            case when priced.currency = priced.rate_currency then 1 else latest_fx.rate end
            as decimal(18, 8)
        ) as fx_rate,
        case
            when priced.currency = priced.rate_currency then priced.rate_currency_amount
            else {{ to_cents('priced.rate_currency_amount * latest_fx.rate') }}
        end as amount,
        case
            when priced.currency = priced.rate_currency then priced.naive_rate_currency_amount
            else {{ to_cents('priced.naive_rate_currency_amount * latest_fx.rate') }}
        end as naive_amount

    from priced
    left join latest_fx
        on
            priced.origin_type = latest_fx.origin_type
            and priced.currency = latest_fx.quote_currency
            and latest_fx.recency = 1

)

select * from final
