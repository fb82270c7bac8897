{#-
    A b-tree index for the dashboard's lookups, as a post-hook:
        {{ config(post_hook=[lookup_index(['invoice_line_id'])]) }}
    PostgreSQL gets the index (without it every drill-down step is a sequential scan).
    DuckDB needs none: the usage table keeps its landing order, which is by month, and the
    drill-down filters on the month, so its zone maps skip the other months' row groups
    (benchmarks/bench_drilldown.py).
-#}
{% macro lookup_index(columns) -%}
    {{ return(adapter.dispatch('lookup_index', 'chargeback')(columns)) }}
{%- endmacro %}

{% macro default__lookup_index(columns) -%}
    select 1 as zone_maps_are_enough
{%- endmacro %}

{% macro postgres__lookup_index(columns) -%}
    create index if not exists "{{ this.identifier }}__{{ columns | join('_') }}_idx"
    on {{ this }} ({{ columns | join(', ') }})
{%- endmacro %}
