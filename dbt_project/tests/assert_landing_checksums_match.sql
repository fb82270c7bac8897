{{ config(severity='warn') }}
-- Files refused at landing (a checksum mismatch, an empty file, a header without the feed's
-- columns, an error while landing). They were not loaded; the sender must re-deliver them.
-- Warns rather than fails so the other files still get billed.
select * from {{ ref('stg_landing__file_refusals') }}
