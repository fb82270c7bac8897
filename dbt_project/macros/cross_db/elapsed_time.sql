{#-
    Elapsed time between two timestamps, and a timestamp plus whole hours, on every adapter
    (DuckDB has date_diff and to_hours; PostgreSQL subtracts timestamps into an interval).
    Used by the dispute SLA timers (int_disputes_resolved).
-#}
{% macro seconds_between(start_ts, end_ts) -%}
    {{ return(adapter.dispatch('seconds_between', 'chargeback')(start_ts, end_ts)) }}
{%- endmacro %}

{% macro default__seconds_between(start_ts, end_ts) -%}
    date_diff('second', {{ start_ts }}, {{ end_ts }})
{%- endmacro %}

{% macro spark__seconds_between(start_ts, end_ts) -%}
    timestampdiff(second, {{ start_ts }}, {{ end_ts }})
{%- endmacro %}

{% macro postgres__seconds_between(start_ts, end_ts) -%}
    cast(extract(epoch from ({{ end_ts }} - {{ start_ts }})) as bigint)
{%- endmacro %}

{% macro add_hours(ts, hours) -%}
    {{ return(adapter.dispatch('add_hours', 'chargeback')(ts, hours)) }}
{%- endmacro %}

{% macro default__add_hours(ts, hours) -%}
    ({{ ts }} + to_hours(cast({{ hours }} as bigint)))
{%- endmacro %}

{% macro spark__add_hours(ts, hours) -%}
    timestampadd(hour, cast({{ hours }} as bigint), {{ ts }})
{%- endmacro %}

{% macro postgres__add_hours(ts, hours) -%}
    ({{ ts }} + make_interval(hours => cast({{ hours }} as integer)))
{%- endmacro %}

{#- Hours between two timestamps (end not before start), to 2 decimals, half up. -#}
{% macro hours_between(start_ts, end_ts) -%}
    cast(
        cast(
            {{ int_div(seconds_between(start_ts, end_ts) ~ ' * 100 + 1800', 3600) }}
            as decimal(18, 2)
        ) * 0.01 as decimal(18, 2)
    )
{%- endmacro %}
