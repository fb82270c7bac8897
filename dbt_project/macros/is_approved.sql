{#-
    Approval: a rate-card or contract row applies only once somebody approved it
    (approved_by and approved_at both set). The build fails on an unapproved row
    (assert_rate_card_versions_are_approved, assert_contracts_are_approved_and_complete);
    this predicate keeps one from ever being applied in between.
    Usage: `select * from {{ ref('contracts') }} where {{ is_approved() }}`
-#}
{% macro is_approved(alias=none) -%}
    {%- set prefix = (alias ~ '.') if alias else '' -%}
    ({{ prefix }}approved_by is not null and {{ prefix }}approved_at is not null)
{%- endmacro %}
