{#-
    The incremental watermark: on an incremental run, only records landed after the newest
    one already in this model; on a first or --full-refresh build, every record.
    Usage: `where {{ landed_after_watermark('landed_at') }}`
-#}
{% macro landed_after_watermark(column) -%}
    {%- if is_incremental() -%}
        {{ column }} > (select max(already_built.{{ column }}) from {{ this }} as already_built)
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}
