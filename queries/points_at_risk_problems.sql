-- The open problems behind an indicator's points at risk at D, or (no indicator code) the open
-- problems no indicator covers.
-- Grain: one row per open problem, largest deduction first, then oldest.
-- Params: $as_of DATE, $due_soon_days INTEGER, $indicator_code VARCHAR (null: the uncovered problems)
select problem_id, found_at, category, subcategory, point_name, point_type, street, unit_name, due_on, status,
    deduction_at_risk,
from open_problem_deductions($as_of, $due_soon_days)
where indicator_code is not distinct from $indicator_code
order by deduction_at_risk desc, found_at, problem_id
