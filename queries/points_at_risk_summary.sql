-- Points at risk (预计失分) at D, in one row: the indicators' capped total, and how many open
-- problems no indicator covers (counted apart, listed on 数据质量).
-- Grain: one row.
-- Params: $as_of DATE, $due_soon_days INTEGER
with
risk as (
    select count(*) as count_indicators, coalesce(sum(points), 0) as points_total,
        coalesce(sum(points_at_risk), 0) as points_at_risk, coalesce(sum(count_open), 0) as count_open_mapped,
        count(*) filter (where points_at_risk > 0) as count_indicators_losing,
    from indicator_risk($as_of, $due_soon_days)
),

unmapped as (
    select count(*) as count_open_unmapped,
    from open_problem_deductions($as_of, $due_soon_days)
    where indicator_code is null
)

select * from risk, unmapped
