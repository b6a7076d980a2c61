"""Real platforms' exports as delivered (issue 33): dates written month-first or day-first read by a
mapping's date_order, 12-hour times in English and Chinese, and the reasons a whole file was refused;
with the date items of issue 34 (24:00, an impossible date in a file name, a problem found after the
file's export date). Every file is generated here and imported through the real importer."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from cockpit.ingest import parse
from cockpit.ingest.mapping import MappingError, load_mapping
from cockpit.ingest.writing import import_files
from tests.test_bad_inputs import fingerprint, problem, refused, store  # noqa: F401  (store is a fixture)
from tests.test_import import HEADERS_A, SETTINGS, table, write_csv

# A platform writing the month first, with English 12-hour times (as US city exports do).
US_HEADERS = ["CASE_ID", "OPEN_DT", "CLOSED_DT", "STATUS", "DEPT"]
US_ROWS = [["C1", "01/05/2015 12:40:41 PM", "01/06/2015 09:15:00 AM", "Closed", "市城管局"],
           ["C2", "1/25/2015 12:05:00 AM", "", "Open", "市住建局"],
           ["C3", "12/31/2015 11:59:59 PM", "", "Open", "市城管局"]]


def us_mapping(folder: Path, order: str | None) -> Path:
    path = folder / "us.toml"
    lines = ['name = "美式平台"'] + ([f'date_order = "{order}"'] if order else []) + [
        "", "[problems.headers]", 'problem_id = ["CASE_ID"]', 'found_at = ["OPEN_DT"]', 'rectified_at = ["CLOSED_DT"]',
        'status = ["STATUS"]', 'unit_name = ["DEPT"]', "", "[values.problem_status]",
        'closed = ["Closed"]', 'pending = ["Open"]']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ---- the parser --------------------------------------------------------------------------------

def times(cells: list[str], order: str = "ymd") -> tuple[list, list]:
    values, reasons = parse.parse_timestamp(pd.Series(cells, dtype="str"), order)
    return [None if pd.isna(v) else v.to_pydatetime() for v in values], reasons.tolist()


def test_twelve_hour_times_in_chinese_and_english_read_under_any_order():
    cells = ["2023/8/18 下午 4:07:00", "2023/8/18 上午 12:07", "2023年8月18日 下午4时07分", "2023-08-18 4:07:00 PM",
             "2023/8/18 12:30 pm", "2023/8/18 下午 12:00"]
    expected = [datetime(2023, 8, 18, 16, 7), datetime(2023, 8, 18, 0, 7), datetime(2023, 8, 18, 16, 7),
                datetime(2023, 8, 18, 16, 7), datetime(2023, 8, 18, 12, 30), datetime(2023, 8, 18, 12, 0)]
    for order in parse.DATE_ORDERS:
        assert times(cells, order) == (expected, [None] * 6)


def test_month_first_and_day_first_dates_follow_the_date_order():
    cells = ["01/05/2015 12:40:41 PM", "1/1/20 0:05", "05.01.2015", "2015-01-05"]
    assert times(cells, "mdy")[0] == [datetime(2015, 1, 5, 12, 40, 41), datetime(2020, 1, 1, 0, 5),
                                      datetime(2015, 5, 1), datetime(2015, 1, 5)]
    assert times(cells, "dmy")[0] == [datetime(2015, 5, 1, 12, 40, 41), datetime(2020, 1, 1, 0, 5),
                                      datetime(2015, 1, 5), datetime(2015, 1, 5)]


def test_a_date_not_year_first_is_never_guessed_without_a_date_order():
    values, reasons = times(["01/05/2015", "25/12/2015", "2015/12/25"])
    assert values == [None, None, datetime(2015, 12, 25)]
    assert reasons == [parse.ORDER_NEEDED, parse.ORDER_NEEDED, None]
    assert parse.ORDER_NEEDED.endswith('请在该平台的映射文件中设置 date_order = "mdy"（月在前）或 "dmy"（日在前）')


def test_impossible_dates_and_times_say_which():
    values, reasons = times(["2026-05-01 24:00", "2026/5/1 下午 13:00", "2026/5/1 8:61", "13/25/2015"], "mdy")
    assert values == [None] * 4
    assert reasons == [parse._IMPOSSIBLE_TIME] * 3 + ["日期不存在（月或日超出范围，如2月30日；按 date_order = \"mdy\" 读）"]
    assert "24:00 请写作次日 0:00" in parse._IMPOSSIBLE_TIME


# ---- whole files -------------------------------------------------------------------------------

# A platform writing the day first (as European exports do), 24-hour times; the same headers.
EU_ROWS = [["E1", "05/01/2015 12:40:41", "06/01/2015 09:15", "Closed", "市城管局"],
           ["E2", "25/1/2015 0:05", "", "Open", "市住建局"],
           ["E3", "31.12.2015 23:59:59", "", "Open", "市城管局"]]


@pytest.mark.parametrize("name, file_rows, date_order, prefix", [
    ("us_cases_20260601.csv", "US_ROWS", "mdy", "C"),   # month first, 12-hour times
    ("eu_cases_20260601.csv", "EU_ROWS", "dmy", "E"),   # day first, 24-hour times
])
def test_a_platform_imports_with_its_date_order(store, tmp_path, name, file_rows, date_order, prefix):
    path = write_csv(tmp_path / name, US_HEADERS, globals()[file_rows])
    result = import_files([path], db_directory=store, settings=SETTINGS,
                          extra_mappings=[us_mapping(tmp_path, date_order)])
    assert [o.message for o in result.outcomes] == [f"{name}：问题台账，导入 3 行"]
    assert table(store, "select problem_id, found_at, rectified_at, status from problems "
                        f"where problem_id like '{prefix}%' order by 1") == [
        (f"{prefix}1", datetime(2015, 1, 5, 12, 40, 41), datetime(2015, 1, 6, 9, 15), "closed"),
        (f"{prefix}2", datetime(2015, 1, 25, 0, 5), None, "pending"),
        (f"{prefix}3", datetime(2015, 12, 31, 23, 59, 59), None, "pending")]


@pytest.mark.parametrize("name,rows,opened,closed", [
    ("us_cases_20260601.csv", US_ROWS, "01/05/2015 12:40:41 PM", "01/06/2015 09:15:00 AM"),
    ("eu_cases_20260601.csv", EU_ROWS, "05/01/2015 12:40:41", "06/01/2015 09:15"),
])
def test_a_file_of_either_order_without_date_order_is_refused_naming_the_setting(store, tmp_path, name, rows,
                                                                                opened, closed):
    path = write_csv(tmp_path / name, US_HEADERS, rows)
    before = fingerprint(store)
    result = import_files([path], db_directory=store, settings=SETTINGS, extra_mappings=[us_mapping(tmp_path, None)])
    assert [o.message for o in result.outcomes] == [
        f"{name}：未导入。坏行 3 行，占 100%，超过设置的 20%，整个文件未导入。主要原因："
        f"OPEN_DT {parse.ORDER_NEEDED} 3 行，如 {opened}；"
        f"CLOSED_DT {parse.ORDER_NEEDED} 1 行，如 {closed}。请按问题清单修正后重新导入"]
    assert 'date_order = "mdy"（月在前）或 "dmy"（日在前）' in result.outcomes[0].message
    assert fingerprint(store) == before
    report = result.report_path.read_text(encoding="utf-8")
    assert f"OPEN_DT {parse.ORDER_NEEDED} 3 行，如 {opened}" in report


def test_a_refused_file_lists_its_first_bad_cells_and_counts_them_all(store, tmp_path, monkeypatch):
    from cockpit.ingest import preparing

    monkeypatch.setattr(preparing, "REFUSED_ISSUES_LISTED", 4)
    rows = [problem(f"B{i}", 发现时间="2026/5/1 25:00", 整改状态="已挂起") for i in range(3)]
    path = write_csv(tmp_path / "坏时间.csv", HEADERS_A, rows)
    result = import_files([path], db_directory=store, settings=SETTINGS)
    assert [o.message for o in result.outcomes] == [
        "坏时间.csv：未导入。坏行 3 行，占 100%，超过设置的 20%，整个文件未导入。主要原因："
        f"发现时间 {parse._IMPOSSIBLE_TIME} 3 行，如 2026/5/1 25:00；整改状态 未知的状态“已挂起” 3 行，如 已挂起。"
        "问题清单列出前 4 处（共 6 处）；请按问题清单修正后重新导入"]
    assert [(i.row_number, i.column_name) for i in result.outcomes[0].prepared.issues] == [
        (2, "发现时间"), (2, "整改状态"), (3, "发现时间"), (3, "整改状态")]


def test_an_impossible_date_in_the_file_name_is_refused(store, tmp_path):
    path = write_csv(tmp_path / "问题台账_20261332.csv", HEADERS_A, [problem("N1")])
    refused(store, path, "文件名中的导出日期 20261332 不存在（月应为 01-12，日不超过当月天数）；"
                         "导出日期按文件名记录，请改正文件名后重新导入")


def test_a_problem_found_after_the_export_date_is_a_row_left_out(store, tmp_path):
    rows = [problem(f"E{i}") for i in range(9)] + [problem("LATE", 发现时间="2026-05-21 08:00", 整改时限="2026-05-30")]
    path = write_csv(tmp_path / "问题台账_20260520.csv", HEADERS_A, rows)
    result = import_files([path], db_directory=store, settings=SETTINGS)
    assert [o.message for o in result.outcomes] == ["问题台账_20260520.csv：问题台账，导入 9 行，1 行有误未导入"]
    assert [(i.row_number, i.column_name, i.cell_value, i.reason, i.is_fatal)
            for i in result.outcomes[0].prepared.issues] == [
        (11, "发现时间", "2026-05-21 08:00", "发现时间晚于文件名中的导出日期 2026-05-20", True)]
    assert table(store, "select count(*) from problems where problem_id = 'LATE'") == [(0,)]


def test_coordinates_one_half_missing_is_named(store, tmp_path):
    rows = [problem("H1", 纬度=""), problem("H2", 经度="")] + [problem(f"K{i}") for i in range(8)]
    path = write_csv(tmp_path / "半个坐标.csv", HEADERS_A, rows)
    result = import_files([path], db_directory=store, settings=SETTINGS)
    assert [o.message for o in result.outcomes] == ["半个坐标.csv：问题台账，导入 10 行，2 行坐标无效（去掉位置后导入）"]
    assert [(i.row_number, i.cell_value, i.reason) for i in result.outcomes[0].prepared.issues] == [
        (2, "108.95, ", "只有经度、缺少纬度，按无位置导入"), (3, ", 34.27", "只有纬度、缺少经度，按无位置导入")]
    assert table(store, "select count_rows_without_location from imports where file_name = '半个坐标.csv'") == [(2,)]


def test_a_date_order_the_cockpit_does_not_know_is_a_mapping_error(tmp_path):
    path = us_mapping(tmp_path, "ydm")
    with pytest.raises(MappingError, match="date_order 应为 ymd（年在前）、mdy（月在前）或 dmy（日在前），现为 'ydm'"):
        load_mapping(path)
