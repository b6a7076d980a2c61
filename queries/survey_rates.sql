-- The city-wide survey rates of every round up to $as_of against their targets (SPEC "Countdown":
-- the latest survey rates).
-- Grain: one row per (round, indicator) for the whole city, rounds surveyed on or before $as_of.
-- Params: $as_of DATE, $awareness DOUBLE, $support DOUBLE, $participation DOUBLE,
--   $satisfaction DOUBLE (the targets, settings [survey_targets])
-- Notes:
--   * The whole city is district '全市' (the importer's word for an empty 区县) or '' (read the
--     same, as schema.sql says); district rows are left out.
--   * is_latest marks the rounds of the newest surveyed_on up to $as_of (two rounds on one day:
--     the greater round_name, as score_at_risk). gap = rate - target (negative: below target).
--   * The surveys table holds the latest export only; rounds are dated by surveyed_on, so a round
--     after $as_of is left out, but a rate corrected since is shown corrected.
with
city as (
    select * from surveys
    where district in ('', '全市') and surveyed_on <= $as_of::date
),

latest as (
    select round_name from city
    order by surveyed_on desc, round_name desc
    limit 1
),

final as (
    select
        round_name,
        surveyed_on,
        indicator,
        rate,
        case indicator
            when 'awareness' then $awareness::double
            when 'support' then $support::double
            when 'participation' then $participation::double
            when 'satisfaction' then $satisfaction::double
        end as target,
        rate - target as gap,
        round_name in (select round_name from latest) as is_latest,
        list_position(['awareness', 'support', 'participation', 'satisfaction'], indicator) as indicator_order,
    from city
)

select * exclude (indicator_order) from final
order by surveyed_on, round_name, indicator_order nulls last, indicator
