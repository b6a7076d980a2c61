-- One measurement point's inspection history: every visit by $as_of, newest first.
-- Grain: one row per inspection of the point on or before $as_of.
-- Params: $as_of DATE, $pass_score DOUBLE, $point_id VARCHAR
-- Notes: is_passed as point_standing decides it (达标 when the export says so, else score >=
--   $pass_score; neither known is not passed); is_passed_by_score tells the clerk the export had no
--   达标 column for this visit. The round as round_visits names it (a missing 轮次 is the month).
--   An inspection named only by a point name shared by two points has no point id and is not here.
with
final as (
    select
        inspection_id,
        inspected_at,
        coalesce(inspection_type, '未填写') as inspection_type,
        coalesce(round_name, strftime(inspected_at, '%Y年%m月')) as round_name,
        score,
        coalesce(is_passed, score >= $pass_score, false) as is_passed,
        is_passed is null and score is not null as is_passed_by_score,
        count_problems,
        inspector,
    from inspections
    where point_id = $point_id and inspected_at::date <= $as_of
)

select * from final
order by inspected_at desc, inspection_id desc
