{#-
    A ratio of two decimals held to `scale` decimals, exact and identical on every adapter:
    both sides become integers scaled by 10^scale, the quotient is an integer division
    rounded half away from zero, and the sign is applied after (DuckDB's // floors,
    PostgreSQL's div truncates). A decimal division would return a double on DuckDB. Null
    when the denominator rounds to 0. Used by the forecast (regression, seasonal indices),
    its accuracy and the anomaly scores.
-#}
{% macro exact_ratio(numerator, denominator, scale=6) -%}
    {%- set num = big_integer('round(abs(' ~ numerator ~ ') * ' ~ (10 ** (2 * scale)) ~ ', 0)') -%}
    {%- set den = big_integer('round(abs(' ~ denominator ~ ') * ' ~ (10 ** scale) ~ ', 0)') -%}
    case
        when round({{ denominator }} * {{ 10 ** scale }}, 0) <> 0
            then cast(
                cast(
                    sign({{ numerator }}) * sign({{ denominator }})
                    * {{ int_div('2 * ' ~ num ~ ' + ' ~ den, '2 * ' ~ den) }}
                    as decimal(38, 0)
                ) * {{ '0.' ~ ('0' * (scale - 1)) ~ '1' }} as decimal(38, {{ scale }})
            )
    end
{%- endmacro %}
