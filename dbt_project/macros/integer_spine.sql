{#-
    The integers 0 to 99 as a one-column relation (`n`), on every adapter: a cross join of
    two digit lists, for month offsets of the forecast.
    Usage: `select n from ({{ integer_spine() }}) as spine`
-#}
{% macro integer_spine() -%}
    select tens.d * 10 + ones.d as n
    from (
        {%- for d in range(10) %}
        select {{ d }} as d{% if not loop.last %} union all{% endif %}
        {%- endfor %}
    ) as tens
    cross join (
        {%- for d in range(10) %}
        select {{ d }} as d{% if not loop.last %} union all{% endif %}
        {%- endfor %}
    ) as ones
{%- endmacro %}
