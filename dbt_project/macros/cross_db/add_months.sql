{#- A date plus n months (n a literal integer), on every adapter. -#}
{% macro add_months(date_expr, months) -%}
    {{ return(adapter.dispatch('add_months', 'chargeback')(date_expr, months)) }}
{%- endmacro %}

{% macro default__add_months(date_expr, months) -%}
    cast({{ date_expr }} + interval '{{ months }} month' as date)
{%- endmacro %}
