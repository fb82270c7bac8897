{#-
    A seed value within its allowed range, or the build stops and names the row.

        - name: unit_price
          data_tests:
            - value_in_range:
                arguments: {min_value: 0, row_key: [rate_version, sku_id]}

    min_value and max_value are inclusive bounds (either may be left out); exclusive_min
    makes the lower bound exclusive (an FX rate must be above 0). `unless` is a condition
    under which a row may be out of range (a credit SKU's negative price). An empty value
    is not checked (not_null tests that). Rows out of range stop `dbt build` with one error
    that names each of them (the seed, the row's key and the value), for example
        rate_cards row rate_version=FY2026, sku_id=SRV-VM-S: unit_price = -3.000000 is below 0
    so the analyst who edited the seed sees which line to fix.
-#}
{% test value_in_range(
    model, column_name, row_key, min_value=none, max_value=none, exclusive_min=false,
    unless=none
) %}
{%- set key_parts = [] -%}
{%- for key in row_key -%}
    {%- do key_parts.append("'" ~ key ~ "=' || coalesce(cast(" ~ key ~ " as " ~ text_type() ~ "), '')") -%}
{%- endfor -%}
with

out_of_range as (

    select
        '{{ model.identifier }} row ' || {{ key_parts | join(" || ', ' || ") }} || ': '
        || '{{ column_name }} = ' || cast({{ column_name }} as {{ text_type() }}) || ' ' || case
            {% if min_value is not none -%}
            when {{ column_name }} {{ '<=' if exclusive_min else '<' }} {{ min_value }}
                then '{{ "is not above" if exclusive_min else "is below" }} {{ min_value }}'
            {% endif -%}
            {% if max_value is not none -%}
            when {{ column_name }} > {{ max_value }} then 'is above {{ max_value }}'
            {% endif -%}
        end as problem

    from {{ model }}
    where
        {{ column_name }} is not null
        {% if unless -%}
        and not ({{ unless }})
        {%- endif %}

),

every_problem as (

    select
        count(*) as problem_count,
        {{ string_agg('problem', "'; '", 'problem') }} as problems

    from out_of_range
    where problem is not null

)

select *
from every_problem
where problem_count > 0 and {{ fail_with('problems') }}
{% endtest %}
