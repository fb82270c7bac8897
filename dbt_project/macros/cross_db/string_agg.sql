{#- Values of a group joined into one text, in a given order (the same syntax on DuckDB and
    PostgreSQL; Spark orders them with WITHIN GROUP). -#}
{% macro string_agg(expr, separator, order_by) -%}
    {{ return(adapter.dispatch('string_agg', 'chargeback')(expr, separator, order_by)) }}
{%- endmacro %}

{% macro default__string_agg(expr, separator, order_by) -%}
    string_agg({{ expr }}, {{ separator }} order by {{ order_by }})
{%- endmacro %}

{% macro spark__string_agg(expr, separator, order_by) -%}
    string_agg({{ expr }}, {{ separator }}) within group (order by {{ order_by }})
{%- endmacro %}
