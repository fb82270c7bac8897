-- Files the loader refused, with its reason (a checksum mismatch, an empty file, a header
-- without the feed's columns, an error while landing: chargeback/landing/refusals.py).
with

source as (

    select * from {{ source('landing', 'landing_refusals') }}

),

final as (

    select
        {{ text_hash(['source_file', 'actual_sha256']) }} as file_refusal_id,
        source_file,
        feed,
        actual_sha256,
        declared_sha256,
        reason,
        refused_at

    from source

)

select * from final
