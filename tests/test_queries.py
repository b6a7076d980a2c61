"""Every query in queries/ on the tiny world (tests/fixtures/tiny.sql): whole ordered results, counted by hand.

D is 2026-06-10 (a Wednesday), D-7 is 2026-06-03. The comments name the problems behind each number;
the roles of P01..P21 are in the fixture's comments.
"""

import re
from datetime import date, datetime

import pytest

from cockpit.store import queries, readers, versions
from cockpit.vocab.filters import NO_FILTERS
from cockpit.vocab.filters import make as make_filters
from tests.conftest import TINY_AS_OF, rows

D = TINY_AS_OF
WEEK_BEFORE = date(2026, 6, 3)
BEFORE_ANY = date(2026, 4, 1)  # before the first problem (found 2026-04-28)
DUE_SOON = 3
PASS_SCORE = 85.0
HEADLINE = date(2026, 7, 10)  # D + 30
CALENDAR = {
    "names": ["第二轮模拟测评", "网申材料截止", "问卷调查", "实地测评"],
    "dates": [date(2026, 6, 1), D, HEADLINE, HEADLINE],
    "kinds": ["其他", "网申材料截止", "问卷调查", "实地测评"],
    "notes": ["已完成", "", "", ""],
}

# One call of every query file, for the guard below: a new file without an entry fails it.
SAMPLE_PARAMS = {
    "closure_pace": {"as_of": D, "due_soon_days": DUE_SOON, "pace_days": 28, "milestone_on": HEADLINE},
    "data_freshness": {},
    "hotspot_places": {"as_of": D, "due_soon_days": DUE_SOON, "filters": NO_FILTERS, "cell_deg": 0.01, "limit": 100},
    "import_state": {},
    "location_coverage": {"as_of": D, "due_soon_days": DUE_SOON},
    "milestone_countdown": {"as_of": D, **CALENDAR},
    "problem_history_list": {"problem_id": "P08"},
    "problem_list": {"as_of": D, "due_soon_days": DUE_SOON, "filters": NO_FILTERS, "list_kind": "all",
                     "dimension": "", "group_name": "", "search": "", "stale_days": 7, "limit": 100},
    "filter_options": {"as_of": D, "due_soon_days": DUE_SOON},
    "problem_record": {"as_of": D, "due_soon_days": DUE_SOON, "problem_id": "P08"},
    "point_readiness": {"as_of": D, "due_soon_days": DUE_SOON, "pass_score": PASS_SCORE},
    "points_never_inspected": {"as_of": D, "due_soon_days": DUE_SOON, "pass_score": PASS_SCORE},
    "problem_states": {"as_of": D, "due_soon_days": DUE_SOON, "filters": NO_FILTERS},
    "progress_breakdown": {"as_of": D, "due_soon_days": DUE_SOON, "filters": NO_FILTERS, "dimension": "unit"},
    "progress_headline": {"as_of": D, "due_soon_days": DUE_SOON, "filters": NO_FILTERS},
    "progress_summary": {"as_of": D, "due_soon_days": DUE_SOON, "filters": NO_FILTERS},
    "weekly_flow": {"as_of": D, "due_soon_days": DUE_SOON, "filters": NO_FILTERS},
}
STATEMENT_FILES = {"schema"}  # queries/schema.sql creates tables; it is run by queries.execute, not readers.run
QUERY_FILES = sorted(p.stem for p in queries.QUERIES_DIR.glob("*.sql") if p.stem not in STATEMENT_FILES)


def run(con, name, **params):
    return rows(readers.run(con, name, **params))


def header(name: str) -> str:
    """The comment block a query file opens with."""
    lines = queries.load_sql(name).splitlines()
    end = next((i for i, line in enumerate(lines) if not line.startswith("--")), len(lines))
    return "\n".join(lines[:end])


# ---- the guard ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", QUERY_FILES)
def test_every_query_file_is_documented_and_runs(tiny_con, name):
    text = header(name)
    assert re.search(r"^-- Grain: \S", text, re.M), f"{name}.sql: no 'Grain:' in its header"
    params_line = re.search(r"^-- Params: (.*(?:\n--   .*)*)", text, re.M)
    assert params_line, f"{name}.sql: no 'Params:' in its header"
    for param in queries.params_of(queries.load_sql(name)):
        assert f"${param}" in params_line.group(1), f"{name}.sql: ${param} is used but not in Params:"
    assert name in SAMPLE_PARAMS, f"{name}.sql has no test: add it to SAMPLE_PARAMS and test it below"
    readers.run(tiny_con, name, **SAMPLE_PARAMS[name])
    empty = queries.connect_memory()
    try:
        readers.run(empty, name, **SAMPLE_PARAMS[name])  # and on an empty database
    finally:
        empty.close()


def test_sample_params_name_only_existing_queries():
    assert sorted(SAMPLE_PARAMS) == QUERY_FILES


def test_the_published_store_holds_the_same_world(tiny_db_dir, tiny_con):
    con = readers.open_reader(versions.current_file(tiny_db_dir))
    try:
        assert run(con, "progress_summary", as_of=D, due_soon_days=DUE_SOON, filters=NO_FILTERS) == run(
            tiny_con, "progress_summary", as_of=D, due_soon_days=DUE_SOON, filters=NO_FILTERS)
        assert run(con, "import_state") == run(tiny_con, "import_state")
    finally:
        con.close()


# ---- data_freshness, import_state ----------------------------------------------------------------

def test_data_freshness(tiny_con):
    df = readers.run(tiny_con, "data_freshness")
    assert list(df.columns) == ["last_imported_at", "last_export_on", "count_imports", "last_event_at"]
    assert rows(df) == [(
        datetime(2026, 6, 12, 17, 0, 5),  # import 6, the last of batch 3
        date(2026, 6, 12),                # export date of imports 5 and 6
        6,                                # imports 1..6
        datetime(2026, 6, 11, 15, 0),     # inspection I05; the newest problem event is P17 checked 06-11 10:00
    )]


def test_data_freshness_on_an_empty_database():
    assert run(queries.connect_memory(), "data_freshness") == [(None, None, 0, None)]


def test_import_state(tiny_con):
    df = readers.run(tiny_con, "import_state")
    assert list(df.columns) == ["next_import_id", "next_batch_id", "file_hash"]
    assert rows(df) == [  # imports 1..6 in batches 1..3: next are import 7, batch 4; one row per hash, sorted
        (7, 4, "hash-i0612"),
        (7, 4, "hash-p0603"),
        (7, 4, "hash-p0610"),
        (7, 4, "hash-p0612"),
        (7, 4, "hash-points"),
        (7, 4, "hash-units"),
    ]


def test_import_state_on_an_empty_database():
    assert run(queries.connect_memory(), "import_state") == [(1, 1, None)]


# ---- progress_summary --------------------------------------------------------------------------

SUMMARY_COLUMNS = [
    "count_found", "count_closed", "closure_rate", "count_open", "count_overdue", "count_due_soon",
    "count_due", "count_closed_on_time", "on_time_rate", "count_no_deadline", "count_rebound",
    "rebound_rate", "count_returned", "count_reported_done", "rework_rate",
    "rectification_days_median", "rectification_days_p90",
]


def test_progress_summary(tiny_con):
    df = readers.run(tiny_con, "progress_summary", as_of=D, due_soon_days=DUE_SOON, filters=NO_FILTERS)
    assert list(df.columns) == SUMMARY_COLUMNS
    assert rows(df) == [(
        20,     # P01..P20 (P20 found on D counts; P21 found D+1 does not)
        8,      # P01 P02 P03 P04 P05 P06, P19 closed on D, P14 closed from its export date D; not P17 (D+1)
        0.4,    # 8 / 20
        12,     # 20 - 8
        3,      # P08 (due 06-02), P11 (06-05), P15 (06-09 = D-1); P16 due D is not overdue
        3,      # P16 (due D), P17 (D+1), P18 (D+3); P13 (D+4) is outside the window
        10,     # deadline <= D: P01 P02 P03 P05 P06 P08 P11 P14 P15 P16; P19's deadline is D+2
        4,      # P01 P02 P05 P06 (P03 and P14 closed late; P08 P11 P15 P16 open)
        0.4,    # 4 / 10
        2,      # P04 (closed), P09 (open)
        3,      # P11 (same point), P15 (within 50 m), P16 (flagged); not P12 (31 days) nor P18 (80 m)
        0.375,  # 3 / 8 closed
        3,      # P03 (退回次数 1), P07 (退回次数 0 -> 1), P08 (status returned)
        12,     # the 8 closed, P08 P07 (returned), P10 P17 (awaiting check)
        0.25,   # 3 / 12
        2.75,   # days of the 8 closures: 1 (P06) 2 (P02) 2 (P19) 2.5 (P05) 3 (P01) 4 (P04) 8.5 (P03) 8.5 (P14): (2.5 + 3) / 2
        8.5,    # 90th percentile: position 0.9 * 7 = 6.3 between 8.5 and 8.5
    )]


def test_progress_summary_a_week_earlier(tiny_con):
    assert run(tiny_con, "progress_summary", as_of=WEEK_BEFORE, due_soon_days=DUE_SOON, filters=NO_FILTERS) == [(
        16,     # found by 06-03: P01..P16
        6,      # P01 P02 P03 P04 P05 P06 (P14 closes 06-10)
        0.375,  # 6 / 16
        10,     # 16 - 6
        1,      # P08 (due 06-02): 1 day
        2,      # P11 and P14, due 06-05 (within 06-03..06-06)
        5,      # deadline <= 06-03: P01 P02 P03 P05 P08 (P06's is 06-05)
        3,      # P01 P02 P05
        0.6,    # 3 / 5
        2,      # P04 P09
        3,      # P11 P15 P16 (all found by 06-02)
        0.5,    # 3 / 6 closed
        1,      # P03 only: P07's 退回次数 was still 0, P08 not yet returned in the export of 06-03
        8,      # the 6 closed, P08 (awaiting check in the export of 06-03), P10 (整改完成 06-02, not yet exported)
        0.125,  # 1 / 8
        2.75,   # 1 (P06) 2 (P02) 2.5 (P05) 3 (P01) 4 (P04) 8.5 (P03): (2.5 + 3) / 2
        6.25,   # position 0.9 * 5 = 4.5: halfway between 4 and 8.5
    )]


def test_progress_summary_before_any_problem(tiny_con):
    # nothing found: counts 0, every rate and time null (no division by zero)
    assert run(tiny_con, "progress_summary", as_of=BEFORE_ANY, due_soon_days=DUE_SOON, filters=NO_FILTERS) == [
        (0, 0, None, 0, 0, 0, 0, 0, None, 0, 0, None, 0, 0, None, None, None)]


HEADLINE_COLUMNS = SUMMARY_COLUMNS[:12]


@pytest.mark.parametrize("as_of", [D, WEEK_BEFORE, BEFORE_ANY])
def test_progress_headline_is_the_summary_without_rework_and_time(tiny_con, as_of):
    headline = readers.run(tiny_con, "progress_headline", as_of=as_of, due_soon_days=DUE_SOON, filters=NO_FILTERS)
    summary = readers.run(tiny_con, "progress_summary", as_of=as_of, due_soon_days=DUE_SOON, filters=NO_FILTERS)
    assert list(headline.columns) == HEADLINE_COLUMNS
    assert rows(headline) == [row[:12] for row in rows(summary)]


def test_progress_headline_follows_the_filters(tiny_con):
    chosen = make_filters(district=["邗江区"])
    headline = readers.run(tiny_con, "progress_headline", as_of=D, due_soon_days=DUE_SOON, filters=chosen)
    summary = readers.run(tiny_con, "progress_summary", as_of=D, due_soon_days=DUE_SOON, filters=chosen)
    # P03 P07 P14 P17, as test_filters_narrow_the_headline_figures: P03 P14 closed, none overdue
    assert rows(headline[["count_found", "count_closed", "count_open", "count_overdue"]]) == [(4, 2, 2, 0)]
    assert rows(headline) == [row[:12] for row in rows(summary)]


def test_the_due_soon_window_is_a_setting(tiny_con):
    summary = readers.run(tiny_con, "progress_summary", as_of=D, due_soon_days=0, filters=NO_FILTERS).iloc[0]
    assert summary["count_due_soon"] == 1  # only P16, due on D
    assert summary["count_overdue"] == 3  # the window does not move overdue


# ---- problem_states ----------------------------------------------------------------------------

def test_problem_states(tiny_con):
    df = readers.run(tiny_con, "problem_states", as_of=D, due_soon_days=DUE_SOON, filters=NO_FILTERS)
    assert list(df.columns) == ["grouping", "value", "count_problems", "sort_order"]
    assert rows(df) == [
        ("state", "pending", 4, 1),         # P09 P11 P18, and P20 (found on D, first exported D+2)
        ("state", "in_progress", 5, 2),     # P07 P12 P13 P15 P16
        ("state", "awaiting_check", 2, 3),  # P10, P17 (closed only on D+1)
        ("state", "returned", 1, 4),        # P08
        ("state", "closed", 8, 5),          # P01..P06, P14, P19
        ("light", "red", 3, 6),             # P08 P11 P15 (overdue)
        ("light", "yellow", 3, 7),          # P16 (due D) P17 (D+1) P18 (D+3)
        ("light", "green", 6, 8),           # P07 P12 (D+5) P10 P20 (D+10) P13 (D+4), P09 (no deadline)
    ]


def test_problem_states_a_week_earlier_come_from_the_history(tiny_con):
    assert run(tiny_con, "problem_states", as_of=WEEK_BEFORE, due_soon_days=DUE_SOON, filters=NO_FILTERS) == [
        ("state", "pending", 5, 1),         # P09 P11, P12 P13 P15 (in progress only in the export of D)
        ("state", "in_progress", 3, 2),     # P07 P16, P14 (closed only in the export of D)
        ("state", "awaiting_check", 2, 3),  # P08 (returned later), P10 (no export yet: its 整改完成 06-02)
        ("state", "returned", 0, 4),        # zero rows are kept
        ("state", "closed", 6, 5),          # P01..P06
        ("light", "red", 1, 6),             # P08
        ("light", "yellow", 2, 7),          # P11 P14 (due 06-05)
        ("light", "green", 7, 8),           # P07 P10 P12 P13 P15 P16, P09 (no deadline)
    ]


def test_the_later_of_two_exports_of_the_same_day_is_the_state(tiny_con):
    # A second export of D, imported after the first: P12 reported done. Before the fix the state
    # came from whichever history row of the day came first (in progress).
    tiny_con.execute("""
        insert into imports values (7, 4, '问题台账20260610-晚.xlsx', 'hash-p0610b', 'problems', 'builtin',
            '2026-06-10', 1, 1, 0, 0, '2026-06-12 18:00:00', '办公室');
        insert into problem_history values
            ('P12', 7, '2026-06-10', 'awaiting_check', '东关街道', '2026-06-15', '2026-06-10 12:00', null, 0);
    """)
    states = run(tiny_con, "problem_states", as_of=D, due_soon_days=DUE_SOON, filters=NO_FILTERS)
    assert states[1:3] == [("state", "in_progress", 4, 2), ("state", "awaiting_check", 3, 3)]


# ---- weekly_flow -------------------------------------------------------------------------------

def test_weekly_flow(tiny_con):
    df = readers.run(tiny_con, "weekly_flow", as_of=D, due_soon_days=DUE_SOON, filters=NO_FILTERS)
    assert list(df.columns) == ["week_on", "count_found", "count_closed", "cumulative_found", "cumulative_closed",
                                "count_backlog", "rectification_days_median", "rectification_days_p90"]
    assert rows(df) == [
        (date(2026, 4, 27), 1, 1, 1, 1, 0, 3.0, 3.0),     # found P01; closed P01 (3 days)
        (date(2026, 5, 4), 1, 1, 2, 2, 0, 2.0, 2.0),      # found P02; closed P02 (2)
        (date(2026, 5, 11), 2, 1, 4, 3, 1, 4.0, 4.0),     # found P03 P04; closed P04 (Sat 05-16, 4)
        (date(2026, 5, 18), 3, 3, 7, 6, 1, 2.5, 7.3),     # found P05 P06 P07; closed P03 (8.5) P05 (2.5) P06 (1): p90 2.5 + 0.8 * 6
        (date(2026, 5, 25), 4, 0, 11, 6, 5, None, None),  # found P08 P09 P10, P11 (Sunday 05-31); no closure
        (date(2026, 6, 1), 7, 0, 18, 6, 12, None, None),   # found P12..P18; no closure
        (date(2026, 6, 8), 2, 2, 20, 8, 12, 5.25, 7.85),   # found P19, P20 (on D); closed P19 (2) P14 (8.5): p90 2 + 0.9 * 6.5
    ]


def test_weekly_flow_a_week_earlier(tiny_con):
    assert run(tiny_con, "weekly_flow", as_of=WEEK_BEFORE, due_soon_days=DUE_SOON, filters=NO_FILTERS) == [
        (date(2026, 4, 27), 1, 1, 1, 1, 0, 3.0, 3.0),
        (date(2026, 5, 4), 1, 1, 2, 2, 0, 2.0, 2.0),
        (date(2026, 5, 11), 2, 1, 4, 3, 1, 4.0, 4.0),
        (date(2026, 5, 18), 3, 3, 7, 6, 1, 2.5, 7.3),
        (date(2026, 5, 25), 4, 0, 11, 6, 5, None, None),
        (date(2026, 6, 1), 5, 0, 16, 6, 10, None, None),  # the week of 06-03: P12..P16 found by Wednesday
    ]


def test_weekly_flow_before_any_problem_is_empty(tiny_con):
    assert run(tiny_con, "weekly_flow", as_of=BEFORE_ANY, due_soon_days=DUE_SOON, filters=NO_FILTERS) == []


# ---- progress_breakdown ------------------------------------------------------------------------
# Columns: group_name, count_found, count_closed, closure_rate, count_open, count_overdue,
# on_time_rate, rectification_days_median. Order: most overdue, then most open, then name.

BREAKDOWNS = {
    "unit": [
        # P05 P06 P08 P15 P18 P19: closed P05 P06 P19; overdue P08 P15; on time P05 P06 of P05 P06 P08 P15
        ("汶河街道", 6, 3, 0.5, 3, 2, 0.5, 2.0),
        # P01 P02 P11 P12 P16: closed P01 P02; overdue P11; on time P01 P02 of P01 P02 P11 P16
        ("东关街道", 5, 2, 0.4, 3, 1, 0.5, 2.5),
        # P04 P09 P10 P13 P20: closed P04 (4 days); no deadline passed: on-time rate null
        ("市城管局", 5, 1, 0.2, 4, 0, None, 4.0),
        # P03 P07 P14 P17: closed P03 P14, both late (8.5 days each)
        ("蒋王街道", 4, 2, 0.5, 2, 0, 0.0, 8.5),
        # 市市场监管局 and the districts have no problems: no row
    ],
    "district": [
        # all but the four of 蒋王街道: closed P01 P02 P04 P05 P06 P19; on time 4 of P01 P02 P05 P06 P08 P11 P15 P16;
        # days 1 2 2 2.5 3 4
        ("广陵区", 16, 6, 0.375, 10, 3, 0.5, 2.25),
        ("邗江区", 4, 2, 0.5, 2, 0, 0.0, 8.5),  # P03 P07 P14 P17
    ],
    "street": [
        # P05 P06 P08 P13 P15 P18 P19 P20: closed P05 P06 P19 (2.5 1 2)
        ("汶河街道", 8, 3, 0.375, 5, 2, 0.5, 2.0),
        # P01 P02 P04 P09 P10 P11 P12 P16: closed P01 P02 P04 (3 2 4); on time P01 P02 of P01 P02 P11 P16
        ("东关街道", 8, 3, 0.375, 5, 1, 0.5, 3.0),
        ("蒋王街道", 4, 2, 0.5, 2, 0, 0.0, 8.5),
    ],
    "category": [
        ("公益广告", 4, 0, 0.0, 4, 1, 0.0, None),     # P07 P08 P09 P17: none closed by D; P08 overdue and due
        ("乱堆乱放", 5, 2, 0.4, 3, 1, 0.25, 5.75),    # P01 P11 P12 P14 P16: on time P01 of P01 P11 P14 P16; days 3, 8.5
        ("垃圾暴露", 4, 1, 0.25, 3, 1, 0.5, 2.5),     # P05 P10 P15 P18: on time P05 of P05 P15
        ("占道经营", 4, 2, 0.5, 2, 0, 1.0, 2.0),      # P02 P13 P19 P20: on time P02 of P02
        ("非机动车乱停", 3, 3, 1.0, 0, 0, 0.5, 4.0),  # P03 P04 P06: on time P06 of P03 P06; days 8.5 4 1
    ],
    "source": [
        # P01 P07 P08 P10 P11 P12 P14 P16 P17 P19: on time P01 of P01 P08 P11 P14 P16; days 3 8.5 2
        ("暗访", 10, 3, 0.3, 7, 2, 0.2, 3.0),
        ("市民投诉", 6, 3, 0.5, 3, 1, 0.5, 2.5),  # P03 P05 P06 P09 P15 P18: on time P05 P06 of P03 P05 P06 P15
        ("自查", 4, 2, 0.5, 2, 0, 1.0, 3.0),      # P02 P04 P13 P20: days 2 4
    ],
    "point_type": [
        # problems with no point: P03 P04 P05 P06 P09 P15 P18 P20; days 8.5 4 2.5 1
        ("未填写", 8, 4, 0.5, 4, 1, 0.5, 3.25),
        ("公园广场", 3, 0, 0.0, 3, 1, 0.0, None),  # P07 P08 P17
        ("背街小巷", 4, 1, 0.25, 3, 1, 0.5, 3.0),  # P01 P10 P11 P12: on time P01 of P01 P11
        ("农贸市场", 4, 2, 0.5, 2, 0, 0.5, 2.0),   # P02 P13 P16 P19: on time P02 of P02 P16 (due D, open)
        ("老旧小区", 1, 1, 1.0, 0, 0, 0.0, 8.5),   # P14: closed late
    ],
    "place": [  # the point, else the community, else the street
        ("东关街", 4, 1, 0.25, 3, 1, 0.5, 3.0),                  # P01 P10 P11 P12: on time P01 of P01 P11
        ("汶河社区", 5, 2, 0.4, 3, 1, round(2 / 3, 9), 1.75),    # P05 P06 P15 P18 P20 (no point): on time P05 P06 of P05 P06 P15
        ("文昌广场", 1, 0, 0.0, 1, 1, 0.0, None),                # P08
        ("邗江公园", 2, 0, 0.0, 2, 0, None, None),               # P07 P17: no deadline passed
        ("东关农贸市场", 2, 1, 0.5, 1, 0, 0.5, 2.0),             # P02 P16: on time P02 of P02 P16 (due D, open)
        ("东关社区", 2, 1, 0.5, 1, 0, None, 4.0),                # P04 P09: no deadlines
        ("汶河农贸市场", 2, 1, 0.5, 1, 0, None, 2.0),            # P13 (by point name) P19
        ("蒋王小区", 1, 1, 1.0, 0, 0, 0.0, 8.5),                 # P14: closed late
        ("蒋王社区", 1, 1, 1.0, 0, 0, 0.0, 8.5),                 # P03 (no point): closed late
    ],
}


def test_progress_breakdown_columns(tiny_con):
    df = readers.run(tiny_con, "progress_breakdown", as_of=D, due_soon_days=DUE_SOON, filters=NO_FILTERS, dimension="unit")
    assert list(df.columns) == ["group_name", "count_found", "count_closed", "closure_rate", "count_open",
                                "count_overdue", "on_time_rate", "rectification_days_median"]


@pytest.mark.parametrize("dimension", sorted(BREAKDOWNS))
def test_progress_breakdown(tiny_con, dimension):
    assert run(tiny_con, "progress_breakdown", as_of=D, due_soon_days=DUE_SOON, filters=NO_FILTERS,
               dimension=dimension) == BREAKDOWNS[dimension]


def test_progress_breakdown_by_unit_a_week_earlier(tiny_con):
    # the ranking's "rank change" compares with D-7: the same breakdown, from the state of 06-03
    assert run(tiny_con, "progress_breakdown", as_of=WEEK_BEFORE, due_soon_days=DUE_SOON, filters=NO_FILTERS, dimension="unit") == [
        # P05 P06 P08 P15: closed P05 P06 (2.5 1); P08 overdue; deadline passed P05 (on time) P08
        ("汶河街道", 4, 2, 0.5, 2, 1, 0.5, 1.75),
        # P01 P02 P11 P12 P16: P11 (due 06-05) not yet overdue; on time P01 P02 of P01 P02
        ("东关街道", 5, 2, 0.4, 3, 0, 1.0, 2.5),
        ("市城管局", 4, 1, 0.25, 3, 0, None, 4.0),           # P04 P09 P10 P13 (P20 not yet found)
        ("蒋王街道", 3, 1, round(1 / 3, 9), 2, 0, 0.0, 8.5),  # P03 P07 P14: 1 of 3 closed (P14 closes D)
    ]


# ---- problem_list, problem_record, problem_history_list ----------------------------------------

def problem_list(con, list_kind, as_of=D, dimension="", group_name="", stale_days=7, limit=100,
                 filters=NO_FILTERS, search=""):
    return readers.run(con, "problem_list", as_of=as_of, due_soon_days=DUE_SOON, filters=filters, list_kind=list_kind,
                  dimension=dimension, group_name=group_name, search=search, stale_days=stale_days, limit=limit)


def test_problem_list_overdue(tiny_con):
    df = problem_list(tiny_con, "overdue")
    assert list(df.columns) == ["problem_id", "unit_name", "district", "street", "place", "category",
                                "description", "state", "light", "found_at", "due_on", "days_overdue",
                                "days_unchanged", "source", "count_in_list"]
    assert rows(df.drop(columns="count_in_list")) == [
        ("P08", "汶河街道", "广陵区", "汶河街道", "文昌广场", "公益广告", "公益广告未更新", "returned", "red",
         datetime(2026, 5, 26, 9, 0), date(2026, 6, 2), 8, 0, "暗访"),         # D - 06-02 = 8; changed at D
        ("P11", "东关街道", "广陵区", "东关街道", "东关街", "乱堆乱放", "杂物堆放", "pending", "red",
         datetime(2026, 5, 31, 9, 0), date(2026, 6, 5), 5, 7, "暗访"),         # D - 06-05 = 5; unchanged since 06-03
        ("P15", "汶河街道", "广陵区", "汶河街道", "汶河社区", "垃圾暴露", "垃圾桶满溢", "in_progress", "red",  # no point: its community
         datetime(2026, 6, 2, 10, 0), date(2026, 6, 9), 1, 0, "市民投诉"),    # deadline D-1: 1 day
    ]  # P16, due D, is not here


def test_problem_list_stops_at_the_limit_longest_overdue_first(tiny_con):
    first = problem_list(tiny_con, "overdue", limit=1)
    assert first["problem_id"].tolist() == ["P08"]
    assert first["count_in_list"].tolist() == [3]  # the whole list, for "showing 1 of 3"


def test_problem_list_overdue_a_week_earlier(tiny_con):
    df = problem_list(tiny_con, "overdue", as_of=WEEK_BEFORE)
    assert rows(df[["problem_id", "state", "days_overdue"]]) == [("P08", "awaiting_check", 1)]  # reported done, still overdue


@pytest.mark.parametrize("list_kind,expected", [
    ("due_soon", ["P16", "P17", "P18"]),  # deadlines D, D+1, D+3: nearest first
    ("returned", ["P08"]),                # returned by the check at D
    ("no_unit", []),                      # every tiny problem has a unit (see the next test)
    ("stale", ["P09", "P11", "P16"]),     # open, last change seen 06-03 (7 days); P20 was not yet exported
])
def test_problem_list_kinds(tiny_con, list_kind, expected):
    assert problem_list(tiny_con, list_kind)["problem_id"].tolist() == expected


def test_problem_list_stale_days_is_a_parameter(tiny_con):
    assert problem_list(tiny_con, "stale", stale_days=8)["problem_id"].tolist() == []


def test_problem_list_without_a_unit(tiny_con):
    tiny_con.execute("update problems set unit_name = null where problem_id in ('P09', 'P02')")
    assert problem_list(tiny_con, "no_unit")["problem_id"].tolist() == ["P09"]  # P02 is closed


def test_problem_list_drills_into_one_group(tiny_con):
    df = problem_list(tiny_con, "all", dimension="unit", group_name="市城管局")
    assert df["problem_id"].tolist() == ["P04", "P09", "P10", "P13", "P20"]  # oldest first; P20 found on D
    overdue = problem_list(tiny_con, "overdue", dimension="street", group_name="汶河街道")
    assert overdue["problem_id"].tolist() == ["P08", "P15"]
    assert problem_list(tiny_con, "all", dimension="point_type", group_name="未填写")["problem_id"].tolist() == [
        "P03", "P04", "P05", "P06", "P09", "P15", "P18", "P20"]  # no point type: the missing-value group


def test_problem_list_drills_into_a_place(tiny_con):
    assert problem_list(tiny_con, "all", dimension="place", group_name="东关街")["problem_id"].tolist() == [
        "P01", "P10", "P11", "P12"]  # point PT04; not P09, whose unit is in 东关街道 but which has no point


def test_problem_record(tiny_con):
    record = readers.run(tiny_con, "problem_record", as_of=D, due_soon_days=DUE_SOON, problem_id="P14").to_dict("records")
    assert len(record) == 1
    fact = record[0]
    assert (fact["state"], fact["is_closed"], fact["is_closed_at_estimated"], fact["days_unchanged"], fact["place"]) == (
        "closed", True, True, 0, "蒋王小区")  # closed with no close time: from the export of 06-10
    assert readers.run(tiny_con, "problem_record", as_of=D, due_soon_days=DUE_SOON, problem_id="P21").empty  # found after D


def test_problem_history_list(tiny_con):
    df = readers.run(tiny_con, "problem_history_list", problem_id="P08")
    assert rows(df[["export_on", "status", "return_count", "import_id"]]) == [
        (date(2026, 6, 3), "awaiting_check", 0, 3),
        (date(2026, 6, 10), "returned", 1, 4),
    ]


# ---- point_readiness ---------------------------------------------------------------------------

def test_point_readiness(tiny_con):
    df = readers.run(tiny_con, "point_readiness", as_of=D, due_soon_days=DUE_SOON, pass_score=PASS_SCORE)
    assert list(df.columns) == ["group_name", "is_key_circle_row", "count_points", "count_inspected",
                                "count_never_inspected", "count_up_to_standard", "up_to_standard_rate"]
    assert rows(df) == [
        # PT01 PT03 PT04 PT05 PT06: PT05 never inspected; up PT01 PT06; PT03 failed, PT04 has P11 overdue
        ("背街小巷", False, 1, 1, 0, 0, 0.0),    # PT04: passed on 06-02, but P11 is overdue
        ("重点点位圈", True, 5, 4, 1, 2, 0.5),   # furthest behind first; the circles before a type at the same rate
        ("公园广场", False, 2, 2, 0, 1, 0.5),    # PT03 failed (I06, named by point name); PT06 scored exactly 85
        ("农贸市场", False, 2, 2, 0, 2, 1.0),    # PT01 passed by 是否达标 at 82; PT02 by score 88 (I05 of D+1 unseen)
        ("老旧小区", False, 1, 0, 1, 0, None),   # PT05 never inspected: counted apart, no rate
    ]


def test_point_readiness_a_week_earlier(tiny_con):
    assert run(tiny_con, "point_readiness", as_of=WEEK_BEFORE, due_soon_days=DUE_SOON, pass_score=PASS_SCORE) == [
        ("农贸市场", False, 2, 2, 0, 0, 0.0),    # PT01 I01 failed; PT02 I03 scored 70
        ("重点点位圈", True, 5, 2, 3, 1, 0.5),   # inspected PT01 (I01 failed) PT04 (passed, P11 not yet overdue)
        ("背街小巷", False, 1, 1, 0, 1, 1.0),    # PT04 I07 passed
        ("公园广场", False, 2, 0, 2, 0, None),   # PT03 and PT06 first inspected after 06-03
        ("老旧小区", False, 1, 0, 1, 0, None),
    ]


def test_points_never_inspected(tiny_con):
    params = {"due_soon_days": DUE_SOON, "pass_score": PASS_SCORE}
    assert run(tiny_con, "points_never_inspected", as_of=D, **params) == [(6, 1)]            # PT05
    assert run(tiny_con, "points_never_inspected", as_of=WEEK_BEFORE, **params) == [(6, 3)]  # PT03 PT05 PT06


def test_the_pass_score_is_a_setting(tiny_con):
    readiness = run(tiny_con, "point_readiness", as_of=D, due_soon_days=DUE_SOON, pass_score=88.0)
    assert ("重点点位圈", True, 5, 4, 1, 1, 0.25) in readiness  # PT06 (85) fails; PT01 passed by 是否达标
    assert ("农贸市场", False, 2, 2, 0, 2, 1.0) in readiness      # PT02 scored 88: still passed


def test_an_explicit_not_passed_beats_a_high_score(tiny_con):
    # SPEC "passed (达标 or score >= 85)": where the export has 是否达标, its verdict decides.
    tiny_con.execute("""insert into inspections values
        ('I09', '2026-06-10 09:00', '督查', '第三轮', 'PT06', '邗江公园', 90, false, 1, '第二检查组', 5)""")
    readiness = run(tiny_con, "point_readiness", as_of=D, due_soon_days=DUE_SOON, pass_score=PASS_SCORE)
    assert ("重点点位圈", True, 5, 4, 1, 1, 0.25) in readiness  # PT06 now fails
    assert ("公园广场", False, 2, 2, 0, 0, 0.0) in readiness


# ---- hotspot_places, location_coverage ---------------------------------------------------------

HOTSPOTS = [
    # place_key, label, point_type, street, lat, lng, count_open, count_overdue, count_rebound,
    # open a week earlier (06-03), change
    # P10 P11 P12, at the point's coordinates; P11 overdue and a rebound; all three open on 06-03 too
    ("point:PT04", "东关街", "背街小巷", "东关街道", 32.397, 119.437, 3, 1, 1, 3, 0),
    # P15 P18, no point, own coordinates: the mean latitude; P15 overdue and a rebound; P18 found 06-05
    ("cell:3240:11942", "汶河街道（无点位）", None, "汶河街道", 32.405495, 119.425, 2, 1, 1, 1, 1),
    ("point:PT06", "邗江公园", "公园广场", "蒋王街道", 32.385, 119.385, 2, 0, 0, 1, 1),          # P07, P17 (found 06-05)
    ("point:PT03", "文昌广场", "公园广场", "汶河街道", 32.397, 119.417, 1, 1, 0, 1, 0),          # P08
    ("cell:3239:11943", "东关街道（无点位）", None, "东关街道", 32.393, 119.433, 1, 0, 0, 1, 0),  # P09
    ("point:PT01", "东关农贸市场", "农贸市场", "东关街道", 32.395, 119.435, 1, 0, 1, 1, 0),      # P16 (flagged); P21 after D
    ("point:PT02", "汶河农贸市场", "农贸市场", "汶河街道", 32.395, 119.415, 1, 0, 0, 1, 0),      # P13, placed via its point name
    # P20 has no location; P14 (PT05, no coordinates) is closed
]


def hotspots(con, limit=100, filters=NO_FILTERS):
    return readers.run(con, "hotspot_places", as_of=D, due_soon_days=DUE_SOON, filters=filters, cell_deg=0.01, limit=limit)


def test_hotspot_places(tiny_con):
    df = hotspots(tiny_con)
    assert list(df.columns) == ["place_key", "label", "point_type", "street", "lat", "lng", "count_open",
                                "count_overdue", "count_rebound", "count_open_last_week", "count_open_change"]
    assert rows(df) == HOTSPOTS


def test_hotspot_places_stop_at_the_limit(tiny_con):
    assert rows(hotspots(tiny_con, limit=2)) == HOTSPOTS[:2]


def test_hotspot_places_follow_the_filters(tiny_con):
    assert rows(hotspots(tiny_con, filters=make_filters(category=["乱堆乱放"]))[["place_key", "count_open"]]) == [
        ("point:PT04", 2), ("point:PT01", 1)]  # P11 P12; P16


def map_params(**more):
    return {"as_of": D, "due_soon_days": DUE_SOON, **more}


SAMPLE_PARAMS["map_cells"] = map_params(filters=NO_FILTERS, states=[], cell_deg=0.01, limit=100)
SAMPLE_PARAMS["map_points"] = map_params(pass_score=PASS_SCORE)
SAMPLE_PARAMS["map_rebounds"] = map_params(filters=NO_FILTERS, cell_deg=0.01)
SAMPLE_PARAMS["place_problems"] = map_params(filters=NO_FILTERS, cell_deg=0.01, place_key="point:PT04")
# The data quality panel's exact counts and rows are tested in tests/test_quality.py.
SAMPLE_PARAMS["quality_checks"] = {"as_of": D, "due_soon_days": DUE_SOON, "filters": NO_FILTERS}
SAMPLE_PARAMS["quality_rows"] = {**SAMPLE_PARAMS["quality_checks"], "check_key": "missing_deadline"}

MAP_CELLS = [
    # lat, lng, label, count_problems, count_open, red, yellow, green, count_cells
    # PT01 PT04 and P09: P01 P02 P09 P10 P11 P12 P16; open P09 P10 P11 P12 P16 (P11 red, P16 due D yellow)
    (round((32.395 * 2 + 32.397 * 4 + 32.393) / 7, 9), round((119.435 * 2 + 119.437 * 4 + 119.433) / 7, 9),
     "东关街道", 7, 5, 1, 1, 3, 6),
    (round((32.395 * 2 + 32.397) / 3, 9), round((119.415 * 2 + 119.417) / 3, 9),
     "汶河街道", 3, 2, 1, 0, 1, 6),                                   # PT02 (P13 P19) PT03 (P08 red)
    (round((32.405 + 32.40527 + 32.40572) / 3, 9), 119.425, "汶河街道", 3, 2, 1, 1, 0, 6),  # P05 closed, P15 red, P18 yellow
    (32.385, 119.385, "蒋王街道", 2, 2, 0, 1, 1, 6),                 # PT06: P07 green, P17 yellow
    (32.375, 119.395, "蒋王街道", 1, 0, 0, 0, 0, 6),                 # P03 closed
    (32.39, 119.44, "东关街道", 1, 0, 0, 0, 0, 6),                   # P04 closed
]  # P06 P14 P20 have no location


def test_map_cells(tiny_con):
    assert run(tiny_con, "map_cells", **SAMPLE_PARAMS["map_cells"]) == MAP_CELLS


def test_map_cells_heat_follows_the_states_and_the_limit_keeps_the_count(tiny_con):
    df = readers.run(tiny_con, "map_cells", **{**SAMPLE_PARAMS["map_cells"], "states": ["closed"], "limit": 2})
    # closed problems only for the heat: P01 P02 in the first cell, P19 in the second; open counts stay
    assert rows(df[["count_problems", "count_open", "count_cells"]]) == [(2, 5, 6), (1, 2, 6)]


def test_map_points(tiny_con):
    df = readers.run(tiny_con, "map_points", **SAMPLE_PARAMS["map_points"])
    assert rows(df[["point_id", "is_up_to_standard", "count_open", "count_overdue", "last_score",
                    "last_inspection_type", "count_points_without_location"]]) == [
        ("PT04", False, 3, 1, 90.0, "督查", 1),      # passed, but P11 is overdue
        ("PT03", False, 1, 1, 70.0, "暗访", 1),      # failed
        ("PT06", True, 2, 0, 85.0, "模拟测评", 1),
        ("PT01", True, 1, 0, 82.0, "督查", 1),       # passed by 是否达标
        ("PT02", True, 1, 0, 88.0, "模拟测评", 1),   # PT05 has no coordinates: left out, counted
    ]


def test_map_rebounds(tiny_con):
    assert rows(readers.run(tiny_con, "map_rebounds", **SAMPLE_PARAMS["map_rebounds"])[
        ["place_key", "label", "count_rebound", "categories"]]) == [
        ("point:PT01", "东关农贸市场", 1, "乱堆乱放"),       # P16, flagged, found 06-02 14:00
        ("cell:3240:11942", "汶河街道（无点位）", 1, "垃圾暴露"),  # P15, 06-02 10:00
        ("point:PT04", "东关街", 1, "乱堆乱放"),             # P11, 05-31
    ]


def test_place_problems(tiny_con):
    df = readers.run(tiny_con, "place_problems", **SAMPLE_PARAMS["place_problems"])
    assert df["problem_id"].tolist() == ["P11", "P10", "P12", "P01"]  # open (overdue first), then closed
    cell = readers.run(tiny_con, "place_problems", **{**SAMPLE_PARAMS["place_problems"], "place_key": "cell:3240:11942"})
    assert cell["problem_id"].tolist() == ["P15", "P18", "P05"]


def test_location_coverage(tiny_con):
    df = readers.run(tiny_con, "location_coverage", as_of=D, due_soon_days=DUE_SOON)
    assert list(df.columns) == ["count_found", "count_located", "count_without_location",
                                "count_open_without_location", "count_at_default_spot", "count_open_at_default_spot"]
    assert rows(df) == [(
        20,  # P01..P20
        17,  # 20 - 3
        3,   # P06 and P20 (no point, no coordinates), P14 (its point PT05 has none)
        1,   # P20 (P06 and P14 are closed)
        0,   # no coordinate is shared by 50 problems
        0,
    )]


def test_location_coverage_a_week_earlier(tiny_con):
    assert run(tiny_con, "location_coverage", as_of=WEEK_BEFORE, due_soon_days=DUE_SOON) == [(
        16,  # P01..P16
        14,  # 16 - 2
        2,   # P06, P14 (P20 not yet found)
        1,   # P14, open until 06-10
        0,   # no default coordinate
        0,
    )]


# ---- milestone_countdown, closure_pace ---------------------------------------------------------

def test_milestone_countdown(tiny_con):
    df = readers.run(tiny_con, "milestone_countdown", as_of=D, **CALENDAR)
    assert list(df.columns) == ["name", "on_date", "kind", "note", "days_left", "is_done", "is_next"]
    assert rows(df) == [
        ("第二轮模拟测评", date(2026, 6, 1), "其他", "已完成", -9, True, False),   # past: done
        ("网申材料截止", D, "网申材料截止", "", 0, False, True),                    # today: 0 days, not done, next
        ("实地测评", HEADLINE, "实地测评", "", 30, False, False),                   # same date: by name
        ("问卷调查", HEADLINE, "问卷调查", "", 30, False, False),
    ]


def test_milestone_countdown_the_day_after(tiny_con):
    assert [r[4:] for r in run(tiny_con, "milestone_countdown", as_of=date(2026, 6, 11), **CALENDAR)] == [
        (-10, True, False),
        (-1, True, False),
        (29, False, True),  # both milestones of the next date are next
        (29, False, True),
    ]


def test_milestone_countdown_when_all_are_done(tiny_con):
    assert [r[4:] for r in run(tiny_con, "milestone_countdown", as_of=date(2026, 8, 1), **CALENDAR)] == [
        (-61, True, False),  # none is next: false, not null
        (-52, True, False),
        (-22, True, False),
        (-22, True, False),
    ]


def test_milestone_countdown_with_no_calendar(tiny_con):
    assert run(tiny_con, "milestone_countdown", as_of=D, names=[], dates=[], kinds=[], notes=[]) == []


PACE_COLUMNS = ["count_open", "count_closed_recently", "closures_per_day", "days_left", "required_per_day",
                "projected_clearance_on"]


def test_closure_pace(tiny_con):
    df = readers.run(tiny_con, "closure_pace", as_of=D, due_soon_days=DUE_SOON, pace_days=28, milestone_on=HEADLINE)
    assert list(df.columns) == PACE_COLUMNS
    assert rows(df) == [(
        12,                 # open at D
        6,                  # closed 05-14..D: P04 (05-16) P03 (05-19) P05 P06 (05-20) P14 P19 (D); not P01 P02
        round(6 / 28, 9),   # per day
        30,                 # 07-10 - D
        0.4,                # 12 / 30
        date(2026, 8, 5),   # D + 12 / (6 / 28) = D + 56 days
    )]


@pytest.mark.parametrize("pace_days,closed,projected", [
    (26, 6, date(2026, 8, 1)),  # the 26 days ending on D start 05-16: P04, closed that day, counts; D + 12 * 26 / 6 = D + 52
    (25, 5, date(2026, 8, 9)),  # the 25 days start 05-17: P04 does not; D + 12 * 25 / 5 = D + 60
])
def test_closure_pace_window_ends_on_as_of(tiny_con, pace_days, closed, projected):
    pace = run(tiny_con, "closure_pace", as_of=D, due_soon_days=DUE_SOON, pace_days=pace_days, milestone_on=HEADLINE)
    assert pace == [(12, closed, round(closed / pace_days, 9), 30, 0.4, projected)]


def test_closure_pace_with_a_milestone_today(tiny_con):
    assert run(tiny_con, "closure_pace", as_of=D, due_soon_days=DUE_SOON, pace_days=28, milestone_on=D) == [
        (12, 6, round(6 / 28, 9), 0, None, date(2026, 8, 5))]  # 0 days left: no required pace


def test_closure_pace_of_zero_projects_nothing(tiny_con):
    # the week to 06-03 closed nothing (the last closures were on 05-20); 10 open
    assert run(tiny_con, "closure_pace", as_of=WEEK_BEFORE, due_soon_days=DUE_SOON, pace_days=7,
               milestone_on=date(2026, 7, 13)) == [(10, 0, 0.0, 40, 0.25, None)]  # 10 / 40 a day needed


def test_closure_pace_with_no_backlog_is_clear_today(tiny_con):
    assert run(tiny_con, "closure_pace", as_of=BEFORE_ANY, due_soon_days=DUE_SOON, pace_days=28,
               milestone_on=HEADLINE) == [(0, 0, 0.0, 100, 0.0, BEFORE_ANY)]


# ---- filters (queries/macros/filtered_facts.sql) ---------------------------------------------

def summary_figures(con, filters):
    summary = readers.run(con, "progress_summary", as_of=D, due_soon_days=DUE_SOON, filters=filters).iloc[0]
    return tuple(int(summary[c]) for c in ("count_found", "count_closed", "count_open", "count_overdue"))


@pytest.mark.parametrize("filters,expected", [
    (make_filters(district=["邗江区"]), (4, 2, 2, 0)),                    # P03 P07 P14 P17; P03 P14 closed
    (make_filters(found_from=date(2026, 6, 1), found_to=date(2026, 6, 5)), (7, 1, 6, 1)),  # P12..P18; P14 closed, P15 overdue
    (make_filters(found_from=date(2026, 6, 8)), (2, 1, 1, 0)),            # P19 (closed), P20
    (make_filters(point_type=["未填写"], category=["垃圾暴露"]), (3, 1, 2, 1)),  # P05 closed, P15 overdue, P18
    (make_filters(unit=["市城管局", "汶河街道"]), (11, 4, 7, 2)),          # 5 + 6; closed P04 P05 P06 P19; P08 P15 overdue
    (make_filters(source=["不存在的来源"]), (0, 0, 0, 0)),
])
def test_filters_narrow_the_headline_figures(tiny_con, filters, expected):
    assert summary_figures(tiny_con, filters) == expected


def test_no_filters_is_every_problem(tiny_con):
    assert summary_figures(tiny_con, NO_FILTERS) == (20, 8, 12, 3)


def test_filters_narrow_the_lists_and_breakdowns(tiny_con):
    assert problem_list(tiny_con, "overdue", filters=make_filters(unit=["东关街道"]))["problem_id"].tolist() == ["P11"]
    assert problem_list(tiny_con, "overdue", filters=make_filters(district=["邗江区"])).empty
    by_unit = readers.run(tiny_con, "progress_breakdown", as_of=D, due_soon_days=DUE_SOON,
                     filters=make_filters(district=["邗江区"]), dimension="unit")
    assert rows(by_unit[["group_name", "count_found", "count_closed"]]) == [("蒋王街道", 4, 2)]
    states = readers.run(tiny_con, "problem_states", as_of=D, due_soon_days=DUE_SOON, filters=make_filters(district=["邗江区"]))
    assert dict(zip(states["value"], states["count_problems"])) == {
        "pending": 0, "in_progress": 1, "awaiting_check": 1, "returned": 0, "closed": 2,  # P07; P17; P03 P14
        "red": 0, "yellow": 1, "green": 1}                                                 # P17 due D+1; P07
    weeks = readers.run(tiny_con, "weekly_flow", as_of=D, due_soon_days=DUE_SOON, filters=make_filters(found_from=date(2026, 6, 8)))
    assert rows(weeks[["week_on", "count_found", "count_closed"]]) == [(date(2026, 6, 8), 2, 1)]  # P19 P20; P19 closed


def test_problem_list_search(tiny_con):
    assert problem_list(tiny_con, "all", search="垃圾桶")["problem_id"].tolist() == ["P05", "P15"]  # description
    assert problem_list(tiny_con, "all", search="P08")["problem_id"].tolist() == ["P08"]           # id
    assert problem_list(tiny_con, "all", search="文昌广场")["problem_id"].tolist() == ["P08"]       # place


def test_filter_options(tiny_con):
    options = readers.run(tiny_con, "filter_options", as_of=D, due_soon_days=DUE_SOON)
    assert rows(options[options["dimension"].isin(["district", "unit", "point_type"])]) == [
        ("district", "广陵区", 16), ("district", "邗江区", 4),
        ("point_type", "未填写", 8), ("point_type", "农贸市场", 4), ("point_type", "背街小巷", 4),
        ("point_type", "公园广场", 3), ("point_type", "老旧小区", 1),
        ("unit", "汶河街道", 6), ("unit", "东关街道", 5), ("unit", "市城管局", 5), ("unit", "蒋王街道", 4),
    ]
    assert set(options["dimension"]) == {"district", "street", "unit", "category", "source", "point_type"}


# ---- unit_ranking (SPEC "Unit ranking") ----------------------------------------------------------
# At D: streets 汶河街道 (6 problems) and 东关街道 (5) are scored, 蒋王街道 (4) is under the minimum
# sample of 5; 市城管局 (5) is the only department; 市市场监管局 has no problem and is left out.
# Components (汶河街道 / 东关街道): closure 3/6 = .5 / 2/5 = .4; on time 2/4 / 2/4; overdue per 100
# 2/6 = 33.3 / 1/5 = 20; rebounds per closed 1/3 (P15) / 2/2 (P11 P16); inspection score of their
# points in the 30 days up to D (70 88 70 -> 76 / 75 82 90 -> 82.33). Min-max over the two units:
# 汶河街道 35 + 25 + 0 + 10 + 0 = 70; 东关街道 0 + 25 + 20 + 0 + 10 = 55.

RULES = {"w_closure_rate": 35.0, "w_on_time_rate": 25.0, "w_overdue_per_100": 20.0, "w_rebound_rate": 10.0,
         "w_inspection_score": 10.0, "min_sample": 5, "inspection_days": 30, "list_rule": "top_n",
         "red_n": 1, "black_n": 1, "red_closure_rate": 0.9, "black_closure_rate": 0.85}
SAMPLE_PARAMS["unit_ranking"] = {"as_of": D, "due_soon_days": DUE_SOON, "weeks": 3, "rules": RULES}


def ranking(con, weeks=3, **rule_changes):
    return readers.run(con, "unit_ranking", as_of=D, due_soon_days=DUE_SOON, weeks=weeks, rules={**RULES, **rule_changes})


def this_week(df, *columns):
    return rows(df[df["weeks_back"] == 0][["pool", "unit_name", *columns]])


def test_unit_ranking_scores_ranks_and_changes(tiny_con):
    assert this_week(ranking(tiny_con), "score", "rank", "is_sample_enough", "rank_last_week", "rank_change") == [
        ("department", "市城管局", 100.0, 1, True, None, None),  # alone in its pool; a week earlier under 5 problems
        ("district", "广陵区", 62.5, 1, True, 1, 0),             # mean of 70 and 55
        ("district", "邗江区", None, None, False, None, None),   # its only street is under the minimum sample
        ("street", "汶河街道", 70.0, 1, True, None, None),       # 4 problems a week earlier: not ranked then
        ("street", "东关街道", 55.0, 2, True, 1, -1),            # first (alone) a week earlier: down one
        ("street", "蒋王街道", None, None, False, None, None),   # 4 problems: 样本不足, listed, not ranked
    ]  # 市市场监管局 (no problems) is not listed


def test_unit_ranking_components_and_their_points(tiny_con):
    assert this_week(ranking(tiny_con), "closure_rate", "on_time_rate", "overdue_per_100", "rebound_rate",
                     "inspection_score", "pts_closure_rate", "pts_on_time_rate", "pts_overdue_per_100",
                     "pts_rebound_rate", "pts_inspection_score")[3:5] == [
        ("street", "汶河街道", 0.5, 0.5, round(100 / 3, 9), round(1 / 3, 9), 76.0, 35.0, 25.0, 0.0, 10.0, 0.0),
        ("street", "东关街道", 0.4, 0.5, 20.0, 1.0, round(247 / 3, 9), 0.0, 25.0, 20.0, 0.0, 10.0),
    ]


def test_a_missing_component_scales_the_other_weights(tiny_con):
    # 市城管局: no deadline passed (no on-time rate), no point (no inspection score): 35 + 20 + 10 = 65 -> 100
    assert this_week(ranking(tiny_con), "pts_closure_rate", "pts_on_time_rate", "pts_overdue_per_100",
                     "pts_rebound_rate", "pts_inspection_score")[0] == (
        "department", "市城管局", round(3500 / 65, 9), None, round(2000 / 65, 9), round(1000 / 65, 9), None)


def test_the_minimum_sample_is_a_rule(tiny_con):
    # min_sample 4 ranks 蒋王街道 too (closure .5, on time 0/2, no overdue, no rebound, inspection 85):
    # 汶河街道 35 + 25 + 0 + 10 * 2/3 + 0; 东关街道 0 + 25 + 20 * 0.4 + 0 + 10 * (82.33 - 76) / 9; 蒋王街道 35 + 0 + 20 + 10 + 10
    streets = this_week(ranking(tiny_con, min_sample=4), "score", "rank")
    assert streets[-3:] == [("street", "蒋王街道", 75.0, 1), ("street", "汶河街道", round(60 + 20 / 3, 9), 2),
                            ("street", "东关街道", round(33 + 190 / 27, 9), 3)]
    assert streets[1:3] == [("district", "邗江区", 75.0, 1), ("district", "广陵区", round((60 + 20 / 3 + 33 + 190 / 27) / 2, 9), 2)]


@pytest.mark.parametrize("weights,expected", [
    ({"w_closure_rate": 1.0}, [("汶河街道", 100.0, 1), ("东关街道", 0.0, 2)]),
    ({"w_inspection_score": 1.0}, [("东关街道", 100.0, 1), ("汶河街道", 0.0, 2)]),
    ({"w_on_time_rate": 1.0}, [("东关街道", 100.0, 1), ("汶河街道", 100.0, 1)]),  # equal on-time rates: a tie shares the rank
])
def test_weights_change_the_ranking(tiny_con, weights, expected):
    only = {name: 0.0 for name in RULES if name.startswith("w_")} | weights
    df = ranking(tiny_con, **only)
    streets = df[(df["weeks_back"] == 0) & (df["pool"] == "street") & df["score"].notna()]
    assert rows(streets[["unit_name", "score", "rank"]]) == expected


def test_red_and_black_lists_top_n(tiny_con):
    listed = [r for r in this_week(ranking(tiny_con), "is_red", "is_black", "black_weeks")]
    assert listed == [
        ("department", "市城管局", False, False, 0),  # alone in its pool: on neither list
        ("district", "广陵区", False, False, 0),      # the only district scored
        ("district", "邗江区", False, False, 0),     # not scored: on no list
        ("street", "汶河街道", True, False, 0),
        ("street", "东关街道", False, True, 1),      # a week earlier it was alone: streak 1
        ("street", "蒋王街道", False, False, 0),     # 样本不足: on no list
    ]


def test_red_and_black_lists_by_threshold_and_the_streak(tiny_con):
    # closure >= 90% red, < 85% black. 东关街道 was black at D (.4) and D-7 (.4); at D-14 it had
    # 2 problems (under the sample): streak 2. 汶河街道 (.5) was under the sample at D-7: streak 1.
    assert this_week(ranking(tiny_con, list_rule="threshold"), "is_red", "is_black", "black_weeks") == [
        ("department", "市城管局", False, True, 1),
        ("district", "广陵区", False, True, 2),
        ("district", "邗江区", False, False, 0),
        ("street", "汶河街道", False, True, 1),
        ("street", "东关街道", False, True, 2),
        ("street", "蒋王街道", False, False, 0),
    ]


def test_a_unit_missing_from_the_unit_list_goes_by_its_name(tiny_con):
    tiny_con.execute("update problems set unit_name = '新城镇' where problem_id = 'P20'")
    tiny_con.execute("update problems set unit_name = '市园林局' where problem_id = 'P09'")
    df = ranking(tiny_con)
    assert sorted(this_week(df, "is_sample_enough")) == sorted([
        ("department", "市城管局", False), ("department", "市园林局", False), ("district", "广陵区", True),
        ("district", "邗江区", False), ("street", "东关街道", True), ("street", "汶河街道", True),
        ("street", "新城镇", False), ("street", "蒋王街道", False)])


def test_top_n_lists_cover_at_most_half_the_pool(tiny_con):
    # Three streets scored (min_sample 4), top 3 and bottom 3 asked: one red, one black, one neither.
    df = ranking(tiny_con, min_sample=4, red_n=3, black_n=3)
    assert this_week(df, "rank", "is_red", "is_black")[-3:] == [
        ("street", "蒋王街道", 1, True, False), ("street", "汶河街道", 2, False, False), ("street", "东关街道", 3, False, True)]


SAMPLE_PARAMS["unit_changes"] = {"as_of": D, "due_soon_days": DUE_SOON, "unit_name": "汶河街道"}


@pytest.mark.parametrize("unit,as_of,expected", [
    # P15 (due 06-09) became overdue; P19 found 06-08 and closed on D; P18 found 06-05. P08 was
    # already overdue a week earlier.
    ("汶河街道", D, [("newly_overdue", "P15"), ("newly_closed", "P19"), ("newly_found", "P18"), ("newly_found", "P19")]),
    ("东关街道", D, [("newly_overdue", "P11")]),   # P11 due 06-05
    ("蒋王街道", D, [("newly_closed", "P14"), ("newly_found", "P17")]),  # P14 closed on D (from the export)
    # A week earlier: the rebounds P11 and P16 were found in the week, with P12.
    ("东关街道", WEEK_BEFORE, [("new_rebound", "P11"), ("new_rebound", "P16"), ("newly_found", "P11"),
                             ("newly_found", "P12"), ("newly_found", "P16")]),
])
def test_unit_changes(tiny_con, unit, as_of, expected):
    df = readers.run(tiny_con, "unit_changes", as_of=as_of, due_soon_days=DUE_SOON, unit_name=unit)
    assert rows(df[["change_kind", "problem_id"]]) == expected


# ---- materials and surveys ----------------------------------------------------------------------
# Materials M01..M09 at D (fixture comments): approved M01 M07; submitted M05; returned M04 M08;
# not submitted M02 M03 M06 M09. Overdue: M04 (returned, due 06-01) and M03 (due 06-09).

SAMPLE_PARAMS["materials_progress"] = {"as_of": D, "by": "indicator"}
SAMPLE_PARAMS["materials_overdue"] = {"as_of": D}
SAMPLE_PARAMS["materials_totals"] = {"as_of": D}
SURVEY_TARGETS = {"awareness": 0.9, "support": 0.9, "participation": 0.85, "satisfaction": 0.9}
SAMPLE_PARAMS["survey_rates"] = {"as_of": D, **SURVEY_TARGETS}

MATERIALS_COLUMNS = ["group_name", "count_required", "count_submitted", "count_approved", "count_returned",
                     "count_not_submitted", "approved_rate", "count_overdue"]


def test_materials_progress_by_indicator(tiny_con):
    df = readers.run(tiny_con, "materials_progress", as_of=D, by="indicator")
    assert list(df.columns) == MATERIALS_COLUMNS
    assert rows(df) == [
        ("志愿服务", 3, 2, 0, 1, 1, 0.0, 1),            # M04 returned (overdue), M05 submitted, M06 not submitted
        ("公共文明", 3, 1, 1, 0, 2, round(1 / 3, 9), 1),  # M01 approved, M02 due D (not overdue), M03 overdue
        ("未成年人", 3, 2, 1, 1, 1, round(1 / 3, 9), 0),  # M07 approved, M08 returned not yet due, M09 no due date
    ]  # equal rates: by name (公 before 未)


def test_materials_progress_by_unit(tiny_con):
    assert run(tiny_con, "materials_progress", as_of=D, by="unit") == [
        ("未填写", 1, 0, 0, 0, 1, 0.0, 0),              # M06, no unit, due after D
        ("汶河街道", 3, 1, 0, 1, 2, 0.0, 2),            # M03 overdue, M04 returned and overdue, M09 no due date
        ("东关街道", 3, 2, 1, 1, 1, round(1 / 3, 9), 0),  # M01 approved, M02 due D, M08 returned not yet due
        ("市城管局", 2, 2, 1, 0, 0, 0.5, 0),            # M05 submitted (past due, handed in), M07 approved
    ]


def test_materials_progress_as_of_moves_only_the_overdue_count(tiny_con):
    # Statuses are the latest import's at any $as_of; only due dates move. D+1: M02 (due D) is overdue too.
    # D-7: only M04 (due 06-01); M03 (due 06-09) is not yet due.
    def overdue(as_of):
        return [(r[0], r[7]) for r in run(tiny_con, "materials_progress", as_of=as_of, by="indicator")]

    assert overdue(date(2026, 6, 11)) == [("志愿服务", 1), ("公共文明", 2), ("未成年人", 0)]
    assert overdue(WEEK_BEFORE) == [("志愿服务", 1), ("公共文明", 0), ("未成年人", 0)]
    assert [r[:7] for r in run(tiny_con, "materials_progress", as_of=WEEK_BEFORE, by="indicator")] == [
        r[:7] for r in run(tiny_con, "materials_progress", as_of=D, by="indicator")]


def test_materials_totals_are_the_city_of_the_groups(tiny_con):
    # M01..M09: the three indicators' rows above added up; D+1 adds M02 (due D) to the overdue,
    # D-7 leaves only M04 (due 06-01).
    assert run(tiny_con, "materials_totals", as_of=D) == [(9, 5, 2, 2)]
    assert run(tiny_con, "materials_totals", as_of=date(2026, 6, 11)) == [(9, 5, 2, 3)]
    assert run(tiny_con, "materials_totals", as_of=WEEK_BEFORE) == [(9, 5, 2, 1)]


def test_materials_progress_refuses_an_unknown_grouping(tiny_con):
    with pytest.raises(Exception, match=r"\$by must be indicator or unit"):
        readers.run(tiny_con, "materials_progress", as_of=D, by="district")


def test_materials_overdue(tiny_con):
    df = readers.run(tiny_con, "materials_overdue", as_of=D)
    assert list(df.columns) == ["item_id", "indicator", "material_name", "material_type", "unit_name", "due_on",
                                "days_overdue", "status"]
    assert rows(df) == [
        ("M04", "志愿服务", "志愿者注册台账", "数据表格", "汶河街道", date(2026, 6, 1), 9, "returned"),        # returned, due 06-01
        ("M03", "公共文明", "背街小巷整治报告", "说明报告", "汶河街道", date(2026, 6, 9), 1, "not_submitted"),  # due D-1
    ]  # not M02 (due D), M05 (submitted), M07 (approved), M08 (not yet due), M09 (no due date)


@pytest.mark.parametrize("as_of,expected", [
    (WEEK_BEFORE, [("M04", 2)]),                                   # M03 not yet due
    (date(2026, 6, 11), [("M04", 10), ("M03", 2), ("M02", 1)]),    # D+1: M02, due D, is now overdue
    (date(2026, 5, 31), []),                                       # before any unhandled due date
])
def test_materials_overdue_as_of(tiny_con, as_of, expected):
    df = readers.run(tiny_con, "materials_overdue", as_of=as_of)
    assert rows(df[["item_id", "days_overdue"]]) == expected


def survey_rates(con, as_of=D):
    return readers.run(con, "survey_rates", as_of=as_of, **SURVEY_TARGETS)


def test_survey_rates(tiny_con):
    df = survey_rates(tiny_con)
    assert list(df.columns) == ["round_name", "surveyed_on", "indicator", "rate", "target", "gap", "is_latest"]
    first, second = date(2026, 3, 15), date(2026, 5, 20)
    assert rows(df) == [
        ("第一轮问卷", first, "awareness", 0.85, 0.9, -0.05, False),
        ("第一轮问卷", first, "support", 0.9, 0.9, 0.0, False),            # on target
        ("第一轮问卷", first, "participation", 0.75, 0.85, -0.1, False),
        ("第一轮问卷", first, "satisfaction", 0.8, 0.9, -0.1, False),
        ("第二轮问卷", second, "awareness", 0.92, 0.9, 0.02, True),        # not the 广陵区 row (0.99)
        ("第二轮问卷", second, "support", 0.95, 0.9, 0.05, True),
        ("第二轮问卷", second, "participation", 0.8, 0.85, -0.05, True),
        ("第二轮问卷", second, "satisfaction", 0.875, 0.9, -0.025, True),
    ]  # round 3 (06-20) is after D


@pytest.mark.parametrize("as_of,expected", [
    (date(2026, 3, 1), []),                                          # before any survey: no rows
    (date(2026, 4, 1), [("第一轮问卷", True)] * 4),                    # round 1 only, and latest
    (date(2026, 6, 20), [("第一轮问卷", False)] * 4 + [("第二轮问卷", False)] * 4
     + [("第三轮问卷", True)] * 4),                                   # surveyed on $as_of: counted, and latest
])
def test_survey_rates_as_of_and_latest_round(tiny_con, as_of, expected):
    assert rows(survey_rates(tiny_con, as_of)[["round_name", "is_latest"]]) == expected


def test_survey_rates_take_the_city_spelled_out(tiny_con):
    # The importer writes '全市' for an empty 区县: the same rows as ''.
    expected = rows(survey_rates(tiny_con))
    tiny_con.execute("update surveys set district = '全市' where district = ''")
    assert rows(survey_rates(tiny_con)) == expected


# ---- the countdown's pace and score at risk (more in tests/test_countdown.py) --------------------

SAMPLE_PARAMS["unit_pace"] = {"as_of": D, "due_soon_days": DUE_SOON, "pace_days": 28, "milestone_on": HEADLINE}
SAMPLE_PARAMS["open_backlog"] = {"as_of": D, "due_soon_days": DUE_SOON, "days_back": 30}
TARGETS = {"awareness": 0.9, "support": 0.9, "participation": 0.85, "satisfaction": 0.9}
SAMPLE_PARAMS["score_at_risk"] = {"as_of": D, "due_soon_days": DUE_SOON, "pass_score": PASS_SCORE,
                                  "parts": ["实地测评", "网申材料", "问卷调查"], "weights": [46.3, 39.7, 10.0],
                                  "targets": TARGETS}


def test_score_at_risk(tiny_con):
    params = {**SAMPLE_PARAMS["score_at_risk"], "parts": ["实地测评", "网申材料", "问卷调查", "创建工作"],
              "weights": [46.3, 39.7, 10.0, 4.0]}
    # 实地测评: PT01 PT02 PT06 up to standard of the 5 inspected (PT03 failed, PT04 has P11 overdue): 0.6.
    # 网申材料: M01 M07 approved of 9 items. 问卷调查: round 2 (05-20) against the targets, capped at 1:
    # 1, 1, 0.80 / 0.85, 0.875 / 0.9. A part with another name has no estimate.
    survey = (1 + 1 + 0.80 / 0.85 + 0.875 / 0.9) / 4
    assert run(tiny_con, "score_at_risk", **params) == [
        ("实地测评", 46.3, 0.6, round(46.3 * 0.4, 9)),
        ("网申材料", 39.7, round(2 / 9, 9), round(39.7 * 7 / 9, 9)),
        ("问卷调查", 10.0, round(survey, 9), round(10 * (1 - survey), 9)),
        ("创建工作", 4.0, None, None),
    ]


def test_score_at_risk_before_any_survey(tiny_con):
    risk = readers.run(tiny_con, "score_at_risk", **{**SAMPLE_PARAMS["score_at_risk"], "as_of": date(2026, 3, 1)})
    assert risk["readiness"].isna().tolist() == [True, False, True]  # no inspection, no survey yet; materials have no dates


# ---- 测评点位 (the hand counts are in tests/test_points.py) ---------------------------------------

POINT_PARAMS = {"as_of": D, "due_soon_days": DUE_SOON, "pass_score": PASS_SCORE,
                "point_filters": {"districts": [], "streets": [], "point_types": [], "key_circle_only": False}}
SAMPLE_PARAMS["point_standing_groups"] = POINT_PARAMS
SAMPLE_PARAMS["point_list"] = {**POINT_PARAMS, "list_kind": "uninspected", "stale_days": 60}
SAMPLE_PARAMS["point_month_ranking"] = POINT_PARAMS
SAMPLE_PARAMS["point_month_owners"] = {**POINT_PARAMS, "owner": "point_chief"}
SAMPLE_PARAMS["point_record"] = {"as_of": D, "due_soon_days": DUE_SOON, "pass_score": PASS_SCORE,
                                 "point_key": "PT04"}
SAMPLE_PARAMS["point_inspections"] = {"as_of": D, "pass_score": PASS_SCORE, "point_id": "PT02"}
SAMPLE_PARAMS["point_filter_options"] = {}
SAMPLE_PARAMS["inspection_rounds"] = {"as_of": D, "pass_score": PASS_SCORE,
                                      "point_filters": POINT_PARAMS["point_filters"]}
SAMPLE_PARAMS["round_point_types"] = {**SAMPLE_PARAMS["inspection_rounds"], "inspection_type": "模拟测评",
                                      "round_name": "第二轮"}
SAMPLE_PARAMS["round_categories"] = {"as_of": D, "point_filters": POINT_PARAMS["point_filters"],
                                     "inspection_type": "暗访", "round_name": "第二轮"}


SAMPLE_PARAMS["due_this_week"] = {"as_of": D, "due_soon_days": DUE_SOON}  # tested in tests/test_brief.py


# ---- 数据导入: the preview's comparison with the published data, and the import log ---------------

SAMPLE_PARAMS["import_changes"] = {"problem_ids": ["P08", "P11", "P20", "P30"],
                                   "statuses": ["closed", "closed", "pending", "pending"]}
SAMPLE_PARAMS["import_key_changes"] = {"dataset": "inspections", "record_keys": ["I05", "I09", "I09"]}
SAMPLE_PARAMS["import_history"] = {}


def test_import_changes_against_the_tiny_ledger(tiny_con):
    # P08 returned -> closed and P11 pending -> closed change state; P20 stays pending; P30 is new.
    assert run(tiny_con, "import_changes", **SAMPLE_PARAMS["import_changes"]) == [
        ("new", None, "pending", 1, ["P30"]),
        ("status_changed", "pending", "closed", 1, ["P11"]),
        ("status_changed", "returned", "closed", 1, ["P08"]),
        ("unchanged", "pending", "pending", 1, ["P20"]),
    ]


def test_import_key_changes_per_dataset(tiny_con):
    assert run(tiny_con, "import_key_changes", **SAMPLE_PARAMS["import_key_changes"]) == [
        ("new", 1), ("existing", 1)]  # I09 twice counts once
    assert run(tiny_con, "import_key_changes", dataset="points", record_keys=["PT01", "PT02", "PT09"]) == [
        ("new", 1), ("existing", 2)]
    assert run(tiny_con, "import_key_changes", dataset="units", record_keys=["东关街道"]) == [("existing", 1)]


def test_import_history_newest_first_with_the_last_batch_marked(tiny_con):
    log = readers.run(tiny_con, "import_history")
    assert list(zip(log["import_id"], log["batch_id"], log["is_last_batch"])) == [
        (6, 3, True), (5, 3, True), (4, 2, False), (3, 1, False), (2, 1, False), (1, 1, False)]


# ---- the meeting loop (tests/test_meeting_loop.py tests these on its own world) ----------------
SAMPLE_PARAMS.update({
    "meeting_list": {"as_of": D},
    "meeting_items": {"as_of": D, "meeting_on": D, "meeting_name": ""},
    "meeting_units": {"as_of": D, "meeting_on": D, "meeting_name": ""},
    "recheck_rates": {"as_of": D},
    "recheck_failures": {"as_of": D, "due_soon_days": DUE_SOON},
    "recheck_coverage": {"as_of": D},
    "recheck_candidates": {"as_of": D, "closed_from": None, "closed_to": None, "sources": [], "units": [],
                           "per_unit": 0, "only_unchecked": False},
    "unit_talks": {"as_of": D},
    "unit_items": {"as_of": D, "unit_name": "东关街道"},
    "problem_rechecks": {"problem_id": "P02"},
})
# ---- the 责任体系 (issue 29): the hand counts are in tests/test_areas.py ----------------------------
SAMPLE_PARAMS["area_table"] = {"as_of": D, "due_soon_days": DUE_SOON, "pass_score": PASS_SCORE}
SAMPLE_PARAMS["area_places"] = {"as_of": D, "due_soon_days": DUE_SOON, "area": "未划片区"}
SAMPLE_PARAMS["area_overdue"] = {"as_of": D, "due_soon_days": DUE_SOON, "area": "未划片区"}
SAMPLE_PARAMS["area_points"] = {"as_of": D, "due_soon_days": DUE_SOON, "pass_score": PASS_SCORE, "area": "未划片区"}
SAMPLE_PARAMS["area_grids"] = {"as_of": D, "due_soon_days": DUE_SOON, "area": ""}
SAMPLE_PARAMS["area_totals"] = {"as_of": D, "due_soon_days": DUE_SOON}
SAMPLE_PARAMS["area_leaders"] = {}
SAMPLE_PARAMS["district_places"] = {}


def test_without_areas_every_problem_is_unassigned(tiny_con):
    areas = readers.run(tiny_con, "area_table", **SAMPLE_PARAMS["area_table"])
    assert rows(areas[["area", "count_found", "count_overdue"]]) == [("未划片区", 20, 3)]
    assert run(tiny_con, "area_totals", **SAMPLE_PARAMS["area_totals"]) == [(20, 12, 3)]  # the city's 20, 12 open

# Assessment scoring and key tasks: exact results on their own world in tests/test_scoring.py.
SAMPLE_PARAMS["points_at_risk"] = {"as_of": D, "due_soon_days": DUE_SOON}
SAMPLE_PARAMS["points_at_risk_summary"] = {"as_of": D, "due_soon_days": DUE_SOON}
SAMPLE_PARAMS["points_at_risk_by_unit"] = {"as_of": D, "due_soon_days": DUE_SOON}
SAMPLE_PARAMS["points_at_risk_problems"] = {"as_of": D, "due_soon_days": DUE_SOON, "indicator_code": "1.1"}
SAMPLE_PARAMS["task_lights"] = {"as_of": D}
SAMPLE_PARAMS["task_light_counts"] = {"as_of": D}
SAMPLE_PARAMS["task_milestones"] = {"as_of": D, "task_name": "老旧小区改造"}
SAMPLE_PARAMS["assessment_results"] = {"as_of": D, "year_weights": [0.2, 0.3, 0.5], "target_total": 85.0,
                                      "target_rank": 10}
