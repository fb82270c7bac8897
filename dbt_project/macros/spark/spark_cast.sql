{#- dbt's cast() on Spark, which an enforced model contract uses to build its expected
    columns: a `data_type: varchar` of the project's YAML (portable SQL, what DuckDB and
    PostgreSQL name text) is Spark's `string`, as text_type() says in the models. -#}
{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ 'string' if (type | trim | lower) == 'varchar' else type }})
{%- endmacro %}
