{#-
    Effective dating: true when `date_expr` falls in the row's validity, from and to both
    inclusive, an empty `to` meaning open-ended. Every dated seed (rate cards, account codes,
    cost pools, drivers, labour modifiers and contracts, billing policies) uses it.
    Usage: `on {{ is_effective('usage.charge_date', 'rate_cards') }}`
-#}
{% macro is_effective(date_expr, alias, from_column='effective_from', to_column='effective_to') -%}
    ({{ date_expr }} >= {{ alias }}.{{ from_column }}
    and ({{ alias }}.{{ to_column }} is null or {{ date_expr }} <= {{ alias }}.{{ to_column }}))
{%- endmacro %}
