-- 整改到位率 of the 回头看 re-checks made on or before the date, per round and unit (SPEC "The
-- meeting loop"): re-checks that found the problem 到位 / re-checks made.
-- Grain: one row per round and unit of the problem, then one row per round for all units (is_total).
-- Params: $as_of DATE
-- Notes: a round is the re-check's 复查轮次, else the month of its re-check time (2026年06月).
--   Each re-check counts once: a problem re-checked twice in one round counts twice.
with
checks as (
    select
        coalesce(r.round_name, strftime(r.rechecked_at, '%Y年%m月')) as round_name,
        coalesce(p.unit_name, '无责任单位') as unit_name,
        r.result,
        r.rechecked_at,
    from rechecks as r
    left join problems as p on p.problem_id = r.problem_id
    where r.rechecked_at::date <= $as_of::date
),

counted as (
    select
        round_name,
        grouping(unit_name) = 1 as is_total,
        coalesce(unit_name, '全部单位') as unit_name,
        min(rechecked_at)::date as first_on,
        count(*) as count_rechecked,
        count(*) filter (where result = 'done') as count_done,
        count(*) filter (where result = 'not_done') as count_not_done,
        count(*) filter (where result = 'rebound') as count_rebound,
        count(*) filter (where result = 'done') / nullif(count(*), 0) as done_rate,
    from checks
    group by grouping sets ((round_name, unit_name), (round_name))
),

final as (
    select
        round_name, is_total, unit_name, count_rechecked, count_done, count_not_done, count_rebound,
        done_rate,
        min(first_on) over (partition by round_name) as round_first_on,
    from counted
)

select * exclude (round_first_on) from final
order by round_first_on desc, round_name, is_total, done_rate, unit_name
