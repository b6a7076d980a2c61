-- How fresh the data is, for the "数据截至" stamp on every page.
-- Grain: one row.
-- Params: none
-- Notes: the latest data time is the newest event any export recorded (found, rectified, checked,
--   inspected); it tells when the exports were taken even when they were imported days later.
with
newest_import as (
    select max(imported_at) as last_imported_at, max(export_on) as last_export_on, count(*) as count_imports,
    from imports
),

newest_event as (
    select max(t) as last_event_at,
    from (
        select greatest(max(found_at), max(rectified_at), max(checked_at)) as t from problems
        union all
        select max(inspected_at) from inspections
    )
),

final as (
    select newest_import.*, newest_event.last_event_at,
    from newest_import, newest_event
)

select * from final
order by last_imported_at
