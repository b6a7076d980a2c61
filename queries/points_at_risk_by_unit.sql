-- Points at risk (预计失分) at D by street and by department: each open problem's deduction, scaled
-- by its indicator's cap (share_kept), summed where it counts, so each grouping adds up to the total.
-- Grain: one row per group_kind ('street', 'department') and group_name, most at risk first.
-- Params: $as_of DATE, $due_soon_days INTEGER
-- Notes: problems with no street (or no department) are one row named '未填'; problems no
--   indicator covers are left out.
with
counted as (
    select deductions.street, deductions.department, deductions.deduction_at_risk * risk.share_kept as points,
    from open_problem_deductions($as_of, $due_soon_days) as deductions
    join indicator_risk($as_of, $due_soon_days) as risk using (indicator_code)
),

final as (
    select 'street' as group_kind, coalesce(street, '未填') as group_name, count(*) as count_open,
        sum(points) as points_at_risk,
    from counted group by all
    union all
    select 'department', coalesce(department, '未填'), count(*), sum(points),
    from counted group by all
)

select * from final
order by group_kind desc, points_at_risk desc, group_name
