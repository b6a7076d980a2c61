-- Score at risk (an estimate): for each part of the assessment, how far its evidence is from full
-- marks and how many of its weighted points that puts at risk.
-- Grain: one row per part named in settings ([assessment] part_weights), in the order given.
-- Params: $as_of DATE, $due_soon_days INTEGER, $pass_score DOUBLE, $parts VARCHAR[],
--   $weights DOUBLE[] (the parts' weights, same order), $targets STRUCT(awareness DOUBLE,
--   support DOUBLE, participation DOUBLE, satisfaction DOUBLE)
-- Notes: readiness is 实地测评: the share of inspected points up to standard; 网申材料: the share of
--   material items approved; 问卷调查: the mean over the four indicators of the latest city-wide
--   round of rate / target, capped at 1. A part with another name, or with no data, has no
--   readiness and no estimate. points_at_risk = weight * (1 - readiness). This is an estimate for
--   steering, not the assessment's scoring rule.
with
parts as (
    select unnest($parts) as part, unnest($weights) as weight, generate_subscripts($parts, 1) as part_order
),

targets as (
    select $targets::STRUCT(awareness DOUBLE, support DOUBLE, participation DOUBLE, satisfaction DOUBLE) as t
),

field as (
    select count(*) filter (where is_up_to_standard) / nullif(count(*) filter (where is_inspected), 0) as readiness,
    from point_standing($as_of, $due_soon_days, $pass_score)
),

materials_done as (
    select count(*) filter (where status = 'approved') / nullif(count(*), 0) as readiness,
    from materials
),

latest_round as (
    select round_name from surveys
    where district in ('', '全市') and surveyed_on <= $as_of
    order by surveyed_on desc, round_name desc
    limit 1
),

survey_done as (
    select
        avg(least(rate / case indicator
            when 'awareness' then targets.t.awareness
            when 'support' then targets.t.support
            when 'participation' then targets.t.participation
            when 'satisfaction' then targets.t.satisfaction
        end, 1)) as readiness,
    from surveys, targets
    where district in ('', '全市') and round_name = (select round_name from latest_round)
),

readiness as (
    select
        parts.*,
        case parts.part
            when '实地测评' then field.readiness
            when '网申材料' then materials_done.readiness
            when '问卷调查' then survey_done.readiness
        end as readiness,
    from parts, field, materials_done, survey_done
),

final as (
    select part, weight, readiness, weight * (1 - readiness) as points_at_risk, part_order,
    from readiness
)

select * exclude (part_order) from final
order by part_order
