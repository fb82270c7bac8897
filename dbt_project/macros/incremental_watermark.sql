{#-
    The incremental watermark: records landed after the newest one already in this model.
    On a first or --full-refresh build, every record (the watermark is 1900-01-01).
    Usage: `where landed_at > {{ incremental_watermark('landed_at') }}`
-#}
{% macro incremental_watermark(column) -%}
    {%- if is_incremental() -%}
        (select coalesce(max(already_built.{{ column }}), cast('1900-01-01' as timestamp)) from {{ this }} as already_built)
    {%- else -%}
        cast('1900-01-01' as timestamp)
    {%- endif -%}
{%- endmacro %}
