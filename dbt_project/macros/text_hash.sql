{#-
    md5 over several text columns, identical on DuckDB and PostgreSQL. Nulls and empty
    strings hash differently ('\N' marks null), and '|' separates the values.
-#}
{% macro text_hash(columns) -%}
    md5(
        {%- for column in columns %}
        coalesce(cast({{ column }} as varchar), '\N'){% if not loop.last %} || '|' ||{% endif %}
        {%- endfor %}
    )
{%- endmacro %}
