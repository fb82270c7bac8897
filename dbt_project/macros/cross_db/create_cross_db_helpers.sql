{#-
    Helper functions some adapters need for safe casts (run on-run-start).
    DuckDB has try_cast and json_valid built in, so it needs none. PostgreSQL 15 has no
    non-raising cast, so we create two tiny plpgsql functions in the target schema, and one
    that raises an error with a message (DuckDB's `error()`, for macro fail_with).
-#}
{% macro create_cross_db_helpers() -%}
    {{ return(adapter.dispatch('create_cross_db_helpers', 'chargeback')()) }}
{%- endmacro %}

{% macro default__create_cross_db_helpers() -%}
    select 1
{%- endmacro %}

{% macro postgres__create_cross_db_helpers() -%}
    create schema if not exists {{ target.schema }};
    create or replace function {{ target.schema }}.try_cast_timestamp(value text)
    returns timestamp language plpgsql immutable strict as $$
    begin
        return value::timestamp;
    exception when others then
        return null;
    end $$;
    create or replace function {{ target.schema }}.try_cast_jsonb(value text)
    returns jsonb language plpgsql immutable strict as $$
    begin
        return value::jsonb;
    exception when others then
        return null;
    end $$;
    create or replace function {{ target.schema }}.raise_error(message text)
    returns boolean language plpgsql volatile as $$
    begin
        raise exception '%', message;
    end $$;
{%- endmacro %}
