-- Key tasks (重点任务) and their lights at D (SPEC.md "Key tasks").
-- Grain: one row per task, red first, then yellow, green; within a light by lead unit, then list order.
-- Params: $as_of DATE
-- Notes: the progress and the light of each task are key_task_lights (queries/macros/key_task_lights.sql):
--   red when a milestone is late or the percentage is more than 20 points behind the straight line,
--   yellow when the next milestone is due within 7 days, green otherwise.
with
lit as (
    select * from key_task_lights($as_of)
),

final as (
    select task_name, lead_unit, task_kind, start_on, end_on, count_milestones, count_done, count_late,
        next_milestone_name, next_milestone_on, percent_done, percent_expected, is_behind_line, light,
    from lit
    order by case light when 'red' then 0 when 'yellow' then 1 else 2 end, lead_unit nulls last, row_order
)

select * from final
