{#-
    Finding repeated content cheaply. int_usage_events_validated reads each landing batch
    more than once, and on DuckDB each read re-runs the staging projection: the md5
    row_hash (text_hash) of a FOCUS row cost about 6 s per 4M rows per read, of which half
    is building the concatenated text. To find which content repeats in a batch, it groups
    by a cheap hash of the same columns instead (DuckDB's hash(), 0.5 s per 4M rows), and
    ranks only those candidates by their exact content: row_content, the text row_hash is
    the md5 of (duplicate_key). A collision of the cheap hash only adds a candidate; equal
    content decides what is a duplicate. Ranking by row_hash had DuckDB compute the md5 of
    every row of the batch in that read (5.2 s of CPU at 10M rows; 0.3% are candidates).
    PostgreSQL materializes the batch (reused_cte), so its row_hash is computed once and
    it groups and ranks by row_hash itself: candidate_hash and row_content are null there.
-#}
{#-
    row_hash, the hash that decides duplicates: md5 of the content text (hashed_text) on
    every adapter. DuckDB keeps it as the 128-bit number (md5_number, a uhugeint), the
    others as its 32 hex digits: the number is the same md5, and storing it instead of 32
    random characters saved about 1.5 s per 10M records in int_usage_events_validated
    (benchmarks/results/2026-12-07b-build.md). Only equality is used, within one adapter.
-#}
{% macro content_hash(columns) -%}
    {{ return(adapter.dispatch('content_hash', 'chargeback')(columns)) }}
{%- endmacro %}

{% macro default__content_hash(columns) -%}
    {{ text_hash(columns) }}
{%- endmacro %}

{% macro duckdb__content_hash(columns) -%}
    md5_number({{ hashed_text(columns) }})
{%- endmacro %}

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

{#- The content text of a record, hashed by row_hash: on DuckDB only (see above). -#}
{% macro row_content(columns) -%}
    {{ return(adapter.dispatch('row_content', 'chargeback')(columns)) }}
{%- endmacro %}

{% macro default__row_content(columns) -%}
    cast(null as {{ text_type() }})
{%- endmacro %}

{% macro duckdb__row_content(columns) -%}
    {{ hashed_text(columns) }}
{%- endmacro %}

{#- What makes two candidates the same content: equal text on DuckDB, equal row_hash elsewhere. -#}
{% macro duplicate_key() -%}
    {{ return(adapter.dispatch('duplicate_key', 'chargeback')()) }}
{%- endmacro %}

{% macro default__duplicate_key() -%}
    row_hash
{%- endmacro %}

{% macro duckdb__duplicate_key() -%}
    row_content
{%- endmacro %}
