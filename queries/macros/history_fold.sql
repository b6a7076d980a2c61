-- Macros: history_fold, map_lat_of, map_lng_of.
--
-- What write/derive.sql keeps in each problem's row, defined once for its three users: the derive
-- itself, problem_facts (which folds the history up to a past date), and the view that folds it on
-- each query where the stored columns cannot be trusted (cockpit/store/readers.py). None of them
-- reads a table of its own, so they can be defined before the readers' views are.

-- history_fold(status, export_on, import_id, return_count): a problem's rows of problem_history
--   folded into one STRUCT (an aggregate: group the rows by problem): status_seen, the newest state
--   an import saw other than closed; was_returned, ever 被退回 (or with a return count);
--   was_reported_done, ever reported done (awaiting check, closed or returned); last_changed_on, the
--   export date of its last change.
-- Notes: of two imports with the same export date the later one is the newer state (as
--   write/problems.sql updates problems). A closed state is left out of status_seen: whether a
--   problem is closed as of a date comes from its close time (problem_core_facts).
create or replace temp macro history_fold(status, export_on, import_id, return_count) as struct_pack(
    status_seen := arg_max(status, (export_on, import_id)) filter (where status <> 'closed'),
    was_returned := bool_or(status = 'returned' or coalesce(return_count, 0) > 0),
    was_reported_done := bool_or(status in ('awaiting_check', 'closed', 'returned')),
    last_changed_on := max(export_on)
);

-- map_lat_of(own_lat, of_point_id), map_lng_of(own_lng, of_point_id): where a problem is drawn on
-- the map: its own coordinate, else its measurement point's (null when neither is known).
create or replace temp macro map_lat_of(own_lat, of_point_id) as
    coalesce(own_lat, (select pt.lat from points as pt where pt.point_id = of_point_id));

create or replace temp macro map_lng_of(own_lng, of_point_id) as
    coalesce(own_lng, (select pt.lng from points as pt where pt.point_id = of_point_id));
