-- Facts derived from the whole ledger after every import: point ids named only by name, when a
-- closed problem counts as closed, and rebounds (SPEC "closed at D", "rebound").
-- Grain: updates problems and inspections in place.
-- Params: $rebound_days INTEGER, $rebound_radius_m DOUBLE, $default_spot_min INTEGER,
--   $default_spot_excluded BOOLEAN
-- Notes: a point name is resolved only when exactly one point bears it. A closed problem with no
--   close time counts as closed from the export date of the first import that saw it closed.
--   Rebounds without a point compare coordinates in cells at least as wide as the radius, so every
--   pair within the radius shares a cell or touches one. A problem that repeats several closed ones
--   names the one closed last (of two closed at the same moment, the greater id). A default
--   coordinate is an exact (lng, lat) of a problem's own that at least $default_spot_min problems
--   share, other than a measurement point's (a point's problems may well carry its coordinates);
--   with $default_spot_excluded its problems are not matched by distance, neither as the later
--   problem nor as the earlier one (matching by point is unaffected: the point is known).

update problems set point_id = named.point_id
from (select point_name, any_value(point_id) as point_id from points group by point_name having count(*) = 1) as named
where problems.point_id is null and problems.point_name = named.point_name;

update inspections set point_id = named.point_id
from (select point_name, any_value(point_id) as point_id from points group by point_name having count(*) = 1) as named
where inspections.point_id is null and inspections.point_name = named.point_name;

-- Each update below writes only the rows whose value changes: an update rewrites every row it
-- touches (and the checkpoint after it their columns), and an import into a large ledger changes
-- few of the derived values (rewriting them all was a second of each import, docs/PERFORMANCE.md).
update problems set closed_at = derived.closed_at, is_closed_at_estimated = derived.is_closed_at_estimated
from (
    select
        problem_id,
        case when status = 'closed' then coalesce(checked_at, rectified_at, first_closed.export_on::timestamp) end
            as closed_at,
        status = 'closed' and checked_at is null and rectified_at is null as is_closed_at_estimated,
    from problems
    left join (
        select problem_id, min(export_on) as export_on
        from problem_history
        where status = 'closed'
        group by problem_id
    ) as first_closed using (problem_id)
) as derived
where problems.problem_id = derived.problem_id
    and (problems.closed_at, problems.is_closed_at_estimated)
        is distinct from (derived.closed_at, derived.is_closed_at_estimated);

create or replace table default_spots as
    select lat, lng, count(*)::integer as count_problems, $default_spot_excluded::boolean as is_excluded,
    from problems
    where lat is not null and lng is not null
        and not exists (select 1 from points where points.lat = problems.lat and points.lng = problems.lng)
    group by lat, lng
    having count(*) >= $default_spot_min;

create or replace temporary table rebound_repeats as
    with
    -- Time is cut into bands as long as the window: a problem found in band b can only repeat one
    -- closed in band b - 1 or b, so pairs are joined on that too, not on the place alone (a busy
    -- point gathers hundreds of problems over the years; comparing each with all was 7 of the 25 s
    -- of importing 500,000 problems, docs/PERFORMANCE.md).
    located as (
        select
            problem_id, category, point_id, found_at, closed_at, lat,
            -- The point on the unit sphere: two problems are within the radius when the straight
            -- line between their points is within 2 sin(radius / 2R), the haversine distance's own
            -- test without a sine or arc sine per pair (the pairs run to millions; the trigonometry
            -- per pair was a third of this statement, docs/PERFORMANCE.md).
            cos(radians(lat)) * cos(radians(lng)) as unit_x,
            cos(radians(lat)) * sin(radians(lng)) as unit_y,
            sin(radians(lat)) as unit_z,
            -- Cells at least the radius wide: a degree of latitude is over 110,000 m everywhere,
            -- a degree of longitude over 55,000 m up to 60° north (the importer keeps China's).
            floor(lat / ($rebound_radius_m / 110000.0 + 1e-9))::bigint as cell_y,
            floor(lng / ($rebound_radius_m / 55000.0 + 1e-9))::bigint as cell_x,
            floor(epoch(found_at) / ($rebound_days * 86400.0))::bigint as found_band,
            floor(epoch(closed_at) / ($rebound_days * 86400.0))::bigint as closed_band,
            spots.is_excluded is not distinct from true as is_at_default_spot,
        from problems
        left join default_spots as spots using (lat, lng)
        where category is not null
    ),
    closed_earlier as (  -- each closed problem in its own band and the next: the bands it can be repeated in
        select *, closed_band + unnest([0, 1]) as repeat_band from located where closed_at is not null
    ),
    same_point as (
        select later.problem_id, earlier.problem_id as earlier_id, earlier.closed_at,
        from located as later
        join closed_earlier as earlier
            on earlier.point_id = later.point_id and earlier.category = later.category
            and earlier.repeat_band = later.found_band
        where later.point_id is not null
            and earlier.closed_at < later.found_at
            and later.found_at <= earlier.closed_at + to_days($rebound_days)
    ),
    -- Each problem without a point looks in its own cell and the eight around it (nine rows per
    -- problem on this side of the join, not on the closed side, which is twice as long).
    later_cells as (
        select problem_id, category, found_at, found_band, unit_x, unit_y, unit_z,
            cell_y + unnest([-1, -1, -1, 0, 0, 0, 1, 1, 1]) as near_y,
            cell_x + unnest([-1, 0, 1, -1, 0, 1, -1, 0, 1]) as near_x,
        from located
        where point_id is null and lat is not null and not is_at_default_spot
    ),
    nearby as (
        select later.problem_id, earlier.problem_id as earlier_id, earlier.closed_at,
        from later_cells as later
        join closed_earlier as earlier
            on earlier.category = later.category
            and earlier.cell_y = later.near_y
            and earlier.cell_x = later.near_x
            and earlier.repeat_band = later.found_band
        where earlier.point_id is null and earlier.lat is not null and not earlier.is_at_default_spot
            and earlier.problem_id <> later.problem_id
            and earlier.closed_at < later.found_at
            and later.found_at <= earlier.closed_at + to_days($rebound_days)
            and (later.unit_x - earlier.unit_x) * (later.unit_x - earlier.unit_x)
                + (later.unit_y - earlier.unit_y) * (later.unit_y - earlier.unit_y)
                + (later.unit_z - earlier.unit_z) * (later.unit_z - earlier.unit_z)
                <= pow(2 * sin($rebound_radius_m / (2 * 6371000.0)), 2)
    )
    select problem_id, arg_max(earlier_id, (closed_at, earlier_id)) as earlier_id,  -- the last closed; ties by id
    from (select * from same_point union all select * from nearby)
    group by problem_id;

update problems set rebound_of_problem_id = null
where rebound_of_problem_id is not null
    and problem_id not in (select problem_id from rebound_repeats);

update problems set rebound_of_problem_id = repeats.earlier_id
from rebound_repeats as repeats
where problems.problem_id = repeats.problem_id
    and problems.rebound_of_problem_id is distinct from repeats.earlier_id;

drop table rebound_repeats;

-- The import history folded per problem over every import, with the map position: what
-- problem_facts needs from problem_history and points, kept in the problem's own row so that a page
-- neither folds the whole history nor joins it back on every query (docs/PERFORMANCE.md). It holds
-- for any as-of date on or after a problem's last_changed_on; problem_facts folds the history itself
-- for earlier dates. The rules are the macros of macros/history_fold.sql, which the view of
-- cockpit/store/readers.py also folds with where the stored columns cannot be trusted (a store made
-- before they existed, a writable database, a district login).
update problems set
    map_lat = fold.map_lat,
    map_lng = fold.map_lng,
    status_seen = fold.status_seen,
    was_returned = fold.was_returned,
    was_reported_done = fold.was_reported_done,
    last_changed_on = fold.last_changed_on,
from (
    select
        ledger.problem_id,
        map_lat_of(ledger.lat, ledger.point_id) as map_lat,
        map_lng_of(ledger.lng, ledger.point_id) as map_lng,
        seen.status_seen,
        seen.was_returned,
        seen.was_reported_done,
        seen.last_changed_on,
    from problems as ledger
    left join (
        select problem_id, unnest(history_fold(status, export_on, import_id, return_count)),
        from problem_history
        group by problem_id
    ) as seen using (problem_id)
) as fold
where problems.problem_id = fold.problem_id
    and (problems.map_lat, problems.map_lng, problems.status_seen, problems.was_returned,
         problems.was_reported_done, problems.last_changed_on)
        is distinct from
        (fold.map_lat, fold.map_lng, fold.status_seen, fold.was_returned, fold.was_reported_done,
         fold.last_changed_on);

-- Kept as a table of its own before the fold moved into problems.
drop table if exists problem_fold;
