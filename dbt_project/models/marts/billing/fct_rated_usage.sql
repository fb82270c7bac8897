{#- a view: a copy of every rated row costs time and disk on DuckDB and PostgreSQL; a table
    on Spark, where the dashboards read each mart's files (chargeback/db.py) -#}
{{ config(materialized='table' if target.type == 'spark' else 'view') }}
-- Rated usage events behind invoice lines, and the unallocated cloud spend: the drill-down
-- level between an invoice line and the raw landed record (source_file, source_row).
with

rated as (

    select * from {{ ref('int_usage_events_rated') }}

),

final as (

    select
        usage_id,
        invoice_id,
        invoice_line_id,
        customer_id,
        cost_center_id,
        account_code_id,
        consumer_rule,
        rating_status = 'rated' as is_invoiced,
        feed,
        billing_month,
        charge_date,
        charge_period_start,
        charge_category,
        provider_name,
        service_name,
        product_name,
        component_name,
        sku_id,
        source_sku_id,
        charge_description,
        resource_id,
        sub_account_id,
        tag_department,
        tag_project,
        tag_application,
        site,
        shift,
        ticket_id,
        quantity,
        pricing_unit,
        billed_quantity,
        billed_unit,
        rate_version,
        unit_price,
        rate_multiplier,
        currency,
        rated_amount,
        source_cost,
        file_id,
        source_file,
        source_row,
        source_line,
        landed_at

    from rated
    where rating_status in ('rated', 'unallocated')

)

select * from final
