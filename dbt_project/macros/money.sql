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
