{#- Values of a group joined into one text, in a given order (same syntax on DuckDB and PostgreSQL). -#}
{% macro string_agg(expr, separator, order_by) -%}
    string_agg({{ expr }}, {{ separator }} order by {{ order_by }})
{%- endmacro %}
