-- One inspection round by point type, against the round before it of the same type: where the
-- round found things better or worse.
-- Grain: one row per point type inspected (at a point the filters keep) in the round or in the
--   round before it; the types that got worse first, the types this round did not visit last.
-- Params: $as_of DATE, $pass_score DOUBLE, $point_filters STRUCT (see macros/kept_points.sql),
--   $inspection_type VARCHAR, $round_name VARCHAR (the round, as inspection_rounds gives it)
-- Notes:
--   * Counted as in inspection_rounds: each point once, by its last inspection in the round.
--   * is_worse: the type was inspected in both rounds and its pass rate fell (a mean score that
--     fell at an unchanged pass rate is shown, not flagged: with a few points a type it is noise).
--     Changes are this round minus the round before; null when the type is missing from either.
--   * No rows when the round is unknown or started after $as_of. '未填写' stands for no type.
with
kept as (
    select point_id, coalesce(point_type, '未填写') as point_type from kept_points($point_filters)
),

chosen as (
    select inspection_type, round_name, previous_round_name
    from rounds_seen($as_of)
    where inspection_type = $inspection_type and round_name = $round_name
),

last_visits as (
    select
        visits.round_name = chosen.round_name as is_this_round,
        kept.point_type,
        visits.point_id,
        arg_max(visits.is_passed, (visits.inspected_at, visits.inspection_id)) as is_passed,
        arg_max(visits.score, (visits.inspected_at, visits.inspection_id)) as score,
    from round_visits($as_of, $pass_score) as visits
    join chosen
        on visits.inspection_type = chosen.inspection_type
        and visits.round_name in (chosen.round_name, chosen.previous_round_name)
    join kept using (point_id)
    group by all
),

figures as (
    select
        point_type,
        count(*) filter (where is_this_round) as count_points,
        count(*) filter (where is_this_round and is_passed) as count_passed,
        avg(score) filter (where is_this_round) as mean_score,
        count(*) filter (where not is_this_round) as previous_count_points,
        count(*) filter (where not is_this_round and is_passed) as previous_count_passed,
        avg(score) filter (where not is_this_round) as previous_mean_score,
    from last_visits
    group by point_type
),

final as (
    select
        point_type,
        count_points,
        count_passed,
        count_passed / nullif(count_points, 0) as pass_rate,
        mean_score,
        previous_count_points,
        previous_count_passed,
        previous_count_passed / nullif(previous_count_points, 0) as previous_pass_rate,
        previous_mean_score,
        count_passed / nullif(count_points, 0) - previous_count_passed / nullif(previous_count_points, 0)
            as pass_rate_change,
        mean_score - previous_mean_score as mean_score_change,
    from figures
),

flagged as (
    select
        *,
        coalesce(pass_rate_change < 0, false) as is_worse,
    from final
)

select * from flagged
order by is_worse desc, count_points = 0, pass_rate_change nulls last, mean_score_change nulls last, point_type
