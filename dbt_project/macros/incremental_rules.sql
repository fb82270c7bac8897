{#-
    Incremental models that stay current when the rules change (docs/incremental-rules.md).

    int_usage_events_validated and int_usage_events_rated are incremental by landing batch:
    a run only reads the records landed since the last one. That is right while the rules
    that made the stored rows are unchanged. When an analyst edits a seed they read (a rate
    card, a modifier, the SKU catalog, cost centers, account codes...), or the SQL or a macro
    changes, the stored rows were made under other rules. Then the next plain `dbt build`
    rebuilds the model from every landed record, with no flag to remember.

    The rules are fingerprinted: the checksum of every seed, snapshot and model upstream of
    the model (its own SQL included; sources, the landed data, are not rules), the column
    types of those seeds, the SQL of every macro of this project, and the vars the usage
    models read (earliest_charge_date, unallocated_customer_id). The fingerprint a model was built under is kept in the table
    incremental_rule_fingerprints of its schema (one row per model).
-#}

{#- The fingerprint of the rules the current model is built under (an md5, 32 hex). -#}
{% macro rules_fingerprint() -%}
    {%- set ns = namespace(seen=[], parts=[]) -%}
    {%- set queue = [model.unique_id] -%}
    {%- for _ in range(1000) if queue -%}
        {%- set node_id = queue.pop() -%}
        {%- if node_id not in ns.seen and node_id in graph.nodes -%}
            {%- do ns.seen.append(node_id) -%}
            {%- set node = graph.nodes[node_id] -%}
            {%- do ns.parts.append(node_id ~ '=' ~ node.checksum.checksum ~ '/'
                ~ (node.config.column_types or {}) | tojson) -%}
            {%- do queue.extend(node.depends_on.nodes) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for name, value in context.items() -%}
        {%- if value.macro is defined and value.macro.package_name == project_name -%}
            {%- do ns.parts.append('macro.' ~ name ~ '=' ~ local_md5(value.macro.macro_sql)) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for name in ['earliest_charge_date', 'unallocated_customer_id'] -%}
        {%- do ns.parts.append('var.' ~ name ~ '=' ~ var(name)) -%}
    {%- endfor -%}
    {{- return(local_md5(ns.parts | sort | join('\n'))) -}}
{%- endmacro %}

{#- The table that keeps, per model, the fingerprint its stored rows were built under. -#}
{% macro rule_fingerprints_relation() -%}
    {{- return(api.Relation.create(
        database=this.database, schema=this.schema, identifier='incremental_rule_fingerprints'
    )) -}}
{%- endmacro %}

{#- True on an incremental run whose stored rows were built under today's rules: only then
    may the model read new records only. False on a first build, a --full-refresh, or when
    the rules changed (the pre-hook then empties the table and every record is read). -#}
{% macro rules_unchanged() -%}
    {%- if not is_incremental() or not execute -%}
        {{- return(false) -}}
    {%- endif -%}
    {%- set fingerprints = rule_fingerprints_relation() -%}
    {%- if load_relation(fingerprints) is none -%}
        {{- return(false) -}}
    {%- endif -%}
    {%- set stored = run_query(
        "select rules_fingerprint from " ~ fingerprints
        ~ " where model_name = '" ~ this.identifier ~ "' order by recorded_at desc limit 1"
    ) -%}
    {{- return(stored.rows | length == 1 and stored.rows[0][0] == rules_fingerprint()) -}}
{%- endmacro %}

{#- Pre-hook: on an incremental run under changed rules, empty the model so that this run
    rebuilds it from every landed record. -#}
{% macro reset_when_rules_changed() -%}
    {%- if is_incremental() and not rules_unchanged() -%}
        {{ empty_table(this) }}
    {%- endif -%}
{%- endmacro %}

{#- Delete every row of a table (Spark's Parquet tables take no DELETE: TRUNCATE). -#}
{% macro empty_table(relation) -%}
    {{ return(adapter.dispatch('empty_table', 'chargeback')(relation)) }}
{%- endmacro %}

{% macro default__empty_table(relation) -%}
    delete from {{ relation }}
{%- endmacro %}

{% macro spark__empty_table(relation) -%}
    truncate table {{ relation }}
{%- endmacro %}

{#- Post-hook: record the fingerprint the model was just built under. -#}
{% macro record_rules_fingerprint() -%}
    {{ return(adapter.dispatch('record_rules_fingerprint', 'chargeback')()) }}
{%- endmacro %}

{% macro default__record_rules_fingerprint() -%}
    {%- set fingerprints = rule_fingerprints_relation() -%}
    create table if not exists {{ fingerprints }} (
        model_name varchar(200) primary key,
        rules_fingerprint varchar(32) not null,
        recorded_at timestamp not null
    );
    delete from {{ fingerprints }} where model_name = '{{ this.identifier }}';
    insert into {{ fingerprints }} (model_name, rules_fingerprint, recorded_at)
    values ('{{ this.identifier }}', '{{ rules_fingerprint() }}', {{ current_utc_timestamp() }})
{%- endmacro %}

{#- Spark: one statement per call and no DELETE on Parquet: the table is append-only there,
    and rules_unchanged() reads a model's latest row. -#}
{% macro spark__record_rules_fingerprint() -%}
    {%- set fingerprints = rule_fingerprints_relation() -%}
    {%- do run_query(
        'create table if not exists ' ~ fingerprints ~ ' (model_name string, '
        ~ 'rules_fingerprint string, recorded_at timestamp) using parquet'
    ) -%}
    insert into {{ fingerprints }} (model_name, rules_fingerprint, recorded_at)
    values ('{{ this.identifier }}', '{{ rules_fingerprint() }}', {{ current_utc_timestamp() }})
{%- endmacro %}
