{#- The first day of the month of a date, on every adapter. -#}
{% macro month_start(date_expr) -%}
    date_trunc('month', {{ date_expr }})
{%- endmacro %}
