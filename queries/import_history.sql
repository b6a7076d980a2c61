-- The import log of the published data, for the history on the import page and for undo.
-- Grain: one row per imported file (imports row), newest first.
-- Params: none
-- Notes: is_last_batch marks the files of the newest run of the importer (one confirm on the page,
--   one command): undo removes them together.
with
final as (
    select
        import_id,
        batch_id,
        file_name,
        file_hash,
        dataset,
        mapping_name,
        export_on,
        imported_at,
        imported_by,
        count_rows_read,
        count_rows_imported,
        count_rows_rejected,
        count_rows_without_location,
        batch_id = max(batch_id) over () as is_last_batch,
    from imports
)

select * from final
order by import_id desc
