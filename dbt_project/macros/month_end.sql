{#- The last day of the month that starts on `month_expr` (a first-of-month date). -#}
{% macro month_end(month_expr) -%}
    cast({{ add_months(month_expr, 1) }} - 1 as date)
{%- endmacro %}
