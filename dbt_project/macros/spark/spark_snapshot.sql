{#-
    Snapshots on Spark, on Parquet tables too. dbt-spark's snapshot merges the changes into
    the history with MERGE INTO, which only Delta, Iceberg and Hudi tables accept, and it
    refuses any other table format. This is the same materialization, with one change: on
    a Parquet table (the default here, CHARGEBACK_SPARK_FILE_FORMAT) the history is
    rewritten instead of merged:
      1. a new table of the history, in which the current version of every changed or
         deleted row gets its dbt_valid_to, followed by the new versions (what the MERGE
         would update and insert);
      2. INSERT OVERWRITE of the snapshot from that table, then the table is dropped.
    The snapshots hold one row per version of a seed row: rewriting them is cheap.
-#}
{% macro spark_snapshot_rewrite_sql(target, staging, rewrite) -%}
    {%- set columns = config.get("snapshot_table_column_names") or get_snapshot_table_column_names() -%}
    {%- set names = adapter.get_columns_in_relation(target) | map(attribute='name') | list -%}
    create table {{ rewrite }} using parquet as
    select
        {%- for name in names %}
        {% if name == columns.dbt_valid_to -%}
            case
                when closed.{{ columns.dbt_scd_id }} is not null then closed.{{ name }}
                else history.{{ name }}
            end as {{ name }}
        {%- else -%}
            history.{{ name }}
        {%- endif -%}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ target }} as history
    left join (
        select {{ columns.dbt_scd_id }}, {{ columns.dbt_valid_to }}
        from {{ staging }}
        where dbt_change_type in ('update', 'delete')
    ) as closed
        on history.{{ columns.dbt_scd_id }} = closed.{{ columns.dbt_scd_id }}
        and history.{{ columns.dbt_valid_to }} is null
    union all
    select
        {%- for name in names %}
        {{ name }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ staging }}
    where dbt_change_type = 'insert'
{%- endmacro %}


{% materialization snapshot, adapter='spark' %}

  {%- set target_table = model.get('alias', model.get('name')) -%}

  {%- set strategy_name = config.get('strategy') -%}
  {%- set unique_key = config.get('unique_key') %}
  {%- set file_format = config.get('file_format') or 'parquet' -%}
  {%- set grant_config = config.get('grants') -%}
  {%- set merges = file_format in ['delta', 'iceberg', 'hudi'] -%}

  {% set target_relation_exists, target_relation = get_or_create_relation(
          database=none,
          schema=model.schema,
          identifier=target_table,
          type='table') -%}

  {% if not adapter.check_schema_exists(model.database, model.schema) %}
    {% do create_schema(model.schema) %}
  {% endif %}

  {%- if not target_relation.is_table -%}
    {% do exceptions.relation_wrong_type(target_relation, 'table') %}
  {%- endif -%}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}

  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {% set strategy_macro = strategy_dispatch(strategy_name) %}
  {% set strategy = strategy_macro(model, "snapshotted_data", "source_data", model['config'], target_relation_exists) %}

  {% if not target_relation_exists %}

      {% set build_sql = build_snapshot_table(strategy, model['compiled_code']) %}
      {% set final_sql = create_table_as(False, target_relation, build_sql) %}

  {% else %}

      {% set columns = config.get("snapshot_table_column_names") or get_snapshot_table_column_names() %}

      {{ adapter.valid_snapshot_target(target_relation, columns) }}

      {% set staging_table = spark_build_snapshot_staging_table(strategy, sql, target_relation) %}

      {% do adapter.expand_target_column_types(from_relation=staging_table,
                                               to_relation=target_relation) %}

      {#- dbt's own columns of the staging (dbt_change_type, and dbt_unique_key_1, _2 ... of a
          composite key, which dbt-spark would add to the snapshot) are not history -#}
      {% set missing_columns = [] %}
      {% for column in adapter.get_missing_columns(staging_table, target_relation) %}
        {% if not (column.name | lower).startswith('dbt_unique_key')
              and (column.name | lower) != 'dbt_change_type' %}
          {% do missing_columns.append(column) %}
        {% endif %}
      {% endfor %}

      {% do create_columns(target_relation, missing_columns) %}

      {% if merges %}
        {% set source_columns = adapter.get_columns_in_relation(staging_table)
                                     | rejectattr('name', 'equalto', 'dbt_change_type')
                                     | rejectattr('name', 'equalto', 'DBT_CHANGE_TYPE')
                                     | rejectattr('name', 'equalto', 'dbt_unique_key')
                                     | rejectattr('name', 'equalto', 'DBT_UNIQUE_KEY')
                                     | list %}
        {% set quoted_source_columns = [] %}
        {% for column in source_columns %}
          {% do quoted_source_columns.append(adapter.quote(column.name)) %}
        {% endfor %}
        {% set final_sql = snapshot_merge_sql(
              target = target_relation,
              source = staging_table,
              insert_cols = quoted_source_columns
           )
        %}
      {% else %}
        {% set rewrite = api.Relation.create(identifier=target_table ~ '__dbt_rewrite',
                                             schema=target_relation.schema,
                                             database=none, type='table') %}
        {% do adapter.drop_relation(rewrite) %}
        {% call statement('rewrite_history') %}
          {{ spark_snapshot_rewrite_sql(target_relation, staging_table, rewrite) }}
        {% endcall %}
        {% set final_sql = 'insert overwrite table ' ~ target_relation ~ ' select * from ' ~ rewrite %}
      {% endif %}

  {% endif %}

  {% call statement('main') %}
      {{ final_sql }}
  {% endcall %}

  {% if rewrite is defined %}
      {% do adapter.drop_relation(rewrite) %}
  {% endif %}

  {% set should_revoke = should_revoke(target_relation_exists, full_refresh_mode) %}
  {% do apply_grants(target_relation, grant_config, should_revoke) %}

  {% do persist_docs(target_relation, model) %}

  {{ run_hooks(post_hooks, inside_transaction=True) }}

  {{ adapter.commit() }}

  {% if staging_table is defined %}
      {% do post_snapshot(staging_table) %}
  {% endif %}

  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({'relations': [target_relation]}) }}

{% endmaterialization %}
