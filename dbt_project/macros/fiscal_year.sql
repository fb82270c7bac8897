{#-
    Fiscal calendar (vars fiscal_year_start_month, biennium_starts_in_even_fiscal_year in
    dbt_project.yml). A fiscal year is named after the calendar year it ends in: with a
    September start, FY2027 runs from 1 September 2026 to 31 August 2027.
-#}
{% macro fiscal_year(date_expr) -%}
    {%- set start = var('fiscal_year_start_month', 9) | int -%}
    (
        cast(extract(year from {{ date_expr }}) as integer)
        {%- if start > 1 %}
        + case when cast(extract(month from {{ date_expr }}) as integer) >= {{ start }} then 1 else 0 end
        {%- endif %}
    )
{%- endmacro %}

{#- The first fiscal year of the biennium a fiscal year belongs to. -#}
{% macro biennium_start(fiscal_year_expr) -%}
    {%- set parity = 0 if var('biennium_starts_in_even_fiscal_year', true) else 1 -%}
    ({{ fiscal_year_expr }} - case when mod({{ fiscal_year_expr }}, 2) = {{ parity }} then 0 else 1 end)
{%- endmacro %}

{#- The first day of a fiscal year (an integer expression). -#}
{% macro fiscal_year_start_date(fiscal_year_expr) -%}
    {%- set start = var('fiscal_year_start_month', 9) | int -%}
    {{ make_month(fiscal_year_expr ~ (' - 1' if start > 1 else ''), start) }}
{%- endmacro %}
