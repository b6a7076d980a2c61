-- The cockpit's canonical tables, created in every new database.
-- Nothing here names a raw export header: the importer maps headers onto these columns.
-- Timestamps are local time (the exports carry no zone); coordinates are WGS-84.

-- One row per file imported (or refused), in order.
create table if not exists imports (
    import_id integer primary key,
    batch_id integer not null,           -- one run of the importer; undo works per batch
    file_name varchar not null,
    file_hash varchar not null,          -- sha256 of the bytes: the same file renamed is the same file
    dataset varchar,                     -- problems, inspections, points, units, materials, surveys
    mapping_name varchar,
    export_on date,                      -- the date the export was taken (file name, else its data)
    count_rows_read integer not null,
    count_rows_imported integer not null,
    count_rows_rejected integer not null,
    count_rows_without_location integer not null,
    imported_at timestamp not null,
    imported_by varchar,
);

-- One row per bad cell of an import (refused files included), for the report and rejects file.
create table if not exists import_rejects (
    import_id integer not null,
    row_number integer not null,         -- as the clerk sees it in Excel (header row = its number)
    column_name varchar,                 -- the file's own header
    cell_value varchar,
    reason varchar not null,             -- Chinese, for the clerk
    is_fatal boolean not null,           -- false: the row was kept (e.g. a location dropped)
);

-- One row per problem: its latest state.
-- No primary key here or on problem_history: each holds its key once by how it is written
-- (write/problems.sql inserts only the problems it lacks, from an export whose repeated keys the
-- importer has already rejected, and history rows carry the new import's id), and keeping the
-- two indexes up to date was an eighth of importing 500,000 problems (docs/PERFORMANCE.md).
-- tests/test_import.py checks the keys stay unique. Stores made with the keys keep them.
create table if not exists problems (
    problem_id varchar not null,
    source varchar,
    found_at timestamp not null,
    category varchar,
    subcategory varchar,
    description varchar,
    point_id varchar,
    point_name varchar,
    point_type varchar,
    district varchar,
    street varchar,
    community varchar,
    grid varchar,
    unit_name varchar,
    assigned_at timestamp,
    due_on date,
    status varchar not null,             -- pending, in_progress, awaiting_check, closed, returned
    rectified_at timestamp,              -- 整改完成/办结时间
    checked_at timestamp,                -- 复核/销号时间
    closed_at timestamp,                 -- derived: when it counts as closed (SPEC "closed at D")
    is_closed_at_estimated boolean not null default false,  -- closed with no close time in the export
    lng double,
    lat double,
    deduction double,
    return_count integer,
    is_flagged_rebound boolean not null default false,      -- the export says 反弹 / 重复发现
    rebound_of_problem_id varchar,       -- derived: the closed problem this one repeats
    first_import_id integer not null,
    last_import_id integer not null,     -- the newest import that contained it
    changed_import_id integer not null,  -- the newest import that changed it
    -- derived by write/derive.sql from problem_history and points: the history folded as of the
    -- newest export, and the map position (see there)
    map_lat double,
    map_lng double,
    status_seen varchar,
    was_returned boolean,
    was_reported_done boolean,
    last_changed_on date,
);

-- A store made before the folded history was kept with the problem gains its columns when an
-- import copies it (write/derive.sql fills them).
alter table problems add column if not exists map_lat double;
alter table problems add column if not exists map_lng double;
alter table problems add column if not exists status_seen varchar;
alter table problems add column if not exists was_returned boolean;
alter table problems add column if not exists was_reported_done boolean;
alter table problems add column if not exists last_changed_on date;

-- One row per default coordinate: an exact coordinate (a problem's own lng/lat) that many problems
-- share, as a platform fills in when the reporter gave none (the city hall, say). Derived at each
-- import by write/derive.sql; is_excluded says whether its problems are kept off the map and out of
-- rebound matching (settings [map] default_spot_*).
create table if not exists default_spots (
    lat double not null,
    lng double not null,
    count_problems integer not null,
    is_excluded boolean not null,
);

-- One row per state a problem was seen in: a row is added when an import first sees the problem
-- and whenever a later import shows it changed.
create table if not exists problem_history (
    problem_id varchar not null,
    import_id integer not null,
    export_on date not null,
    status varchar not null,
    unit_name varchar,
    due_on date,
    rectified_at timestamp,
    checked_at timestamp,
    return_count integer,
);

create table if not exists inspections (
    inspection_id varchar primary key,   -- 检查编号, else point + time
    inspected_at timestamp not null,
    inspection_type varchar,             -- 暗访, 督查, 模拟测评, ...
    round_name varchar,
    point_id varchar,
    point_name varchar,
    score double,
    is_passed boolean,                   -- null: decided by the score against the pass score
    count_problems integer,
    inspector varchar,
    last_import_id integer not null,
);

create table if not exists points (
    point_id varchar primary key,
    point_name varchar not null,
    point_type varchar,
    district varchar,
    street varchar,
    community varchar,
    lng double,
    lat double,
    point_chief varchar,
    co_unit varchar,
    owner_department varchar,
    territorial_unit varchar,
    is_key_circle boolean not null default false,
    key_circle_name varchar,
    last_import_id integer not null,
);

create table if not exists units (
    unit_name varchar primary key,
    unit_kind varchar,                   -- district, street, township, department, community
    parent_unit varchar,
    last_import_id integer not null,
);

create table if not exists materials (
    item_id varchar primary key,
    indicator varchar,
    material_name varchar,
    material_type varchar,
    unit_name varchar,
    due_on date,
    status varchar not null,             -- not_submitted, submitted, approved, returned
    submitted_at timestamp,
    last_import_id integer not null,
);

create table if not exists surveys (
    surveyed_on date not null,
    round_name varchar not null,
    indicator varchar not null,          -- awareness, support, participation, satisfaction
    district varchar not null,           -- '全市' for the whole city (the importer's word; '' read the same)
    rate double not null,                -- 0-1
    last_import_id integer not null,
    primary key (round_name, indicator, district),
);

-- The meeting loop (SPEC "The meeting loop"). Imported like every dataset, or written by staff
-- (cockpit/ingest/staff_writes.py) as a batch of its own, so undo takes a staff write back too.
-- One row per item a scheduling meeting assigned: a problem (problem_id) or a matter (text) for a unit.
create table if not exists assignments (
    item_id varchar primary key,         -- 交办编号
    meeting_on date not null,
    meeting_name varchar,
    problem_id varchar,                  -- null for a matter
    matter varchar,
    unit_name varchar,
    due_on date,
    done_on date,                        -- a matter marked done (a problem item is done when closed)
    last_import_id integer not null,
);

-- One row per 回头看 re-check of a closed problem.
create table if not exists rechecks (
    problem_id varchar not null,
    rechecked_at timestamp not null,
    result varchar not null,             -- done (到位), not_done (未到位), rebound (反弹)
    checker varchar,
    note varchar,
    round_name varchar,
    last_import_id integer not null,
    primary key (problem_id, rechecked_at),
);

-- One row per 约谈 held with a unit.
create table if not exists talks (
    talked_on date not null,
    unit_name varchar not null,
    talked_by varchar,
    reason varchar,
    last_import_id integer not null,
    primary key (talked_on, unit_name),
);
-- 责任体系: one row gives a street (community null: the whole street), one of its communities, or
-- one grid of a community to an area (片区) and its people. Replaced whole by each import; the
-- importer has rejected a place given to two areas, so areas partition the places listed.
create table if not exists responsibility (
    area varchar not null,
    leader varchar,                      -- 包抓领导 (the importer gives every row of an area its first one)
    departments varchar,                 -- 包抓部门, as written (often several, 、-separated)
    district varchar,
    street varchar not null,
    community varchar,                   -- null: the row gives the whole street
    grid varchar,
    grid_chief varchar,                  -- 网格长
    building_chief varchar,              -- 楼院长
    last_import_id integer not null,
);

-- Assessment scoring and key tasks (SPEC.md). The indicator list, in the order given: a problem
-- belongs to the first indicator that covers it (queries/macros/open_problem_deductions.sql).
create table if not exists indicators (
    indicator_code varchar primary key,
    indicator_name varchar not null,
    part varchar,                        -- 实地测评, 网申材料, 问卷调查
    points double not null,
    point_types varchar,                 -- a list separated by 、 or a comma; empty: every point type
    categories varchar,                  -- a list separated by 、 or a comma (问题类别 or 小类)
    default_deduction double,
    list_order integer not null,         -- its row in the list imported last
    last_import_id integer not null,
);

create table if not exists results (
    year integer primary key,
    score double not null,
    rank integer,                        -- in the province
    count_cities integer,                -- cities ranked in the province that year
    rank_line double,                    -- the score of the city at the target rank that year (目标名次分数线)
    last_import_id integer not null,
);

-- A store made before the rank line was kept gains its column when an import copies it (its
-- readers see it as unknown meanwhile, cockpit/store/readers.py).
alter table results add column if not exists rank_line double;

-- One row per milestone of a key task (the task repeated on each); a task without milestones has
-- one row carrying its percentage complete.
create table if not exists tasks (
    task_name varchar not null,
    lead_unit varchar,
    task_kind varchar,                   -- 工程, 专项行动
    start_on date,
    end_on date,
    milestone_name varchar,
    milestone_on date,
    is_done boolean,
    percent_done double,                 -- 0-1
    row_order integer not null,
    last_import_id integer not null,
);
