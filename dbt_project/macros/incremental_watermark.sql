{#-
    The incremental watermark: on an incremental run under unchanged rules, only records
    landed after the newest one already in this model; on a first or --full-refresh build,
    or when the rules changed (macros/incremental_rules.sql), every record.
    Usage: `where {{ landed_after_watermark('landed_at') }}`
-#}
{% macro landed_after_watermark(column) -%}
    {%- if rules_unchanged() -%}
        {{ column }} > (select max(already_built.{{ column }}) from {{ this }} as already_built)
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}
