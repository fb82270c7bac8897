{#-
    A condition that stops the query with `message` (a text expression) as its error, for a
    test that must name the bad row rather than count rows: dbt then reports the test as an
    error with that message. Evaluated once per row that reaches it, so put it last.
-#}
{% macro fail_with(message) -%}
    {{ return(adapter.dispatch('fail_with', 'chargeback')(message)) }}
{%- endmacro %}

{% macro default__fail_with(message) -%}
    error({{ message }}) is null
{%- endmacro %}

{% macro postgres__fail_with(message) -%}
    {{ target.schema }}.raise_error({{ message }})
{%- endmacro %}

{% macro spark__fail_with(message) -%}
    raise_error({{ message }}) is null
{%- endmacro %}
