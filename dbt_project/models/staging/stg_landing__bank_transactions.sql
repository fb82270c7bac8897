-- Bank statement lines, typed with the same safe casts as usage: a value that does not
-- parse becomes null here and the line is kept, with its reason, in fct_payments.
with

source as (

    select * from {{ source('landing', 'bank_transactions') }}
    where {{ is_landed_record() }}

),

cleaned as (

    select
        {{ landing_lineage_columns() }},
        {{ blank_to_null('booking_date') }} as booking_date_text,
        {{ blank_to_null('value_date') }} as value_date_text,
        {{ blank_to_null('amount') }} as amount_text,
        upper(trim({{ blank_to_null('currency') }})) as currency,
        upper(trim({{ blank_to_null('credit_debit') }})) as credit_debit,
        {{ blank_to_null('debtor_name') }} as debtor_name,
        {{ blank_to_null('debtor_iban') }} as debtor_iban,
        {{ blank_to_null('remittance_information') }} as remittance_information,
        {{ blank_to_null('end_to_end_id') }} as end_to_end_id,
        {{ blank_to_null('bank_reference') }} as bank_reference

    from source

),

final as (

    select
        *,
        cast({{ safe_timestamp('booking_date_text') }} as date) as booking_date,
        cast({{ safe_timestamp('value_date_text') }} as date) as value_date,
        cast({{ safe_decimal('amount_text') }} as decimal(18, 2)) as amount

    from cleaned

)

select * from final
