-- How many problems closed at the date were never re-checked (回头看) after their close, per unit.
-- Grain: one row per unit with closed problems, then one total row (is_total).
-- Params: $as_of DATE
with
closed as (
    select problem_id, coalesce(unit_name, '无责任单位') as unit_name, closed_at,
    from problem_core_facts($as_of::date, 0)
    where is_closed
),

marked as (
    select
        closed.*,
        exists (
            select 1 from rechecks as r
            where r.problem_id = closed.problem_id and r.rechecked_at >= closed.closed_at
                and r.rechecked_at::date <= $as_of::date
        ) as is_rechecked,
    from closed
),

final as (
    select
        grouping(unit_name) = 1 as is_total,
        coalesce(unit_name, '合计') as unit_name,
        count(*) as count_closed,
        count(*) filter (where is_rechecked) as count_rechecked,
        count(*) filter (where not is_rechecked) as count_never_rechecked,
    from marked
    group by grouping sets ((unit_name), ())
)

select * from final
where count_closed > 0
order by is_total, count_never_rechecked desc, unit_name
