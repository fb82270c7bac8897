{#-
    Landed text treats '', whitespace and the bare token NULL (as in the FinOps Foundation
    FOCUS sample) as missing.
-#}
{% macro blank_to_null(expr) -%}
    case when trim({{ expr }}) in ('', 'NULL') then null else {{ expr }} end
{%- endmacro %}
