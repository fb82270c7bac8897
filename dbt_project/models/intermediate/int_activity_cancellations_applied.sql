-- A cancelled activity (seeds/billing_adjustments.csv, adjustment_type cancel_activity): a
-- service manager decides that one rated usage event (usage_id, for example a labour
-- activity) is not charged. Its line is credited with minus the event's rated amount and
-- quantity, converted at its invoice line's FX rate and rounded once to cents. The event
-- must belong to the adjustment's customer. A line of int_manual_adjustments_applied.
with

adjustments as (

    select * from {{ ref('billing_adjustments') }}
    where adjustment_type = 'cancel_activity'

),

rated as (

    select * from {{ ref('int_usage_events_rated') }}
    where rating_status = 'rated'

),

converted as (

    select * from {{ ref('int_invoice_lines_converted') }}

),

final as (

    select
        {{ text_hash(['adjustments.adjustment_id', 'adjustments.billing_month']) }}
            as invoice_line_id,
        rated.invoice_id,
        rated.customer_id,
        rated.billing_month,
        'activity_cancellation' as charge_type,
        rated.service_category,
        rated.service_name,
        rated.product_name,
        'Cancelled: ' || coalesce(rated.charge_description, rated.component_name) || ' ('
        || coalesce(rated.ticket_id, rated.resource_id, rated.usage_id) || '): '
        || adjustments.reason as component_name,
        rated.sku_id,
        rated.billed_unit as pricing_unit,
        rated.rate_version,
        rated.unit_price,
        rated.rate_multiplier,
        cast(null as {{ text_type() }}) as contract_id,
        0 as usage_event_count,
        cast(-rated.billed_quantity as {{ amount_type() }}) as quantity,
        rated.currency as rate_currency,
        cast(-rated.rated_amount as {{ amount_type() }}) as unrounded_amount,
        converted.fx_rate,
        converted.fx_rate_date,
        converted.currency,
        {{ to_cents('-rated.rated_amount * converted.fx_rate') }} as line_amount

    from adjustments
    inner join rated
        on
            adjustments.usage_id = rated.usage_id
            and adjustments.customer_id = rated.customer_id
    inner join converted
        on rated.invoice_line_id = converted.invoice_line_id

)

select * from final
