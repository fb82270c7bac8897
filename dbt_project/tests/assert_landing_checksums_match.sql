{{ config(severity='warn') }}
-- Files refused at landing (checksum mismatch). They were not loaded; the sender must
-- re-deliver them. Warns rather than fails so the other files still get billed.
select * from {{ ref('stg_landing__file_refusals') }}
