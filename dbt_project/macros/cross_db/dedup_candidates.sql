{#-
    Finding repeated content cheaply. int_usage_events_validated reads each landing batch
    more than once, and on DuckDB each read re-runs the staging projection: the md5
    row_hash (text_hash) of a FOCUS row cost about 6 s per 4M rows per read, of which half
    is building the concatenated text. To find which content repeats in a batch, it groups
    by a cheap hash of the same columns instead (DuckDB's hash(), 0.5 s per 4M rows), and
    ranks only those candidates by the exact row_hash. A collision of the cheap hash only
    adds a candidate; the md5 decides what is a duplicate.
    PostgreSQL materializes the batch (reused_cte), so its row_hash is computed once and
    it groups by row_hash itself: candidate_hash is null there.
-#}
{% macro candidate_hash(columns) -%}
    {{ return(adapter.dispatch('candidate_hash', 'chargeback')(columns)) }}
{%- endmacro %}

{% macro default__candidate_hash(columns) -%}
    cast(null as bigint)
{%- endmacro %}

{% macro duckdb__candidate_hash(columns) -%}
    hash(
        {%- for column in columns %}
        {{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    )
{%- endmacro %}

{% macro candidate_key() -%}
    {{ return(adapter.dispatch('candidate_key', 'chargeback')()) }}
{%- endmacro %}

{% macro default__candidate_key() -%}
    row_hash
{%- endmacro %}

{% macro duckdb__candidate_key() -%}
    row_candidate_hash
{%- endmacro %}
