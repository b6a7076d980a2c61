"""The importer on small files made here: every header variant, date form, encoding, status word and
coordinate system; bad rows and the threshold; importing twice; history; failures that change nothing."""

import hashlib
import shutil
import threading
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
import xlsxwriter

from cockpit.coords import wgs84_to_bd09, wgs84_to_gcj02
from cockpit.ingest import preparing
from cockpit.ingest.mapping import available_mappings, builtin_mapping
from cockpit.ingest.preparing import prepare_file, prepare_files
from cockpit.ingest.writing import import_files
from cockpit.settings import load_settings
from cockpit.store import readers, versions
from tests.conftest import TEST_SETTINGS

SETTINGS = load_settings(TEST_SETTINGS)
HEADERS_A = ["问题编号", "问题来源", "发现时间", "问题类别", "问题描述", "测评点位", "区县", "街道",
             "责任单位", "交办时间", "整改时限", "整改状态", "整改完成时间", "复核时间", "经度", "纬度"]


def write_csv(path: Path, header: list[str], rows: list[list], encoding: str = "utf-8") -> Path:
    lines = [",".join(header)] + [",".join("" if v is None else str(v) for v in r) for r in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list], title: str | None = None,
               extra_sheet_first: bool = False) -> Path:
    book = xlsxwriter.Workbook(str(path), {"default_date_format": "yyyy-mm-dd hh:mm"})
    if extra_sheet_first:
        book.add_worksheet("说明").write(0, 0, "本表由平台导出")
    sheet = book.add_worksheet("台账")
    start = 0
    if title:
        sheet.write(0, 0, title)
        start = 1
    sheet.write_row(start, 0, header)
    for i, row in enumerate(rows, start=start + 1):
        for j, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write_datetime(i, j, value)
            elif value is not None:
                sheet.write(i, j, value)
    book.close()
    return path


def table(store: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(versions.current_file(store)), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def snapshot(store: Path) -> dict:
    """Every table of the live database, for 'nothing changed' checks."""
    names = ["imports", "import_rejects", "problems", "problem_history", "inspections", "points", "units",
             "materials", "surveys"]
    return {n: table(store, f"select * from {n} order by all") for n in names}


def prepared(path: Path, extra=None):
    return prepare_file(path, available_mappings(extra, user_dir=path.parent / "none"), SETTINGS)


@pytest.fixture
def store(tmp_path):
    return tmp_path / "db"


def run_import(paths, store, **kwargs):
    kwargs.setdefault("settings", SETTINGS)
    return import_files(paths, db_directory=store, **kwargs)


# ---- reading and recognising -------------------------------------------------------------

ROW_A = ["P1", "暗访", "2026-05-01 09:00", "市容环境", "占道经营", "长乐路", "城东区", "东关街道", "东关街道",
         "2026-05-01", "2026-05-05", "已销号", "2026-05-03", "2026-05-04 10:00", "108.95", "34.27"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings_are_detected(tmp_path, encoding):
    path = write_csv(tmp_path / "台账.csv", HEADERS_A, [ROW_A], encoding)
    result = prepared(path)
    assert (result.refused, result.dataset, result.count_rows_read) == (None, "problems", 1)
    assert result.rows.loc[0, "street"] == "东关街道"


def test_every_builtin_header_variant_is_recognised(tmp_path):
    mapping = builtin_mapping()
    for dataset, fields in mapping.headers.items():
        width = max(len(v) for v in fields.values())
        for k in range(width):
            header = [variants[k % len(variants)] for variants in fields.values()]
            match = prepared(write_csv(tmp_path / f"{dataset}{k}.csv", header, []))
            # A file with only its header is refused, but only after its dataset was recognised.
            assert match.dataset == dataset, (dataset, header)
            assert set(match.column_map.values()) == set(fields), (dataset, header)


def test_dates_in_every_form(tmp_path):
    forms = ["2023-08-18", "2023/8/18 16:07", "2023年8月18日", "45156.67", "2023-08-18T16:07:00", "２０２３-０８-１８"]
    rows = [[f"P{i}", "暗访", form, "", "", "", "", "", "", "", "", "待整改", "", "", "", ""] for i, form in enumerate(forms)]
    result = prepared(write_csv(tmp_path / "d.csv", HEADERS_A, rows))
    assert [str(v) for v in result.rows["found_at"]] == [
        "2023-08-18 00:00:00", "2023-08-18 16:07:00", "2023-08-18 00:00:00", "2023-08-18 16:04:48",
        "2023-08-18 16:07:00", "2023-08-18 00:00:00"]


def test_xlsx_with_title_row_date_cells_and_serials_on_a_later_sheet(tmp_path):
    rows = [["X1", "督查", datetime(2026, 5, 2, 8, 30), "交通秩序", "乱停车", "", "城西区", "西关街道", "市公安局交警支队",
             None, 46151, "整改中", None, None, None, None]]
    path = write_xlsx(tmp_path / "问题台账.xlsx", HEADERS_A, rows, title="示范市问题台账（2026年5月）", extra_sheet_first=True)
    result = prepared(path)
    assert result.refused is None
    assert result.rows.loc[0, "found_at"] == datetime(2026, 5, 2, 8, 30)
    assert result.rows.loc[0, "due_on"] == date(2026, 5, 9)  # Excel serial 46151
    assert result.issues == []


@pytest.mark.parametrize("word,state", [
    ("待整改", "pending"), ("未整改", "pending"), ("待处理", "pending"), ("已交办", "pending"), ("待签收", "pending"),
    ("已派单", "pending"), ("整改中", "in_progress"), ("处理中", "in_progress"), ("办理中", "in_progress"),
    ("已签收", "in_progress"), ("已整改待复核", "awaiting_check"), ("待复核", "awaiting_check"),
    ("待审核", "awaiting_check"), ("已反馈", "awaiting_check"), ("已销号", "closed"), ("已办结", "closed"),
    ("办结", "closed"), ("已完成", "closed"), ("已整改", "closed"), ("复核通过", "closed"), ("退回", "returned"),
    ("驳回", "returned"), ("复核不通过", "returned"), ("整改不到位", "returned"),
])
def test_status_words(tmp_path, word, state):
    row = ["P1", "", "2026-05-01", "", "", "", "", "", "", "", "", word, "", "", "", ""]
    assert prepared(write_csv(tmp_path / "s.csv", HEADERS_A, [row])).rows.loc[0, "status"] == state


def test_unknown_status_is_a_bad_row_named_by_row_and_column(tmp_path):
    rows = [ROW_A] * 0 + [["P%d" % i, "", "2026-05-01", "", "", "", "", "", "", "", "", "待整改", "", "", "", ""]
                          for i in range(9)] + [["P9", "", "2026-05-01", "", "", "", "", "", "", "", "", "已挂起", "", "", "", ""]]
    result = prepared(write_csv(tmp_path / "s.csv", HEADERS_A, rows))
    assert result.refused is None and len(result.rows) == 9
    assert [(i.row_number, i.column_name, i.cell_value, i.reason) for i in result.issues] == [
        (11, "整改状态", "已挂起", "未知的状态“已挂起”")]


def test_coordinates_swapped_zero_and_converted(tmp_path):
    lng, lat = 108.95, 34.27
    rows = [["P1", "", "2026-05-01", "", "", "", "", "", "", "", "", "待整改", "", "", lat, lng],       # swapped
            ["P2", "", "2026-05-01", "", "", "", "", "", "", "", "", "待整改", "", "", 0, 0],           # zero
            ["P3", "", "2026-05-01", "", "", "", "", "", "", "", "", "待整改", "", "", "108.95°", "34.27°"]]
    result = prepared(write_csv(tmp_path / "c.csv", HEADERS_A, rows))
    assert result.rows[["lng", "lat"]].round(6).values.tolist()[0] == [lng, lat]
    assert result.rows["lng"].isna().tolist() == [False, True, False]
    assert result.count_rows_without_location == 1
    assert [(i.row_number, i.is_fatal) for i in result.issues] == [(2, False), (3, False)]


@pytest.mark.parametrize("system,convert", [("gcj02", wgs84_to_gcj02), ("bd09", wgs84_to_bd09)])
def test_a_mapping_declares_its_coordinate_system(tmp_path, system, convert):
    mapping = tmp_path / "platform.toml"
    mapping.write_text(f'name = "外省平台"\ncoordinate_system = "{system}"\n'
                       '[problems.headers]\nproblem_id = ["Ticket"]\nfound_at = ["Opened"]\nstatus = ["State"]\n'
                       'lng = ["Lon"]\nlat = ["Lat"]\n'
                       '[values.problem_status]\npending = ["Open"]\nclosed = ["Closed"]\n', encoding="utf-8")
    x, y = convert(108.95, 34.27)
    path = write_csv(tmp_path / "foreign.csv", ["Ticket", "Opened", "State", "Lon", "Lat"],
                     [["T1", "2026-05-01", "Closed", x, y], ["T2", "2026-05-02", "Open", "", ""]])
    result = prepared(path, [mapping])
    assert (result.mapping_name, result.dataset) == ("外省平台", "problems")
    assert result.rows["status"].tolist() == ["closed", "pending"]
    assert abs(result.rows.loc[0, "lng"] - 108.95) < 1e-5 and abs(result.rows.loc[0, "lat"] - 34.27) < 1e-5


def test_builtin_files_are_not_claimed_by_a_platform_mapping(tmp_path):
    mapping = tmp_path / "platform.toml"
    mapping.write_text('name = "外省平台"\ncoordinate_system = "gcj02"\n[problems.headers]\nproblem_id = ["Ticket"]\n',
                       encoding="utf-8")
    result = prepared(write_csv(tmp_path / "a.csv", HEADERS_A, [ROW_A]), [mapping])
    assert result.mapping_name == "内置映射"
    assert result.rows.loc[0, "lng"] == 108.95  # not converted as GCJ-02


def test_names_lose_spaces_so_one_unit_is_one_unit(tmp_path):
    rows = [[f"P{i}", "", "2026-05-01", "", "", "", "", "", unit, "", "", "待整改", "", "", "", ""]
            for i, unit in enumerate([" 市城管局", "市城管局 ", "市\u3000城管局", "市城管局"])]
    assert set(prepared(write_csv(tmp_path / "n.csv", HEADERS_A, rows)).rows["unit_name"]) == {"市城管局"}


def test_duplicate_ids_keep_the_first_row(tmp_path):
    rows = [ROW_A, ROW_A[:1] + ["督查"] + ROW_A[2:]] + [[f"Q{i}"] + ROW_A[1:] for i in range(8)]
    result = prepared(write_csv(tmp_path / "dup.csv", HEADERS_A, rows))
    assert result.rows["problem_id"].tolist()[:2] == ["P1", "Q0"]
    assert [(i.row_number, i.reason) for i in result.issues] == [(3, "与第 2 行重复，只保留第一行")]


def test_files_prepared_side_by_side_come_back_in_order_with_progress_from_the_callers_thread(tmp_path):
    paths = [write_csv(tmp_path / f"台账{n}.csv", HEADERS_A, [[f"P{n}-{i}"] + ROW_A[1:] for i in range(n)])
             for n in (3, 1, 4, 2)] + [tmp_path / "空.csv"]
    paths[-1].write_bytes(b"")
    reports = []
    together = prepare_files(paths, available_mappings(), SETTINGS,
                             lambda share, text: reports.append((share, text, threading.current_thread())))
    assert [p.path for p in together] == paths
    assert [p.count_rows_read for p in together[:4]] == [3, 1, 4, 2]
    assert together[4].refused == "文件是空的"
    for alone, side_by_side in zip(map(prepared, paths[:4]), together):
        assert side_by_side.rows.equals(alone.rows)
    assert [(share, text) for share, text, _ in reports] == [(i / 5, f"读取 {p.name}") for i, p in enumerate(paths)]
    assert {thread for _, _, thread in reports} == {threading.current_thread()}


def test_a_file_comes_in_write_order_as_soon_as_it_is_ready_while_later_ones_are_still_parsed(tmp_path, monkeypatch):
    """The import writes the first file while the others are being parsed: the order is known from
    the headers and the dates in the names, before any file's rows are parsed."""
    newer = write_csv(tmp_path / "问题台账_20260509.csv", HEADERS_A, [["P9"] + ROW_A[1:]])
    older = write_csv(tmp_path / "问题台账_20260502.csv", HEADERS_A, [ROW_A])
    newer_may_finish = threading.Event()
    parse_rows = preparing._parse_rows

    def parse_newer_only_when_allowed(body, headers, match, first_row_number):
        if "P9" in body.columns[0].tolist():
            assert newer_may_finish.wait(30), "the older file never came while the newer one was held up"
        return parse_rows(body, headers, match, first_row_number)

    monkeypatch.setattr(preparing, "_parse_rows", parse_newer_only_when_allowed)
    monkeypatch.setattr(preparing, "prepare_threads", lambda count: 2)  # also on a one-core machine
    with preparing.prepared_in_write_order([newer, older], available_mappings(), SETTINGS) as in_order:
        first = next(in_order)  # would wait for the newer file if the order waited for every file
        newer_may_finish.set()
        assert [first.path, next(in_order).path] == [older, newer]


def test_a_batch_is_written_in_its_order_whatever_order_its_files_are_given_or_ready_in(tmp_path, store):
    """Datasets in IMPORT_ORDER, each dataset's exports oldest first (the date from the name, or for an
    undated name from its rows), files not recognised first: the same order the import always used."""
    closed_later = ["P1"] + ROW_A[1:11] + ["整改中", "", "", "108.95", "34.27"]
    files = [write_csv(tmp_path / "问题台账_20260509.csv", HEADERS_A, [ROW_A]),
             write_csv(tmp_path / "台账无日期.csv", HEADERS_A, [closed_later]),  # newest row: 2026-05-01
             write_csv(tmp_path / "points.csv", ["点位编号", "点位名称", "点位类型", "区县", "街道", "经度", "纬度"],
                       [["D1", "长乐路", "主次干道", "城东区", "东关街道", "108.95", "34.27"]]),
             tmp_path / "空.csv"]
    files[-1].write_bytes(b"")
    result = run_import(files, store)
    assert [o.prepared.path.name for o in result.outcomes] == ["空.csv", "points.csv", "台账无日期.csv", "问题台账_20260509.csv"]
    assert table(store, "select import_id, file_name from imports order by import_id") == [
        (1, "points.csv"), (2, "台账无日期.csv"), (3, "问题台账_20260509.csv")]
    assert table(store, "select problem_id, import_id, status from problem_history order by import_id") == [
        ("P1", 2, "in_progress"), ("P1", 3, "closed")]


# ---- writing ---------------------------------------------------------------------------------

def test_import_twice_changes_nothing(tmp_path, store):
    path = write_csv(tmp_path / "问题台账_20260505.csv", HEADERS_A, [ROW_A])
    first = run_import([path], store)
    assert [o.status for o in first.outcomes] == ["imported"]
    before, live = snapshot(store), versions.current_file(store)
    renamed = tmp_path / "copy.csv"
    renamed.write_bytes(path.read_bytes())
    second = run_import([path, renamed], store)
    assert [o.status for o in second.outcomes] == ["skipped", "skipped"]
    assert second.published is None and versions.current_file(store) == live and snapshot(store) == before


def test_a_newer_export_updates_state_and_keeps_history(tmp_path, store):
    old = ["P1"] + ROW_A[1:11] + ["整改中", "", "", "108.95", "34.27"]
    run_import([write_csv(tmp_path / "问题台账_20260502.csv", HEADERS_A, [old])], store)
    run_import([write_csv(tmp_path / "问题台账_20260509.csv", HEADERS_A, [ROW_A])], store)
    assert table(store, "select problem_id, status, closed_at from problems") == [
        ("P1", "closed", datetime(2026, 5, 4, 10, 0))]
    assert table(store, "select problem_id, import_id, export_on, status from problem_history order by import_id") == [
        ("P1", 1, date(2026, 5, 2), "in_progress"), ("P1", 2, date(2026, 5, 9), "closed")]
    assert table(store, "select first_import_id, last_import_id, changed_import_id from problems") == [(1, 2, 2)]


def test_keys_stay_unique_without_primary_keys(tmp_path, store):
    """problems and problem_history have no primary key (queries/schema.sql): the writes keep each
    key once, with a problem in two files of one batch, in an older and a newer export, and again."""
    changed = ROW_A[:11] + ["整改中", "", ""] + ROW_A[14:]
    files = [write_csv(tmp_path / "问题台账_20260502.csv", HEADERS_A, [changed, ["P2"] + ROW_A[1:]]),
             write_csv(tmp_path / "问题台账_20260502_副本.csv", HEADERS_A, [changed, ["P3"] + ROW_A[1:]]),
             write_csv(tmp_path / "问题台账_20260509.csv", HEADERS_A, [ROW_A, ["P2"] + changed[1:]])]
    run_import(files, store)
    run_import([write_csv(tmp_path / "问题台账_20260501.csv", HEADERS_A, [changed, ["P4"] + ROW_A[1:]])], store)
    assert table(store, "select problem_id, status from problems order by problem_id") == [
        ("P1", "closed"), ("P2", "in_progress"), ("P3", "closed"), ("P4", "closed")]
    assert table(store, "select count(*), count(distinct (problem_id, import_id)) from problem_history") == [(7, 7)]


def test_a_store_made_with_primary_keys_still_imports(tmp_path, store):
    run_import([write_csv(tmp_path / "问题台账_20260502.csv", HEADERS_A, [ROW_A])], store)
    old = duckdb.connect(str(versions.current_file(store)))
    old.execute("create table keyed as select * from problems")
    old.execute("drop table problems")
    old.execute("create table problems as select * from keyed limit 0")
    old.execute("alter table problems add primary key (problem_id)")
    old.execute("insert into problems select * from keyed")
    old.execute("drop table keyed")
    old.execute("checkpoint")
    old.close()
    run_import([write_csv(tmp_path / "问题台账_20260509.csv", HEADERS_A, [ROW_A, ["P2"] + ROW_A[1:]])], store)
    assert table(store, "select problem_id from problems order by 1") == [("P1",), ("P2",)]
    assert table(store, "select count(*) from duckdb_constraints() where table_name = 'problems' "
                        "and constraint_type = 'PRIMARY KEY'") == [(1,)]


def test_closed_without_close_time_counts_from_its_export_date(tmp_path, store):
    row = ["P1"] + ROW_A[1:11] + ["已销号", "", "", "", ""]
    run_import([write_csv(tmp_path / "问题台账_20260507.csv", HEADERS_A, [row])], store)
    assert table(store, "select closed_at, is_closed_at_estimated from problems") == [(datetime(2026, 5, 7), True)]


def test_too_many_bad_rows_refuse_the_file_and_change_nothing(tmp_path, store):
    run_import([write_csv(tmp_path / "good.csv", HEADERS_A, [ROW_A])], store)
    before, live = snapshot(store), versions.current_file(store)
    bad = [[f"B{i}"] + ROW_A[1:11] + ["已挂起"] + ROW_A[12:] for i in range(3)] + [["B9"] + ROW_A[1:]]
    result = run_import([write_csv(tmp_path / "bad.csv", HEADERS_A, bad)], store)
    assert [o.status for o in result.outcomes] == ["refused"]
    assert "坏行 3 行，占 75%，超过设置的 20%" in result.outcomes[0].message
    assert versions.current_file(store) == live and snapshot(store) == before
    assert result.rejects_path.is_file()


def test_threshold_is_a_setting(tmp_path, store):
    bad = [[f"B{i}"] + ROW_A[1:11] + ["已挂起"] + ROW_A[12:] for i in range(3)] + [["B9"] + ROW_A[1:]]
    result = run_import([write_csv(tmp_path / "bad.csv", HEADERS_A, bad)], store,
                        settings=replace(SETTINGS, bad_row_share=0.8))
    assert [o.status for o in result.outcomes] == ["imported"]
    assert table(store, "select count_rows_read, count_rows_imported, count_rows_rejected from imports") == [(4, 1, 3)]
    assert table(store, "select row_number, column_name, reason from import_rejects order by row_number") == [
        (2, "整改状态", "未知的状态“已挂起”"), (3, "整改状态", "未知的状态“已挂起”"), (4, "整改状态", "未知的状态“已挂起”")]


@pytest.mark.parametrize("content,message", [
    (b"", "文件是空的"),
    ("问题编号,发现时间,整改状态\n".encode(), "文件只有表头，没有数据行"),
    ("姓名,年龄\n张三,30\n".encode(), "无法识别这是哪一类导出"),
    (b"\x81\x30\x81\x30\xff\xfe\xfd", "无法识别"),
])
def test_broken_files_say_why_in_chinese_and_change_nothing(tmp_path, store, content, message):
    run_import([write_csv(tmp_path / "good.csv", HEADERS_A, [ROW_A])], store)
    before = snapshot(store)
    path = tmp_path / "broken.csv"
    path.write_bytes(content)
    result = run_import([path], store)
    assert result.outcomes[0].status == "refused" and message in result.outcomes[0].message
    assert snapshot(store) == before


def test_a_text_file_renamed_xlsx_is_refused(tmp_path, store):
    path = tmp_path / "台账.xlsx"
    path.write_text("这不是表格", encoding="utf-8")
    result = run_import([path], store)
    assert result.outcomes[0].status == "refused"
    assert "无法打开表格文件" in result.outcomes[0].message
    assert versions.current_file(store) is None


def test_a_failure_while_writing_leaves_the_live_file_untouched(tmp_path, store, monkeypatch):
    run_import([write_csv(tmp_path / "good.csv", HEADERS_A, [ROW_A])], store)
    live = versions.current_file(store)
    digest = hashlib.sha256(live.read_bytes()).hexdigest()

    def explode(*args, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr("cockpit.ingest.writing._write_file", explode)
    with pytest.raises(RuntimeError):
        run_import([write_csv(tmp_path / "more.csv", HEADERS_A, [["P2"] + ROW_A[1:]])], store)
    assert versions.current_file(store) == live and hashlib.sha256(live.read_bytes()).hexdigest() == digest
    assert versions.versions(store) == [live]  # the half-written copy was removed
    assert not list(store.glob(f"{versions.BUILDING_PREFIX}*"))


def test_an_import_into_a_store_from_before_the_folded_history_columns_adds_and_fills_them(tmp_path, store):
    """A store published by an older cockpit (the fold in a table of its own, none in problems) is
    copied by the next import, which gives problems the columns and fills them."""
    run_import([write_csv(tmp_path / "问题台账_20260505.csv", HEADERS_A, [ROW_A[:11] + ["整改中"] + ["", ""] + ROW_A[14:]])],
               store)
    old = duckdb.connect(str(versions.current_file(store)))
    for column in readers.FOLD_COLUMNS:
        old.execute(f"alter table problems drop column {column}")
    old.execute("create table problem_fold as select problem_id from problems")
    old.execute("checkpoint")
    old.close()
    run_import([write_csv(tmp_path / "问题台账_20260510.csv", HEADERS_A, [ROW_A])], store)
    new = duckdb.connect(str(versions.current_file(store)), read_only=True)
    try:
        assert new.execute("select problem_id, status_seen, was_reported_done, last_changed_on from problems").fetchall() == [
            ("P1", "in_progress", True, date(2026, 5, 10))]  # in progress on 05-05, closed on 05-10
        assert not new.execute("select count(*) from duckdb_tables() where table_name = 'problem_fold'").fetchone()[0]
    finally:
        new.close()


def test_a_copy_left_by_a_killed_import_is_no_version_and_goes_at_the_next_import(tmp_path, store):
    run_import([write_csv(tmp_path / "good.csv", HEADERS_A, [ROW_A])], store)
    live = versions.current_file(store)
    leftover = store / f"{versions.BUILDING_PREFIX}cockpit-20260101-000000-000000.duckdb"
    shutil.copyfile(live, leftover)  # as a process killed while writing leaves it
    assert versions.versions(store) == [live]  # never counted against keep_versions, never undone to
    run_import([write_csv(tmp_path / "more.csv", HEADERS_A, [["P2"] + ROW_A[1:]])], store)
    assert not leftover.exists()
    assert versions.versions(store) == [live, versions.current_file(store)]


def test_a_reader_keeps_working_during_an_import(tmp_path, store):
    run_import([write_csv(tmp_path / "good.csv", HEADERS_A, [ROW_A])], store)
    reader = readers.open_reader(versions.current_file(store))
    seen, errors, stop = set(), [], threading.Event()

    def read_loop():
        while not stop.is_set():
            try:
                seen.add(reader.cursor().execute("select count(*) from problems").fetchone()[0])
            except Exception as err:  # noqa: BLE001 - any failure is what this test looks for
                errors.append(err)

    thread = threading.Thread(target=read_loop)
    thread.start()
    rows = [[f"N{i}"] + ROW_A[1:] for i in range(500)]
    run_import([write_csv(tmp_path / "more.csv", HEADERS_A, rows)], store)
    stop.set()
    thread.join()
    assert errors == [] and seen == {1}  # the open reader sees the old file whole
    assert table(store, "select count(*) from problems") == [(501,)]


def test_second_import_at_the_same_time_is_refused(tmp_path, store):
    with versions.import_lock(store):
        with pytest.raises(versions.ImportBusy, match="另一个导入正在进行"):
            run_import([write_csv(tmp_path / "good.csv", HEADERS_A, [ROW_A])], store)


def test_other_datasets_import(tmp_path, store):
    files = [
        write_csv(tmp_path / "units.csv", ["单位名称", "单位类型", "上级单位"],
                  [["城东区", "区县", ""], ["东关街道", "街道", "城东区"], ["市城管局", "市直部门", ""]]),
        write_csv(tmp_path / "points.csv", ["点位编号", "点位名称", "点位类型", "区县", "街道", "经度", "纬度", "点位长", "包抓单位", "是否重点点位圈"],
                  [["D1", "长乐路", "主次干道", "城东区", "东关街道", "108.95", "34.27", "张三", "市城管局", "是"]]),
        write_csv(tmp_path / "检查记录.csv", ["检查时间", "检查类型", "轮次", "点位名称", "得分", "是否达标"],
                  [["2026-05-01 10:00", "暗访", "第1轮", "长乐路", "82", "不达标"]]),
        write_csv(tmp_path / "materials.csv", ["材料编号", "指标", "材料名称", "材料类型", "责任单位", "截止时间", "状态"],
                  [["M1", "1.1", "工作方案", "正式发文", "市委宣传部", "2026-06-01", "审核通过"]]),
        write_csv(tmp_path / "surveys.csv", ["调查时间", "轮次", "指标", "区县", "数值"],
                  [["2026-04-01", "第1轮", "知晓率", "", "86.5%"], ["2026-04-01", "第1轮", "满意度", "城东区", "0.9"]]),
    ]
    result = run_import(files, store)
    assert [o.prepared.dataset for o in result.outcomes] == ["units", "points", "inspections", "materials", "surveys"]
    assert table(store, "select unit_name, unit_kind, parent_unit from units order by 1") == [
        ("东关街道", "street", "城东区"), ("城东区", "district", None), ("市城管局", "department", None)]
    assert table(store, "select point_id, is_key_circle from points") == [("D1", True)]
    # the inspection named its point only by name: the point id is filled in from the list
    assert table(store, "select point_id, score, is_passed from inspections") == [("D1", 82.0, False)]
    assert table(store, "select status from materials") == [("approved",)]
    assert table(store, "select district, indicator, rate from surveys order by 1") == [
        ("全市", "awareness", 0.865), ("城东区", "satisfaction", 0.9)]
