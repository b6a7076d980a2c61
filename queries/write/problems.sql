-- Apply one problems export to the ledger: the registered views `incoming` (one row per problem)
-- and `incoming_new` (those of its rows whose problem the ledger does not hold yet, db.register_new_rows).
-- Grain: writes one problem_history row per problem that is new or changed, and one problems row
--   per problem in the export.
-- Params: $import_id INTEGER, $export_on DATE (the export's date)
-- Notes: an export older than the one a problem was last seen in adds history but does not
--   overwrite the newer state. Problems missing from this export are left as they were. New
--   problems are inserted from `incoming_new` rather than through a join with problems: an insert
--   that reads a join is compressed only at the next checkpoint, on one thread (docs/PERFORMANCE.md).

insert into problem_history  -- problems already held: a row where the state changed
select
    incoming.problem_id,
    $import_id,
    $export_on,
    incoming.status,
    incoming.unit_name,
    incoming.due_on,
    incoming.rectified_at,
    incoming.checked_at,
    incoming.return_count,
from incoming
join problems using (problem_id)
where (problems.status, problems.unit_name, problems.due_on, problems.rectified_at,
       problems.checked_at, problems.return_count)
    is distinct from
      (incoming.status, incoming.unit_name, incoming.due_on, incoming.rectified_at,
       incoming.checked_at, incoming.return_count);

insert into problem_history  -- new problems: a row each
select
    problem_id, $import_id, $export_on, status, unit_name, due_on, rectified_at, checked_at, return_count,
from incoming_new;

update problems set
    source = incoming.source,
    found_at = incoming.found_at,
    category = incoming.category,
    subcategory = incoming.subcategory,
    description = incoming.description,
    point_id = incoming.point_id,
    point_name = incoming.point_name,
    point_type = incoming.point_type,
    district = incoming.district,
    street = incoming.street,
    community = incoming.community,
    grid = incoming.grid,
    unit_name = incoming.unit_name,
    assigned_at = incoming.assigned_at,
    due_on = incoming.due_on,
    status = incoming.status,
    rectified_at = incoming.rectified_at,
    checked_at = incoming.checked_at,
    lng = incoming.lng,
    lat = incoming.lat,
    deduction = incoming.deduction,
    return_count = incoming.return_count,
    is_flagged_rebound = coalesce(incoming.rebound_flag, false),
    last_import_id = $import_id,
    changed_import_id = case
        when exists (
            select 1 from problem_history as h
            where h.problem_id = incoming.problem_id and h.import_id = $import_id
        ) then $import_id
        else problems.changed_import_id
    end,
from incoming
where problems.problem_id = incoming.problem_id
    and $export_on >= (select i.export_on from imports as i where i.import_id = problems.last_import_id);

insert into problems (
    problem_id, source, found_at, category, subcategory, description, point_id, point_name,
    point_type, district, street, community, grid, unit_name, assigned_at, due_on, status,
    rectified_at, checked_at, lng, lat, deduction, return_count, is_flagged_rebound,
    first_import_id, last_import_id, changed_import_id
)
select
    incoming.problem_id, incoming.source, incoming.found_at, incoming.category,
    incoming.subcategory, incoming.description, incoming.point_id, incoming.point_name,
    incoming.point_type, incoming.district, incoming.street, incoming.community, incoming.grid,
    incoming.unit_name, incoming.assigned_at, incoming.due_on, incoming.status,
    incoming.rectified_at, incoming.checked_at, incoming.lng, incoming.lat, incoming.deduction,
    incoming.return_count, coalesce(incoming.rebound_flag, false),
    $import_id, $import_id, $import_id,
from incoming_new as incoming;
