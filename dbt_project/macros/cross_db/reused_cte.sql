{#-
    How to evaluate a CTE that a model reads several times: `with x as {{ reused_cte() }} (`.
    The two engines want opposite things for a wide, usage-sized CTE:
    - DuckDB: not materialized. A materialized CTE keeps every wide row of the batch in
      memory and spills the rest (36 GB of spill at 100M rows); reading it again is cheap;
    - PostgreSQL: materialized. Each read of a not-materialized CTE re-runs its staging
      parse (its plpgsql try-casts), about 33 s per read at 1M rows.
-#}
{% macro reused_cte() -%}
    {{ return(adapter.dispatch('reused_cte', 'chargeback')()) }}
{%- endmacro %}

{% macro default__reused_cte() -%}
    materialized
{%- endmacro %}

{% macro duckdb__reused_cte() -%}
    not materialized
{%- endmacro %}

{#- Spark: no such keyword; its optimizer decides (a CTE read twice is computed twice). -#}
{% macro spark__reused_cte() -%}
{%- endmacro %}

{#- A CTE every engine should compute once (`with x as {{ materialized_cte() }} (`), where
    PostgreSQL's planner would otherwise re-scan it per row of a join. -#}
{% macro materialized_cte() -%}
    {{ return(adapter.dispatch('materialized_cte', 'chargeback')()) }}
{%- endmacro %}

{% macro default__materialized_cte() -%}
    materialized
{%- endmacro %}

{% macro spark__materialized_cte() -%}
{%- endmacro %}
