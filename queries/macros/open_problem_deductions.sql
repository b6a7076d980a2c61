-- Macros: open_problem_deductions, indicator_risk.

-- open_problem_deductions(as_of, due_soon_days): each problem open at as_of with the indicator it
--   belongs to (SPEC.md "Assessment scoring"), its deduction and the street and department it counts to.
-- Grain: one row per problem open at as_of (indicator_code null: no indicator covers it).
-- Notes: an indicator's point types and categories are lists in one cell separated by 、 , ， ; or
--   spaces; no point types means every point type. A problem belongs to the first indicator in list
--   order whose categories include its category or 小类 and whose point types, where listed, include
--   its point type. deduction_at_risk is the problem's 扣分, else the indicator's default, else 0.
--   department is the point's 行业主管部门, else the problem's unit when it is not a street, township
--   or district (units.unit_kind, else its name as in unit_ranking.sql).
create or replace temp macro open_problem_deductions(as_of, due_soon_days) as table
with
indicator_list as (
    select
        *,
        list_filter(regexp_split_to_array(coalesce(trim(categories), ''), '[、,，;；\s]+'), lambda x: x <> '')
            as category_list,
        list_filter(regexp_split_to_array(coalesce(trim(point_types), ''), '[、,，;；\s]+'), lambda x: x <> '')
            as point_type_list,
    from indicators
),

open_problems as (
    select problem_id, category, subcategory, point_id, point_name, point_type, district, street, unit_name,
        due_on, status, deduction, found_at,
    from problem_core_facts(as_of, due_soon_days)
    where is_open
),

matched as (
    select open_problems.problem_id, arg_min(indicator_list.indicator_code, indicator_list.list_order) as indicator_code,
    from open_problems
    join indicator_list
        on (list_contains(indicator_list.category_list, open_problems.category)
            or list_contains(indicator_list.category_list, open_problems.subcategory))
        and (len(indicator_list.point_type_list) = 0
            or list_contains(indicator_list.point_type_list, open_problems.point_type))
    group by open_problems.problem_id
),

final as (
    select
        open_problems.*,
        matched.indicator_code,
        coalesce(open_problems.deduction, indicators.default_deduction, 0) as deduction_at_risk,
        coalesce(points.owner_department,
            case
                when units.unit_kind in ('street', 'township', 'district', 'community') then null
                when units.unit_kind = 'department' then open_problems.unit_name
                when regexp_matches(open_problems.unit_name, '(街道|镇|乡|区|县)$') then null
                else open_problems.unit_name
            end) as department,
    from open_problems
    left join matched using (problem_id)
    left join indicators on indicators.indicator_code = matched.indicator_code
    left join points on points.point_id = open_problems.point_id
    left join units on units.unit_name = open_problems.unit_name
)

select * from final;

-- indicator_risk(as_of, due_soon_days): points at risk (预计失分) per indicator at as_of.
-- Grain: one row per indicator of the list.
-- Notes: points_at_risk = least(sum of its open problems' deductions, its points); share_kept is
--   points_at_risk / deductions (1 when nothing is capped), the factor by which a street's or a
--   department's deductions count, so that their sums add up to the capped total.
create or replace temp macro indicator_risk(as_of, due_soon_days) as table
with
summed as (
    select indicator_code, count(*) as count_open, sum(deduction_at_risk) as deductions,
    from open_problem_deductions(as_of, due_soon_days)
    where indicator_code is not null
    group by indicator_code
),

final as (
    select
        indicators.indicator_code, indicators.indicator_name, indicators.part, indicators.points,
        indicators.list_order,
        coalesce(summed.count_open, 0) as count_open,
        coalesce(summed.deductions, 0) as deductions,
        least(coalesce(summed.deductions, 0), indicators.points) as points_at_risk,
        coalesce(least(summed.deductions, indicators.points) / nullif(summed.deductions, 0), 1) as share_kept,
    from indicators
    left join summed using (indicator_code)
)

select * from final;
