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

{#- Spark's percentile_disc returns a double: the same lower middle value, taken from the
    sorted values themselves, keeps its decimal type. -#}
{% macro spark__median(expr) -%}
    case when count({{ expr }}) > 0 then
        element_at(array_sort(collect_list({{ expr }})), cast((count({{ expr }}) + 1) div 2 as integer))
    end
{%- endmacro %}
