-- How many records of an export (other than problems) are new to the published data, and how many
-- replace a record already there, shown before it is imported.
-- Grain: one row per change_kind ('new', 'existing') that occurs, with count_records.
-- Params: $dataset VARCHAR (inspections, points, units, materials, surveys, assignments, rechecks, talks,
--   responsibility, indicators, results, tasks),
--   $record_keys VARCHAR[] (each row's key; a survey's is round_name|indicator|district)
with
incoming as (
    select distinct unnest($record_keys::varchar[]) as record_key
),

known as (
    select 'inspections' as dataset, inspection_id as record_key from inspections
    union all
    select 'points', point_id from points
    union all
    select 'units', unit_name from units
    union all
    select 'materials', item_id from materials
    union all
    select 'surveys', round_name || '|' || indicator || '|' || district from surveys
    union all
    select 'assignments', item_id from assignments
    union all
    select 'rechecks', problem_id || '|' || rechecked_at::varchar from rechecks
    union all
    select 'talks', talked_on::varchar || '|' || unit_name from talks
    union all
    select 'responsibility', street || '|' || coalesce(community, '') || '|' || coalesce(grid, '') from responsibility
    union all
    select 'indicators', indicator_code from indicators
    union all
    select 'results', year::varchar from results
    union all
    select distinct 'tasks', task_name from tasks
),

compared as (
    select
        case when known.record_key is null then 'new' else 'existing' end as change_kind,
    from incoming
    left join known on known.dataset = $dataset and known.record_key = incoming.record_key
),

final as (
    select change_kind, count(*) as count_records,
    from compared
    group by change_kind
)

select * from final
order by change_kind desc
