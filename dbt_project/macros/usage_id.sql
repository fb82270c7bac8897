{#-
    The key of a landed usage record: the first 16 hex digits of its file's sha256, a
    hyphen, and its record number in the file, for example 3f2a9c0d1e5b7a86-1042. The same
    on every adapter and stable across rebuilds, and it says where the record is.
    Not an md5 of the two: 32 random hex digits per record do not compress, and writing and
    grouping them cost about 2 s per 10M-row table on DuckDB (usage_id is stored in
    int_usage_events_validated and int_usage_events_rated, and tested unique in both and in
    fct_rated_usage; benchmarks/results/2026-12-07b-build.md). Two files whose checksums
    share 16 hex digits (one chance in 10^19 per pair) would fail those unique tests.
-#}
{% macro usage_id(file_id, source_row) -%}
    substr({{ file_id }}, 1, 16) || '-' || cast({{ source_row }} as {{ text_type() }})
{%- endmacro %}
