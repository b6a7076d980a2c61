"""Tests of cockpit.exports: write real .xlsx and .csv bytes, read them back and check every cell."""

import csv
import io
from datetime import date, datetime

import numpy as np
import openpyxl
import pandas as pd
import pytest

from cockpit.outputs import exports

COLUMNS = {"problem_id": "问题编号", "district": "区县", "found_on": "发现日期",
           "reported_at": "上报时间", "overdue_days": "逾期天数", "score": "扣分"}
NOTES = [("数据截至", "2026年06月10日"), ("统计日期", "2026-06-10"),
         ("筛选条件", "区县：广陵区；问题类别：全部"), ("导出时间", "2026-06-11 09:30"), ("行数", "3")]


def problems() -> pd.DataFrame:
    """Three problems as DuckDB hands them over: DATE as midnight datetime64, plus an unused column."""
    return pd.DataFrame({
        "problem_id": ["P001", "=SUM(A1)", "-abc"],
        "unused": ["x", "y", "z"],
        "district": ["广陵区", None, "@邗江区"],
        "found_on": pd.to_datetime(["2026-06-01", None, "2026-06-10"]),
        "reported_at": pd.to_datetime(["2026-06-01 08:30:00", "2026-06-02 17:05:59", None]),
        "overdue_days": [3, -5, 0],
        "score": [1.5, np.nan, -2.0],
    })


def open_book(data: bytes) -> openpyxl.Workbook:
    """The workbook as Excel would see it."""
    return openpyxl.load_workbook(io.BytesIO(data))


def read_csv(data: bytes) -> list[list[str]]:
    """The CSV as rows of strings, after checking the byte order mark is there."""
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.fixture(scope="module")
def book() -> openpyxl.Workbook:
    return open_book(exports.to_xlsx(problems(), COLUMNS, "逾期问题", NOTES))


def test_xlsx_has_data_sheet_then_notes_sheet(book):
    assert book.sheetnames == ["逾期问题", "说明"]


def test_xlsx_headers_are_chinese_in_given_order_and_bold(book):
    sheet = book["逾期问题"]
    assert [c.value for c in sheet[1]] == ["问题编号", "区县", "发现日期", "上报时间", "逾期天数", "扣分"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.max_column == 6 and sheet.max_row == 4


def test_xlsx_cell_values_and_types(book):
    rows = [[c.value for c in row] for row in book["逾期问题"].iter_rows(min_row=2)]
    assert rows == [
        ["P001", "广陵区", datetime(2026, 6, 1), datetime(2026, 6, 1, 8, 30), 3, 1.5],
        ["=SUM(A1)", None, None, datetime(2026, 6, 2, 17, 5, 59), -5, None],
        ["-abc", "@邗江区", datetime(2026, 6, 10), None, 0, -2],
    ]
    sheet = book["逾期问题"]
    assert sheet["E3"].data_type == "n" and sheet["E3"].value == -5
    assert sheet["F4"].data_type == "n"
    assert sheet["A3"].data_type == "s"


def test_xlsx_dates_are_real_dates_with_formats(book):
    sheet = book["逾期问题"]
    assert sheet["C2"].is_date and isinstance(sheet["C2"].value, datetime)
    assert sheet["C2"].number_format == "yyyy-mm-dd"
    assert sheet["D2"].is_date and sheet["D2"].number_format == "yyyy-mm-dd hh:mm"


def test_xlsx_missing_values_are_empty_cells(book):
    sheet = book["逾期问题"]
    for ref in ("B3", "C3", "D4", "F3"):
        assert sheet[ref].value is None, ref


def test_xlsx_header_is_frozen_with_autofilter(book):
    sheet = book["逾期问题"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:F4"


def test_xlsx_column_widths_fit_content(book):
    sheet = book["逾期问题"]
    widths = {col: sheet.column_dimensions[col].width for col in "ABCDEF"}
    # Widest displayed text plus 2, CJK counting 2: "=SUM(A1)" 8, "@邗江区" 7, "2026-06-01" 10,
    # "2026-06-01 08:30" 16, "逾期天数" 8, "扣分" 4 (values "1.5", "-2.0"). openpyxl reads back
    # Excel's padded width (+0.71).
    expected = {"A": 10, "B": 9, "C": 12, "D": 18, "E": 10, "F": 6}
    assert widths == {col: pytest.approx(w, abs=1) for col, w in expected.items()}


def test_xlsx_notes_sheet_lists_pairs_in_order(book):
    sheet = book["说明"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [list(pair) for pair in NOTES]
    assert sheet["A1"].font.bold


def test_xlsx_long_text_width_is_capped():
    frame = pd.DataFrame({"text": ["长" * 200]})
    sheet = open_book(exports.to_xlsx(frame, {"text": "描述"}, "清单", []))["清单"]
    assert sheet.column_dimensions["A"].width == pytest.approx(60, abs=1)
    assert sheet["A2"].value == "长" * 200


def test_xlsx_object_column_of_dates_and_empty_frame():
    frame = pd.DataFrame({"day": [date(2026, 6, 10), None], "n": pd.array([1, None], dtype="Int64")})
    sheet = open_book(exports.to_xlsx(frame, {"day": "日期", "n": "数量"}, "清单", []))["清单"]
    assert sheet["A2"].value == datetime(2026, 6, 10) and sheet["A2"].number_format == "yyyy-mm-dd"
    assert sheet["A3"].value is None and sheet["B2"].value == 1 and sheet["B3"].value is None

    empty = open_book(exports.to_xlsx(problems().iloc[0:0], COLUMNS, "逾期问题", [("行数", "0")]))
    assert [c.value for c in empty["逾期问题"][1]] == list(COLUMNS.values())
    assert empty["逾期问题"].max_row == 1
    assert [[c.value for c in row] for row in empty["说明"].iter_rows()] == [["行数", "0"]]


def test_xlsx_bad_sheet_name_is_made_safe():
    book = open_book(exports.to_xlsx(problems(), COLUMNS, "问题/清单:2026年06月10日[广陵区]更多文字更多文字", []))
    assert book.sheetnames == ["问题_清单_2026年06月10日_广陵区_更多文字更多文字"[:31], "说明"]


def test_csv_has_bom_headers_and_rows():
    data = exports.to_csv(problems(), COLUMNS)
    assert read_csv(data) == [
        ["问题编号", "区县", "发现日期", "上报时间", "逾期天数", "扣分"],
        ["P001", "广陵区", "2026-06-01", "2026-06-01 08:30", "3", "1.5"],
        ["'=SUM(A1)", "", "", "2026-06-02 17:05", "-5", ""],
        ["'-abc", "'@邗江区", "2026-06-10", "", "0", "-2"],
    ]


def test_csv_quotes_commas_and_newlines():
    frame = pd.DataFrame({"text": ["路口, 井盖\n破损", "\t隐藏", "\r回车", "+86"]})
    assert read_csv(exports.to_csv(frame, {"text": "描述"})) == [
        ["描述"], ["路口, 井盖\n破损"], ["'\t隐藏"], ["'\r回车"], ["'+86"]]


def test_csv_notes_come_first_then_a_blank_line():
    notes = [("统计日期", "2026-06-10"), ("筛选条件", "区县：广陵区"), ("搜索", "=cmd")]
    assert read_csv(exports.to_csv(problems().iloc[:1], COLUMNS, notes)) == [
        ["统计日期", "2026-06-10"], ["筛选条件", "区县：广陵区"], ["搜索", "'=cmd"], [],
        ["问题编号", "区县", "发现日期", "上报时间", "逾期天数", "扣分"],
        ["P001", "广陵区", "2026-06-01", "2026-06-01 08:30", "3", "1.5"],
    ]


def test_csv_of_empty_frame_is_header_only():
    data = exports.to_csv(problems().iloc[0:0], COLUMNS)
    assert data == "\ufeff问题编号,区县,发现日期,上报时间,逾期天数,扣分\r\n".encode("utf-8")


@pytest.mark.parametrize(("value", "expected"), [
    ("=SUM(A1)", "=SUM(A1)"), ("广陵区", "广陵区"), ("", ""),
    (-5, -5), (-2.5, -2.5), (np.int64(-7), -7), (None, None), (np.nan, None), (pd.NaT, None),
    (pd.NA, None), (float("inf"), None), (np.bool_(True), True),
])
def test_plain_unwraps_values_and_keeps_text(value, expected):
    assert exports.plain(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("=SUM(A1)", "'=SUM(A1)"), ("-abc", "'-abc"), ("+1", "'+1"), ("@x", "'@x"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("广陵区", "广陵区"), ("a=b", "a=b"), ("", ""),
])
def test_defuse_prefixes_formula_looking_text(value, expected):
    assert exports.defuse(value) == expected
    assert exports.needs_quote_prefix(value) == (expected != value)


def test_display_width_counts_cjk_as_two():
    assert exports.display_width("abc") == 3
    assert exports.display_width("广陵区") == 6
    assert exports.display_width("ＡＢ1") == 5


def test_file_name():
    assert exports.file_name("逾期问题", date(2026, 6, 10), "xlsx") == "逾期问题-2026-06-10.xlsx"
    assert exports.file_name("区县排名", datetime(2026, 6, 10, 9, 30), ".csv") == "区县排名-2026-06-10.csv"
    assert exports.file_name("a/b:c", None, "csv") == "a_b_c.csv"


# Ready to send: number formats, widths from the displayed text, print setup, quote prefix ---------

def rates_book() -> openpyxl.Workbook:
    frame = pd.DataFrame({"group_name": ["东关街道", "汶河街道"], "closure_rate": [0.7292971468336813, 1.0],
                          "count_found": [12, 3], "rectification_days_median": [3.25, 10.0],
                          "rate_change": [-0.05, None], "description": ["=1+2", "长" * 80]})
    columns = {"group_name": "街道", "closure_rate": "销号率", "count_found": "问题数（个）",
               "rectification_days_median": "整改用时中位数（天）", "rate_change": "销号率变化",
               "description": "问题描述"}
    return open_book(exports.to_xlsx(frame, columns, "分项进度", [("统计日期", "2026-12-07")]))


def test_xlsx_rates_are_percentages_and_fractions_one_decimal():
    sheet = rates_book()["分项进度"]
    assert sheet["B2"].value == 0.7292971468336813  # the number stays exact; only its look changes
    assert [sheet[ref].number_format for ref in ("B2", "B3", "C2", "D2", "D3", "E2")] == [
        "0.0%", "0.0%", "General", "0.0", "0.0", "0.0%"]


def test_xlsx_widths_follow_the_displayed_text():
    sheet = rates_book()["分项进度"]
    widths = {col: sheet.column_dimensions[col].width for col in "ABCDEF"}
    # "东关街道" 8; "销号率" 6 beats "72.9%" 5 (not the 18 characters of the raw float);
    # "问题数（个）" 12; "整改用时中位数（天）" 20; "销号率变化" 10; 160 columns of 长 capped at 60.
    expected = {"A": 10, "B": 8, "C": 14, "D": 22, "E": 12, "F": 60}
    assert widths == {col: pytest.approx(w, abs=1) for col, w in expected.items()}
    assert sheet["F3"].alignment.wrap_text and not sheet["A2"].alignment.wrap_text


def test_xlsx_formula_text_uses_quote_prefix_not_an_apostrophe():
    sheet = rates_book()["分项进度"]
    assert sheet["F2"].value == "=1+2" and sheet["F2"].data_type == "s"
    assert sheet["F2"].quotePrefix and not sheet["F3"].quotePrefix


def test_xlsx_print_setup_landscape_fit_width_header_repeated_footer():
    book = rates_book()
    for name in book.sheetnames:
        sheet = book[name]
        assert sheet.page_setup.orientation == "landscape", name
        assert sheet.page_setup.paperSize == 9, name  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, name
        # fitToWidth 1 is the OOXML default, which xlsxwriter leaves out of the file.
        assert (sheet.page_setup.fitToWidth or 1, sheet.page_setup.fitToHeight) == (1, 0), name
        assert sheet.oddFooter.left.text == "统计日期：2026-12-07", name
        assert sheet.oddFooter.right.text == "第 &P 页，共 &N 页", name
    assert book["分项进度"].print_title_rows == "$1:$1"
    assert book["分项进度"].oddHeader.center.text == "分项进度"


def test_xlsx_footer_date_given_explicitly():
    book = open_book(exports.to_xlsx(problems(), COLUMNS, "清单", [], as_of=date(2026, 12, 7)))
    assert book["清单"].oddFooter.left.text == "统计日期：2026-12-07"


def test_csv_keeps_the_apostrophe_and_raw_numbers():
    frame = pd.DataFrame({"description": ["=1+2"], "closure_rate": [0.75]})
    assert read_csv(exports.to_csv(frame, {"description": "问题描述", "closure_rate": "销号率"})) == [
        ["问题描述", "销号率"], ["'=1+2", "0.75"]]


def test_file_name_carries_the_filter():
    assert exports.file_name("逾期问题", date(2026, 12, 7), "xlsx", "东关街道") == "逾期问题-东关街道-2026-12-07.xlsx"
    assert exports.file_name("逾期问题", date(2026, 12, 7), "csv", "") == "逾期问题-2026-12-07.csv"
    long = exports.file_name("清单", "2026-12-07", "xlsx", "、".join(["东关街道"] * 10))
    assert long == "清单-" + "、".join(["东关街道"] * 6)[:29] + "等-2026-12-07.xlsx"
    assert exports.file_name("清单", None, "xlsx", "a/b") == "清单-a_b.xlsx"


def test_filter_tag_lists_the_chosen_values():
    from cockpit.vocab import filters, points
    assert filters.tag(filters.NO_FILTERS) == ""
    assert filters.tag(filters.make(street=["东关街道"])) == "东关街道"
    assert filters.tag(filters.make(district=["城东区"], category=["乱堆乱放"])) == "城东区、乱堆乱放"
    assert filters.tag(points.make(True, district=["城东区"])) == "城东区"
