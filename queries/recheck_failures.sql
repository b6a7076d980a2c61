-- 假性整改: the problems a 回头看 re-check found 未到位 or 反弹, and whether they are open again at
-- the date (closed again by a later passing re-check or a later close in the export: not).
-- Grain: one row per failed re-check made on or before the date, newest first.
-- Params: $as_of DATE, $due_soon_days INTEGER
with
facts as (
    select * from problem_facts($as_of::date, $due_soon_days::integer)
),

final as (
    select
        r.problem_id, r.rechecked_at, r.result, r.checker, r.note,
        coalesce(r.round_name, strftime(r.rechecked_at, '%Y年%m月')) as round_name,
        coalesce(f.unit_name, '无责任单位') as unit_name,
        problem_place(f.point_name, f.community, f.street) as place,
        f.category, f.description, f.state, f.due_on, f.days_overdue,
        coalesce(f.is_open, false) as is_open,
    from rechecks as r
    left join facts as f on f.problem_id = r.problem_id
    where r.rechecked_at::date <= $as_of::date and r.result in ('not_done', 'rebound')
)

select * from final
order by rechecked_at desc, unit_name, problem_id
