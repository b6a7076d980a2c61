-- The measurement points never inspected by $as_of: the count under 测评倒计时's readiness chart,
-- whose rates are over the points inspected.
-- Grain: one row.
-- Params: $as_of DATE, $due_soon_days INTEGER, $pass_score DOUBLE
-- Notes: every point of the points table once (point_readiness.sql counts the same points by type,
--   and the key circles again in a row of their own).
with
standing as (
    select * from point_standing($as_of, $due_soon_days, $pass_score)
),

final as (
    select
        count(*) as count_points,
        count(*) filter (where not is_inspected) as count_never_inspected,
    from standing
)

select * from final
