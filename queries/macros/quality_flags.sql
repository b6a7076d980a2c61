-- Macros: quality_flags.

-- quality_flags(as_of, due_soon_days, filters): every record the data quality panel (数据质量) flags.
-- Grain: one row per (check_key, record): a problem for the per-problem checks, a bad row of the
--   latest problems export for the checks the importer already refused rows for, a spelling for
--   unit_spellings.
-- Notes: problems are those found by as_of that pass the filters (filtered_facts), so a district
--   login sees only its own. Rows the importer refused (a deadline before the found date, a problem
--   id repeated within a file) are read from import_rejects of the problems files with the latest
--   export date up to as_of (older weeks' exports repeat the same rows); they carry no district, so
--   they are left out when the filters name districts. A problem id "across files" is one that two
--   files of the same export date both carried with different contents (the store keeps a state per
--   file only when it changed, so two files agreeing about a problem cannot be told apart, and do no
--   harm). Two unit names are one unit under two spellings when they are equal after removing spaces
--   (half- and full-width), turning full-width digits and brackets into plain ones, ignoring case,
--   and dropping a trailing 办事处, 人民政府, 政府 or 办. A default coordinate (default_spot) is one the
--   table default_spots holds (write/derive.sql): a problem's own exact coordinate shared by many.
create or replace temp macro quality_flags(as_of, due_soon_days, filters) as table
with
facts as (
    select facts.*, imports.file_name,
    from filtered_facts(as_of, due_soon_days, filters) as facts
    left join imports on imports.import_id = facts.last_import_id
),

is_city_wide as (
    select len(filters::STRUCT(
        found_from DATE, found_to DATE, districts VARCHAR[], streets VARCHAR[], units VARCHAR[],
        categories VARCHAR[], sources VARCHAR[], point_types VARCHAR[]
    ).districts) = 0 as yes
),

latest_problem_files as (
    select import_id, file_name
    from imports
    where dataset = 'problems' and export_on = (
        select max(export_on) from imports where dataset = 'problems' and export_on <= as_of
    )
),

refused_rows as (
    select
        case
            when rejects.reason like '整改时限早于发现时间%' then 'deadline_before_found'
            when rejects.reason like '与第 % 行重复%' then 'duplicate_id'
        end as check_key,
        latest_problem_files.file_name,
        rejects.row_number,
        rejects.column_name,
        rejects.cell_value,
        rejects.reason,
    from import_rejects as rejects
    join latest_problem_files using (import_id)
    where (select yes from is_city_wide)
),

same_day_files as (
    select history.problem_id, string_agg(distinct imports.file_name, '、' order by imports.file_name) as file_names,
    from problem_history as history
    join imports using (import_id)
    where history.export_on <= as_of
    group by history.problem_id, history.export_on
    having count(distinct imports.file_name) > 1
),

spellings as (
    select unit_name, count(*) as count_problems from facts where nullif(trim(unit_name), '') is not null group by all
    union all
    select unit_name, 0 from units where (select yes from is_city_wide)
),

unit_keys as (
    select
        unit_name,
        sum(count_problems) as count_problems,
        regexp_replace(
            regexp_replace(lower(translate(unit_name, '（）０１２３４５６７８９', '()0123456789')), '[\s　]+', '', 'g'),
            '(办事处|人民政府|政府|办)$', ''
        ) as unit_key,
    from spellings
    group by unit_name
),

twin_units as (
    select
        unit_name,
        count_problems,
        string_agg(unit_name, '、' order by unit_name) over (partition by unit_key) as all_spellings,
        count(*) over (partition by unit_key) as count_spellings,
    from unit_keys
),

problem_checks as (
    select 'missing_unit' as check_key, * from facts where nullif(trim(unit_name), '') is null
    union all by name
    select 'missing_deadline' as check_key, * from facts where due_on is null
    union all by name
    select 'missing_category' as check_key, * from facts where nullif(trim(category), '') is null
    union all by name
    select 'missing_location' as check_key, * from facts where map_lat is null or map_lng is null
    union all by name
    select 'deadline_before_found' as check_key, * from facts where due_on < found_at::date
    union all by name
    select 'closed_without_close_time' as check_key, * from facts where is_closed and is_closed_at_estimated
    union all by name
    -- once an indicator list is imported: an open problem none of it covers (macros/open_problem_deductions.sql)
    select 'no_indicator' as check_key, * from facts
    where exists (select 1 from indicators)
        and problem_id in (select problem_id from open_problem_deductions(as_of, due_soon_days) where indicator_code is null)
),

final as (
    select
        check_key, problem_id, unit_name, district, street, category, found_at, due_on, state, file_name,
        null::integer as row_number,
        case check_key
            when 'missing_location' then '没有坐标，也没有可定位的测评点位'
            when 'deadline_before_found' then '整改时限 ' || strftime(due_on, '%Y-%m-%d') || ' 早于发现时间'
            when 'closed_without_close_time' then '已销号，但导出中没有整改完成时间和复核（销号）时间；按导出日期计为销号'
            when 'no_indicator' then '问题类别 ' || coalesce(category, '（空）') || '、小类 ' || coalesce(subcategory, '（空）')
                || '、点位类型 ' || coalesce(point_type, '（空）') || ' 对不上测评体系中的任何指标'
        end as detail,
    from problem_checks
    union all by name
    select
        'duplicate_id' as check_key, same_day_files.problem_id, facts.unit_name, facts.district, facts.street,
        facts.category, facts.found_at, facts.due_on, facts.state, same_day_files.file_names as file_name,
        null::integer as row_number, '同一导出日期的几个文件都有此编号，且内容不一致' as detail,
    from same_day_files
    join facts using (problem_id)
    union all by name
    select
        check_key, case when check_key = 'duplicate_id' then cell_value end as problem_id, null as unit_name, null as district, null as street, null as category,
        null::timestamp as found_at, null::date as due_on, null as state, file_name, row_number,
        '导入时未导入此行：' || column_name || ' “' || cell_value || '” ' || reason as detail,
    from refused_rows
    where check_key is not null
    union all by name
    select
        'unit_spellings' as check_key, null as problem_id, unit_name, null as district, null as street,
        null as category, null::timestamp as found_at, null::date as due_on, null as state, null as file_name,
        null::integer as row_number,
        '可能是同一单位：' || all_spellings || '（本写法 ' || count_problems || ' 个问题）' as detail,
    from twin_units
    where count_spellings > 1
    union all by name
    select
        'default_spot' as check_key, facts.problem_id, facts.unit_name, facts.district, facts.street,
        facts.category, facts.found_at, facts.due_on, facts.state, facts.file_name, null::integer as row_number,
        '坐标 ' || printf('%.6f', spots.lng) || ', ' || printf('%.6f', spots.lat) || ' 共有 '
            || spots.count_problems || ' 个问题，很可能是平台的默认坐标'
            || case when spots.is_excluded then '（不画在热点地图上，不按距离判定反弹）' else '' end as detail,
    from facts
    join default_spots as spots on spots.lat = facts.lat and spots.lng = facts.lng
)

select * from final;
