-- The lists a clerk works from: overdue, due soon, returned after a failed check, with no
-- responsible unit, stale (open and unchanged in the exports for $stale_days days), or all;
-- optionally only the problems of one group of a breakdown (the drill-down).
-- Grain: one row per problem found by $as_of in the chosen list, at most $limit rows; count_in_list
--   counts the whole list.
-- Params: $as_of DATE, $due_soon_days INTEGER, $filters STRUCT (see macros/filtered_facts.sql),
--   $list_kind VARCHAR (overdue, due_soon, returned, no_unit, stale, all), $dimension VARCHAR
--   ('' for no group, else as progress_breakdown), $group_name VARCHAR ('未填写' matches a missing
--   value), $search VARCHAR (text in the id, unit, place or description; '' for any),
--   $stale_days INTEGER, $limit INTEGER
-- Notes: overdue lists the longest overdue first; due soon the nearest deadline first; stale the
--   longest unchanged first; the others the oldest first. Ties go to the problem id. A problem no
--   export had seen by $as_of is never stale (nothing is known of its changes).
with
facts as (
    select
        *,
        problem_place(point_name, community, street) as place,
    from grouped_facts($as_of, $due_soon_days, $filters, $dimension)
),

chosen as (
    select *
    from facts
    where case $list_kind
            when 'overdue' then is_overdue
            when 'due_soon' then is_due_soon
            when 'returned' then state = 'returned'
            when 'no_unit' then is_open and unit_name is null
            when 'stale' then is_open and days_unchanged >= $stale_days
            when 'all' then true
        end
        and ($dimension = '' or coalesce(group_value, '未填写') = $group_name)
        and ($search = '' or contains(concat_ws(' ', problem_id, unit_name, place, description), $search))
),

-- The rows shown are chosen on the narrow columns first, and only they fetch their wide ones
-- (description, place, ...): reading those for every problem in the list took most of the query's
-- time on a long list (docs/PERFORMANCE.md).
shown as (
    select
        problem_id, found_at, state, light, days_overdue, days_unchanged,
        count(*) over () as count_in_list,
        case $list_kind
            when 'overdue' then -days_overdue
            when 'due_soon' then due_on - $as_of::date
            when 'stale' then -days_unchanged
            else -($as_of::date - found_at::date)
        end as sort_key,
    from chosen
    order by sort_key, found_at, problem_id
    limit $limit
),

final as (
    select
        problems.problem_id, problems.unit_name, problems.district, problems.street,
        problem_place(problems.point_name, problems.community, problems.street) as place,
        problems.category, problems.description, shown.state, shown.light, shown.found_at, problems.due_on,
        shown.days_overdue, shown.days_unchanged, problems.source, shown.count_in_list, shown.sort_key,
    from shown
    join problems using (problem_id)
)

select * exclude (sort_key) from final
order by sort_key, found_at, problem_id
