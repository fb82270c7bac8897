{#-
    Restated cloud deliveries (docs/restated-deliveries.md). A delivery is the folder a
    FOCUS file was landed from (AWS Data Exports and Azure cost exports write each run of an
    export into a folder of its own, its parts side by side). The latest delivery of a
    (provider, billing account, billing period) supersedes the earlier ones:
    int_cloud_deliveries_ranked says which is in force, int_usage_events_rated marks the
    records of the others `superseded`.
-#}

{#- The delivery of a landed file: its folder, relative to the landing folder. -#}
{% macro delivery_folder(path_column) -%}
    regexp_replace({{ path_column }}, '/[^/]*$', '')
{%- endmacro %}

{#- Pre-hook of int_usage_events_rated: rows already rated from a delivery that a newer one
    now supersedes become `superseded` (the rows newly rated get their status in the model). -#}
{% macro supersede_restated_deliveries() -%}
    {{ return(adapter.dispatch('supersede_restated_deliveries', 'chargeback')()) }}
{%- endmacro %}

{% macro default__supersede_restated_deliveries() -%}
    {%- if is_incremental() -%}
        update {{ this }}
        set rating_status = 'superseded', rating_reason = null
        where
            feed = 'cloud'
            and rating_status <> 'superseded'
            and exists (
                select 1
                from {{ ref('int_cloud_deliveries_ranked') }} as deliveries
                where
                    not deliveries.is_in_force
                    and deliveries.delivery_id = {{ this }}.delivery_id
                    and deliveries.provider_name = {{ this }}.provider_name
                    and deliveries.billing_account_key
                    = coalesce({{ this }}.billing_account_id, '')
            )
    {%- endif -%}
{%- endmacro %}

{#- Spark: a Parquet table takes no UPDATE. When some rated rows come from a superseded
    delivery, the table is rewritten with those rows marked: copied into a work table with
    the new status, then INSERT OVERWRITE from it (Spark cannot overwrite a table it reads
    in the same statement). A run with nothing to supersede writes nothing. -#}
{% macro spark__supersede_restated_deliveries() -%}
    {%- if is_incremental() -%}
        {%- set stale -%}
            select distinct delivery_id, provider_name, billing_account_key
            from {{ ref('int_cloud_deliveries_ranked') }}
            where not is_in_force
        {%- endset -%}
        {%- set is_stale -%}
            rated.feed = 'cloud'
            and rated.rating_status <> 'superseded'
            and stale.delivery_id is not null
        {%- endset -%}
        {%- set joined -%}
            from {{ this }} as rated
            left join ({{ stale }}) as stale
                on rated.delivery_id = stale.delivery_id
                and rated.provider_name = stale.provider_name
                and coalesce(rated.billing_account_id, '') = stale.billing_account_key
        {%- endset -%}
        {%- set count = run_query('select count(*) ' ~ joined ~ ' where ' ~ is_stale) -%}
        {%- if count.rows[0][0] > 0 -%}
            {%- set work = this.incorporate(path={'identifier': this.identifier ~ '__superseding'}) -%}
            {%- set columns = [] -%}
            {%- for column in adapter.get_columns_in_relation(this) -%}
                {%- if column.name == 'rating_status' -%}
                    {%- do columns.append("case when " ~ is_stale ~ " then 'superseded' else rated.rating_status end as rating_status") -%}
                {%- elif column.name == 'rating_reason' -%}
                    {%- do columns.append("case when " ~ is_stale ~ " then null else rated.rating_reason end as rating_reason") -%}
                {%- else -%}
                    {%- do columns.append('rated.' ~ column.name) -%}
                {%- endif -%}
            {%- endfor -%}
            {%- do run_query('drop table if exists ' ~ work) -%}
            {%- do run_query(
                'create table ' ~ work ~ ' using parquet as select ' ~ columns | join(', ') ~ ' ' ~ joined
            ) -%}
            {%- do run_query('insert overwrite table ' ~ this ~ ' select * from ' ~ work) -%}
            {%- do run_query('drop table ' ~ work) -%}
        {%- endif -%}
    {%- endif -%}
    select 1 as restated_deliveries_superseded
{%- endmacro %}
