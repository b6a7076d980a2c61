-- filtered_facts(as_of, due_soon_days, filters): problem_facts narrowed by the progress page's filters.
-- Grain: one row per problem found on or before as_of that passes every filter.
-- Notes: filters is one STRUCT (cockpit/filters.py builds it): found_from and found_to (DATE, null
--   for open-ended) bound the found date; each list (districts, streets, units, categories,
--   sources, point_types) keeps the problems whose value is in it, an empty list keeps all, and
--   '未填写' in a list matches a missing value (as the breakdowns name it). The cast here gives
--   untyped bound values (None, []) their types.
create or replace temp macro filtered_facts(as_of, due_soon_days, filters) as table
with
chosen as (
    select filters::STRUCT(
        found_from DATE, found_to DATE, districts VARCHAR[], streets VARCHAR[], units VARCHAR[],
        categories VARCHAR[], sources VARCHAR[], point_types VARCHAR[]
    ) as f
)

select facts.*
from problem_facts(as_of, due_soon_days) as facts, chosen
where (chosen.f.found_from is null or facts.found_at::date >= chosen.f.found_from)
    and (chosen.f.found_to is null or facts.found_at::date <= chosen.f.found_to)
    and (len(chosen.f.districts) = 0 or list_contains(chosen.f.districts, coalesce(facts.district, '未填写')))
    and (len(chosen.f.streets) = 0 or list_contains(chosen.f.streets, coalesce(facts.street, '未填写')))
    and (len(chosen.f.units) = 0 or list_contains(chosen.f.units, coalesce(facts.unit_name, '未填写')))
    and (len(chosen.f.categories) = 0 or list_contains(chosen.f.categories, coalesce(facts.category, '未填写')))
    and (len(chosen.f.sources) = 0 or list_contains(chosen.f.sources, coalesce(facts.source, '未填写')))
    and (len(chosen.f.point_types) = 0 or list_contains(chosen.f.point_types, coalesce(facts.point_type, '未填写')));
