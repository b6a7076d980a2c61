-- Macros: round_visits, rounds_seen, standing_baseline_on.

-- round_visits(as_of, pass_score): every inspection of a listed point by as_of, with its round.
-- Grain: one row per inspection on or before as_of whose point is in the point list.
-- Notes: a round is (inspection_type, round_name); an export with no 轮次 column puts each type's
--   inspections of one calendar month in one round ('2026年06月'). A round runs from its first
--   inspection to its last (as of as_of: a round still under way ends at its latest inspection so
--   far). The point is matched by id: write/derive has already given an inspection named only by
--   its point's name that point's id (when one point bears the name); inspections of places missing
--   from the point list, or of a name two points share, are left out (a round is about
--   measurement points). Passed as point_standing decides it: 达标 when the export says so, else
--   score >= pass_score; neither known counts as not passed.
create or replace temp macro round_visits(as_of, pass_score) as table
with
visits as (
    select
        inspections.inspection_id,
        inspections.inspected_at,
        coalesce(inspections.inspection_type, '未填写') as inspection_type,
        coalesce(inspections.round_name, strftime(inspections.inspected_at, '%Y年%m月')) as round_name,
        point_id,
        inspections.score,
        coalesce(inspections.is_passed, inspections.score >= pass_score, false) as is_passed,
    from inspections
    join points using (point_id)
    where inspections.inspected_at::date <= as_of
),

final as (
    select
        *,
        min(inspected_at::date) over (partition by inspection_type, round_name) as first_on,
        max(inspected_at::date) over (partition by inspection_type, round_name) as last_on,
    from visits
)

select * from final;

-- rounds_seen(as_of): the rounds seen by as_of, each with the round before it.
-- Grain: one row per round with an inspection of a listed point on or before as_of.
-- Notes: rounds are ordered by their first day (then type and name); the round before is the
--   previous round of the same inspection type (暗访 after 暗访): types differ in strictness and
--   sample, so only like is compared with like. round_label is the name alone when it already
--   names the type ('2026年第6轮暗访'), else type and name ('暗访第二轮').
create or replace temp macro rounds_seen(as_of) as table
with
rounds as (
    select inspection_type, round_name, min(first_on) as first_on, max(last_on) as last_on,
    from round_visits(as_of, 0)  -- the pass score plays no part in which rounds there are
    group by all
),

final as (
    select
        *,
        case when contains(round_name, inspection_type) then round_name else inspection_type || round_name end
            as round_label,
        lag(round_name) over same_type as previous_round_name,
        lag(first_on) over same_type as previous_first_on,
        lag(last_on) over same_type as previous_last_on,
    from rounds
    window same_type as (partition by inspection_type order by first_on, round_name)
)

select * from final;

-- standing_baseline_on(as_of): the day before the latest round (of any type) that started by
-- as_of began: the standing "before the latest inspection round" is read as of this day. Null
-- when no round started by as_of.
create or replace temp macro standing_baseline_on(as_of) as
    (select max(first_on) - 1 from rounds_seen(as_of));
