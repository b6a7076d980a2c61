-- Record one imported file in the import log.
-- Grain: one imports row.
-- Params: $import_id, $batch_id, $file_name, $file_hash, $dataset, $mapping_name, $export_on,
--   $count_rows_read, $count_rows_imported, $count_rows_rejected, $count_rows_without_location,
--   $imported_at, $imported_by
insert into imports values (
    $import_id, $batch_id, $file_name, $file_hash, $dataset, $mapping_name, $export_on,
    $count_rows_read, $count_rows_imported, $count_rows_rejected, $count_rows_without_location,
    $imported_at, $imported_by
);

insert into import_rejects select $import_id, * from new_rejects;
