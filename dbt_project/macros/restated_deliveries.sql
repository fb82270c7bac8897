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
