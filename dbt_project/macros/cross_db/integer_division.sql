{#-
    Exact integer arithmetic for largest-remainder allocation. `/` is not portable: on
    integers DuckDB returns a double and PostgreSQL truncates, and a decimal division in
    DuckDB returns a double. Money split in cents must never touch a float, so:
    big_integer(x) is a wide integer (hugeint / numeric), int_div floors, int_mod is the
    remainder. Arguments are never negative here.
-#}
{% macro big_integer(expr) -%}
    {{ return(adapter.dispatch('big_integer', 'chargeback')(expr)) }}
{%- endmacro %}

{% macro default__big_integer(expr) -%}
    cast({{ expr }} as hugeint)
{%- endmacro %}

{% macro postgres__big_integer(expr) -%}
    cast({{ expr }} as numeric(38, 0))
{%- endmacro %}

{% macro int_div(numerator, denominator) -%}
    {{ return(adapter.dispatch('int_div', 'chargeback')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__int_div(numerator, denominator) -%}
    (({{ numerator }}) // ({{ denominator }}))
{%- endmacro %}

{% macro postgres__int_div(numerator, denominator) -%}
    div({{ numerator }}, {{ denominator }})
{%- endmacro %}

{% macro int_mod(numerator, denominator) -%}
    {{ return(adapter.dispatch('int_mod', 'chargeback')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__int_mod(numerator, denominator) -%}
    (({{ numerator }}) % ({{ denominator }}))
{%- endmacro %}

{% macro postgres__int_mod(numerator, denominator) -%}
    mod({{ numerator }}, {{ denominator }})
{%- endmacro %}

{#- Spark: decimal(38, 0) is its widest exact integer; `div` is its integer division
    (exact, to a bigint: the quotients here are amounts in cents and counts). -#}
{% macro spark__big_integer(expr) -%}
    cast({{ expr }} as decimal(38, 0))
{%- endmacro %}

{% macro spark__int_div(numerator, denominator) -%}
    (({{ numerator }}) div ({{ denominator }}))
{%- endmacro %}
