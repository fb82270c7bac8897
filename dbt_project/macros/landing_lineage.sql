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
