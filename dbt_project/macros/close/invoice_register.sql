{#-
    The invoice register: what was issued, exactly as issued, never rebuilt.

    Three append-only tables in the schema `<target schema>_register`, created here on every
    run (if they do not exist yet) and written only by the `close_billing_period` operation:
      period_closes         one row per closed billing month (who closed it, when);
      issued_invoices       every issued invoice's header, with its gapless number;
      issued_invoice_lines  every issued invoice's lines, as they were at the close.
    dbt never creates them as models, so no `dbt build`, not even `--full-refresh`, can
    rebuild or change them; the models read them as the source `register`.
-#}

{% macro register_schema() -%}
    {{ target.schema }}_register
{%- endmacro %}

{#- Columns of fct_invoice_lines stored in the register: the invoiced shape. -#}
{% macro invoice_line_register_columns() -%}
    {{ return(invoice_line_shape('invoiced')) }}
{%- endmacro %}

{#- Columns of fct_invoices stored in the register (besides the close's own). -#}
{% macro invoice_register_columns() -%}
    {{ return([
        ('invoice_id', 'varchar'),
        ('issuing_entity_id', 'varchar'),
        ('customer_id', 'varchar'),
        ('customer_name', 'varchar'),
        ('billing_month', 'date'),
        ('currency', 'varchar'),
        ('line_count', 'bigint'),
        ('usage_event_count', 'bigint'),
        ('net_amount', 'decimal(18, 2)'),
        ('tax_amount', 'decimal(18, 2)'),
        ('total_amount', 'decimal(18, 2)'),
        ('fx_rate_date', 'date'),
        ('issuer_legal_name', 'varchar'),
        ('tax_code', 'varchar'),
        ('tax_rate_percent', 'decimal(9, 4)'),
        ('tax_mention', 'varchar'),
        ('customer_vat_number', 'varchar'),
        ('payment_terms_days', 'integer'),
        ('legal_mentions', 'varchar'),
        ('invoice_date', 'date'),
        ('due_date', 'date'),
    ]) }}
{%- endmacro %}

{% macro create_invoice_register() -%}
    create schema if not exists {{ register_schema() }};
    create table if not exists {{ register_schema() }}.period_closes (
        billing_month date not null,
        closed_at timestamp not null,
        closed_by varchar not null,
        invoice_count integer not null
    );
    create table if not exists {{ register_schema() }}.issued_invoices (
        invoice_number varchar not null,
        sequence_number integer not null,
        {%- for name, type in invoice_register_columns() %}
        {{ name }} {{ type }},
        {%- endfor %}
        closed_at timestamp not null,
        closed_by varchar not null
    );
    create table if not exists {{ register_schema() }}.issued_invoice_lines (
        invoice_number varchar not null,
        {%- for name, type in invoice_line_register_columns() %}
        {{ name }} {{ type }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    )
{%- endmacro %}
