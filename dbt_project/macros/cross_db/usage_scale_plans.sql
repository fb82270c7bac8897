{#-
    How PostgreSQL plans the usage-sized models (10M rows and more). DuckDB plans them well by
    itself, so both macros are empty there.
    - usage_scale_session() (a pre-hook of every model, dbt_project.yml): PostgreSQL cannot
      see the size of a materialized CTE and guesses. In int_usage_events_validated it guessed
      1.7M repeated records (there are 0.3%) and chose a merge join on usage_id, which sorts
      every wide row of the batch on disk; and with the default 4 MB of work_mem it groups
      invoice lines by sorting 10M rows instead of hashing them. For the model's own
      transaction only (`set local`): no merge joins, and var('postgres_work_mem') of memory
      per sort or hash (256MB in dbt_project.yml). Measured on 1M records: validation
      44.6 -> 38.6 s.
    - refresh_statistics() (a post-hook of the tables every later model reads): ANALYZE, so the
      next models plan with the real row counts. dbt does not do it and autovacuum comes later.
-#}
{% macro usage_scale_session() -%}
    {{ return(adapter.dispatch('usage_scale_session', 'chargeback')()) }}
{%- endmacro %}

{% macro default__usage_scale_session() -%}
{%- endmacro %}

{% macro postgres__usage_scale_session() -%}
    set local enable_mergejoin = off;
    set local work_mem = '{{ var("postgres_work_mem") }}'
{%- endmacro %}

{% macro refresh_statistics() -%}
    {{ return(adapter.dispatch('refresh_statistics', 'chargeback')()) }}
{%- endmacro %}

{% macro default__refresh_statistics() -%}
{%- endmacro %}

{% macro postgres__refresh_statistics() -%}
    analyze {{ this }}
{%- endmacro %}
