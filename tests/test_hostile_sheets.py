"""Hostile and damaged spreadsheets, and folders holding things that are not files (issue 34): each is
refused with a Chinese reason naming the file, the other files of the batch import, the command line
prints no traceback and exits 1, and the store changes exactly by the good files.

The hostile workbooks are written here by hand (zipfile and the sheet's XML), since openpyxl and
xlsxwriter cannot produce them: a cell at XFD1048576, a damaged sheet inside a valid zip.
"""

from __future__ import annotations

import csv
import os
import re
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from cockpit.ingest import sheet_process
from cockpit.ingest.mapping import available_mappings
from cockpit.ingest.preparing import NOT_A_FILE, prepare_file
from cockpit.ingest.writing import import_files
from tests.test_bad_inputs import DAMAGED, fingerprint, imported, problem, problems_except_base, refused, store  # noqa: F401
from tests.test_import import HEADERS_A, SETTINGS, table, write_csv, write_xlsx

PROJECT = Path(__file__).resolve().parent.parent
TOO_BIG = sheet_process.too_big(sheet_process.READ_MEMORY_BYTES)

_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '</Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>'),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        '<sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '</Relationships>'),
}


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def handmade_xlsx(path: Path, rows: dict[int, list[str]], extra: dict[str, str] | None = None) -> Path:
    """An .xlsx of one sheet 台账 written as XML: rows (Excel row number -> texts from column A) and
    extra cells by reference (such as XFD1048576), all inline strings."""
    cells: dict[int, list[tuple[str, str]]] = {}
    for number, texts in rows.items():
        cells[number] = [(f"{column_letters(at)}{number}", text) for at, text in enumerate(texts, start=1)]
    for ref, text in (extra or {}).items():
        cells.setdefault(int(re.sub("[A-Z]", "", ref)), []).append((ref, text))
    body = "".join(f'<row r="{number}">' + "".join(f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
                                                   for ref, text in row) + "</row>"
                   for number, row in sorted(cells.items()))
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f"<sheetData>{body}</sheetData></worksheet>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in {**_PARTS, "xl/worksheets/sheet1.xml": sheet}.items():
            archive.writestr(name, text)
    return path


def problem_rows(count: int, prefix: str) -> dict[int, list[str]]:
    """HEADERS_A on row 1 and count problems under it."""
    return {1: HEADERS_A, **{number: problem(f"{prefix}{number}") for number in range(2, count + 2)}}


def run_cli(*paths: Path, store: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cockpit", "import", *map(str, paths), "--db", str(store)],
                          cwd=PROJECT, capture_output=True, text=True, timeout=300)


def assert_no_traceback(run: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in run.stdout + run.stderr
    assert "Error" not in run.stdout + run.stderr


# ---- a sheet's range far beyond its data -----------------------------------------------------

def test_a_cell_at_xfd1048576_is_refused_and_the_batch_goes_on(store, tmp_path):
    hostile = handmade_xlsx(tmp_path / "远处单元格.xlsx", problem_rows(1, "FAR"), {"XFD1048576": "x"})
    assert hostile.stat().st_size < 8 << 10  # a few KB asking calamine for a 512 GiB grid
    refused(store, hostile, TOO_BIG)

    good = write_csv(tmp_path / "好.csv", HEADERS_A, [problem("OK1")])
    run = run_cli(hostile, good, store=store)
    assert_no_traceback(run)
    assert run.returncode == 1
    assert f"远处单元格.xlsx：未导入。{TOO_BIG}" in run.stdout.splitlines()
    assert "好.csv：问题台账，导入 1 行" in run.stdout.splitlines()
    assert problems_except_base(store) == [("OK1",)]


@pytest.mark.parametrize("stray", [" ", ""])
def test_a_stray_cell_a_million_rows_down_reads_only_the_rows_with_data(store, tmp_path, stray):
    path = handmade_xlsx(tmp_path / "末行空格.xlsx", problem_rows(20, "R"), {"A1048576": stray})
    imported(store, path, "问题台账，导入 20 行")
    assert len(problems_except_base(store)) == 20


def test_a_reader_that_never_finishes_is_stopped(tmp_path):
    pipe = tmp_path / "台账.xlsx"
    os.mkfifo(pipe)  # opened by calamine, it waits forever for a writer
    with pytest.raises(sheet_process.WorkbookRefused) as refusal:
        sheet_process.read_workbook(pipe, seconds=1)
    assert str(refusal.value) == sheet_process.too_slow(1)


def test_a_reader_out_of_memory_is_refused_not_fatal(tmp_path):
    # calamine's grid for 16 columns and 1,048,576 rows takes about 512 MB
    path = handmade_xlsx(tmp_path / "台账.xlsx", problem_rows(20, "R"), {"A1048576": "x"})
    with pytest.raises(sheet_process.WorkbookRefused) as refusal:
        sheet_process.read_workbook(path, memory_bytes=64 << 20)
    assert str(refusal.value) == sheet_process.too_big(64 << 20)
    assert [sheet.table.num_rows for sheet in sheet_process.read_workbook(path)] == [1_048_576]


# ---- a damaged sheet inside a valid zip --------------------------------------------------------

def _rewritten(good: Path, target: Path, change) -> Path:
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            out.writestr(item.filename, change(item.filename, source.read(item)))
    return target


def _patched(good: Path, target: Path, patch) -> Path:
    data = bytearray(good.read_bytes())
    patch(data, zipfile.ZipFile(good).getinfo(SHEET))
    target.write_bytes(bytes(data))
    return target


SHEET = "xl/worksheets/sheet1.xml"


def _truncated_sheet(good, target):
    return _rewritten(good, target, lambda name, data: data[:len(data) // 2] if name == SHEET else data)


def _string_index_out_of_range(good, target):
    # D1's shared string (问题类别) replaced by an index the shared strings table does not have
    return _rewritten(good, target, lambda name, data: data.replace(b"<v>3</v>", b"<v>99999</v>", 1) if name == SHEET else data)


def _corrupt_deflate(good, target):
    def flip(data, info):
        name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26:info.header_offset + 30])
        start = info.header_offset + 30 + name_length + extra_length + info.compress_size // 3
        data[start:start + 40] = bytes(b ^ 0xFF for b in data[start:start + 40])
    return _patched(good, target, flip)


def _sizes_that_lie(good, target):
    def lie(data, info):  # the sheet declares 100 bytes unpacked, in its local header and the central directory
        struct.pack_into("<I", data, info.header_offset + 22, 100)
        central = data.find(b"PK\x01\x02")
        while central != -1:
            name_length = struct.unpack("<H", data[central + 28:central + 30])[0]
            if bytes(data[central + 46:central + 46 + name_length]) == SHEET.encode():
                struct.pack_into("<I", data, central + 24, 100)
            central = data.find(b"PK\x01\x02", central + 4)
    return _patched(good, target, lie)


@pytest.mark.parametrize("damage", [_truncated_sheet, _string_index_out_of_range, _corrupt_deflate, _sizes_that_lie])
def test_a_damaged_sheet_is_refused_and_the_good_files_import(store, tmp_path, damage):
    good_xlsx = write_xlsx(tmp_path / "原样.xlsx", HEADERS_A, [problem(f"D{i}") for i in range(50)])
    damaged = damage(good_xlsx, tmp_path / "损坏.xlsx")
    with zipfile.ZipFile(damaged) as archive:  # a valid zip: the damage is inside the sheet
        assert SHEET in archive.namelist()
    good = write_csv(tmp_path / "好.csv", HEADERS_A, [problem("OK1")])
    before = fingerprint(store)
    run = run_cli(damaged, good, store=store)
    assert_no_traceback(run)
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    assert f"损坏.xlsx：未导入。{DAMAGED}" in lines and "好.csv：问题台账，导入 1 行" in lines
    assert problems_except_base(store) == [("OK1",)]
    assert fingerprint(store) != before


# ---- folders -----------------------------------------------------------------------------------

def test_a_folder_imports_its_regular_files_and_names_the_rest(store, tmp_path):
    folder = tmp_path / "导出"
    folder.mkdir()
    write_csv(folder / "好.csv", HEADERS_A, [problem("OK1")])
    (folder / "断链.csv").symlink_to(tmp_path / "不存在.csv")
    os.mkfifo(folder / "管道.csv")
    (folder / "零.xlsx").symlink_to("/dev/zero")
    run = run_cli(folder, store=store)  # would wait forever on the pipe or /dev/zero, holding the lock
    assert_no_traceback(run)
    assert run.returncode == 1
    assert run.stdout.splitlines()[:4] == [
        f"断链.csv：未导入。{NOT_A_FILE}", f"管道.csv：未导入。{NOT_A_FILE}", f"零.xlsx：未导入。{NOT_A_FILE}",
        "好.csv：问题台账，导入 1 行"]
    assert problems_except_base(store) == [("OK1",)]


# ---- merged data cells -------------------------------------------------------------------------

def test_cells_merged_down_are_filled_and_said(store, tmp_path):
    path = tmp_path / "合并单元格.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("台账")
    sheet.write_row(0, 0, HEADERS_A)
    unit, district = HEADERS_A.index("责任单位"), HEADERS_A.index("区县")
    for at in range(1, 10):  # Excel's rows 2-10
        sheet.write_row(at, 0, problem(f"M{at}", 责任单位="", 区县="城东区" if at < 4 else ""))
    sheet.merge_range(1, unit, 3, unit, "市城管局")        # rows 2-4, as Excel writes a merge: text top-left
    sheet.write(4, unit, "市住建局")
    sheet.merge_range(4, district, 8, district, "城西区")  # rows 5-9
    sheet.merge_range(5, unit, 8, unit, "市水务局")        # rows 6-9
    sheet.write(9, unit, "市交通局")
    sheet.write(9, district, "城北区")
    book.close()
    notes = ["第 2–4 行的“责任单位”是合并单元格，已按合并内容填充", "第 5–9 行的“区县”是合并单元格，已按合并内容填充",
             "第 6–9 行的“责任单位”是合并单元格，已按合并内容填充"]
    assert prepare_file(path, available_mappings(), SETTINGS).notes == notes  # as the preview shows them
    imported(store, path, "问题台账，导入 9 行；" + "；".join(notes))
    assert problems_except_base(store, "problem_id, unit_name, district") == [
        ("M1", "市城管局", "城东区"), ("M2", "市城管局", "城东区"), ("M3", "市城管局", "城东区"),
        ("M4", "市住建局", "城西区"), ("M5", "市水务局", "城西区"), ("M6", "市水务局", "城西区"),
        ("M7", "市水务局", "城西区"), ("M8", "市水务局", "城西区"), ("M9", "市交通局", "城北区")]


# ---- the rejects workbook ----------------------------------------------------------------------

def test_the_rejects_workbook_holds_rejected_formulas_as_text(store, tmp_path):
    formula = '=HYPERLINK("http://example.invalid/","点我")'
    path = tmp_path / "公式.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADERS_A, *[problem(f"G{i}") for i in range(10)], problem("F2", 整改状态=formula)])
    result = import_files([path], db_directory=store, settings=SETTINGS)
    assert [o.status for o in result.outcomes] == ["imported"]
    book = openpyxl.load_workbook(result.rejects_path)
    rows = list(book["问题行"].iter_rows(values_only=True))
    assert rows == [("文件", "行号", "列", "原值", "原因", "处理"),
                    ("公式.csv", 12, "整改状态", formula, f"未知的状态“{formula}”", "整行未导入")]
    assert not any(cell.data_type == "f" for row in book["问题行"].iter_rows() for cell in row)
    assert book["问题行"]["D2"].quotePrefix  # text, as typed, in Excel's quote-prefix style
    assert table(store, "select count(*) from problems where problem_id like 'G%'") == [(10,)]
