-- What the importer needs to know before writing: the next ids, and the files already imported.
-- Grain: one row per imported file hash; the next ids repeat on every row (one row with a null
--   hash when nothing was imported yet).
-- Params: none
with
next_ids as (
    select
        coalesce(max(import_id), 0) + 1 as next_import_id,
        coalesce(max(batch_id), 0) + 1 as next_batch_id,
    from imports
),

final as (
    select next_ids.next_import_id, next_ids.next_batch_id, hashes.file_hash,
    from next_ids
    left join (select distinct file_hash from imports) as hashes on true
)

select * from final
order by file_hash
