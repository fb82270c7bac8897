{#-
    The first day of the month of a date, on every adapter. The argument is made a
    timestamp first: PostgreSQL would otherwise read a date as timestamptz and truncate in
    the session's time zone.
-#}
{% macro month_start(date_expr) -%}
    date_trunc('month', cast({{ date_expr }} as timestamp))
{%- endmacro %}
