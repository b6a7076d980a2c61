-- How many key tasks (重点任务) show each light at $as_of: the figures above 测评倒计时's task list
-- and in the title of the wall's task board.
-- Grain: one row.
-- Params: $as_of DATE
-- Notes: the lights are key_task_lights (queries/macros/key_task_lights.sql), as task_lights.sql
--   lists them; with no tasks every count is 0.
with
lit as (
    select * from key_task_lights($as_of)
),

final as (
    select
        count(*) as count_tasks,
        count(*) filter (where light = 'red') as count_red,
        count(*) filter (where light = 'yellow') as count_yellow,
        count(*) filter (where light = 'green') as count_green,
    from lit
)

select * from final
