"""Security: hostile text from the URL, the filters and the files.

- Values reach SQL only as bound parameters: classic injection strings through every URL parameter
  of every page, and as real data values chosen in the filters, match literally and change nothing.
- Text from files is shown escaped: map tooltips and popups, and exports and the bulletin cannot run
  a formula when opened in Excel (a cell beginning with =, +, - or @).
- Uploaded file names cannot write outside the import folder; the upload size is limited by a setting.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from cockpit.draw import maps
from cockpit.ingest.reading import ImportRefused, safe_file_name, save_upload
from cockpit.ingest.writing import import_files
from cockpit.outputs import bulletin, exports
from cockpit.store import readers, versions
from cockpit.vocab import filters
from tests.browser import ROOT
from tests.test_import import HEADERS_A, SETTINGS

INJECTIONS = ["' OR 1=1 --", "'; DROP TABLE problems; --", "%' --", "\"", "\\", "\\'; --",
              "1; SELECT * FROM read_csv('/etc/passwd') --", "城东区' OR '1'='1", "𠀀😀\u202e‮測試",
              "$filters", "?", "${alert(1)}", "![x](http://evil.example/x.png)", "[点我](http://evil.example)"]
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
AS_OF = date(2026, 6, 1)

# Every parameter a page reads from the URL (bound widgets and st.query_params), and the filters.
URL_PARAMS = ["as_of", "found", *filters.DIMENSIONS, "heat", "by", "list", "group", "q", "problem", "point",
              "round", "rank_by", "circle", "pool", "who", "place", "card", "check", "pages", "interval",
              "area", "leader", "missing"]
PAGES = ["pages/progress.py", "pages/hotspots.py", "pages/rankings.py", "pages/countdown.py", "pages/points.py",
         "pages/brief.py", "pages/quality.py", "pages/definitions.py", "pages/areas.py"]


def write_rows(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def hostile_problem(pid: str, unit: str, description: str, **more) -> list[str]:
    row = {h: "" for h in HEADERS_A}
    row.update({"问题编号": pid, "问题来源": "暗访", "发现时间": "2026-05-01 09:00", "问题类别": "市容环境",
                "问题描述": description, "测评点位": "长乐路", "区县": "城东区", "街道": "东关街道", "责任单位": unit,
                "交办时间": "2026-05-01", "整改时限": "2026-05-05", "整改状态": "整改中", "经度": "108.95",
                "纬度": "34.27"}, **more)
    return [row[h] for h in HEADERS_A]


# Names lose their spaces on import, so these injections use none (/**/ is a space to SQL).
HOSTILE_UNITS = ["'OR'1'='1'--", "';DROP/**/TABLE/**/problems;--", "%'--", "=HYPERLINK(\"http://evil.example\",\"点我\")"]


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory):
    """A store imported from files full of hostile text: units, descriptions, places and points."""
    folder = tmp_path_factory.mktemp("hostile")
    problems = [hostile_problem(f"H{i}", unit, text) for i, (unit, text) in enumerate(zip(
        HOSTILE_UNITS, [SCRIPT, IMG, "+cmd|' /C calc'!A0", "@SUM(1)"]))]
    problems.append(hostile_problem("H9", "市城管局", "-2+3", 测评点位=IMG, 问题类别=SCRIPT, 街道=IMG))
    points = [["D1", IMG, SCRIPT, "城东区", "东关街道", "108.95", "34.27", "=1+1", "@单位", "是"]]
    store = folder / "store"
    result = import_files([
        write_rows(folder / "问题台账_20260520.csv", HEADERS_A, problems),
        write_rows(folder / "点位.csv", ["点位编号", "点位名称", "点位类型", "区县", "街道", "经度", "纬度", "点位长",
                                        "包抓单位", "是否重点点位圈"], points),
    ], db_directory=store, settings=SETTINGS)
    assert [o.status for o in result.outcomes] == ["imported", "imported"]
    return store


def store_state(store: Path) -> tuple:
    live = versions.current_file(store)
    con = readers.open_reader(live)
    try:
        counts = con.execute("select (select count(*) from problems), (select count(*) from points), "
                             "(select count(*) from imports)").fetchone()
    finally:
        con.close()
    return (store / versions.POINTER).read_text(encoding="utf-8"), hashlib.sha256(live.read_bytes()).hexdigest(), counts


def run(store: Path, name: str, **params):
    con = readers.open_reader(versions.current_file(store))
    try:
        return readers.run(con, name, **params)
    finally:
        con.close()


# ---- bound parameters ------------------------------------------------------------------------------

@pytest.mark.parametrize("unit", HOSTILE_UNITS)
def test_a_hostile_unit_name_chosen_in_the_filter_matches_itself_only(hostile_store, unit):
    chosen = filters.make(unit=[unit])
    summary = run(hostile_store, "progress_summary", as_of=AS_OF, due_soon_days=3, filters=chosen)
    assert summary.at[0, "count_found"] == 1
    listed = run(hostile_store, "problem_list", as_of=AS_OF, due_soon_days=3, filters=chosen, list_kind="all",
                 dimension="unit", group_name=unit, search="", stale_days=7, limit=100)
    assert listed["unit_name"].tolist() == [unit]


@pytest.mark.parametrize("text", INJECTIONS)
def test_injection_strings_in_every_filter_and_the_search_match_nothing(hostile_store, text):
    before = store_state(hostile_store)
    for dimension in filters.DIMENSIONS:
        chosen = filters.make(**{dimension: [text + "x"]})
        summary = run(hostile_store, "progress_summary", as_of=AS_OF, due_soon_days=3, filters=chosen)
        assert summary.at[0, "count_found"] == 0, dimension
    listed = run(hostile_store, "problem_list", as_of=AS_OF, due_soon_days=3, filters=filters.NO_FILTERS,
                 list_kind="all", dimension="unit", group_name=text, search=text + "x", stale_days=7, limit=100)
    assert listed.empty
    assert store_state(hostile_store) == before


def test_search_finds_hostile_text_literally(hostile_store):
    listed = run(hostile_store, "problem_list", as_of=AS_OF, due_soon_days=3, filters=filters.NO_FILTERS,
                 list_kind="all", dimension="", group_name="", search="'OR'1'='1'--", stale_days=7, limit=100)
    assert listed["problem_id"].tolist() == ["H0"]


@pytest.fixture
def pages_on_hostile_store(hostile_store, monkeypatch):
    monkeypatch.setenv("COCKPIT_DB", str(hostile_store))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield hostile_store
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.mark.parametrize("page", PAGES)
def test_injection_strings_through_every_url_parameter_of_every_page(pages_on_hostile_store, page):
    before = store_state(pages_on_hostile_store)
    for turn in range(3):
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        for i, name in enumerate(URL_PARAMS):
            at.query_params[name] = INJECTIONS[(turn * 5 + i) % len(INJECTIONS)]
        if turn:
            at.query_params["as_of"] = AS_OF.isoformat()  # past the date check, so every widget is reached
        at.run()
        at.switch_page(page).run()
        assert not at.exception, (page, turn, [e.value for e in at.exception])
        for box in at.text_input:  # the hostile text reached the page's own inputs unchanged
            if box.key in URL_PARAMS:
                assert box.value == at.query_params[box.key]
        shown = [e.value for kind in (at.markdown, at.caption, at.subheader, at.warning, at.info, at.error, at.success)
                 for e in kind]
        assert not [s for s in shown if "](http://evil" in s], (page, turn)  # never a live link or outside image
    assert store_state(pages_on_hostile_store) == before


# ---- text from files shown escaped ---------------------------------------------------------------

def test_map_tooltips_and_popups_show_file_text_escaped(hostile_store):
    def query(name, **params):
        return run(hostile_store, name, **params)

    layers = maps.layer_inputs(query, as_of=AS_OF, due_soon_days=3, pass_score=85, filters=filters.NO_FILTERS,
                               states=[])
    assert len(layers["points"]) == 1 and layers["cells"]["count_problems"].sum() == 5
    page = maps.hotspot_map(layers["cells"], center=(34.27, 108.95), zoom=12, points=layers["points"],
                            rebounds=layers["rebounds"]).map.get_root().render()
    for raw in (SCRIPT, IMG, "<img", "<script>alert"):
        assert raw not in page
    # The point's name (spaces dropped, as names are) and type, escaped, in its popup row.
    assert '"&lt;imgsrc=xonerror=alert(1)&gt;","（&lt;script&gt;alert(1)&lt;/script&gt;）"' in page


def test_exports_of_a_hostile_list_cannot_run_formulas(hostile_store):
    listed = run(hostile_store, "problem_list", as_of=AS_OF, due_soon_days=3, filters=filters.NO_FILTERS,
                 list_kind="all", dimension="", group_name="", search="", stale_days=7, limit=100)
    columns = {"problem_id": "问题编号", "unit_name": "责任单位", "description": "问题描述"}
    book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(listed, columns, "清单", [("筛选", "=1+1")])))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    # In the workbook the text stays as typed and carries Excel's quote-prefix style.
    formulas = {"=HYPERLINK(\"http://evil.example\",\"点我\")", "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "=1+1"}
    texts = {c.value for c in cells}
    assert formulas | {SCRIPT, IMG} <= texts
    assert all(c.quotePrefix for c in cells if c.value in formulas)
    rows = list(csv.reader(io.StringIO(exports.to_csv(listed, columns).decode("utf-8-sig"))))
    values = {v for row in rows for v in row}
    assert {"'=HYPERLINK(\"http://evil.example\",\"点我\")", "'+cmd|' /C calc'!A0", "'@SUM(1)", "'-2+3"} <= values
    assert not any(v.startswith(("=", "+", "-", "@")) for v in values)


def test_the_bulletin_keeps_hostile_text_as_text(hostile_store):
    con = readers.open_reader(versions.current_file(hostile_store))
    try:
        rules = SETTINGS.ranking_rules
        ranking = readers.run(con, "unit_ranking", as_of=AS_OF, due_soon_days=3, weeks=2, rules=rules)
        summary = readers.run(con, "progress_summary", as_of=AS_OF, due_soon_days=3, filters=filters.NO_FILTERS).iloc[0]
        overdue = readers.run(con, "problem_list", as_of=AS_OF, due_soon_days=3, filters=filters.NO_FILTERS,
                         list_kind="overdue", dimension="", group_name="", search="", stale_days=7, limit=1000)
    finally:
        con.close()
    this_week = ranking[ranking.weeks_back == 0]
    assert len(overdue) == 5
    book = openpyxl.load_workbook(io.BytesIO(bulletin.bulletin_xlsx("示范市", AS_OF, summary.to_dict(), this_week,
                                                                    overdue, [])))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type != "f" for c in cells)
    assert all(c.quotePrefix for c in cells if c.value.startswith(("=", "+", "-", "@")))
    assert "=HYPERLINK(\"http://evil.example\",\"点我\")" in {c.value for c in cells}
    document = docx.Document(io.BytesIO(bulletin.bulletin_docx("示范市", AS_OF, summary.to_dict(), this_week, overdue)))
    words = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert {SCRIPT, "=HYPERLINK(\"http://evil.example\",\"点我\")"} <= words  # Word shows text; it runs nothing


# ---- uploads ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,saved", [
    ("../../etc/cron.d/evil.csv", "evil.csv"),
    ("..\\..\\Windows\\System32\\台账.xlsx", "台账.xlsx"),
    ("/abs/path/问题台账.csv", "问题台账.csv"),
    ("C:\\Users\\clerk\\Desktop\\导出.xlsx", "导出.xlsx"),
    ("a<b>c:d|e?f*g\"h.csv", "a_b_c_d_e_f_g_h.csv"),
    ("nul\x00byte.csv", "nul_byte.csv"),
    ("  台账 .xlsx ", "台账.xlsx"),
    ("..csv", "上传文件.csv"),
    ("\u3000.csv", "上传文件.csv"),
])
def test_uploaded_names_stay_inside_the_import_folder(tmp_path, name, saved):
    folder = tmp_path / "uploads"
    path = save_upload(name, b"data", folder, SETTINGS)
    assert path == folder / saved and path.read_bytes() == b"data"
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [path]


def test_an_upload_never_overwrites_another(tmp_path):
    first = save_upload("台账.csv", b"one", tmp_path, SETTINGS)
    second = save_upload("sub/台账.csv", b"two", tmp_path, SETTINGS)
    assert (first.name, second.name) == ("台账.csv", "台账(2).csv")
    assert (first.read_bytes(), second.read_bytes()) == (b"one", b"two")


def test_a_long_name_is_cut_keeping_its_type():
    assert len(safe_file_name("问" * 300 + ".xlsx")) == 100 and safe_file_name("问" * 300 + ".xlsx").endswith(".xlsx")


@pytest.mark.parametrize("name,data,message", [
    ("大文件.csv", b"x" * (2 << 20), "文件大小 2 MB，超过设置的上限 1 MB；请按月份或区县分成几个文件导出"),
    ("脚本.sh", b"rm -rf /", "不支持的文件类型“.sh”，请导出为 .xlsx 或 .csv"),
    ("网页.html", b"<script>", "不支持的文件类型“.html”，请导出为 .xlsx 或 .csv"),
    (".bashrc", b"x", "不支持的文件类型“.bashrc”，请导出为 .xlsx 或 .csv"),
])
def test_uploads_too_big_or_of_other_types_are_refused_and_not_written(tmp_path, name, data, message):
    with pytest.raises(ImportRefused) as refused:
        save_upload(name, data, tmp_path / "uploads", replace(SETTINGS, max_file_mb=1))
    assert str(refused.value) == message
    assert not any(p.is_file() for p in tmp_path.rglob("*"))
