{#-
    The lineage columns every landing table carries (chargeback/landing/feeds.py),
    renamed for the models: where a record came from, and whether it could be parsed.
-#}
{% macro landing_lineage_columns() -%}
    _file_id as file_id,
    _source_file as source_file,
    _source_row as source_row,
    _source_line as source_line,
    _loaded_at as landed_at,
    _parse_error as parse_error,
    _raw_line as raw_line,
    _extra as extra_columns
{%- endmacro %}

{#-
    Whether a landing-table row is a record, as a where clause for the staging models. Not
    a record: a placeholder, the row DuckDB's one-pass reader wrote for a line whose fields
    did not fit, beside which records.py's own row of the line landed in the same
    transaction. Landing deletes the placeholders once its transactions commit
    (chargeback/landing/native.py, PENDING); one left by a landing that stopped in between
    is never read, and goes at the next landing.
-#}
{% macro is_landed_record() -%}
    _parse_error is distinct from (chr(1) || 'chargeback:pending')
{%- endmacro %}
