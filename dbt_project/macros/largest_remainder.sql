{#-
    Largest-remainder rounding: split `amount_cents` (a whole number of cents, the same on
    every row of a partition) over the partition's rows in proportion to `weight_units`
    (non-negative integers), so that the parts are whole cents and add up to the amount.
    Each row first gets floor(amount x weight / total weight); the cents left over go one
    each to the rows with the largest remainders (ties: `tiebreak`, ascending). Integer
    arithmetic only (big_integer, int_div, int_mod): no float, no decimal division.

    Renders three CTEs, the last one named `name`, which has every column of `source` plus
    total_weight_units and allocated_cents. Rows with weight 0 get 0 (if the total weight
    is 0 nothing is allocated: callers keep such amounts visible themselves).
-#}
{% macro largest_remainder_ctes(name, source, partition_by, amount_cents, weight_units, tiebreak) -%}
{%- set partition = partition_by | join(', ') -%}
{{ name }}_weighted as (

    select
        *,
        sum({{ weight_units }}) over (partition by {{ partition }}) as total_weight_units

    from {{ source }}

),

{{ name }}_floored as (

    select
        *,
        {{ int_div(amount_cents ~ ' * ' ~ weight_units, 'total_weight_units') }} as floor_cents,
        {{ int_mod(amount_cents ~ ' * ' ~ weight_units, 'total_weight_units') }}
            as remainder_units

    from {{ name }}_weighted
    where total_weight_units > 0

),

{{ name }}_ranked as (

    select
        *,
        {{ amount_cents }} - sum(floor_cents) over (partition by {{ partition }})
            as leftover_cents,
        row_number() over (
            partition by {{ partition }}
            order by remainder_units desc, {{ tiebreak }} asc
        ) as remainder_rank

    from {{ name }}_floored

),

{{ name }} as (

    select
        *,
        floor_cents + case when remainder_rank <= leftover_cents then 1 else 0 end
            as allocated_cents

    from {{ name }}_ranked

)
{%- endmacro %}
