"""Text that would change silently or mislead (issue 34): Big5 inside a GBK file, invisible format
characters, UTF-16 and other delimiters, Excel error values, absurd numbers, file names that forge
lines, and two files of one export date that disagree. Every file is generated here; each case
checks the clerk's exact message and the database, unchanged or changed exactly as said.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from cockpit.__main__ import main
from cockpit.ingest import parse
from cockpit.ingest.reading import decode_csv, shown_name
from cockpit.ingest.writing import import_files
from tests.test_bad_inputs import (UNKNOWN, fingerprint, imported, issues_of, problem, problems_except_base,
                                   refused, store)  # noqa: F401 (store is a fixture)
from tests.test_import import HEADERS_A, SETTINGS, table, write_csv

BIG5 = ("第 {row} 行含有无法识别的字符（可能是繁体 Big5 编码的文字混入了 GBK 文件），"
        "请用 Excel 打开后另存为 .xlsx，或另存为 UTF-8 编码的 CSV 再导入")
# A problem row of HEADERS_A as a Taiwanese or Hong Kong tool would write it: traditional characters.
TRADITIONAL_ROW = ["B1", "暗訪", "2026-05-01 09:00", "市容環境", "路燈不亮，請儘速處理", "長樂路", "城東區", "東關街道",
                   "東關街道", "2026-05-01", "2026-05-05", "已銷號", "2026-05-03", "2026-05-04 10:00", "108.95", "34.27"]


def csv_text(header: list[str], rows: list[list[str]], delimiter: str = ",") -> str:
    return "\n".join(delimiter.join(r) for r in [header, *rows]) + "\n"


# ---- Big5 text read as GBK -----------------------------------------------------------------------

def test_a_big5_row_inside_a_gbk_file_is_refused_naming_it(store, tmp_path):
    path = tmp_path / "繁体混入.csv"
    gbk = csv_text(HEADERS_A, [problem("G1", 责任单位="市城管局"), problem("G2")]).encode("gbk")
    path.write_bytes(gbk + (",".join(TRADITIONAL_ROW) + "\n").encode("big5"))
    refused(store, path, BIG5.format(row=4))


def test_a_whole_big5_file_is_refused_at_its_first_row(store, tmp_path):
    path = tmp_path / "繁体台账.csv"
    header = ["問題編號", "發現時間", "問題類別", "責任單位", "整改狀態"]
    path.write_bytes(csv_text(header, [TRADITIONAL_ROW[:5]]).encode("big5"))
    refused(store, path, BIG5.format(row=1))


def test_one_private_use_character_is_kept_as_an_offices_own_rare_character(store, tmp_path):
    # 造字: a character an office made in GBK's user-defined area (bytes AA A1, read as U+E000), and
    # rare characters GBK does hold: a genuine GBK export, imported as it is.
    path = tmp_path / "生僻字.csv"
    head = csv_text(HEADERS_A, [problem("R1", 责任单位="堃喆犇淼社区")]).encode("gbk")
    made = ",".join(problem("R2", 责任单位="张X社区")).encode("gbk").replace(b"X", b"\xaa\xa1")
    path.write_bytes(head + made + b"\n")
    imported(store, path, "问题台账，导入 2 行")
    assert problems_except_base(store, "problem_id, unit_name") == [("R1", "堃喆犇淼社区"), ("R2", "张\ue000社区")]


def test_every_chinese_character_and_symbol_of_gbk_reads_back():
    # Everything GBK encodes but kana and box drawing (what Big5 read as GBK gives): not one refused.
    chars = [chr(c) for c in range(0x80, 0x10000) if not 0x3040 <= c <= 0x30FF and not 0x2500 <= c <= 0x257F
             and not 0xE000 <= c <= 0xF8FF and not unicodedata.category(chr(c)).startswith(("C", "Z"))]
    gbk = [c for c in chars if _encodes(c, "gbk")]
    assert len(gbk) > 21000
    lines = ["".join(gbk[at:at + 40]) for at in range(0, len(gbk), 40)]
    text = "问题编号,问题描述\n" + "".join(f"P{i},{line}\n" for i, line in enumerate(lines))
    assert decode_csv(text.encode("gbk")) == text


def _encodes(char: str, encoding: str) -> bool:
    try:
        char.encode(encoding)
        return True
    except UnicodeEncodeError:
        return False


# ---- invisible format characters -----------------------------------------------------------------

def test_format_characters_are_unicodes_category_cf():
    spelt_out = set(re.findall(f"[{parse.FORMAT_CHARACTERS}]", "".join(map(chr, range(sys.maxunicode + 1)))))
    assert spelt_out == {chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"}


def test_format_characters_make_no_invisible_duplicates(store, tmp_path):
    rows = [problem("Z1"), problem("Z\u200b1"), problem("Z2\ufeff", 责任单位="市城\u00ad管局"),
            problem("Z3", 整改状态="已\u2060销号", 问题描述="占道\u200d经营", 区县="城东\u200c区\u2061")] + \
           [problem(f"Z{i}") for i in range(4, 14)]
    header = [h if h != "问题编号" else "问题\u200b编号\ufeff" for h in HEADERS_A]
    path = write_csv(tmp_path / "不可见字符.csv", header, rows)
    prepared = imported(store, path, "问题台账，导入 13 行，1 行有误未导入")
    assert issues_of(prepared) == [(3, "问题编号", "Z1", "与第 2 行重复，只保留第一行", True)]
    assert table(store, "select problem_id, unit_name, status, description, district from problems "
                        "where problem_id in ('Z2', 'Z3') order by 1") == [
        ("Z2", "市城管局", "closed", "占道经营", "城东区"), ("Z3", "东关街道", "closed", "占道经营", "城东区")]
    assert table(store, "select count(*) from problems where regexp_matches(problem_id || unit_name || description, "
                        "'[\u200b\u200c\u200d\u00ad\ufeff\u2060\u2061]')") == [(0,)]


def test_a_format_character_in_a_date_or_number_cell_is_ignored(store, tmp_path):
    header = HEADERS_A + ["扣分"]
    rows = [problem("Y1", 发现时间="2026-05-01\u200b 09:00", 经度="108.95\u00ad") + ["0.5\u2060"]] + \
           [problem(f"Y{i}") + ["1"] for i in range(2, 12)]
    imported(store, write_csv(tmp_path / "日期带零宽.csv", header, rows), "问题台账，导入 11 行")
    assert table(store, "select found_at::varchar, lng, deduction from problems where problem_id = 'Y1'") == [
        ("2026-05-01 09:00:00", 108.95, 0.5)]


# ---- encodings and delimiters ----------------------------------------------------------------------

def test_excels_unicode_text_utf16_and_tab_delimited_is_read(store, tmp_path):
    path = tmp_path / "Unicode文本.txt"
    path.write_bytes(csv_text(HEADERS_A, [problem("T1"), problem("T2", 问题描述="占道经营,堆放杂物")], "\t").encode("utf-16"))
    imported(store, path, "问题台账，导入 2 行")
    assert problems_except_base(store, "problem_id, description") == [("T1", "占道经营"), ("T2", "占道经营,堆放杂物")]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_read(store, tmp_path, encoding):
    path = tmp_path / f"{encoding}.csv"
    path.write_bytes(csv_text(HEADERS_A, [problem("U1"), problem("U2")]).encode(encoding))
    imported(store, path, "问题台账，导入 2 行")
    assert problems_except_base(store) == [("U1",), ("U2",)]


def test_a_broken_utf16_file_is_refused_saying_so(store, tmp_path):
    path = tmp_path / "截断.csv"
    path.write_bytes(csv_text(HEADERS_A, [problem("U1")]).encode("utf-16")[:-1])
    refused(store, path, "文件是 UTF-16 编码，但内容不完整、无法读取；请用 Excel 打开后另存为 .xlsx，"
                         "或另存为“CSV UTF-8（逗号分隔）”再导入")


def test_a_semicolon_delimited_file_is_read(store, tmp_path):
    path = tmp_path / "分号.csv"
    rows = [problem("S1", 问题描述="占道经营,堆放杂物"), problem("S2")]
    path.write_bytes(csv_text(HEADERS_A, rows, ";").encode("gbk"))
    imported(store, path, "问题台账，导入 2 行")
    assert problems_except_base(store, "problem_id, description") == [("S1", "占道经营,堆放杂物"), ("S2", "占道经营")]


def test_an_unknown_tab_delimited_file_is_told_what_was_seen(store, tmp_path):
    path = tmp_path / "花名册.csv"
    path.write_text(csv_text(["姓名", "工号", "部门"], [["张三", "001", "办公室"]], "\t"), encoding="utf-8")
    refused(store, path, UNKNOWN.replace("都对不上；", "都对不上（文件的各列以制表符分隔，已按制表符读取）；"))


def test_a_cell_past_the_csv_field_limit_is_named_in_chinese(store, tmp_path):
    # An opening quote never closed swallows the rest of the file into one cell of row 3.
    rows = [problem("L1"), problem("L2", 问题描述='"占道经营')] + [problem(f"M{i}") for i in range(2000)]
    path = write_csv(tmp_path / "引号未配对.csv", HEADERS_A, rows)
    refused(store, path, "第 3 行有一个单元格超过 131,072 个字符，过长无法读取（常见原因：某个引号没有配对，"
                         "把后面许多行并进了一个单元格）；请检查该行，或用 Excel 另存为 .xlsx 后再导入")


# ---- Excel error values -----------------------------------------------------------------------------

def error_reason(error: str) -> str:
    return f"单元格是 Excel 公式错误 {error}，请在 Excel 中改正公式后重新导出"


def test_excel_errors_saved_into_a_csv_are_named(store, tmp_path):
    header = HEADERS_A + ["扣分", "退回次数"]
    errors = ["#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"]
    rows = [problem("E1", 发现时间=errors[0]) + ["", ""], problem(errors[1]) + ["", ""],
            problem("E3", 整改状态=f" {errors[2]}") + ["", ""], problem("E4", 问题描述=errors[3]) + ["", ""],
            problem("E5") + [errors[4], errors[5]], problem("E6", 责任单位=errors[6]) + ["", ""]] + \
           [problem(f"OK{i}") + ["1", "0"] for i in range(30)]
    prepared = imported(store, write_csv(tmp_path / "公式错误.csv", header, rows), "问题台账，导入 30 行，6 行有误未导入")
    assert issues_of(prepared) == [
        (2, "发现时间", "#DIV/0!", error_reason("#DIV/0!"), True), (3, "问题编号", "#N/A", error_reason("#N/A"), True),
        (4, "整改状态", " #VALUE!", error_reason("#VALUE!"), True), (5, "问题描述", "#REF!", error_reason("#REF!"), True),
        (6, "扣分", "#NAME?", error_reason("#NAME?"), True), (6, "退回次数", "#NUM!", error_reason("#NUM!"), True),
        (7, "责任单位", "#NULL!", error_reason("#NULL!"), True)]
    assert problems_except_base(store) == [(f"OK{i}",) for i in sorted(range(30), key=str)]


def test_excel_error_cells_of_an_xlsx_are_named(store, tmp_path):
    path = tmp_path / "公式错误.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS_A)
    for i in range(20):
        sheet.append(problem(f"X{i}"))
    for cell, error in (("C3", "#DIV/0!"), ("A5", "#N/A"), ("L6", "#VALUE!")):
        sheet[cell] = error
        sheet[cell].data_type = "e"  # an error cell (t="e"), as Excel saves a failed formula's result
    book.save(path)
    prepared = imported(store, path, "问题台账，导入 17 行，3 行有误未导入")
    assert issues_of(prepared) == [(3, "发现时间", "#DIV/0!", error_reason("#DIV/0!"), True),
                                   (5, "问题编号", "#N/A", error_reason("#N/A"), True),
                                   (6, "整改状态", "#VALUE!", error_reason("#VALUE!"), True)]
    assert "X1" not in {r[0] for r in problems_except_base(store)}


# ---- absurd numbers ---------------------------------------------------------------------------------

def test_deductions_and_return_counts_outside_their_bounds_are_rejected(store, tmp_path):
    header = HEADERS_A + ["扣分", "退回次数"]
    rows = [problem("N1") + ["1e308", "0"], problem("N2") + ["-0.5", "1"], problem("N3") + ["inf", "2"],
            problem("N4") + ["0.5", "-1"], problem("N5") + ["2", "101"], problem("N6") + ["nan", ""],
            problem("N7") + ["0", "0"], problem("N8") + ["100", "100"]] + \
           [problem(f"OK{i}") + ["0.5", "1"] for i in range(30)]
    prepared = imported(store, write_csv(tmp_path / "数值.csv", header, rows), "问题台账，导入 32 行，6 行有误未导入")
    outside = "{} 不在合理范围内（应在 0 到 100 之间）".format
    assert issues_of(prepared) == [
        (2, "扣分", "1e308", outside("扣分 1e+308"), True), (3, "扣分", "-0.5", outside("扣分 -0.5"), True),
        (4, "扣分", "inf", "不是数字", True), (5, "退回次数", "-1", outside("退回次数 -1"), True),
        (6, "退回次数", "101", outside("退回次数 101"), True), (7, "扣分", "nan", "不是数字", True)]
    assert table(store, "select problem_id, deduction, return_count from problems where problem_id in ('N7', 'N8') "
                        "order by 1") == [("N7", 0.0, 0), ("N8", 100.0, 100)]


# ---- file names -------------------------------------------------------------------------------------

def test_a_line_break_in_a_file_name_forges_no_line(store, tmp_path, capsys):
    name = "台账\n问题台账_20260510.csv：问题台账，导入 999 行\u202e.csv"
    path = write_csv(tmp_path / name, HEADERS_A, [problem("F1")])
    assert main(["import", str(path), "--db", str(store)]) == 0
    out, err = capsys.readouterr()
    shown = "台账\\n问题台账_20260510.csv：问题台账，导入 999 行\\u202e.csv"
    assert out.splitlines()[0] == f"{shown}：问题台账，导入 1 行"
    assert "Traceback" not in out + err and not any(line.startswith("问题台账_20260510") for line in out.splitlines())
    report = Path(out.splitlines()[-1].removeprefix("导入报告：")).read_text(encoding="utf-8")
    assert report.splitlines()[1] == f"{shown}：问题台账，导入 1 行"
    assert table(store, "select file_name from imports order by import_id desc limit 1") == [(shown,)]


def test_a_missing_file_with_a_line_break_in_its_name(store, tmp_path, capsys):
    before = fingerprint(store)
    assert main(["import", str(tmp_path / "无此\n文件.csv"), "--db", str(store)]) == 1
    out, err = capsys.readouterr()
    assert err == f"导入失败：找不到文件或文件夹：{shown_name(tmp_path)}/无此\\n文件.csv\n"
    assert fingerprint(store) == before


# ---- two files of one export date -----------------------------------------------------------------

def test_the_file_kept_for_a_problem_two_files_of_one_date_disagree_on_is_named(store, tmp_path):
    east = write_csv(tmp_path / "城东区_20260510.csv", HEADERS_A, [problem("D1"), problem("D2"), problem("D3")])
    west = write_csv(tmp_path / "城西区_20260510.csv", HEADERS_A,
                     [problem("D1", 整改状态="整改中"), problem("D2"), problem("D3", 责任单位="市住建局"), problem("D4")])
    result = import_files([west, east], db_directory=store, settings=SETTINGS)
    assert [o.message for o in result.outcomes] == [
        "城东区_20260510.csv：问题台账，导入 3 行",
        "城西区_20260510.csv：问题台账，导入 4 行；同一导出日期的城东区_20260510.csv（2 个，如 D1）中有相同的问题编号"
        "但内容不同，已按本文件（后写入）的内容保存，请核对哪一份导出有误"]
    assert problems_except_base(store, "problem_id, status, unit_name") == [
        ("D1", "in_progress", "东关街道"), ("D2", "closed", "东关街道"), ("D3", "closed", "市住建局"),
        ("D4", "closed", "东关街道")]
    assert result.outcomes[1].message in result.report_path.read_text(encoding="utf-8")


def test_files_of_different_dates_replace_without_a_note(store, tmp_path):
    first = write_csv(tmp_path / "台账_20260510.csv", HEADERS_A, [problem("W1")])
    later = write_csv(tmp_path / "台账_20260517.csv", HEADERS_A, [problem("W1", 整改状态="整改中")])
    result = import_files([first, later], db_directory=store, settings=replace(SETTINGS))
    assert [o.message for o in result.outcomes] == ["台账_20260510.csv：问题台账，导入 1 行",
                                                    "台账_20260517.csv：问题台账，导入 1 行"]
