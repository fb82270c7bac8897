{#-
    Run on-run-start: on PostgreSQL, drop the viewer policies (chargeback_viewer_scope) of the
    model and landing schemas before any model is rebuilt; on-run-end
    (apply_row_level_security) creates them again.

    Those policies read other tables (dim_access_grants, fct_rated_usage). Rebuilding a table
    drops its old copy with its dependants, so two models rebuilt at once (two dbt threads)
    took the same policy and table locks in opposite orders: "deadlock detected" in
    dim_customers, seen once in CI. Without them, no rebuild touches another table's policy.
    Row-level security stays enabled meanwhile: a viewer sees no row until the run ends,
    never more than the grants allow.
-#}
{% macro drop_cross_table_policies() -%}
    {{ return(adapter.dispatch('drop_cross_table_policies', 'chargeback')()) }}
{%- endmacro %}

{% macro default__drop_cross_table_policies() -%}
    select 1 as row_level_security_is_applied_by_the_query_layer
{%- endmacro %}

{% macro postgres__drop_cross_table_policies() -%}
    do $$
    declare
        policy record;
    begin
        for policy in
            select schemaname, tablename
            from pg_policies
            where policyname = 'chargeback_viewer_scope'
                and schemaname in ('{{ target.schema }}', '{{ target.schema }}_raw')
        loop
            execute format(
                'drop policy if exists chargeback_viewer_scope on %I.%I',
                policy.schemaname, policy.tablename
            );
        end loop;
    end
    $$
{%- endmacro %}
