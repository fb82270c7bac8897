{#-
    Close a billing month: issue its chargeback invoices into the register.

        dbt run-operation close_billing_period --args '{period: "2026-02", closed_by: "controller"}'

    (the Dagster job `month_end_close` runs this for its month partition, after a refresh).
    In one transaction, which holds the register's lock from its first check to its last
    insert (macro lock_invoice_register), so two closes started at once cannot both pass
    the checks (the second waits, then is refused: the month is already closed), it
      * refuses a month that is already closed, a month while an earlier month with
        invoices is still open (invoices are issued in chronological order), and marts
        built before the last close (run `dbt build` between two closes);
      * numbers the month's invoices per issuing entity, gapless: the entity's last number
        + 1, 2, ... in customer order (`<invoice_prefix>-<000001>`);
      * copies each invoice's header and lines from fct_invoices and fct_invoice_lines,
        exactly as they are (the drafts, with any prior-period adjustments);
      * records who closed the month and when (UTC).
    From then on fct_invoices and fct_invoice_lines show the month from the register, and
    any later change (a rate, late usage, a dispute) becomes a prior-period adjustment on
    the next open invoice.
-#}
{% macro close_billing_period(period, closed_by) -%}
    {%- set period_text = (period | string) -%}
    {%- if not modules.re.match('^[0-9]{4}-(0[1-9]|1[0-2])$', period_text) -%}
        {{ exceptions.raise_compiler_error(
            "close_billing_period: period must look like YYYY-MM (for example 2026-02), got '"
            ~ period_text ~ "'"
        ) }}
    {%- endif -%}
    {%- if not closed_by or not (closed_by | string | trim) -%}
        {{ exceptions.raise_compiler_error("close_billing_period: closed_by (who closes) is required") }}
    {%- endif -%}
    {%- set month = "cast('" ~ period_text ~ "-01' as date)" -%}
    {%- set who = (closed_by | string | trim | replace("'", "''")) -%}
    {%- set register = register_schema() -%}
    {%- set invoices = ref('fct_invoices') -%}
    {%- set lines = ref('fct_invoice_lines') -%}
    {%- do run_query(create_invoice_register()) -%}

    {%- do run_query(register_transaction('begin')) -%}
    {%- do run_query(lock_invoice_register()) -%}
    {%- set already = closed_billing_period(period_text) -%}
    {%- if already -%}
        {%- do run_query(register_transaction('rollback')) -%}
        {{ exceptions.raise_compiler_error(already) }}
    {%- endif -%}

    {%- set stale = run_query(
        "select min(billing_month) from " ~ invoices ~ " where invoice_status = 'draft' "
        ~ "and billing_month in (select billing_month from " ~ register ~ ".period_closes)"
    ) -%}
    {%- if stale.rows[0][0] is not none -%}
        {%- do run_query(register_transaction('rollback')) -%}
        {{ exceptions.raise_compiler_error(
            "Cannot close " ~ period_text ~ ": fct_invoices was built before "
            ~ (stale.rows[0][0] | string)[:7] ~ " was closed. Run `dbt build` first, so the "
            ~ "invoices to issue include every prior-period adjustment."
        ) }}
    {%- endif -%}

    {%- set earlier = run_query(
        "select min(billing_month) from " ~ invoices ~ " where invoice_status = 'draft' "
        ~ "and billing_month < " ~ month
    ) -%}
    {%- if earlier.rows[0][0] is not none -%}
        {%- do run_query(register_transaction('rollback')) -%}
        {{ exceptions.raise_compiler_error(
            "Cannot close " ~ period_text ~ ": " ~ (earlier.rows[0][0] | string)[:7]
            ~ " still has draft invoices. Close the months in order."
        ) }}
    {%- endif -%}

    {%- set header_columns = invoice_register_columns() | map(attribute=0) | list -%}
    {%- set line_columns = invoice_line_register_columns() | map(attribute=0) | list -%}
    {%- set issue_invoices -%}
        insert into {{ register }}.issued_invoices (
            invoice_number, sequence_number, {{ header_columns | join(', ') }}, closed_at, closed_by
        )
        with

        last_numbers as (

            select
                issuing_entity_id,
                max(sequence_number) as last_number

            from {{ register }}.issued_invoices
            group by issuing_entity_id

        ),

        drafts as (

            select
                invoices.*,
                coalesce(last_numbers.last_number, 0) + row_number() over (
                    partition by invoices.issuing_entity_id order by invoices.customer_id
                ) as sequence_number

            from {{ invoices }} as invoices
            left join last_numbers
                on invoices.issuing_entity_id = last_numbers.issuing_entity_id
            where invoices.billing_month = {{ month }} and invoices.invoice_status = 'draft'

        )

        select
            drafts.invoice_prefix || '-' || lpad(cast(drafts.sequence_number as {{ text_type() }}), 6, '0'),
            cast(drafts.sequence_number as integer),
            {%- for name, type in invoice_register_columns() %}
            cast(drafts.{{ name }} as {{ type }}),
            {%- endfor %}
            {{ current_utc_timestamp() }},
            '{{ who }}'

        from drafts
    {%- endset -%}
    {%- set issue_lines -%}
        insert into {{ register }}.issued_invoice_lines (invoice_number, {{ line_columns | join(', ') }})
        select
            issued.invoice_number,
            {%- for name, type in invoice_line_register_columns() %}
            cast(lines.{{ name }} as {{ type }}){% if not loop.last %},{% endif %}
            {%- endfor %}

        from {{ lines }} as lines
        inner join {{ register }}.issued_invoices as issued
            on lines.invoice_id = issued.invoice_id
        where issued.billing_month = {{ month }}
    {%- endset -%}
    {%- set record_close -%}
        insert into {{ register }}.period_closes (billing_month, closed_at, closed_by, invoice_count)
        select
            {{ month }},
            {{ current_utc_timestamp() }},
            '{{ who }}',
            cast(count(*) as integer)

        from {{ register }}.issued_invoices
        where billing_month = {{ month }}
    {%- endset -%}
    {%- do run_query(issue_invoices) -%}
    {%- do run_query(issue_lines) -%}
    {%- do run_query(record_close) -%}
    {%- do run_query(register_transaction('commit')) -%}
    {%- set issued = run_query(
        "select count(*), min(invoice_number), max(invoice_number) from " ~ register
        ~ ".issued_invoices where billing_month = " ~ month
    ) -%}
    {{ log("Closed " ~ period_text ~ ": issued " ~ issued.rows[0][0] ~ " invoice(s), "
        ~ (issued.rows[0][1] or '-') ~ " to " ~ (issued.rows[0][2] or '-'), info=true) }}
{%- endmacro %}

{#-
    The close's transaction: begin, commit or rollback. Spark has none: its Parquet tables
    take each insert whole or not at all, and the close writes the month's row in
    period_closes last, so a month counts as closed only once its invoices and lines are
    in (docs/spark.md). On Delta or Iceberg tables each insert is its own transaction too.
-#}
{% macro register_transaction(verb) -%}
    {{ return(adapter.dispatch('register_transaction', 'chargeback')(verb)) }}
{%- endmacro %}

{% macro default__register_transaction(verb) -%}
    {{ return(verb) }}
{%- endmacro %}

{% macro spark__register_transaction(verb) -%}
    {{ return('select 1 as no_transactions_on_spark') }}
{%- endmacro %}

{#- The current time in UTC, as a timestamp without time zone, on every adapter. -#}
{% macro current_utc_timestamp() -%}
    {{ return(adapter.dispatch('current_utc_timestamp', 'chargeback')()) }}
{%- endmacro %}

{% macro default__current_utc_timestamp() -%}
    cast(timezone('UTC', current_timestamp) as timestamp)
{%- endmacro %}

{#- Spark: its current_timestamp() is the instant; the session's time zone is UTC
    (profiles.yml), and `timestamp` is TIMESTAMP_NTZ there, as on the other adapters. -#}
{% macro spark__current_utc_timestamp() -%}
    cast(convert_timezone(current_timezone(), 'UTC', cast(current_timestamp() as timestamp_ntz)) as timestamp)
{%- endmacro %}

{% macro postgres__current_utc_timestamp() -%}
    cast(current_timestamp at time zone 'UTC' as timestamp)
{%- endmacro %}

{#-
    Refuse a month that is already closed, with who closed it and when, and a month while an
    earlier one still has draft invoices in the marts as they are. A run-operation of its
    own, so the month-end job refuses either before it lands or builds anything:
        dbt run-operation refuse_closed_billing_period --args '{period: "2026-02"}'
    (close_billing_period checks both again on the rebuilt marts, inside its transaction: a
    landing can still bring an earlier month's first invoices.)
-#}
{% macro refuse_closed_billing_period(period) -%}
    {%- set period_text = (period | string) -%}
    {%- if not modules.re.match('^[0-9]{4}-(0[1-9]|1[0-2])$', period_text) -%}
        {{ exceptions.raise_compiler_error(
            "refuse_closed_billing_period: period must look like YYYY-MM, got '" ~ period_text ~ "'"
        ) }}
    {%- endif -%}
    {%- do run_query(create_invoice_register()) -%}
    {%- set already = closed_billing_period(period_text) -%}
    {%- if already -%}
        {{ exceptions.raise_compiler_error(already) }}
    {%- endif -%}
    {%- set earlier = open_earlier_billing_period(period_text) -%}
    {%- if earlier -%}
        {{ exceptions.raise_compiler_error(earlier) }}
    {%- endif -%}
{%- endmacro %}

{#-
    Why a month cannot be closed yet: an earlier month, not closed, has draft invoices in
    fct_invoices as it is now (not rebuilt); or '' (also before the first build).
-#}
{% macro open_earlier_billing_period(period_text) -%}
    {%- set invoices = ref('fct_invoices') -%}
    {%- set built = adapter.get_relation(
        database=invoices.database, schema=invoices.schema, identifier=invoices.identifier
    ) -%}
    {%- if built is none -%}
        {{ return('') }}
    {%- endif -%}
    {%- set earlier = run_query(
        "select min(billing_month) from " ~ invoices ~ " where invoice_status = 'draft' "
        ~ "and billing_month < cast('" ~ period_text ~ "-01' as date) and billing_month not in "
        ~ "(select billing_month from " ~ register_schema() ~ ".period_closes)"
    ) -%}
    {%- if earlier.rows[0][0] is none -%}
        {{ return('') }}
    {%- endif -%}
    {{ return(
        "Cannot close " ~ period_text ~ ": " ~ (earlier.rows[0][0] | string)[:7]
        ~ " still has draft invoices. Close the months in order."
    ) }}
{%- endmacro %}

{#- Why a month cannot be closed again (who closed it and when), or '' when it is open. -#}
{% macro closed_billing_period(period_text) -%}
    {%- set already = run_query(
        "select cast(closed_at as " ~ text_type() ~ "), closed_by from " ~ register_schema()
        ~ ".period_closes where billing_month = cast('" ~ period_text ~ "-01' as date)"
    ) -%}
    {%- if already.rows | length > 0 -%}
        {{ return(
            "Billing period " ~ period_text ~ " is already closed (at " ~ already.rows[0][0]
            ~ " UTC by " ~ already.rows[0][1] ~ "). A closed period never changes: a "
            ~ "correction becomes a prior-period adjustment on the next open invoice."
        ) }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}

{#-
    Hold the register for the rest of the transaction: PostgreSQL takes a transaction-level
    advisory lock on the register schema, so a second close waits for the first to commit
    and then sees its month closed. DuckDB needs none: a warehouse file has one writer
    process at a time, and a second one is refused when it opens the file.
-#}
{% macro lock_invoice_register() -%}
    {{ return(adapter.dispatch('lock_invoice_register', 'chargeback')()) }}
{%- endmacro %}

{% macro default__lock_invoice_register() -%}
    select 1
{%- endmacro %}

{% macro postgres__lock_invoice_register() -%}
    select pg_advisory_xact_lock(hashtext('{{ register_schema() }}.close'))
{%- endmacro %}
