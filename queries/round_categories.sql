-- The problem categories one inspection round found most, against the round before it of the same
-- type.
-- Grain: one row per problem category found in the round or in the round before it, most found
--   first.
-- Params: $as_of DATE, $point_filters STRUCT (see macros/kept_points.sql), $inspection_type VARCHAR,
--   $round_name VARCHAR (the round, as inspection_rounds gives it)
-- Notes: a problem was found by a round when it is at a point the filters keep, its source is the
--   round's inspection type and its found date falls within the round's first..last day (as
--   inspection_rounds counts count_problems). '未填写' stands for no category. count_change is this
--   round minus the round before (0 found where a category is missing from one of them).
with
kept as (
    select point_id from kept_points($point_filters)
),

this_and_before as (
    select inspection_type, first_on, last_on, true as is_this_round
    from rounds_seen($as_of)
    where inspection_type = $inspection_type and round_name = $round_name
    union all
    select inspection_type, previous_first_on, previous_last_on, false
    from rounds_seen($as_of)
    where inspection_type = $inspection_type and round_name = $round_name and previous_round_name is not null
),

found as (
    select this_and_before.is_this_round, coalesce(problems.category, '未填写') as category,
    from this_and_before
    join problems
        on problems.source = this_and_before.inspection_type
        and problems.found_at::date between this_and_before.first_on and this_and_before.last_on
    where problems.point_id in (select point_id from kept)
),

final as (
    select
        category,
        count(*) filter (where is_this_round) as count_found,
        count(*) filter (where not is_this_round) as previous_count_found,
        count(*) filter (where is_this_round) - count(*) filter (where not is_this_round) as count_change,
    from found
    group by category
)

select * from final
order by count_found desc, count_change desc, category
