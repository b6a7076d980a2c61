-- The problem layers of the hotspot map, aggregated to grid cells so the browser gets a bounded
-- payload whatever the number of problems.
-- Grain: one row per cell (cell_deg degrees a side) holding a located problem the filters keep,
--   busiest first, at most $limit rows.
-- Params: $as_of DATE, $due_soon_days INTEGER, $filters STRUCT (see macros/filtered_facts.sql),
--   $states VARCHAR[] (the states the heat layer shows; empty for all), $cell_deg DOUBLE,
--   $limit INTEGER
-- Notes: count_problems (the heat) counts the problems in the chosen states; count_open and its
--   lights (the clustered layer) count the open ones whatever the states. lat/lng is the mean
--   position of the cell's problems. count_cells is the number of cells before the limit, so the
--   page can say when some were left out.
-- Problems at a default coordinate are not drawn (macros/mapped_facts.sql).
with
located as (
    select
        floor(map_lat / $cell_deg)::bigint as cell_row,
        floor(map_lng / $cell_deg)::bigint as cell_col,
        *,
    from mapped_facts($as_of, $due_soon_days, $filters)
),

cells as (
    select
        cell_row, cell_col,
        avg(map_lat) as lat,
        avg(map_lng) as lng,
        mode(street) as label,
        count(*) filter (where len($states::varchar[]) = 0 or list_contains($states::varchar[], state))
            as count_problems,
        count(*) filter (where is_open) as count_open,
        count(*) filter (where light = 'red') as count_red,
        count(*) filter (where light = 'yellow') as count_yellow,
        count(*) filter (where light = 'green') as count_green,
    from located
    group by all
    having count_problems > 0 or count_open > 0
),

final as (
    select
        lat, lng, label, count_problems, count_open, count_red, count_yellow, count_green,
        count(*) over () as count_cells,
        cell_row, cell_col,
    from cells
)

select * exclude (cell_row, cell_col) from final
order by count_problems + count_open desc, cell_row, cell_col
limit $limit
