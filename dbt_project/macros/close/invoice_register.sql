{#-
    The invoice register: what was issued, exactly as issued, never rebuilt.

    Three append-only tables in the schema `<target schema>_register`, created here on every
    run (if they do not exist yet) and written only by the `close_billing_period` operation:
      period_closes         one row per closed billing month (who closed it, when);
      issued_invoices       every issued invoice's header, with its gapless number;
      issued_invoice_lines  every issued invoice's lines, as they were at the close.
    dbt never creates them as models, so no `dbt build`, not even `--full-refresh`, can
    rebuild or change them; the models read them as the source `register`.
    Unique keys make a number or a month issued twice impossible, whatever runs at once:
    (issuing entity, invoice number), (billing month, customer) and the closed month. On
    PostgreSQL triggers refuse any UPDATE, DELETE or TRUNCATE of the three tables, whoever
    runs it, and only the finance admin's role may INSERT (apply_row_level_security).
-#}

{% macro register_schema() -%}
    {{ target.schema }}_register
{%- endmacro %}

{#- Columns of fct_invoice_lines stored in the register: the invoiced shape. -#}
{% macro invoice_line_register_columns() -%}
    {{ return(invoice_line_shape('invoiced')) }}
{%- endmacro %}

{#- Columns of fct_invoices stored in the register (besides the close's own). -#}
{% macro invoice_register_columns() -%}
    {{ return([
        ('invoice_id', text_type()),
        ('issuing_entity_id', text_type()),
        ('customer_id', text_type()),
        ('customer_name', text_type()),
        ('billing_month', 'date'),
        ('currency', text_type()),
        ('line_count', 'bigint'),
        ('usage_event_count', 'bigint'),
        ('net_amount', 'decimal(18, 2)'),
        ('tax_amount', 'decimal(18, 2)'),
        ('total_amount', 'decimal(18, 2)'),
        ('fx_rate_date', 'date'),
        ('issuer_legal_name', text_type()),
        ('tax_code', text_type()),
        ('tax_rate_percent', 'decimal(9, 4)'),
        ('tax_mention', text_type()),
        ('customer_vat_number', text_type()),
        ('payment_terms_days', 'integer'),
        ('legal_mentions', text_type()),
        ('invoice_date', 'date'),
        ('due_date', 'date'),
    ]) }}
{%- endmacro %}

{% macro create_invoice_register() -%}
    {{ return(adapter.dispatch('create_invoice_register', 'chargeback')()) }}
{%- endmacro %}

{% macro default__create_invoice_register() -%}
    create schema if not exists {{ register_schema() }};
    create table if not exists {{ register_schema() }}.period_closes (
        billing_month date not null,
        closed_at timestamp not null,
        closed_by varchar not null,
        invoice_count integer not null
    );
    create table if not exists {{ register_schema() }}.issued_invoices (
        invoice_number varchar not null,
        sequence_number integer not null,
        {%- for name, type in invoice_register_columns() %}
        {{ name }} {{ type }},
        {%- endfor %}
        closed_at timestamp not null,
        closed_by varchar not null
    );
    create table if not exists {{ register_schema() }}.issued_invoice_lines (
        invoice_number varchar not null,
        {%- for name, type in invoice_line_register_columns() %}
        {{ name }} {{ type }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    );
    create unique index if not exists period_closes_month_key
        on {{ register_schema() }}.period_closes (billing_month);
    create unique index if not exists issued_invoices_number_key
        on {{ register_schema() }}.issued_invoices (issuing_entity_id, invoice_number);
    create unique index if not exists issued_invoices_month_customer_key
        on {{ register_schema() }}.issued_invoices (billing_month, customer_id);
    {{ register_append_only_guards() }}
{%- endmacro %}

{#- Spark runs one statement at a time and has no unique index: the tables are created here
    one by one, as Parquet (or the format set by CHARGEBACK_SPARK_FILE_FORMAT), and
    close_billing_period checks the keys before it writes. -#}
{% macro spark__create_invoice_register() -%}
    {%- set register = register_schema() -%}
    {%- set using = 'using ' ~ env_var('CHARGEBACK_SPARK_FILE_FORMAT', 'parquet') -%}
    {%- do run_query('create schema if not exists ' ~ register) -%}
    {%- do run_query(
        'create table if not exists ' ~ register ~ '.period_closes (billing_month date, '
        ~ 'closed_at timestamp, closed_by string, invoice_count integer) ' ~ using
    ) -%}
    {%- set header = [] -%}
    {%- for name, type in invoice_register_columns() -%}
        {%- do header.append(name ~ ' ' ~ type) -%}
    {%- endfor -%}
    {%- do run_query(
        'create table if not exists ' ~ register ~ '.issued_invoices (invoice_number string, '
        ~ 'sequence_number integer, ' ~ header | join(', ')
        ~ ', closed_at timestamp, closed_by string) ' ~ using
    ) -%}
    {%- set lines = [] -%}
    {%- for name, type in invoice_line_register_columns() -%}
        {%- do lines.append(name ~ ' ' ~ type) -%}
    {%- endfor -%}
    {%- do run_query(
        'create table if not exists ' ~ register ~ '.issued_invoice_lines (invoice_number string, '
        ~ lines | join(', ') ~ ') ' ~ using
    ) -%}
    {#- an empty Parquet file with its columns, so that the dashboards, which read the
        files (chargeback/db.py), find an empty register too -#}
    {%- for table in ['period_closes', 'issued_invoices', 'issued_invoice_lines'] if execute -%}
        {%- if run_query('select 1 from ' ~ register ~ '.' ~ table ~ ' limit 1').rows | length == 0 -%}
            {%- do run_query(
                'insert into ' ~ register ~ '.' ~ table ~ ' select * from '
                ~ register ~ '.' ~ table ~ ' where false'
            ) -%}
        {%- endif -%}
    {%- endfor -%}
    select 1 as register_exists
{%- endmacro %}

{#- Refuse UPDATE, DELETE and TRUNCATE on the register tables (PostgreSQL triggers). -#}
{% macro register_append_only_guards() -%}
    {{ return(adapter.dispatch('register_append_only_guards', 'chargeback')()) }}
{%- endmacro %}

{#- DuckDB has no triggers: the register is written only by close_billing_period, and the
    file's single-writer lock keeps a second close out. -#}
{% macro default__register_append_only_guards() -%}
    select 1
{%- endmacro %}

{% macro postgres__register_append_only_guards() -%}
    {%- set register = register_schema() -%}
    do $guards$
    begin
        perform pg_advisory_xact_lock(hashtext('{{ register }}.append_only'));
        create or replace function {{ register }}.refuse_register_change()
        returns trigger language plpgsql as $refuse$
        begin
            raise exception
                'The invoice register is append-only: % on %.% is refused. An issued invoice '
                'never changes; correct it with a prior-period adjustment on the next invoice.',
                tg_op, tg_table_schema, tg_table_name;
        end $refuse$;
        {%- for table in ['period_closes', 'issued_invoices', 'issued_invoice_lines'] %}
        if not exists (
            select from pg_trigger
            where tgname = '{{ table }}_append_only'
                and tgrelid = '{{ register }}.{{ table }}'::regclass
        ) then
            create trigger {{ table }}_append_only
                before update or delete on {{ register }}.{{ table }}
                for each row execute function {{ register }}.refuse_register_change();
            create trigger {{ table }}_no_truncate
                before truncate on {{ register }}.{{ table }}
                for each statement execute function {{ register }}.refuse_register_change();
        end if;
        {%- endfor %}
    end
    $guards$
{%- endmacro %}
