{#-
    The median of a group (an aggregate), on every adapter: the lower middle value
    (percentile_disc), an actual value of the group, so it keeps its decimal type and
    DuckDB and PostgreSQL agree exactly.
-#}
{% macro median(expr) -%}
    {{ return(adapter.dispatch('median', 'chargeback')(expr)) }}
{%- endmacro %}

{% macro default__median(expr) -%}
    percentile_disc(0.5) within group (order by {{ expr }})
{%- endmacro %}
