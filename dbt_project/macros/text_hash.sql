{#-
    md5 over several text columns, identical on DuckDB and PostgreSQL. Nulls and empty
    strings hash differently ('\N' marks null), and '|' separates the values.
    One concat() call, not a chain of ||: each || builds a new string, and the chain over a
    FOCUS row's 24 columns cost 6.0 s per 4M rows on DuckDB against 1.1 s for concat(), for
    the same text (benchmarks/results/2026-12-06-build.md).
-#}
{% macro text_hash(columns) -%}
    md5({{ hashed_text(columns) }})
{%- endmacro %}

{#- The text that text_hash hashes: each value, or '\N' for null, separated by '|'. -#}
{% macro hashed_text(columns) -%}
    concat(
        {%- for column in columns %}
        coalesce(cast({{ column }} as {{ text_type() }}), {{ hash_null_marker() }}){% if not loop.last %}, '|',{% endif %}
        {%- endfor %}
    )
{%- endmacro %}

{#- The text literal \N: Spark's string literals read a backslash as an escape. -#}
{% macro hash_null_marker() -%}
    {{ return(adapter.dispatch('hash_null_marker', 'chargeback')()) }}
{%- endmacro %}

{% macro default__hash_null_marker() -%}
    '\N'
{%- endmacro %}

{% macro spark__hash_null_marker() -%}
    '\\N'
{%- endmacro %}
