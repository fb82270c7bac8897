-- One row per landed file, from the loader's manifest.
with

source as (

    select * from {{ source('landing', 'landing_manifest') }}

),

final as (

    select
        file_id,
        feed,
        source_file,
        size_bytes,
        row_count,
        declared_sha256,
        declared_sha256 is not null as is_checksum_declared,
        loaded_at as landed_at

    from source

)

select * from final
