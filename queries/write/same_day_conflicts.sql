-- The problems of the export being written (the registered view `incoming`) that another file of the
-- same export date brought in with different content: this export, written later, replaces them.
-- Grain: one row per other file, with how many of its problems differ and the first such id.
-- Params: $import_id INTEGER (the export being written), $export_on DATE (its date)
-- Notes: run before write/problems. Only problems last written by a file of the same date count
--   (an older export never overwrites a newer one); the fields compared are those write/problems
--   writes. With no other file of that date, the join has nothing to build on and reads nothing.
with
same_day as (
    select import_id, file_name,
    from imports
    where dataset = 'problems' and export_on = $export_on and import_id <> $import_id
),

differing as (
    select same_day.file_name, incoming.problem_id,
    from same_day
    join problems on problems.last_import_id = same_day.import_id
    join incoming using (problem_id)
    where (problems.source, problems.found_at, problems.category, problems.subcategory, problems.description,
           problems.point_id, problems.point_name, problems.point_type, problems.district, problems.street,
           problems.community, problems.grid, problems.unit_name, problems.assigned_at, problems.due_on,
           problems.status, problems.rectified_at, problems.checked_at, problems.lng, problems.lat,
           problems.deduction, problems.return_count, problems.is_flagged_rebound)
        is distinct from
          (incoming.source, incoming.found_at, incoming.category, incoming.subcategory, incoming.description,
           incoming.point_id, incoming.point_name, incoming.point_type, incoming.district, incoming.street,
           incoming.community, incoming.grid, incoming.unit_name, incoming.assigned_at, incoming.due_on,
           incoming.status, incoming.rectified_at, incoming.checked_at, incoming.lng, incoming.lat,
           incoming.deduction, incoming.return_count, coalesce(incoming.rebound_flag, false))
),

final as (
    select file_name, count(*) as count_problems, min(problem_id) as first_problem_id,
    from differing
    group by file_name
    order by file_name
)

select * from final
