-- The city's problem counts under 片区与网格's table: what its rows (every area and 未划片区) add up to.
-- Grain: one row.
-- Params: $as_of DATE, $due_soon_days INTEGER
-- Notes: counted over area_facts, which holds every problem once (未划片区 where no area lists it),
--   so the figures equal the sums of area_table's rows and the city's figures on 整改进度.
with
facts as (
    select * from area_facts($as_of, $due_soon_days)
),

final as (
    select
        count(*) as count_found,
        count(*) filter (where is_open) as count_open,
        count(*) filter (where is_overdue) as count_overdue,
    from facts
)

select * from final
