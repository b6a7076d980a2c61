"""The 数据导入 page on real platforms' exports and damaged files, through AppTest on a copy of the tiny
world: a known platform's new status word mapped and remembered, a day-first platform, a refused
file's reasons by column, and a damaged sheet in the same upload as a good file."""

from __future__ import annotations

import zipfile
from datetime import date, datetime

import pandas as pd
import pytest
import xlsxwriter

from cockpit.demo import dialects
from cockpit.demo.world import STATUS_WORDS, UNKNOWN_STATUS_WORD
from cockpit.ingest import parse, staging
from cockpit.ingest.mapping import add_to_mapping, load_mapping
from cockpit.store import readers, versions
from tests.test_bad_inputs import DAMAGED, problem
from tests.test_hostile_sheets import _truncated_sheet
from tests.test_import import HEADERS_A, write_xlsx
from tests.test_platform_dates import US_HEADERS, US_ROWS, us_mapping
from tests.test_import_page import (XLSX_MIME, click, markdown, metrics, open_imports, snapshot,
                                    store, upload)  # noqa: F401  (store is a fixture)

pytestmark = pytest.mark.usefixtures("fresh_caches")  # tests/conftest.py

# 城西区's platform (the demo's dialect): built-in headers, GBK with Windows line ends, its own status
# words, and in this export one word no mapping knows (the demo's 已挂起).
CHENGXI_HEADERS = ["工单编号", "来源", "上报时间", "问题类型", "小类", "所属区县", "所属街道", "承办单位", "截止时间",
                   "办理状态", "lng", "lat"]
PENDING, IN_PROGRESS, _CHECK, CLOSED, _RETURNED = STATUS_WORDS["城西区"]


def chengxi_csv(name: str, rows: list[tuple[str, str, str]]) -> tuple[str, bytes, str]:
    """rows: (id, found, status word); the other cells as 城西区 writes them."""
    lines = [",".join(CHENGXI_HEADERS)] + [
        f"{pid},暗访,{found},乱堆乱放,垃圾堆放,广陵区,东关街道,东关街道,2026/6/21,{word},119.437,32.394"
        for pid, found, word in rows]
    return name, ("\r\n".join(lines) + "\r\n").encode("gbk"), "text/csv"


def csv_bytes(rows: list[list[str]]) -> bytes:
    return ("\n".join(",".join(r) for r in [HEADERS_A, *rows]) + "\n").encode("utf-8")


def us_csv() -> bytes:
    return ("\n".join(",".join(r) for r in [US_HEADERS, *US_ROWS]) + "\n").encode("utf-8")


def table(store, sql: str) -> list[tuple]:
    con = readers.open_reader(versions.current_file(store))  # configured as the page's reader
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def problems_by_id(store, prefix: str) -> dict[str, str]:
    return {r[0]: r[16] for r in snapshot(store)["problems"] if r[0].startswith(prefix)}


def test_a_built_in_platforms_new_status_word_is_saved_as_its_own_mapping_and_remembered(store):
    rows = [("CX1", "2026/6/14 8:00", PENDING), ("CX2", "2026/6/14 8:30", IN_PROGRESS),
            ("CX3", "2026/6/14 9:00", CLOSED), ("CX4", "2026/6/14 9:30", PENDING),
            ("CX5", "2026/6/14 10:00", PENDING), ("CX6", "2026/6/14 10:30", UNKNOWN_STATUS_WORD)]
    at = upload(open_imports(), chengxi_csv("工单明细_城西区_20260615.csv", rows))
    assert "**工单明细_城西区_20260615.csv** · 问题台账 · 表头映射：内置映射" in markdown(at)
    assert metrics(at) == [("读取行数", "6"), ("可导入", "5"), ("有误未导入", "1"), ("无位置（照常导入）", "0")]
    tag = at.session_state["import_preview"]["files"][0].prepared.file_hash[:12]
    assert any(m.startswith("**为该平台保存映射**：这个文件按内置表头识别，但有驾驶舱不认识的用语。") for m in markdown(at))
    word = at.selectbox(key=f"teach_{tag}_status_0")
    assert word.label == f"“{UNKNOWN_STATUS_WORD}”"

    # No platform name: nothing saved, the clerk told why.
    word.select("pending")
    click(at, f"teach_save_{tag}")
    assert at.error[-1].value.startswith("映射没有保存。请填写平台名称")
    assert not (store / "mappings").exists()

    at.text_input(key=f"teach_name_{tag}").input("城西区城管平台")
    click(at, f"teach_save_{tag}")
    assert at.success[0].value.startswith("已保存“城西区城管平台”的映射（城西区城管平台.toml）")
    saved = load_mapping(store / "mappings" / "城西区城管平台.toml")
    assert saved.values == {"problem_status": {"pending": [UNKNOWN_STATUS_WORD]}}
    assert saved.headers["problems"] == {
        "problem_id": ["工单编号"], "source": ["来源"], "found_at": ["上报时间"], "category": ["问题类型"],
        "subcategory": ["小类"], "district": ["所属区县"], "street": ["所属街道"], "unit_name": ["承办单位"],
        "due_on": ["截止时间"], "status": ["办理状态"], "lng": ["lng"], "lat": ["lat"]}
    assert (saved.coordinate_system, saved.date_order) == ("wgs84", "ymd")  # the built-in's, as the file was read
    assert "**工单明细_城西区_20260615.csv** · 问题台账 · 表头映射：城西区城管平台" in markdown(at)
    assert metrics(at) == [("读取行数", "6"), ("可导入", "6"), ("有误未导入", "0"), ("无位置（照常导入）", "0")]
    click(at, "import_confirm")
    assert problems_by_id(store, "CX") == {"CX1": "pending", "CX2": "in_progress", "CX3": "closed",
                                           "CX4": "pending", "CX5": "pending", "CX6": "pending"}

    # The next export: the word is known. Another platform's file sharing one of its headers (小类)
    # is still read by the built-in mapping, not claimed by this one.
    later = chengxi_csv("工单明细_城西区_20260616.csv", [("CX6", "2026/6/14 10:30", CLOSED),
                                                    ("CX7", "2026/6/15 9:00", UNKNOWN_STATUS_WORD)])
    other = ("问题台账_城东区_20260616.csv", ("问题编号,发现时间,小类,整改状态,责任单位\r\n"
                                          "CD1,2026-06-15 09:00,垃圾堆放,待整改,东关街道\r\n").encode("gbk"), "text/csv")
    at = upload(at, later, other)
    assert not at.warning and not at.error
    assert not any(m.startswith("**为该平台保存映射") for m in markdown(at))
    assert "**工单明细_城西区_20260616.csv** · 问题台账 · 表头映射：城西区城管平台" in markdown(at)
    assert "**问题台账_城东区_20260616.csv** · 问题台账 · 表头映射：内置映射" in markdown(at)
    assert metrics(at) == [("读取行数", "2"), ("可导入", "2"), ("有误未导入", "0"), ("无位置（照常导入）", "0"),
                           ("读取行数", "1"), ("可导入", "1"), ("有误未导入", "0"), ("无位置（照常导入）", "1")]
    click(at, "import_confirm")
    assert problems_by_id(store, "CX") == {"CX1": "pending", "CX2": "in_progress", "CX3": "closed",
                                           "CX4": "pending", "CX5": "pending", "CX6": "closed", "CX7": "pending"}
    assert problems_by_id(store, "CD") == {"CD1": "pending"}


def test_the_demos_chengxi_export_learns_its_suspended_word_on_the_page(store, tmp_path):
    """The demo's own 城西区 export as the generator writes it: 3 of its 90 rows say 已挂起, and naming
    the word brings back exactly those 3."""
    end = date(2026, 6, 15)
    dialects.write_demo(tmp_path / "demo", scale=300, end=end)
    path = dialects.problem_file_paths(tmp_path / "demo" / "exports", end)[1]
    frame = pd.read_csv(path, encoding="gbk", dtype=str)
    suspended = frame.loc[frame["办理状态"] == UNKNOWN_STATUS_WORD, "工单编号"].tolist()
    assert len(suspended) == 3
    at = upload(open_imports(), (path.name, path.read_bytes(), "text/csv"))
    assert f"**{path.name}** · 问题台账 · 表头映射：内置映射" in markdown(at)
    assert metrics(at) == [("读取行数", "90"), ("可导入", "87"), ("有误未导入", "3"), ("无位置（照常导入）", "0")]
    tag = at.session_state["import_preview"]["files"][0].prepared.file_hash[:12]
    assert at.selectbox(key=f"teach_{tag}_status_0").label == f"“{UNKNOWN_STATUS_WORD}”"
    at.selectbox(key=f"teach_{tag}_status_0").select("pending")
    at.text_input(key=f"teach_name_{tag}").input("城西区城管平台")
    click(at, f"teach_save_{tag}")
    assert f"**{path.name}** · 问题台账 · 表头映射：城西区城管平台" in markdown(at)
    assert metrics(at) == [("读取行数", "90"), ("可导入", "90"), ("有误未导入", "0"), ("无位置（照常导入）", "0")]
    click(at, "import_confirm")
    statuses = problems_by_id(store, "")
    assert len([i for i in frame["工单编号"] if i in statuses]) == 90
    assert [statuses[i] for i in suspended] == ["pending"] * 3


def test_a_refused_file_shows_its_main_reasons_by_column_with_counts_and_an_example(store):
    rows = ([problem(f"B{i}", 发现时间="2026/5/1 25:00") for i in range(3)]
            + [problem(f"C{i}", 整改时限="2026/2/30") for i in range(2)] + [problem("G1")])
    before = snapshot(store)
    at = upload(open_imports(), ("坏时间_20260615.csv", csv_bytes(rows), "text/csv"))
    assert [e.value for e in at.error] == [
        "不能导入：坏行 5 行，占 83%，超过设置的 20%，整个文件未导入。主要原因："
        f"发现时间 {parse._IMPOSSIBLE_TIME} 3 行，如 2026/5/1 25:00；"
        "整改时限 日期不存在（月或日超出范围，如2月30日） 2 行，如 2026/2/30。请按问题清单修正后重新导入"]
    # 5 rows are wrong; the sixth is not imported either, the file being refused whole
    assert metrics(at) == [("读取行数", "6"), ("可导入", "0"), ("有误未导入", "5"), ("无位置（照常导入）", "0")]
    assert at.button(key="import_confirm").disabled
    # the bad cells themselves, row by row, as the rejects workbook has them
    issues = next(d.value for d in at.dataframe if "行号" in d.value.columns)
    assert issues[["行号", "列", "原值"]].values.tolist() == [
        [2, "发现时间", "2026/5/1 25:00"], [3, "发现时间", "2026/5/1 25:00"], [4, "发现时间", "2026/5/1 25:00"],
        [5, "整改时限", "2026/2/30"], [6, "整改时限", "2026/2/30"]]
    assert snapshot(store) == before


def test_a_damaged_sheet_uploaded_with_a_good_file_is_named_and_the_good_file_imports(store, tmp_path):
    damaged = _truncated_sheet(write_xlsx(tmp_path / "原样.xlsx", HEADERS_A, [problem(f"D{i}") for i in range(50)]),
                               tmp_path / "损坏.xlsx")
    with zipfile.ZipFile(damaged) as archive:  # a valid zip: the damage is inside the sheet's XML
        assert archive.testzip() is None
    before = snapshot(store)
    at = upload(open_imports(), ("损坏_20260615.xlsx", damaged.read_bytes(), XLSX_MIME),
                ("好_20260615.csv", csv_bytes([problem("OK1")]), "text/csv"))
    assert [e.value for e in at.error] == [f"不能导入：{DAMAGED}"]
    assert "**损坏_20260615.xlsx**" in markdown(at)
    assert at.button(key="import_confirm").label == "确认导入（1 个文件）"
    click(at, "import_confirm")
    assert not at.exception and not at.error
    assert at.success[0].value.split("  \n") == ["好_20260615.csv：问题台账，导入 1 行",
                                                "所有页面已按新数据显示。如有错误，可在“导入记录”中撤销这次导入。"]
    after = snapshot(store)
    assert problems_by_id(store, "OK") == {"OK1": "closed"}
    assert not problems_by_id(store, "D")
    assert [r for r in after["problems"] if r not in before["problems"]] == [
        r for r in after["problems"] if r[0] == "OK1"]
    assert [r[2] for r in after["imports"] if r not in before["imports"]] == ["好_20260615.csv"]


# ---- the first guesses of the mapping drop-downs (staging, as mapping_form uses them) ------------

def test_the_drop_downs_guess_coordinates_dates_and_codes_from_what_the_columns_hold():
    headers = ["流水", "受理日期", "内容", "X", "Y", "当前状态"]
    values = {"流水": ["WX2026001", "WX2026002"], "受理日期": ["2026-06-01 08:00", "2026/6/2 下午 3:00"],
              "内容": ["垃圾", "占道"], "X": ["119.437", "119.440"], "Y": ["32.394", "32.400"],
              "当前状态": ["待处理", "已办结"]}
    assert staging.suggested_columns(headers, "problems", values) == {
        "status": "当前状态",     # holds the built-in header 状态
        "problem_id": "流水",     # distinct codes
        "found_at": "受理日期",   # the first column of dates
        "lng": "X", "lat": "Y",   # decimals in China's longitude and latitude ranges
    }
    assert staging.suggested_columns(headers, "problems") == {"status": "当前状态"}  # by the headers alone


@pytest.mark.parametrize("cells,guess", [
    (["13/01/2015 9:00", "01/02/2015"], "dmy"),   # a first part above 12 is a day
    (["01/13/2015 9:00 PM", "01/02/2015"], "mdy"),
    (["01/05/2015", "1/1/20 0:05"], None),         # either way possible: the clerk says
    (["13/01/2015", "01/13/2015"], None),           # contradicting: not guessed either
    (["2015/01/05", "2015-1-5 下午 4:00"], "ymd"),
])
def test_the_date_order_is_preselected_only_where_the_values_prove_it(cells, guess):
    assert staging.suggested_date_order({"受理日期": cells, "内容": ["垃圾"]}) == guess


def test_cells_merged_down_are_said_in_the_preview_and_imported_filled(store, tmp_path):
    path = tmp_path / "合并_20260615.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("台账")
    sheet.write_row(0, 0, HEADERS_A)
    for at in range(1, 5):  # Excel's rows 2-5
        sheet.write_row(at, 0, problem(f"MG{at}", 责任单位=""))
    sheet.merge_range(1, HEADERS_A.index("责任单位"), 4, HEADERS_A.index("责任单位"), "市城管局")
    book.close()
    at = upload(open_imports(), (path.name, path.read_bytes(), XLSX_MIME))
    assert [i.value for i in at.info] == ["第 2–5 行的“责任单位”是合并单元格，已按合并内容填充"]
    assert metrics(at) == [("读取行数", "4"), ("可导入", "4"), ("有误未导入", "0"), ("无位置（照常导入）", "0")]
    click(at, "import_confirm")
    assert table(store, "select problem_id, unit_name from problems where problem_id like 'MG%' order by 1") == [
        ("MG1", "市城管局"), ("MG2", "市城管局"), ("MG3", "市城管局"), ("MG4", "市城管局")]


# ---- a saved platform taught its date order on the page -----------------------------------------

def test_a_saved_platform_without_date_order_is_taught_it_on_the_page(store):
    (store / "mappings").mkdir()
    saved = us_mapping(store / "mappings", None)
    at = upload(open_imports(), ("us_cases_20260601.csv", us_csv(), "text/csv"))
    assert "**us_cases_20260601.csv** · 问题台账 · 表头映射：美式平台" in markdown(at)
    assert at.error[0].value.startswith("不能导入：坏行 3 行，占 100%，超过设置的 20%，整个文件未导入。主要原因："
                                        f"OPEN_DT {parse.ORDER_NEEDED} 3 行，如 01/05/2015 12:40:41 PM")
    tag = at.session_state["import_preview"]["files"][0].prepared.file_hash[:12]
    assert any(m.startswith("**补充映射“美式平台”**（us.toml）") for m in markdown(at))
    order = at.selectbox(key=f"teach_order_{tag}")
    assert order.value is None and order.options == [parse.DATE_ORDER_LABELS[o] for o in ("mdy", "dmy")]
    order.select("mdy")
    click(at, f"teach_save_{tag}")
    assert at.success[0].value.startswith("已把选择保存到“美式平台”的映射（us.toml）")
    assert load_mapping(saved).date_order == "mdy"
    assert metrics(at) == [("读取行数", "3"), ("可导入", "3"), ("有误未导入", "0"), ("无位置（照常导入）", "3")]
    click(at, "import_confirm")
    assert table(store, "select problem_id, found_at, rectified_at, status from problems "
                        "where problem_id like 'C%' order by 1") == [
        ("C1", datetime(2015, 1, 5, 12, 40, 41), datetime(2015, 1, 6, 9, 15), "closed"),
        ("C2", datetime(2015, 1, 25, 0, 5), None, "pending"),
        ("C3", datetime(2015, 12, 31, 23, 59, 59), None, "pending")]


def test_a_date_order_written_into_a_mapping_replaces_its_line_and_keeps_the_rest(tmp_path):
    path = tmp_path / "us.toml"
    path.write_text('# 美式平台：手写的映射\nname = "美式平台"\ndate_order = "ymd"  # 以前以为年在前\n\n'
                    '[problems.headers]\nproblem_id = ["CASE_ID"]\n', encoding="utf-8")
    add_to_mapping(load_mapping(path), {}, "dmy")
    assert path.read_text(encoding="utf-8") == ('# 美式平台：手写的映射\nname = "美式平台"\ndate_order = "dmy"\n\n'
                                                '[problems.headers]\nproblem_id = ["CASE_ID"]\n')
    assert load_mapping(path).date_order == "dmy"
