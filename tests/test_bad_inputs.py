"""The corpus of bad inputs (issue 10): every broken or hostile file a clerk may bring, the exact Chinese
message they read, and proof that the data is as before (the live file's bytes, CURRENT, every table).

Files that would be large (the 200 MB file, the decompression bomb) are generated here; the others are
built here too, from the same helpers as tests/test_import.py, so each case shows what it contains.
Cases the importer handles (title rows, merged headers, several sheets, hidden rows, formulas, spaces
in names, GBK behind a UTF-8 BOM) import correctly and say exactly what they imported.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from cockpit.ingest.writing import import_files
from cockpit.store import versions
from tests.test_import import HEADERS_A, ROW_A, SETTINGS, snapshot, table, write_csv, write_xlsx

DAMAGED = "无法打开表格文件：文件已损坏、不完整或不是 Excel 文件，请从平台重新导出"
UNKNOWN = ("无法识别这是哪一类导出：表头与已知的问题台账、检查记录、点位清单、单位清单、网申材料、问卷结果都对不上；"
           "请在“数据导入”页为该平台建立表头映射")
TOO_MANY = "坏行 {n} 行，占 {share}，超过设置的 20%，整个文件未导入。主要原因：{reasons}。请按问题清单修正后重新导入"


def problem(pid: str, **cells) -> list[str]:
    """A problem row of HEADERS_A: ROW_A with its id and any named columns changed."""
    row = dict(zip(HEADERS_A, ROW_A), 问题编号=pid, **cells)
    return [row[h] for h in HEADERS_A]


def good_rows(count: int, prefix: str = "G") -> list[list[str]]:
    return [problem(f"{prefix}{i}") for i in range(count)]


def fingerprint(store: Path) -> tuple:
    """CURRENT, the live file's bytes and every table: what 'unchanged' means."""
    live = versions.current_file(store)
    return ((store / versions.POINTER).read_text(encoding="utf-8"), hashlib.sha256(live.read_bytes()).hexdigest(),
            snapshot(store), sorted(p.name for p in versions.versions(store)))


@pytest.fixture
def store(tmp_path):
    """A store holding one imported file, so 'unchanged' is checked against real data."""
    directory = tmp_path / "db"
    first = import_files([write_csv(tmp_path / "基础台账_20260501.csv", HEADERS_A, good_rows(3, "BASE"))],
                         db_directory=directory, settings=SETTINGS)
    assert [o.status for o in first.outcomes] == ["imported"]
    return directory


def refused(store: Path, path: Path, message: str, settings=SETTINGS) -> None:
    """Import path; the clerk reads exactly '<file>：未导入。<message>' and nothing changed."""
    before = fingerprint(store)
    result = import_files([path], db_directory=store, settings=settings)
    assert [(o.status, o.message) for o in result.outcomes] == [("refused", f"{path.name}：未导入。{message}")]
    assert result.published is None
    assert fingerprint(store) == before


def imported(store: Path, path: Path, message: str, settings=SETTINGS):
    """Import path; it imports with exactly this message. Returns its prepared file (issues, rows)."""
    result = import_files([path], db_directory=store, settings=settings)
    assert [(o.status, o.message) for o in result.outcomes] == [("imported", f"{path.name}：{message}")]
    return result.outcomes[0].prepared


def issues_of(prepared) -> list[tuple]:
    return [(i.row_number, i.column_name, i.cell_value, i.reason, i.is_fatal) for i in prepared.issues]


def problems_except_base(store: Path, columns: str = "problem_id") -> list[tuple]:
    return table(store, f"select {columns} from problems where problem_id not like 'BASE%' order by problem_id")


# ---- files that cannot be read at all --------------------------------------------------------

@pytest.mark.parametrize("name,content,message", [
    ("空文件.csv", b"", "文件是空的"),
    ("空行.csv", b"\r\n\r\n  \r\n", "文件是空的"),
    ("问题台账.xlsx", "问题编号,发现时间\nP1,2026-05-01\n".encode(), DAMAGED),           # text renamed .xlsx
    ("通报.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", DAMAGED),
    ("旧版台账.xls", bytes(range(256)) * 4, DAMAGED),
    ("台账.pdf", b"%PDF-1.4\n", "不支持的文件类型“.pdf”，请导出为 .xlsx 或 .csv"),
    ("乱码.csv", b"\x81\x30\x81\x30\xff\xfe\xfd\x00\x80", "无法识别文件编码（既不是 UTF-8 也不是 GBK），请另存为 UTF-8 或 Excel 文件"),
])
def test_unreadable_bytes(store, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    refused(store, path, message)



def test_header_only_csv(store, tmp_path):
    refused(store, write_csv(tmp_path / "只有表头.csv", HEADERS_A, []), "文件只有表头，没有数据行")


def test_header_only_xlsx_with_empty_rows_below(store, tmp_path):
    path = write_xlsx(tmp_path / "只有表头.xlsx", HEADERS_A, [[""] * 16, [None] * 16])
    refused(store, path, "文件只有表头，没有数据行")


def test_workbook_with_no_cells(store, tmp_path):
    path = tmp_path / "空工作簿.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("Sheet1")
    book.close()
    refused(store, path, "文件是空的")





@pytest.mark.parametrize("keep", [0.5, 0.98])
def test_truncated_xlsx(store, tmp_path, keep):
    whole = write_xlsx(tmp_path / "whole.xlsx", HEADERS_A, good_rows(50, "T"))
    data = whole.read_bytes()
    path = tmp_path / "下载中断.xlsx"
    path.write_bytes(data[:int(len(data) * keep)])
    refused(store, path, DAMAGED)


def bomb_xlsx(path: Path, sheet_bytes: int, compressible: bool = True) -> Path:
    """A valid-looking .xlsx with a part huge when unpacked: spaces (about 1000 to 1), or, when not
    compressible, spaces with random hex in every KB (about 40 to 1, like a big real sheet)."""
    good = write_xlsx(path.with_name("model.xlsx"), HEADERS_A, [ROW_A])
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                target.writestr(item.filename, data)
                with target.open("xl/worksheets/padding.xml", "w", force_zip64=True) as pad:
                    for _ in range(sheet_bytes >> 20):
                        pad.write(b" " * (1 << 20) if compressible else
                                  b"".join(os.urandom(16).hex().encode() + b" " * 992 for _ in range(1024)))
            else:
                target.writestr(item, data)
    return path


def test_decompression_bomb_refused_from_its_declared_sizes(store, tmp_path):
    path = bomb_xlsx(tmp_path / "炸弹.xlsx", 64 << 20)
    assert path.stat().st_size < 1 << 20  # a small file that would unpack to 64 MB
    refused(store, path, "文件解压后达 64 MB，异常地大（可能是压缩炸弹），为保护服务器未打开")


def test_xlsx_unpacking_past_twenty_times_the_size_limit(store, tmp_path):
    path = bomb_xlsx(tmp_path / "超大.xlsx", 24 << 20, compressible=False)
    assert path.stat().st_size < 1 << 20
    refused(store, path, "文件解压后达 24 MB，异常地大（可能是压缩炸弹），为保护服务器未打开",
            settings=replace(SETTINGS, max_file_mb=1))


def test_a_300_mb_file_is_refused_before_it_is_read(store, tmp_path):
    path = tmp_path / "全年台账.csv"
    with open(path, "wb") as handle:  # sparse: 300 MB on paper, nothing on disk
        handle.write(",".join(HEADERS_A).encode() + b"\n")
        handle.seek(300 * (1 << 20) - 1)
        handle.write(b"\n")
    refused(store, path, "文件大小 300 MB，超过设置的上限 200 MB；请按月份或区县分成几个文件导出")




def test_gbk_rows_appended_to_a_utf8_file(store, tmp_path):
    utf8 = (",".join(HEADERS_A) + "\n" + ",".join(problem("M1")) + "\n").encode("utf-8")
    gbk = (",".join(problem("M2", 责任单位="市城管局")) + "\n").encode("gbk")
    path = tmp_path / "拼接台账.csv"
    path.write_bytes(utf8 + gbk)
    refused(store, path, "第 3 行的编码与前面的行不同（文件混用了 UTF-8 和 GBK），请用 Excel 打开后另存为 .xlsx 再导入")


# ---- files whose headers are not what we need ----------------------------------------------------

def test_unknown_headers(store, tmp_path):
    path = write_csv(tmp_path / "花名册.csv", ["姓名", "工号", "部门", "入职日期"], [["张三", "001", "办公室", "2020-01-01"]])
    refused(store, path, UNKNOWN)


def test_a_required_column_missing(store, tmp_path):
    header = [h for h in HEADERS_A if h != "整改状态"]
    path = write_csv(tmp_path / "缺状态列.csv", header, [[c for h, c in zip(HEADERS_A, ROW_A) if h != "整改状态"]])
    refused(store, path, "看起来是问题台账，但缺少必填的列：整改状态；请在平台导出时勾选这些列")


def test_the_id_column_missing(store, tmp_path):
    path = write_csv(tmp_path / "缺编号列.csv", HEADERS_A[1:], [ROW_A[1:]])
    refused(store, path, "看起来是问题台账，但缺少必填的列：问题编号；请在平台导出时勾选这些列")


def test_unknown_extra_headers_are_named_and_the_rest_imports(store, tmp_path):
    path = write_csv(tmp_path / "多余列.csv", HEADERS_A + ["备注", "联系人电话"], [problem("X1") + ["已电话督办", "13800000000"]])
    imported(store, path, "问题台账，导入 1 行；未使用的列：备注、联系人电话")
    assert problems_except_base(store) == [("X1",)]


# ---- the same file again ---------------------------------------------------------------------

def test_the_same_file_renamed_is_skipped(store, tmp_path):
    original = write_csv(tmp_path / "台账_20260502.csv", HEADERS_A, good_rows(2, "S"))
    import_files([original], db_directory=store, settings=SETTINGS)
    before = fingerprint(store)
    renamed = tmp_path / "台账（副本）.csv"
    renamed.write_bytes(original.read_bytes())
    result = import_files([renamed], db_directory=store, settings=SETTINGS)
    assert [(o.status, o.message) for o in result.outcomes] == [
        ("skipped", "台账（副本）.csv：与已导入的文件内容相同，跳过")]
    assert fingerprint(store) == before


# ---- rows with bad cells: reported by row and column, the file refused past the share --------------

def test_too_many_bad_rows_refuse_the_whole_file(store, tmp_path):
    rows = [problem(f"B{i}", 发现时间="2026年2月30日") for i in range(3)] + good_rows(2, "OK")
    path = write_csv(tmp_path / "坏日期多.csv", HEADERS_A, rows)
    refused(store, path, TOO_MANY.format(n=3, share="60%", reasons="发现时间 日期不存在（月或日超出范围，如2月30日） 3 行，如 2026年2月30日"))


def test_impossible_dates_are_named(store, tmp_path):
    rows = good_rows(12) + [problem("D1", 发现时间="2026年2月30日"), problem("D2", 发现时间="1900-01-01"),
                            problem("D3", 发现时间="2026-05-10", 整改时限="2026-05-01")]
    prepared = imported(store, write_csv(tmp_path / "日期.csv", HEADERS_A, rows), "问题台账，导入 12 行，3 行有误未导入")
    assert issues_of(prepared) == [
        (14, "发现时间", "2026年2月30日", "日期不存在（月或日超出范围，如2月30日）", True),
        (15, "发现时间", "1900-01-01", "日期年份不合理（应在 2000 到 2099 年之间）", True),
        (16, "整改时限", "2026-05-01", "整改时限早于发现时间（2026-05-10）", True),
    ]
    assert table(store, "select row_number, column_name, reason from import_rejects order by row_number") == [
        (14, "发现时间", "日期不存在（月或日超出范围，如2月30日）"),
        (15, "发现时间", "日期年份不合理（应在 2000 到 2099 年之间）"),
        (16, "整改时限", "整改时限早于发现时间（2026-05-10）")]


def test_mixed_date_forms_in_one_column(store, tmp_path):
    forms = ["2026-05-01 08:00", "2026/5/2", "2026年5月3日", "46146", "２０２６－０５－０５", "2026.5.6 9:30"]
    rows = [problem(f"F{i}", 发现时间=form, 整改时限="") for i, form in enumerate(forms)]
    imported(store, write_csv(tmp_path / "日期混写.csv", HEADERS_A, rows), "问题台账，导入 6 行")
    assert problems_except_base(store, "problem_id, found_at") == [
        ("F0", datetime(2026, 5, 1, 8, 0)), ("F1", datetime(2026, 5, 2)), ("F2", datetime(2026, 5, 3)),
        ("F3", datetime(2026, 5, 4)), ("F4", datetime(2026, 5, 5)), ("F5", datetime(2026, 5, 6, 9, 30))]


def test_unknown_status_words(store, tmp_path):
    rows = good_rows(9) + [problem("U1", 整改状态="已挂起"), problem("U2", 整改状态="  待 整改 ")]
    prepared = imported(store, write_csv(tmp_path / "状态.csv", HEADERS_A, rows), "问题台账，导入 10 行，1 行有误未导入")
    assert issues_of(prepared) == [(11, "整改状态", "已挂起", "未知的状态“已挂起”", True)]
    assert problems_except_base(store, "problem_id, status")[-1] == ("U2", "pending")  # spaces inside are ignored


def test_duplicate_ids_within_a_file(store, tmp_path):
    rows = [problem("P1"), problem("P2"), problem("P1", 整改状态="整改中"), problem("Ｐ２")] + good_rows(12)
    prepared = imported(store, write_csv(tmp_path / "重复.csv", HEADERS_A, rows), "问题台账，导入 14 行，2 行有误未导入")
    assert issues_of(prepared) == [(4, "问题编号", "P1", "与第 2 行重复，只保留第一行", True),
                                   (5, "问题编号", "P2", "与第 3 行重复，只保留第一行", True)]
    assert table(store, "select status from problems where problem_id = 'P1'") == [("closed",)]


def test_full_width_digits_and_thousands_separators(store, tmp_path):
    # Read as numbers, separators and all; a deduction or return count past 100 is then not believed.
    header = HEADERS_A + ["扣分", "退回次数"]
    rows = [problem("Ｎ１", 经度="１０８．９５", 纬度="３４．２７") + ['"１,２３4.5"', "１２３"],
            problem("N2") + ["1，000", "２"], problem("N3") + ["十二", "1.5"], problem("N4") + ["１２．5", "１２"]] + \
           [problem(f"N{i}") + ["", ""] for i in range(5, 20)]
    prepared = imported(store, write_csv(tmp_path / "数字.csv", header, rows), "问题台账，导入 16 行，3 行有误未导入")
    assert issues_of(prepared) == [
        (2, "扣分", "１,２３4.5", "扣分 1234.5 不在合理范围内（应在 0 到 100 之间）", True),
        (2, "退回次数", "１２３", "退回次数 123 不在合理范围内（应在 0 到 100 之间）", True),
        (3, "扣分", "1，000", "扣分 1000 不在合理范围内（应在 0 到 100 之间）", True),
        (4, "扣分", "十二", "不是数字", True), (4, "退回次数", "1.5", "应为整数", True)]
    assert table(store, "select problem_id, deduction, return_count, lng, lat from problems "
                        "where problem_id in ('N4', 'N5') order by 1") == [
        ("N4", 12.5, 12, 108.95, 34.27), ("N5", None, None, 108.95, 34.27)]
    assert table(store, "select lng, lat from problems where problem_id = 'N1'") == []


def test_coordinates_as_text_swapped_zero_and_outside_china(store, tmp_path):
    rows = [problem("C1", 经度="108.95°", 纬度="34.27°"), problem("C2", 经度="34.27", 纬度="108.95"),
            problem("C3", 经度="0", 纬度="0"), problem("C4", 经度="-122.42", 纬度="37.77"),
            problem("C5", 经度="东经108度", 纬度="北纬34度")] + good_rows(20)
    prepared = imported(store, write_csv(tmp_path / "坐标.csv", HEADERS_A, rows),
                        "问题台账，导入 24 行，1 行有误未导入，2 行坐标无效（去掉位置后导入）")
    assert issues_of(prepared) == [
        (3, "经度/纬度", "34.27, 108.95", "经纬度写反，已自动对调", False),
        (4, "经度/纬度", "0, 0", "坐标为 0，按无位置导入", False),
        (5, "经度/纬度", "-122.42, 37.77", "坐标不在中国境内，按无位置导入", False),
        (6, "经度", "东经108度", "不是数字", True), (6, "纬度", "北纬34度", "不是数字", True)]
    assert problems_except_base(store, "problem_id, lng, lat")[:4] == [
        ("C1", 108.95, 34.27), ("C2", 108.95, 34.27), ("C3", None, None), ("C4", None, None)]
    assert table(store, "select count_rows_without_location from imports where file_name = '坐标.csv'") == [(2,)]


def test_a_row_longer_than_the_header(store, tmp_path):
    path = tmp_path / "逗号.csv"
    shifted = problem("R2", 问题描述="占道经营,堆放杂物")  # an unquoted comma splits one cell in two
    lines = [",".join(HEADERS_A)] + [",".join(r) for r in good_rows(9, "R")] + [",".join(shifted)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    prepared = imported(store, path, "问题台账，导入 9 行，1 行有误未导入")
    assert issues_of(prepared) == [
        (11, "整行", "", "本行有 17 个单元格，多于表头的 16 列（可能某个单元格含逗号却没加引号）", True)]


def test_required_cells_empty(store, tmp_path):
    rows = good_rows(9) + [problem("", 发现时间="")]
    prepared = imported(store, write_csv(tmp_path / "空必填.csv", HEADERS_A, rows), "问题台账，导入 9 行，1 行有误未导入")
    assert issues_of(prepared) == [(11, "问题编号", "", "必填项为空", True), (11, "发现时间", "", "必填项为空", True)]


# ---- shapes of real exports the importer handles ------------------------------------------------

def test_several_sheets_one_right(store, tmp_path):
    path = tmp_path / "多表.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("说明").write_column(0, 0, ["本表由平台导出", "导出人：张三"])
    book.add_worksheet("统计").write_row(0, 0, ["区县", "问题数"])
    data = book.add_worksheet("明细")
    data.write_row(0, 0, HEADERS_A)
    data.write_row(1, 0, problem("W1"))
    book.add_worksheet("空表")
    book.close()
    imported(store, path, "问题台账，导入 1 行")
    assert problems_except_base(store) == [("W1",)]


def test_title_rows_and_a_merged_two_row_header(store, tmp_path):
    path = tmp_path / "合并表头.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.merge_range(0, 0, 0, 5, "示范市创城问题整改台账")
    sheet.write(1, 0, "导出时间：2026-05-06")
    for col, name in enumerate(["问题编号", "发现时间", "责任单位"]):
        sheet.merge_range(2, col, 3, col, name)  # merged down over both header rows
    sheet.merge_range(2, 3, 2, 4, "整改情况")       # a group label over two columns
    sheet.write_row(3, 3, ["整改状态", "整改时限"])
    sheet.write_row(4, 0, ["H1", "2026-05-01 09:00", "市城管局", "整改中", "2026-05-08"])
    sheet.write_row(5, 0, ["H2", "2026-05-02", "市住建局", "已挂起", ""])
    book.close()
    prepared = imported(store, path, "问题台账，导入 1 行，1 行有误未导入", settings=replace(SETTINGS, bad_row_share=0.5))
    assert issues_of(prepared) == [(6, "整改状态", "已挂起", "未知的状态“已挂起”", True)]  # Excel's row 6
    assert problems_except_base(store, "problem_id, unit_name, status, due_on") == [
        ("H1", "市城管局", "in_progress", date(2026, 5, 8))]


def test_hidden_rows_are_imported_like_any_row(store, tmp_path):
    # Hiding a row is how someone looked at the sheet, not a deletion: the platform exported it.
    path = tmp_path / "隐藏行.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADERS_A)
    for i, row in enumerate([problem("V1"), problem("V2"), problem("V3")], start=1):
        sheet.write_row(i, 0, row)
    sheet.set_row(2, None, None, {"hidden": True})
    book.close()
    imported(store, path, "问题台账，导入 3 行")
    assert problems_except_base(store) == [("V1",), ("V2",), ("V3",)]


def test_formulas_are_read_as_their_saved_results(store, tmp_path):
    path = tmp_path / "公式.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADERS_A)
    sheet.write_row(1, 0, problem("Q1"))
    sheet.write_formula(1, 0, '="Q"&"1"', None, "Q1")
    sheet.write_formula(1, 14, "=100+8.95", None, 108.95)
    book.close()
    imported(store, path, "问题台账，导入 1 行")
    assert problems_except_base(store, "problem_id, lng") == [("Q1", 108.95)]


def test_a_formula_without_a_saved_result_is_an_empty_cell(store, tmp_path):
    # openpyxl saves formulas without results; Excel would compute them on opening, we cannot.
    path = tmp_path / "未计算公式.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS_A)
    sheet.append(problem("Z1"))
    sheet["A2"] = '="Z"&"1"'
    book.save(path)
    refused(store, path, TOO_MANY.format(n=1, share="100%", reasons="问题编号 必填项为空 1 行"))
    prepared = import_files([path], db_directory=store, settings=SETTINGS).outcomes[0].prepared
    assert issues_of(prepared) == [(2, "问题编号", "", "必填项为空", True)]


def test_gbk_bytes_in_a_file_that_claims_utf8(store, tmp_path):
    path = tmp_path / "带BOM的GBK.csv"
    text = ",".join(HEADERS_A) + "\r\n" + ",".join(problem("G1", 责任单位="市城管局")) + "\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("gbk"))
    imported(store, path, "问题台账，导入 1 行")
    assert problems_except_base(store, "problem_id, unit_name") == [("G1", "市城管局")]


def test_names_with_spaces_are_one_unit(store, tmp_path):
    units = write_csv(tmp_path / "单位.csv", ["单位名称", "单位类型"],
                      [[" 市城管局", "市直部门"], ["市城管局 ", "市直部门"], ["市\u3000城管局", "市直部门"]] +
                      [[f"单位{i}", "市直部门"] for i in range(12)])
    prepared = imported(store, units, "责任单位清单，导入 13 行，2 行有误未导入")
    assert issues_of(prepared) == [(3, "单位名称", "市城管局", "与第 2 行重复，只保留第一行", True),
                                   (4, "单位名称", "市城管局", "与第 2 行重复，只保留第一行", True)]
    rows = [problem(f"K{i}", 责任单位=name) for i, name in enumerate(["\u3000市城管局", "市 城管局", "市城管局\t"])]
    imported(store, write_csv(tmp_path / "带空格.csv", HEADERS_A, rows), "问题台账，导入 3 行")
    assert table(store, "select distinct unit_name from problems where problem_id like 'K%'") == [("市城管局",)]
    assert table(store, "select count(*) from units where unit_name like '%城管局%'") == [(1,)]


def test_control_characters_and_blank_lines(store, tmp_path):
    path = tmp_path / "控制字符.csv"
    lines = [",".join(HEADERS_A), ",".join(problem("NUL\x001", 问题描述="占道\x07经营")), "", ",".join(problem("L2"))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    imported(store, path, "问题台账，导入 2 行")
    assert problems_except_base(store, "problem_id, description") == [("L2", "占道经营"), ("NUL1", "占道经营")]
    assert table(store, "select count_rows_read from imports where file_name = '控制字符.csv'") == [(2,)]


def test_a_batch_with_one_bad_file_imports_the_good_one_only(store, tmp_path):
    good = write_csv(tmp_path / "好.csv", HEADERS_A, [problem("OK1")])
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a workbook")
    result = import_files([good, bad], db_directory=store, settings=SETTINGS)
    assert sorted((o.status, o.message) for o in result.outcomes) == [
        ("imported", "好.csv：问题台账，导入 1 行"), ("refused", f"坏.xlsx：未导入。{DAMAGED}")]
    assert problems_except_base(store) == [("OK1",)]
