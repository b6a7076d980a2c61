-- How many problems can be placed on the map, so nothing silently falls off it.
-- Grain: one row.
-- Params: $as_of DATE, $due_soon_days INTEGER
with
facts as (
    select * from problem_facts($as_of, $due_soon_days)
),

final as (
    select
        count(*) as count_found,
        count(*) filter (where map_lat is not null) as count_located,
        count(*) filter (where map_lat is null) as count_without_location,
        count(*) filter (where is_open and map_lat is null) as count_open_without_location,
    from facts
)

select * from final
