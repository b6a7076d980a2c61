-- Each inspection round (暗访, 督查, 模拟测评, …) with its date range, compared with the round before
-- it of the same type: points inspected, share passed, mean score, problems found.
-- Grain: one row per round with an inspection of a point the filters keep by $as_of, newest first.
-- Params: $as_of DATE, $pass_score DOUBLE, $point_filters STRUCT (see macros/kept_points.sql)
-- Notes:
--   * Rounds, their order and the round before are macros/round_visits.sql's (rounds_seen): the
--     round before is the previous one of the same inspection type, city-wide. Its figures are over
--     the same filtered points, so with a filter a round that visited none of them is not listed,
--     and the round before it may have no figures (null).
--   * A point inspected twice in one round counts once, by its last inspection in the round:
--     count_points points, count_passed of them passed it (passed as point_standing decides it),
--     mean_score is the mean of those last scores (points with no score left out).
--   * count_problems: problems found in the round, i.e. at a kept point, whose source is the
--     round's inspection type and whose found date falls within the round's first..last day.
--   * pass_rate_change and mean_score_change: this round minus the round before; null when there
--     is none.
with
kept as (
    select point_id from kept_points($point_filters)
),

rounds as (
    select * from rounds_seen($as_of)
),

last_visits as (
    select
        inspection_type, round_name, point_id,
        arg_max(is_passed, (inspected_at, inspection_id)) as is_passed,
        arg_max(score, (inspected_at, inspection_id)) as score,
    from round_visits($as_of, $pass_score)
    where point_id in (select point_id from kept)
    group by all
),

visit_figures as (
    select
        inspection_type, round_name,
        count(*) as count_points,
        count(*) filter (where is_passed) as count_passed,
        avg(score) as mean_score,
    from last_visits
    group by all
),

found as (
    select rounds.inspection_type, rounds.round_name, count(*) as count_problems,
    from rounds
    join problems
        on problems.source = rounds.inspection_type
        and problems.found_at::date between rounds.first_on and rounds.last_on
    where problems.point_id in (select point_id from kept)
    group by all
),

figures as (
    select
        rounds.*,
        visit_figures.count_points,
        visit_figures.count_passed,
        visit_figures.count_passed / visit_figures.count_points as pass_rate,
        visit_figures.mean_score,
        coalesce(found.count_problems, 0) as count_problems,
    from rounds
    join visit_figures using (inspection_type, round_name)
    left join found using (inspection_type, round_name)
),

final as (
    select
        this.inspection_type,
        this.round_name,
        this.round_label,
        this.first_on,
        this.last_on,
        this.count_points,
        this.count_passed,
        this.pass_rate,
        this.mean_score,
        this.count_problems,
        this.previous_round_name,
        previous.round_label as previous_round_label,
        previous.count_points as previous_count_points,
        previous.count_passed as previous_count_passed,
        previous.pass_rate as previous_pass_rate,
        previous.mean_score as previous_mean_score,
        previous.count_problems as previous_count_problems,
        this.pass_rate - previous.pass_rate as pass_rate_change,
        this.mean_score - previous.mean_score as mean_score_change,
    from figures as this
    left join figures as previous
        on previous.inspection_type = this.inspection_type and previous.round_name = this.previous_round_name
)

select * from final
order by first_on desc, inspection_type, round_name
