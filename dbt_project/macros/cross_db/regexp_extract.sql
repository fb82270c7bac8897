{#- The first match of a POSIX regular expression in a text, or null, on every adapter. -#}
{% macro regexp_first_match(expr, pattern) -%}
    {{ return(adapter.dispatch('regexp_first_match', 'chargeback')(expr, pattern)) }}
{%- endmacro %}

{% macro default__regexp_first_match(expr, pattern) -%}
    nullif(regexp_extract({{ expr }}, {{ pattern }}), '')
{%- endmacro %}

{% macro postgres__regexp_first_match(expr, pattern) -%}
    substring({{ expr }} from {{ pattern }})
{%- endmacro %}

{% macro spark__regexp_first_match(expr, pattern) -%}
    nullif(regexp_substr({{ expr }}, {{ pattern }}), '')
{%- endmacro %}
