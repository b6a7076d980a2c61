-- How many problems can be placed on the map, so nothing silently falls off it.
-- Grain: one row.
-- Params: $as_of DATE, $due_soon_days INTEGER
-- Notes: count_at_default_spot counts the located problems whose own coordinate is a default
--   coordinate kept off the map (write/derive.sql): they are neither located nor without location.
with
facts as (
    select facts.*, spots.lat is not null as is_at_default_spot,
    from problem_facts($as_of, $due_soon_days) as facts
    left join (select lat, lng from default_spots where is_excluded) as spots
        on spots.lat = facts.lat and spots.lng = facts.lng
),

final as (
    select
        count(*) as count_found,
        count(*) filter (where map_lat is not null and not is_at_default_spot) as count_located,
        count(*) filter (where map_lat is null) as count_without_location,
        count(*) filter (where is_open and map_lat is null) as count_open_without_location,
        count(*) filter (where is_at_default_spot) as count_at_default_spot,
        count(*) filter (where is_open and is_at_default_spot) as count_open_at_default_spot,
    from facts
)

select * from final
