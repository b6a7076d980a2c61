-- Apply one list of yearly assessment results (历年测评成绩; view `incoming`).
-- Grain: one results row per year.
-- Params: $import_id INTEGER
insert or replace into results by name
select year, score, rank, count_cities, rank_line, $import_id as last_import_id,
from incoming;
