{#- Seeds on Spark. Seed column types are written once in dbt_project.yml in portable SQL
    (`varchar`), which Spark only accepts with a length: read here as Spark's `string`.
    And dbt-spark's session method formats bound values into the SQL text unescaped (a
    quote in a description breaks the statement, None becomes the text 'None', a decimal
    goes through a float): the rows are written here as escaped literals instead. -#}
{% macro spark_seed_type(model, agate_table, index) %}
    {%- set name = agate_table.column_names[index] -%}
    {%- set type = (model['config'].get('column_types') or {}).get(name)
        or adapter.convert_type(agate_table, index) -%}
    {{ return('string' if type | lower == 'varchar' else type) }}
{% endmacro %}

{% macro spark_seed_literal(value, type) %}
    {%- if value is none -%}
        {{ return('cast(null as ' ~ type ~ ')') }}
    {%- elif value is sameas true or value is sameas false -%}
        {{ return('true' if value else 'false') }}
    {%- endif -%}
    {%- set text = (value | string).replace('\\', '\\\\').replace("'", "\\'") -%}
    {{ return("cast('" ~ text ~ "' as " ~ type ~ ")") }}
{% endmacro %}

{% macro spark__create_csv_table(model, agate_table) %}
    {%- set types = {} -%}
    {%- for name in agate_table.column_names -%}
        {%- do types.update({name: spark_seed_type(model, agate_table, loop.index0)}) -%}
    {%- endfor -%}
    {%- set config = dict(model['config']) -%}
    {%- do config.update({'column_types': types}) -%}
    {%- set seed = dict(model) -%}
    {%- do seed.update({'config': config}) -%}
    {{ return(dbt.spark__create_csv_table(seed, agate_table)) }}
{% endmacro %}

{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set types = [] -%}
    {%- for name in agate_table.column_names -%}
        {%- do types.append(spark_seed_type(model, agate_table, loop.index0)) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for value in row -%}
                    {{ spark_seed_literal(value, types[loop.index0]) }}
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {% endfor -%}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}{%- do statements.append(sql) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}
