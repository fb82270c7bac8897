{#- A month as 'YYYYMM' text, for readable keys such as invoice ids. -#}
{% macro month_key(date_expr) -%}
    {{ return(adapter.dispatch('month_key', 'chargeback')(date_expr)) }}
{%- endmacro %}

{% macro default__month_key(date_expr) -%}
    strftime({{ date_expr }}, '%Y%m')
{%- endmacro %}

{% macro postgres__month_key(date_expr) -%}
    to_char({{ date_expr }}, 'YYYYMM')
{%- endmacro %}

{% macro spark__month_key(date_expr) -%}
    date_format({{ date_expr }}, 'yyyyMM')
{%- endmacro %}
