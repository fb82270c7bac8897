{#-
    Days between two dates, and the day of the week, on every adapter. DuckDB and
    PostgreSQL subtract dates into a number of days; Spark into an interval (datediff
    counts the days). Spark numbers the days of the week from 1 (Sunday); DuckDB and
    PostgreSQL from 0 (Sunday), which day_of_week() returns everywhere.
-#}
{% macro days_between(start_date, end_date) -%}
    {{ return(adapter.dispatch('days_between', 'chargeback')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__days_between(start_date, end_date) -%}
    {{ end_date }} - {{ start_date }}
{%- endmacro %}

{% macro spark__days_between(start_date, end_date) -%}
    datediff({{ end_date }}, {{ start_date }})
{%- endmacro %}

{% macro day_of_week(date_expr) -%}
    {{ return(adapter.dispatch('day_of_week', 'chargeback')(date_expr)) }}
{%- endmacro %}

{% macro default__day_of_week(date_expr) -%}
    extract(dow from {{ date_expr }})
{%- endmacro %}

{% macro spark__day_of_week(date_expr) -%}
    (dayofweek({{ date_expr }}) - 1)
{%- endmacro %}
