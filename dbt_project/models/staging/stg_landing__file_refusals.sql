-- Files the loader refused because their checksum did not match the declared one.
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
