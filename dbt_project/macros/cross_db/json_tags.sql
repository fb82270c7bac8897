{#-
    Reading FOCUS Tags (a JSON object held as text). Invalid JSON never raises: it is
    reported by is_json_object() = false and quarantined as INVALID_TAGS downstream.
-#}
{% macro is_json_object(expr) -%}
    {{ return(adapter.dispatch('is_json_object', 'chargeback')(expr)) }}
{%- endmacro %}

{% macro default__is_json_object(expr) -%}
    case
        when coalesce(json_valid({{ expr }}), false) then json_type({{ expr }}) = 'OBJECT'
        else false
    end
{%- endmacro %}

{#-
    A JSON object whose keys and values are all plain strings (no escape, no control
    character), as cost-allocation tags nearly always are. PostgreSQL casts it to jsonb
    without fail, so it needs no plpgsql exception block and its subtransaction per row;
    anything else still goes through try_cast_jsonb.
-#}
{% macro flat_json_object_pattern() -%}
    {#- whitespace [ \t\r\n]*, a string "[^"\\\x01-\x1f]*", members "key": "value" -#}
    '^[ \t\r\n]*[{][ \t\r\n]*("[^"\\\x01-\x1f]*"[ \t\r\n]*:[ \t\r\n]*"[^"\\\x01-\x1f]*"[ \t\r\n]*(,[ \t\r\n]*"[^"\\\x01-\x1f]*"[ \t\r\n]*:[ \t\r\n]*"[^"\\\x01-\x1f]*"[ \t\r\n]*)*)?[}][ \t\r\n]*$'
{%- endmacro %}

{% macro postgres__is_json_object(expr) -%}
    case
        when {{ expr }} ~ {{ flat_json_object_pattern() }} then true
        else coalesce(jsonb_typeof({{ target.schema }}.try_cast_jsonb({{ expr }})) = 'object', false)
    end
{%- endmacro %}

{% macro json_text(expr, key) -%}
    {{ return(adapter.dispatch('json_text', 'chargeback')(expr, key)) }}
{%- endmacro %}

{% macro default__json_text(expr, key) -%}
    case
        when {{ is_json_object(expr) }}
            then json_extract_string({{ expr }}, '$."{{ key }}"')
    end
{%- endmacro %}

{% macro postgres__json_text(expr, key) -%}
    case
        when {{ expr }} ~ {{ flat_json_object_pattern() }}
            then cast({{ expr }} as jsonb) ->> '{{ key }}'
        else {{ target.schema }}.try_cast_jsonb({{ expr }}) ->> '{{ key }}'
    end
{%- endmacro %}
