{#-
    Month arithmetic with a column (add_months takes a literal): a date plus n months, and
    the first day of a month from a year and a month number, on every adapter.
-#}
{% macro add_months_n(date_expr, months_expr) -%}
    {{ return(adapter.dispatch('add_months_n', 'chargeback')(date_expr, months_expr)) }}
{%- endmacro %}

{% macro default__add_months_n(date_expr, months_expr) -%}
    cast({{ date_expr }} + to_months(cast({{ months_expr }} as integer)) as date)
{%- endmacro %}

{% macro postgres__add_months_n(date_expr, months_expr) -%}
    cast({{ date_expr }} + make_interval(months => cast({{ months_expr }} as integer)) as date)
{%- endmacro %}

{% macro spark__add_months_n(date_expr, months_expr) -%}
    add_months(cast({{ date_expr }} as date), cast({{ months_expr }} as integer))
{%- endmacro %}

{% macro make_month(year_expr, month_expr) -%}
    {{ return(adapter.dispatch('make_month', 'chargeback')(year_expr, month_expr)) }}
{%- endmacro %}

{% macro default__make_month(year_expr, month_expr) -%}
    make_date(cast({{ year_expr }} as integer), cast({{ month_expr }} as integer), 1)
{%- endmacro %}

{#- The number of days in the month of a date. -#}
{% macro days_in_month(month_start_expr) -%}
    cast(
        {{ days_between('cast(' ~ month_start_expr ~ ' as date)', add_months_n(month_start_expr, 1)) }}
        as integer
    )
{%- endmacro %}
