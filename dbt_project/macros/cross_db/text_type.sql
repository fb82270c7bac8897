{#-
    The SQL type of text: `varchar` on DuckDB and PostgreSQL, `string` on Spark, whose
    varchar needs a length. Every cast to text in the project's SQL names it through this
    macro (`cast(x as {{ text_type() }})`).
-#}
{% macro text_type() -%}
    {{ return(adapter.dispatch('text_type', 'chargeback')()) }}
{%- endmacro %}

{% macro default__text_type() -%}
    varchar
{%- endmacro %}

{% macro spark__text_type() -%}
    string
{%- endmacro %}
