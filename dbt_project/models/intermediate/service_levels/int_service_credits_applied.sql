-- SLA service credits as invoice lines (charge_type sla_credit), one per breached SLA and
-- month with something to credit, on the customer's invoice of the month measured: its draft,
-- or a prior-period adjustment on the next open invoice once that month is closed. The
-- amount is already in the billing currency and rounded (int_sla_credits_computed). The
-- line is of the service credited (its service_name and category): it reduces what that
-- service recovers, in statements, variances and the GL.
with

credits as (

    select * from {{ ref('int_sla_credits_computed') }}
    where credit_amount > 0

),

services as (

    select
        service_name,
        min(service_category) as service_category

    from {{ ref('sku_catalog') }}
    group by service_name

),

policies as (

    select * from {{ ref('billing_policies') }}

),

final as (

    select
        credits.sla_evaluation_id as invoice_line_id,
        credits.invoice_id,
        credits.customer_id,
        credits.billing_month,
        'sla_credit' as charge_type,
        services.service_category,
        credits.service_name,
        credits.sla_id as product_name,
        'SLA credit: '
        || case
            when credits.metric = 'availability_percent'
                then
                    'availability '
                    || cast(cast(credits.measured_value as decimal(18, 2)) as {{ text_type() }})
                    || ' % against a target of '
                    || cast(cast(credits.target_value as decimal(18, 2)) as {{ text_type() }})
                    || ' %'
            else
                'average response '
                || cast(cast(credits.measured_value as decimal(18, 2)) as {{ text_type() }})
                || ' min against a target of '
                || cast(cast(credits.target_value as decimal(18, 2)) as {{ text_type() }}) || ' min'
        end
        || ': ' || cast(cast(credits.credit_percent as decimal(9, 2)) as {{ text_type() }})
        || ' % of '
        || cast(credits.charged_amount as {{ text_type() }}) || ' '
        || credits.currency as component_name,
        credits.sla_id as sku_id,
        credits.currency as pricing_unit,
        cast(null as {{ text_type() }}) as rate_version,
        cast(null as {{ amount_type() }}) as unit_price,
        cast(null as decimal(18, 12)) as rate_multiplier,
        cast(null as {{ text_type() }}) as contract_id,
        0 as usage_event_count,
        cast(null as {{ amount_type() }}) as quantity,
        credits.currency as rate_currency,
        cast(-credits.credit_amount as {{ amount_type() }}) as unrounded_amount,
        cast(1 as decimal(18, 8)) as fx_rate,
        cast(null as date) as fx_rate_date,
        credits.currency,
        -credits.credit_amount as line_amount,
        coalesce(policies.billing_mode, 'chargeback') as billing_mode

    from credits
    inner join services
        on credits.service_name = services.service_name
    left join policies
        on
            credits.customer_id = policies.customer_id
            and {{ is_effective('credits.billing_month', 'policies') }}

)

select * from final
