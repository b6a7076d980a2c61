-- Points at risk (预计失分) per assessment indicator at D: the open problems it covers and their
-- deductions, capped at its points (macros/open_problem_deductions.sql).
-- Grain: one row per indicator, losing most first (then list order).
-- Params: $as_of DATE, $due_soon_days INTEGER
select indicator_code, indicator_name, part, points, count_open, deductions, points_at_risk,
    deductions > points as is_capped,
from indicator_risk($as_of, $due_soon_days)
order by points_at_risk desc, list_order
