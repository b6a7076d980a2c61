"""The data quality panel (数据质量): exact counts on the tiny world, and on the tiny world with a few
hand-made faults added (the tiny world is clean in most respects), the rows behind each count, the
page, and a district login seeing only its own rows."""


import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from cockpit.store import queries, readers
from cockpit.vocab import filters
from cockpit.web import access, widgets
from tests.browser import ROOT
from tests.conftest import TINY_AS_OF, TINY_DEFAULT_SPOT, TINY_REBOUND_DAYS, TINY_REBOUND_RADIUS_M, TINY_STORE_FILE

# Faults added to the tiny world (import 7: a second export of D from another platform).
FAULTS = [
    """insert into imports values (7, 2, '问题台账20260610-热线.xlsx', 'hash-hotline', 'problems', 'builtin',
        '2026-06-10', 6, 4, 2, 1, '2026-06-10 17:40:00', '办公室')""",
    # Q01: no unit, no category, no deadline, no location at all.
    """insert into problems (problem_id, source, found_at, category, district, street, unit_name, due_on, status,
        first_import_id, last_import_id, changed_import_id)
       values ('Q01', '市民投诉', '2026-06-08 09:00', null, '广陵区', '东关街道', null, null, 'pending', 7, 7, 7)""",
    # Q02: the unit spelled with a full-width space and 办事处; deadline before found (written directly,
    # as an older importer would have let it through).
    """insert into problems (problem_id, source, found_at, category, district, street, unit_name, due_on, status,
        lng, lat, first_import_id, last_import_id, changed_import_id)
       values ('Q02', '市民投诉', '2026-06-08 09:00', '占道经营', '广陵区', '东关街道', '东关　街道办事处',
        '2026-06-01', 'pending', 119.44, 32.39, 7, 7, 7)""",
    # Q03: 邗江区, blank category (spaces), unit '蒋王街道' spelled with a half-width space.
    """insert into problems (problem_id, source, found_at, category, district, street, unit_name, due_on, status,
        lng, lat, first_import_id, last_import_id, changed_import_id)
       values ('Q03', '暗访', '2026-06-09 09:00', '  ', '邗江区', '蒋王街道', '蒋王 街道', '2026-06-20', 'pending',
        119.39, 32.37, 7, 7, 7)""",
    # The hotline export also carried P12 (in the office's export of the same day) in another state.
    """insert into problem_history values ('P12', 7, '2026-06-10', 'pending', '东关街道', '2026-06-15', null, null, 0)""",
    "insert into problem_history values ('Q01', 7, '2026-06-10', 'pending', null, null, null, null, 0)",
    "insert into problem_history values ('Q02', 7, '2026-06-10', 'pending', '东关　街道办事处', '2026-06-01', null, null, 0)",
    "insert into problem_history values ('Q03', 7, '2026-06-10', 'pending', '蒋王 街道', '2026-06-20', null, null, 0)",
    # Rows the importer refused in that file: a repeated id and a deadline before the found date.
    """insert into import_rejects values (7, 5, '工单号', 'Q01', '与第 2 行重复，只保留第一行', true),
        (7, 6, '办结时限', '2026-05-01', '整改时限早于发现时间（2026-06-09）', true)""",
    # A refused row of an older export: not counted (the latest export of D is what matters).
    "insert into import_rejects values (3, 9, '问题编号', 'P02', '与第 3 行重复，只保留第一行', true)",
]


pytestmark = pytest.mark.usefixtures("fresh_caches")  # tests/conftest.py


@pytest.fixture
def faulty_db_dir(tiny_db_dir):
    """The tiny world plus FAULTS, derived again, as a published store."""
    con = duckdb.connect(str(tiny_db_dir / TINY_STORE_FILE), config=queries.CONFIG)
    try:
        for statement in FAULTS:
            con.execute(statement)
        queries.execute(con, "write/derive", rebound_days=TINY_REBOUND_DAYS, rebound_radius_m=TINY_REBOUND_RADIUS_M, **TINY_DEFAULT_SPOT)
        con.execute("checkpoint")
    finally:
        con.close()
    return tiny_db_dir


def counts(directory, district: str | None = None) -> dict:
    con = readers.open_reader(directory / TINY_STORE_FILE)
    chosen = filters.make(district=[district]) if district else filters.NO_FILTERS
    try:
        frame = readers.run(con, "quality_checks", as_of=TINY_AS_OF, due_soon_days=3, filters=chosen)
    finally:
        con.close()
    return dict(zip(frame["check_key"], frame["count_rows"]))


def rows(directory, check_key: str) -> list[tuple]:
    con = readers.open_reader(directory / TINY_STORE_FILE)
    try:
        frame = readers.run(con, "quality_rows", as_of=TINY_AS_OF, due_soon_days=3, filters=filters.NO_FILTERS,
                       check_key=check_key)
    finally:
        con.close()
    return [tuple(r) for r in frame[["problem_id", "unit_name", "file_name", "row_number", "detail"]]
            .astype(object).where(frame.notna(), None).itertuples(index=False)]


def test_the_tiny_world(tiny_db_dir):
    # No deadline: P04 P09. No location: P06 P14 P20. Closed with no close time: P14. Nothing else.
    assert counts(tiny_db_dir) == {
        "missing_unit": 0, "missing_deadline": 2, "missing_category": 0, "missing_location": 3,
        "duplicate_id": 0, "deadline_before_found": 0, "closed_without_close_time": 1, "unit_spellings": 0,
        "default_spot": 0, "no_indicator": 0}
    assert [r[0] for r in rows(tiny_db_dir, "missing_deadline")] == ["P04", "P09"]
    assert [r[0] for r in rows(tiny_db_dir, "closed_without_close_time")] == ["P14"]


def test_the_faults_are_each_counted(faulty_db_dir):
    assert counts(faulty_db_dir) == {
        "missing_unit": 1,               # Q01
        "missing_deadline": 3,           # P04 P09 Q01
        "missing_category": 2,           # Q01, Q03 (only spaces)
        "missing_location": 4,           # P06 P14 P20 Q01
        "duplicate_id": 2,               # P12 in two exports of D that disagree; Q01 repeated in the hotline file
        "deadline_before_found": 2,      # Q02 in the store; the refused row 6 of the hotline file
        "closed_without_close_time": 1,  # P14
        "unit_spellings": 4,             # 东关街道 / 东关　街道办事处, 蒋王街道 / 蒋王 街道
        "default_spot": 0,               # no coordinate shared by 50 problems
        "no_indicator": 0,               # no indicator list
    }


def test_the_rows_behind_a_count(faulty_db_dir):
    assert rows(faulty_db_dir, "duplicate_id") == [
        ("Q01", None, "问题台账20260610-热线.xlsx", 5, "导入时未导入此行：工单号 “Q01” 与第 2 行重复，只保留第一行"),
        ("P12", "东关街道", "问题台账20260610-热线.xlsx、问题台账20260610.xlsx", None,
         "同一导出日期的几个文件都有此编号，且内容不一致"),
    ]
    assert [(r[0], r[3]) for r in rows(faulty_db_dir, "deadline_before_found")] == [(None, 6), ("Q02", None)]
    assert [r[1] for r in rows(faulty_db_dir, "unit_spellings")] == ["东关　街道办事处", "东关街道", "蒋王 街道", "蒋王街道"]
    assert rows(faulty_db_dir, "unit_spellings")[1][4] == "可能是同一单位：东关　街道办事处、东关街道（本写法 5 个问题）"


def test_a_district_sees_only_its_own_problems_and_no_file_rows(faulty_db_dir):
    assert counts(faulty_db_dir, "邗江区") == {
        "missing_unit": 0, "missing_deadline": 0, "missing_category": 1, "missing_location": 1,  # Q03; P14
        "duplicate_id": 0, "deadline_before_found": 0, "closed_without_close_time": 1, "unit_spellings": 2,
        "default_spot": 0, "no_indicator": 0}


def open_quality_page(login=None, **url) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["as_of"] = TINY_AS_OF.isoformat()
    at.query_params.update(url)
    if login:
        at.session_state[access.SESSION_KEY] = login
    at.run()
    at.switch_page("pages/quality.py").run()
    assert not at.exception
    return at


def test_the_page_shows_every_count_and_the_rows_of_the_chosen_one(faulty_db_dir, monkeypatch):
    monkeypatch.setenv("COCKPIT_DB", str(faulty_db_dir))
    at = open_quality_page()
    assert {m.label: m.value for m in at.metric} == {
        "无责任单位": "1", "无整改时限": "3", "无问题类别": "2", "无法定位": "4",
        "问题编号重复": "2", "时限早于发现": "2", "销号无时间": "1", "单位名称多种写法": "4",
        "大量问题共用同一坐标": "0", "对不上测评指标": "0"}
    assert at.segmented_control[0].value == "missing_unit"  # the first check with something to fix
    assert at.dataframe[0].value[["problem_id", "state"]].values.tolist() == [["Q01", "待整改"]]
    at.segmented_control[0].set_value("unit_spellings").run()
    assert at.subheader[0].value == "单位名称多种写法（4）"
    assert at.dataframe[0].value["unit_name"].tolist() == ["东关　街道办事处", "东关街道", "蒋王 街道", "蒋王街道"]
    assert [b.label for b in at.get("download_button")] == ["导出 Excel", "导出 CSV"]


def test_a_district_login_sees_its_own_counts_on_the_page(faulty_db_dir, monkeypatch):
    monkeypatch.setenv("COCKPIT_DB", str(faulty_db_dir))
    at = open_quality_page(login=access.User("赵强", "staff", "邗江区"))
    assert {m.label: m.value for m in at.metric}["无问题类别"] == "1"
    assert {m.label: m.value for m in at.metric}["问题编号重复"] == "0"


def test_the_page_on_an_empty_store_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("COCKPIT_DB", str(tmp_path / "nothing-yet"))
    at = open_quality_page()
    assert [i.value for i in at.info] == [widgets.EMPTY_MESSAGE] and not at.metric
