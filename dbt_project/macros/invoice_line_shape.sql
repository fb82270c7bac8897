{#-
    The invoice-line shape, declared once. An invoice line goes through three stages, each
    adding columns to the one before:
      priced     every line a billing rule produces (usage, shared costs, labour and
                 contract lines): in the rate card's currency (`currency`), unrounded;
      billed     converted to the customer's billing currency and rounded once to cents:
                 the rate currency moves to `rate_currency`, `currency` is the billing
                 currency; + fx_rate, fx_rate_date, line_amount, billing_mode. Manual
                 adjustments, SLA credits and tax are produced in this shape;
      invoiced   + the original invoice, month and line a prior-period adjustment corrects:
                 what fct_invoice_lines shows and the invoice register stores.
    Where lines meet (int_invoice_lines_unioned, _converted, _drafted,
    int_prior_period_adjustments, fct_invoice_lines) they are selected by name through
    `invoice_line_columns(stage)`, never by position, and those models carry an enforced
    dbt contract with the same columns: a line that drifts from the shape fails the build.
-#}
{% macro invoice_line_shape(stage) -%}
    {%- set priced = [
        ('invoice_line_id', text_type()),
        ('invoice_id', text_type()),
        ('customer_id', text_type()),
        ('billing_month', 'date'),
        ('charge_type', text_type()),
        ('service_category', text_type()),
        ('service_name', text_type()),
        ('product_name', text_type()),
        ('component_name', text_type()),
        ('sku_id', text_type()),
        ('pricing_unit', text_type()),
        ('rate_version', text_type()),
        ('unit_price', 'decimal(38, 12)'),
        ('rate_multiplier', 'decimal(18, 12)'),
        ('contract_id', text_type()),
        ('usage_event_count', 'bigint'),
        ('quantity', 'decimal(38, 12)'),
    ] -%}
    {%- set billed = priced + [
        ('rate_currency', text_type()),
        ('unrounded_amount', 'decimal(38, 12)'),
        ('fx_rate', 'decimal(18, 8)'),
        ('fx_rate_date', 'date'),
        ('currency', text_type()),
        ('line_amount', 'decimal(18, 2)'),
        ('billing_mode', text_type()),
    ] -%}
    {%- if stage == 'priced' -%}
        {{ return(priced + [('currency', text_type()), ('unrounded_amount', 'decimal(38, 12)')]) }}
    {%- elif stage == 'billed' -%}
        {{ return(billed) }}
    {%- elif stage == 'invoiced' -%}
        {{ return(billed + [
            ('original_invoice_id', text_type()),
            ('original_billing_month', 'date'),
            ('original_invoice_line_id', text_type()),
        ]) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "invoice_line_shape: stage must be priced, billed or invoiced, not '" ~ stage ~ "'"
        ) }}
    {%- endif -%}
{%- endmacro %}

{#-
    The select list of a stage's columns, by name, in the shape's order:
        select {{ invoice_line_columns('priced') }} from subscription_lines
    Text columns are cast to varchar, so a string literal (text on PostgreSQL) and a seed's
    varchar column meet as one type; every other column keeps its own type, which the
    enforced contract of the model checks.
-#}
{% macro invoice_line_columns(stage, relation_alias=none) -%}
    {%- set prefix = relation_alias ~ '.' if relation_alias else '' -%}
    {%- for name, data_type in invoice_line_shape(stage) %}
        {% if data_type == text_type() -%}
            cast({{ prefix }}{{ name }} as {{ text_type() }}) as {{ name }}
        {%- else -%}
            {{ prefix }}{{ name }}
        {%- endif -%}
        {%- if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}
