{#-
    Money. Amounts inside the warehouse are decimal(38,12) and are never rounded until the
    invoice line. `to_cents` is the one place money is rounded: to 2 decimals, half away
    from zero (the same on DuckDB and PostgreSQL). See docs/rounding.md.
-#}
{% macro amount_type() -%}
    decimal(38, 12)
{%- endmacro %}

{% macro to_amount(expr) -%}
    cast(round({{ expr }}, 12) as {{ amount_type() }})
{%- endmacro %}

{% macro to_cents(expr) -%}
    cast(round({{ expr }}, 2) as decimal(18, 2))
{%- endmacro %}

{#-
    An amount divided by a whole number (days in a month, for proration), exact to 12
    decimals and rounded half up there, on integers: a decimal division returns a double
    on DuckDB. `amount` must not be negative. Used by subscription proration.
-#}
{% macro divide_amount(amount, denominator) -%}
    cast(
        {{ int_div(
            big_integer('round((' ~ amount ~ ') * 1000000000000, 0)') ~ ' * 2 + (' ~ denominator ~ ')',
            '2 * (' ~ denominator ~ ')'
        ) }} as decimal(38, 0)
    ) * 0.000000000001
{%- endmacro %}

{#- A percentage of an amount (percent as 8.0000 for 8 %), held to 12 decimals. -#}
{% macro percent_of(amount, percent) -%}
    {{ to_amount('(' ~ amount ~ ') * (' ~ percent ~ ') * 0.01') }}
{%- endmacro %}
