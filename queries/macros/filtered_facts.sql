-- Macros: problem_filters, filtered_facts, grouped_facts.

-- filtered_facts(as_of, due_soon_days, filters): problem_facts narrowed by the progress page's filters.
-- Grain: one row per problem found on or before as_of that passes every filter.
-- Notes: filters is one STRUCT (cockpit/vocab/filters.py builds it): found_from and found_to (DATE, null
--   for open-ended) bound the found date; each list (districts, streets, units, categories,
--   sources, point_types) keeps the problems whose value is in it, an empty list keeps all, and
--   '未填写' in a list matches a missing value (as the breakdowns name it). The cast here gives
--   untyped bound values (None, []) their types.
create or replace temp macro problem_filters(filters) as filters::STRUCT(
    found_from DATE, found_to DATE, districts VARCHAR[], streets VARCHAR[], units VARCHAR[],
    categories VARCHAR[], sources VARCHAR[], point_types VARCHAR[]
);

-- The filters are read straight from the parameter rather than from a one-row table joined to
-- every problem: DuckDB then evaluates them as constants, about 50 ms less per query at 1,000,000
-- problems (docs/PERFORMANCE.md).
create or replace temp macro filtered_facts(as_of, due_soon_days, filters) as table
select facts.*
from problem_facts(as_of, due_soon_days) as facts
where (problem_filters(filters).found_from is null or facts.found_at::date >= problem_filters(filters).found_from)
    and (problem_filters(filters).found_to is null or facts.found_at::date <= problem_filters(filters).found_to)
    and (len(problem_filters(filters).districts) = 0
         or list_contains(problem_filters(filters).districts, coalesce(facts.district, '未填写')))
    and (len(problem_filters(filters).streets) = 0
         or list_contains(problem_filters(filters).streets, coalesce(facts.street, '未填写')))
    and (len(problem_filters(filters).units) = 0
         or list_contains(problem_filters(filters).units, coalesce(facts.unit_name, '未填写')))
    and (len(problem_filters(filters).categories) = 0
         or list_contains(problem_filters(filters).categories, coalesce(facts.category, '未填写')))
    and (len(problem_filters(filters).sources) = 0
         or list_contains(problem_filters(filters).sources, coalesce(facts.source, '未填写')))
    and (len(problem_filters(filters).point_types) = 0
         or list_contains(problem_filters(filters).point_types, coalesce(facts.point_type, '未填写')));

-- grouped_facts(as_of, due_soon_days, filters, dimension): filtered_facts with group_value, the
-- problem's value of one breakdown dimension (district, street, unit, category, source, point_type,
-- place; null for any other), the one definition of the groups progress_breakdown counts and
-- problem_list drills down into. The dimension is a bound value, never spliced into the SQL.
create or replace temp macro grouped_facts(as_of, due_soon_days, filters, dimension) as table
select
    facts.*,
    case dimension
        when 'district' then facts.district
        when 'street' then facts.street
        when 'unit' then facts.unit_name
        when 'category' then facts.category
        when 'source' then facts.source
        when 'point_type' then facts.point_type
        when 'place' then problem_place(facts.point_name, facts.community, facts.street)
    end as group_value,
from filtered_facts(as_of, due_soon_days, filters) as facts;
