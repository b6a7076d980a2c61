-- The closed problems staff may choose for a 回头看 round: closed at the date, narrowed by close
-- date, source and unit, optionally a sample of N per unit; for the checklist sent to each unit.
-- Grain: one row per problem chosen, by unit then close time.
-- Params: $as_of DATE, $closed_from DATE (null: no bound), $closed_to DATE (null: no bound),
--   $sources VARCHAR[] (empty: every source), $units VARCHAR[] (empty: every unit),
--   $per_unit INTEGER (0: all; else the first N per unit in a fixed pseudo-random order, the same
--   on every run), $only_unchecked BOOLEAN (leave out problems already re-checked since their close)
with
closed as (
    select
        problem_id, coalesce(unit_name, '无责任单位') as unit_name, source, category, description,
        problem_place(point_name, community, street) as place, street, community, closed_at,
        exists (
            select 1 from rechecks as r
            where r.problem_id = facts.problem_id and r.rechecked_at >= facts.closed_at
                and r.rechecked_at::date <= $as_of::date
        ) as is_rechecked,
    from problem_core_facts($as_of::date, 0) as facts
    where is_closed
        and ($closed_from::date is null or closed_at::date >= $closed_from::date)
        and ($closed_to::date is null or closed_at::date <= $closed_to::date)
        and (len($sources::varchar[]) = 0 or list_contains($sources::varchar[], source))
        and (len($units::varchar[]) = 0 or list_contains($units::varchar[], coalesce(unit_name, '无责任单位')))
),

ranked as (
    select
        *,
        row_number() over (partition by unit_name order by md5(problem_id), problem_id) as sample_order,
    from closed
    where not ($only_unchecked::boolean and is_rechecked)
),

final as (
    select * exclude (sample_order)
    from ranked
    where $per_unit::integer = 0 or sample_order <= $per_unit::integer
)

select * from final
order by unit_name, closed_at, problem_id
