-- The yearly assessment results (历年测评成绩) and the multi-year total at D.
-- Grain: one row per year up to D's year, by year: the cycle ending in D's year (as many years as
--   $year_weights, results or not) and the years before it that have results.
-- Params: $as_of DATE, $year_weights DOUBLE[] (oldest year first), $target_total DOUBLE,
--   $target_rank INTEGER (0: no target rank)
-- Notes: weighted = score * the year's weight; total_so_far sums the cycle's weighted scores known;
--   required_score is what D's year must score for the cycle's total to reach $target_total (null
--   once that year has a score, or with no weight on it); is_danger: a rank among the province's
--   last three (rank > cities ranked - 3).
--   A rank cannot be turned into a score without the other cities' scores, so the score needed for
--   $target_rank is estimated by the newest rank line known (目标名次分数线: the score of the city at
--   that rank, as the province published it) up to D's year: required_for_rank, from line_year (null
--   with no target rank, no line known, or once D's year has a score).
with
cycle as (
    select year(($as_of)::date) - len($year_weights) + i as year, $year_weights[i] as weight,
    from range(1, len($year_weights) + 1) as r(i)
),

years as (
    select coalesce(cycle.year, results.year) as year, cycle.weight, results.score, results.rank,
        results.count_cities, results.rank_line,
    from cycle
    full join results using (year)
    where coalesce(cycle.year, results.year) <= year(($as_of)::date)
),

totals as (
    select
        coalesce(sum(score * weight), 0) as total_so_far,
        count(score) filter (where weight is not null) as count_years_scored,
        any_value(weight) filter (where year = year(($as_of)::date)) as weight_this_year,
        bool_or(score is not null) filter (where year = year(($as_of)::date)) as has_this_year,
        max(year) filter (where rank_line is not null) as line_year,
        arg_max(rank_line, year) filter (where rank_line is not null) as newest_line,
    from years
),

final as (
    select
        years.year, years.weight, years.score, years.rank, years.count_cities,
        years.score * years.weight as weighted,
        coalesce(years.rank > years.count_cities - 3, false) as is_danger,
        totals.total_so_far,
        case
            when coalesce(totals.has_this_year, false) or coalesce(totals.weight_this_year, 0) = 0 then null
            else ($target_total - totals.total_so_far) / totals.weight_this_year
        end as required_score,
        years.year = year(($as_of)::date) as is_this_year,
        years.rank_line,
        case
            when ($target_rank)::integer = 0 or coalesce(totals.has_this_year, false) then null
            else totals.newest_line
        end as required_for_rank,
        case when ($target_rank)::integer = 0 then null else totals.line_year end as line_year,
    from years, totals
)

select * from final
order by year
