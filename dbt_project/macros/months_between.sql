{#- Whole months from the month of `from_date` to the month of `to_date` (same month: 0). -#}
{% macro months_between(from_date, to_date) -%}
    (
        cast(extract(year from {{ to_date }}) as integer) * 12
        + cast(extract(month from {{ to_date }}) as integer)
        - cast(extract(year from {{ from_date }}) as integer) * 12
        - cast(extract(month from {{ from_date }}) as integer)
    )
{%- endmacro %}
