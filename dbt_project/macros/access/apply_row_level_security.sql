{#-
    Row-level security for the dashboard's three roles (docs/access-control.md), run at the
    end of every dbt invocation (on-run-end), so tables that dbt just rebuilt get their
    grants and policies back before anyone reads them (a rebuilt table starts with no
    grants: a viewer is refused, never shown too much).

    PostgreSQL:
    - group roles chargeback_finance_admin, chargeback_auditor and chargeback_viewer, and one
      role per principal of dim_access_grants, member of its group (the dashboard connects as
      its service user and does SET ROLE <principal>);
    - finance admin and auditor read every mart, landing and register table; only the
      finance admin may add to the invoice register (INSERT only: triggers refuse any
      UPDATE or DELETE, macro register_append_only_guards); the auditor's role is read-only
      (default_transaction_read_only);
    - a viewer reads only the marts with a customer_id column, through a policy: a row is
      visible when the principal holds a whole-customer grant for its customer, or, for
      tables with a cost_center_id column, a grant for its cost center. A mart that is a
      view (fct_rated_usage) runs with the reader's rights (security_invoker) and the same
      policy guards the model tables it reads. The landing rows are visible when a rated
      usage row the viewer can see points at them.
    DuckDB has no row-level security: chargeback/access.py applies the same rules.
-#}
{% macro apply_row_level_security() -%}
    {{ return(adapter.dispatch('apply_row_level_security', 'chargeback')()) }}
{%- endmacro %}

{% macro default__apply_row_level_security() -%}
    select 1 as row_level_security_is_applied_by_the_query_layer
{%- endmacro %}

{% macro postgres__apply_row_level_security() -%}
    {%- if not execute -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set grants_relation = adapter.get_relation(
        database=target.database, schema=target.schema, identifier='dim_access_grants') -%}
    {%- if grants_relation is none -%}
        {{ return('select 1 as no_access_grants_built_yet') }}
    {%- endif -%}
    {%- set schema = target.schema -%}
    {%- set raw_schema = target.schema ~ '_raw' -%}
    {%- set register_schema = target.schema ~ '_register' -%}
    {%- set staff = 'chargeback_finance_admin, chargeback_auditor' -%}

    {#- Roles are global to the PostgreSQL cluster and two builds (two schemas) may run at
        once: all role changes happen in one block, under a transaction-level advisory lock,
        so concurrent builds take turns instead of failing with "tuple concurrently
        updated". -#}
    {%- set principals = run_query(
        'select distinct principal, role from ' ~ grants_relation ~ ' where is_valid'
        ~ ' order by principal') -%}
    {%- call statement('access_roles') -%}
        do $$
        begin
            perform pg_advisory_xact_lock(hashtext('chargeback.apply_row_level_security'));
            {%- for group in ['chargeback_finance_admin', 'chargeback_auditor',
                              'chargeback_viewer'] %}
            if not exists (select from pg_roles where rolname = '{{ group }}') then
                create role {{ group }} nologin;
            end if;
            {%- endfor %}
            alter role chargeback_auditor set default_transaction_read_only = on;
            {%- for row in principals %}
            if not exists (select from pg_roles where rolname = '{{ row[0] }}') then
                create role "{{ row[0] }}" nologin;
            end if;
            grant chargeback_{{ row[1] }} to "{{ row[0] }}";
            grant "{{ row[0] }}" to current_user;
            {%- if row[1] == 'auditor' %}
            alter role "{{ row[0] }}" set default_transaction_read_only = on;
            {%- endif %}
            {%- endfor %}
        end
        $$;
    {%- endcall -%}

    {#- Tables of the three schemas, and which of them carry customer_id / cost_center_id. -#}
    {%- set tables = run_query(
        "select t.table_schema, t.table_name,"
        ~ " bool_or(c.column_name = 'customer_id') as has_customer,"
        ~ " bool_or(c.column_name = 'cost_center_id') as has_cost_center,"
        ~ " max(t.table_type) = 'VIEW' as is_view"
        ~ " from information_schema.tables as t"
        ~ " join information_schema.columns as c"
        ~ " on c.table_schema = t.table_schema and c.table_name = t.table_name"
        ~ " where t.table_type in ('BASE TABLE', 'VIEW') and t.table_schema in ('"
        ~ schema ~ "', '" ~ raw_schema ~ "', '" ~ register_schema ~ "')"
        ~ " group by t.table_schema, t.table_name order by 1, 2") -%}
    {#- The marts, and the model tables that mart views read (guarded like the marts). -#}
    {%- set mart_names = [] -%}
    {%- set view_bases = [] -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and 'marts' in node.fqn -%}
        {%- do mart_names.append(node.alias) -%}
        {%- if node.config.materialized == 'view' -%}
            {%- for parent in node.depends_on.nodes if parent.startswith('model.') -%}
                {%- do view_bases.append(graph.nodes[parent].alias) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}

    {%- call statement('access_schemas') -%}
        {%- for s in [schema, raw_schema, register_schema] %}
        grant usage on schema "{{ s }}" to {{ staff }};
        grant select on all tables in schema "{{ s }}" to {{ staff }};
        {%- endfor %}
        grant usage on schema "{{ schema }}" to chargeback_viewer;
        grant usage on schema "{{ raw_schema }}" to chargeback_viewer;
        revoke update, delete, truncate on all tables in schema "{{ register_schema }}"
            from chargeback_finance_admin;
        grant insert on all tables in schema "{{ register_schema }}"
            to chargeback_finance_admin;
    {%- endcall -%}

    {%- for row in tables -%}
        {%- set table_schema, table_name = row[0], row[1] -%}
        {%- set has_customer, has_cost_center, is_view = row[2], row[3], row[4] -%}
        {%- set relation = '"' ~ table_schema ~ '"."' ~ table_name ~ '"' -%}
        {%- set is_scoped_mart = table_schema == schema and has_customer
            and (table_name in mart_names or table_name in view_bases) -%}
        {%- set is_landing = table_schema == raw_schema
            and table_name in ('focus_usage', 'ru_usage', 'labour_activities') -%}
        {%- if is_scoped_mart or is_landing -%}
        {%- if is_view -%}
        {%- call statement('access_view_' ~ loop.index) -%}
            alter view {{ relation }} set (security_invoker = true);
            grant select on {{ relation }} to chargeback_viewer;
        {%- endcall -%}
        {%- else -%}
        {%- call statement('access_policy_' ~ loop.index) -%}
            alter table {{ relation }} enable row level security;
            drop policy if exists chargeback_staff_read on {{ relation }};
            create policy chargeback_staff_read on {{ relation }}
                for select to {{ staff }} using (true);
            drop policy if exists chargeback_viewer_scope on {{ relation }};
            grant select on {{ relation }} to chargeback_viewer;
            {%- if is_landing %}
            create policy chargeback_viewer_scope on {{ relation }}
                for select to chargeback_viewer
                using (exists (
                    select 1 from "{{ schema }}"."fct_rated_usage" as visible
                    where visible.file_id = _file_id and visible.source_row = _source_row
                ));
            {%- elif table_name == 'dim_access_grants' %}
            create policy chargeback_viewer_scope on {{ relation }}
                for select to chargeback_viewer
                using (principal = current_user and is_valid);
            {%- else %}
            create policy chargeback_viewer_scope on {{ relation }}
                for select to chargeback_viewer
                using (exists (
                    select 1 from "{{ schema }}"."dim_access_grants" as access_grant
                    where access_grant.principal = current_user
                        and access_grant.is_valid
                        and access_grant.customer_id = {{ relation }}.customer_id
                        and (access_grant.is_whole_customer
                            {%- if has_cost_center %}
                            or access_grant.cost_center_id = {{ relation }}.cost_center_id
                            {%- endif %})
                ));
            {%- endif %}
        {%- endcall -%}
        {%- endif -%}
        {%- endif -%}
    {%- endfor -%}

    {{ return('select 1 as row_level_security_applied') }}
{%- endmacro %}
