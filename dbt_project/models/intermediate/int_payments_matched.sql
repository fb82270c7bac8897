-- Every bank statement line, matched to an issued invoice or told why not. A credit
-- transfer (CRDT) is matched by the invoice number its remittance information carries
-- (`<PREFIX>-<000000>`, for example "INV SDCS-000002"), in the invoice's currency. Nothing
-- is dropped: each line ends with a match_status:
--   matched             applied to the invoice it names;
--   unmatched           no invoice number, or one that was never issued;
--   currency_mismatch   the invoice is in another currency;
--   not_a_receipt       a debit (DBIT): fees, refunds, transfers out;
--   invalid             the date or amount could not be read (the reason says which);
--   duplicate           the same bank line (bank_reference, else the same content) landed
--                       earlier: it is counted once.
with

transactions as (

    select * from {{ ref('stg_landing__bank_transactions') }}

),

invoices as (

    select * from {{ ref('stg_register__issued_invoices') }}

),

keyed as (

    select
        *,
        coalesce(
            bank_reference,
            {{ text_hash([
                'booking_date_text', 'amount_text', 'currency', 'credit_debit',
                'debtor_iban', 'remittance_information', 'end_to_end_id',
            ]) }}
        ) as line_key

    from transactions

),

ranked as (

    select
        *,
        row_number() over (
            partition by line_key order by landed_at, source_file, source_row
        ) as occurrence

    from keyed

),

referenced as (

    select
        *,
        {{ regexp_first_match(
            'upper(remittance_information)', "'[A-Z]+-[0-9]{6}'"
        ) }} as referenced_invoice_number

    from ranked

),

final as (

    select
        {{ text_hash(['referenced.file_id', 'referenced.source_row']) }} as payment_id,
        referenced.booking_date,
        referenced.value_date,
        referenced.amount,
        referenced.currency,
        referenced.credit_debit,
        referenced.debtor_name,
        referenced.debtor_iban,
        referenced.remittance_information,
        referenced.end_to_end_id,
        referenced.bank_reference,
        referenced.referenced_invoice_number,
        invoices.invoice_number,
        invoices.invoice_id,
        invoices.customer_id,
        case
            when referenced.occurrence > 1
                then 'duplicate'
            when referenced.parse_error is not null
                then 'invalid'
            when referenced.booking_date is null
                then 'invalid'
            when referenced.amount is null or referenced.amount <= 0
                then 'invalid'
            when coalesce(referenced.credit_debit, 'CRDT') <> 'CRDT'
                then 'not_a_receipt'
            when invoices.invoice_number is null
                then 'unmatched'
            when invoices.currency <> referenced.currency
                then 'currency_mismatch'
            else 'matched'
        end as match_status,
        case
            when referenced.occurrence > 1 then null
            when referenced.parse_error is not null then referenced.parse_error
            when referenced.booking_date is null then 'booking_date is not a date'
            when referenced.amount is null then 'amount is not a number'
            when referenced.amount <= 0 then 'amount must be positive (use credit_debit)'
        end as invalid_reason,
        referenced.file_id,
        referenced.source_file,
        referenced.source_row

    from referenced
    left join invoices
        on referenced.referenced_invoice_number = invoices.invoice_number

)

select * from final
