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

{% macro postgres__is_json_object(expr) -%}
    coalesce(jsonb_typeof({{ target.schema }}.try_cast_jsonb({{ expr }})) = 'object', false)
{%- endmacro %}

{#- Spark: try_parse_json (a VARIANT, or null for invalid JSON) whose schema is an OBJECT;
    it reads a first JSON value followed by other text as that value, so the text must
    also end where the object does. -#}
{% macro spark__is_json_object(expr) -%}
    coalesce(
        schema_of_variant(try_parse_json({{ expr }})) like 'OBJECT%'
        and rtrim({{ expr }}) like '%}',
        false
    )
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

{% macro spark__json_text(expr, key) -%}
    case
        when {{ is_json_object(expr) }}
            then try_variant_get(try_parse_json({{ expr }}), '$["{{ key }}"]', 'string')
    end
{%- endmacro %}

{% macro postgres__json_text(expr, key) -%}
    ({{ target.schema }}.try_cast_jsonb({{ expr }}) ->> '{{ key }}')
{%- endmacro %}
