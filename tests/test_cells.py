"""The quick CSV reader (DuckDB, column-wise) against the csv module it stands in for.

read_csv_quickly may decline a file (None: the importer then uses the csv module), but what it
reads must be exactly what the csv module reads: the same rows, cells, row numbers, cell counts of
long rows and rows with text. Checked on hand-made cases and on random CSV text.
"""

import csv
import io
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from cockpit.ingest.cells import PYTHON_SPACES, ColumnTable, RowTable, cells_with_text, read_csv_quickly
from cockpit.ingest.reading import _decode_csv
from tests.test_fuzz import LONG

FUZZ = settings(max_examples=3000 if LONG else 150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def csv_module_rows(text):
    return list(csv.reader(io.StringIO(text, newline="")))


def quick(tmp_path, text, encoding="utf-8"):
    path = tmp_path / "导出.csv"
    data = text.encode(encoding)
    path.write_bytes(data)
    decoded, is_file_text = _decode_csv(data)  # as the importer decodes it (a first BOM is dropped)
    return read_csv_quickly(path, data, decoded, is_file_text), decoded


def test_python_spaces_are_exactly_what_str_isspace_accepts():
    assert set(PYTHON_SPACES) == {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}


def test_cells_with_text_agrees_with_str_strip_for_every_character():
    characters = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    cells = characters + [f" {c}\u3000" for c in characters[:3000]] + ["", " \t\u3000\x1c", "\u3000a\u3000"]
    found = cells_with_text(pd.Series(cells, dtype="str"))
    assert found.tolist() == [bool(c.strip()) for c in cells]


@pytest.mark.parametrize("text", [
    "编号,状态\nA1,已办结\nA2,处理中\n",                      # LF
    "编号,状态\r\nA1,已办结\r\nA2,处理中",                    # CRLF, no line end at the end
    "编号,描述\r\nA1,\"门前\n堆放杂物\"\r\nA2,\"说\"\"好\"\"\"\r\n",  # a quoted line break and quotes
    "编号,状态,区县\nA1,已办结\nA2,处理中,城东区,多出来\nA3,, \n",  # short and long rows
    "问题台账（导出）\n编号,状态\nA1,已办结\n",                  # a title row above the header
    "编号,描述\nA1," + "长" * 50_000 + "\n",  # more bytes than the csv module's limit, fewer characters
])
def test_typical_exports_are_read_quickly_and_as_the_csv_module_reads_them(tmp_path, text):
    for encoding in ("utf-8", "gb18030", "utf-8-sig"):
        table, decoded = quick(tmp_path, text, encoding)
        assert table is not None
        assert table.all_rows() == csv_module_rows(decoded)


@pytest.mark.parametrize("text", [
    "编号,状态\nA1,已办结\n\nA2,处理中\n",     # a blank line is a row to the csv module, DuckDB skips it
    "编号,状态\r\nA1,已办结\nA2,处理中\r\n",   # mixed line ends
    "编号,状态\r\nA1,已办结\r\nA2,处理中\r ",   # a lone \r at the end of a \r\n file
    "编号,状态\nA1,\"已办\"结\n",             # text after a closing quote
    "编号,状态\nA1,\x01\n",                  # the reader's NULL marker
    "\ufeff\ufeff编号,状态\nA1,已办结\n",     # a second BOM: DuckDB would drop it too
    "编号,描述\n" + "A1,短\n" * 250 + "A2," + "长" * 131_073 + "\n",  # a cell over the csv module's limit
    '编号,状态\nA1,"已办结" \n',              # a space after a closing quote: DuckDB drops it
    '编号,状态\nA1, "已办结"\n',              # a space before a quote
    "编号,状态\nA1,\"第一段\n\n第二段\"\n",    # a blank line inside quotes: declined to be safe
])
def test_files_the_quick_reader_might_misread_are_declined(tmp_path, text):
    assert quick(tmp_path, text)[0] is None


def assert_same_body(rows, table, start, width):
    expected, got = RowTable("t", rows).body(start, width), table.body(start, width)
    assert got.positions.tolist() == expected.positions.tolist()
    assert got.overlong == expected.overlong
    assert got.count_rows_read == expected.count_rows_read
    assert [c.tolist() for c in got.columns] == [c.tolist() for c in expected.columns]
    assert all(str(c.dtype) == "str" for c in got.columns)


def test_body_of_a_column_table_equals_the_row_tables(tmp_path):
    text = "标题,,\n编号,状态,区县\nA1,已办结,城东区\n , ,\nA2,处理中,城东区,,\nA3\n,,,超出\nA4,已办结,城西区, \u3000\n"
    table, _ = quick(tmp_path, text)
    assert table is not None
    rows = csv_module_rows(text)
    assert table.head_rows() == rows
    for start in range(len(rows) + 1):
        for width in (1, 2, 3):
            assert_same_body(rows, table, start, width)


# Cells from the characters that make CSV hard, and enough ordinary ones to make it a table.
TRICKY = ",\"\n\r \t\u3000\x85\u2028\x00a中1"
tables = st.lists(st.lists(st.text(alphabet=TRICKY, max_size=6), min_size=1, max_size=5), min_size=1, max_size=8)


@FUZZ
@given(table=tables, quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]),
       line_end=st.sampled_from(["\n", "\r\n"]), encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_written_tables_read_quickly_equal_the_csv_module(tmp_path, table, quoting, line_end, encoding):
    buffer = io.StringIO(newline="")
    csv.writer(buffer, quoting=quoting, lineterminator=line_end).writerows(table)
    text = buffer.getvalue()
    check_quick_read(tmp_path, text, encoding)


@FUZZ
@given(text=st.text(alphabet=TRICKY, min_size=1, max_size=80))
def test_any_text_read_quickly_equals_the_csv_module(tmp_path, text):
    check_quick_read(tmp_path, text, "utf-8")


def check_quick_read(tmp_path, text, encoding):
    try:
        table, text = quick(tmp_path, text, encoding)
    except UnicodeEncodeError:
        return  # a character GBK cannot write
    if not text.strip():
        return  # the importer refuses an empty file before reading it
    try:
        rows = csv_module_rows(text)
    except csv.Error:
        rows = None  # the csv module cannot read it: neither may the quick reader
    if table is None:
        return
    assert rows is not None, text
    assert table.all_rows() == rows, text
    width = max(len(r) for r in rows)
    for start in (0, 1):
        for w in {1, width}:
            assert_same_body(rows, table, start, w)


def test_a_column_table_holds_text_columns(tmp_path):
    table, _ = quick(tmp_path, "编号,数量\nA1,3\nA2,\n")
    assert isinstance(table, ColumnTable)
    assert [str(c.dtype) for c in table.columns] == ["str", "str"]
    assert table.cell_counts.tolist() == [2, 2, 2]
    assert np.array_equal(table.body(1, 2).positions, [0, 1])


def test_a_file_whose_name_looks_like_a_pattern_is_read_itself(tmp_path):
    """DuckDB reads a path as a glob: 台账[1].csv would read 台账1.csv beside it."""
    (tmp_path / "台账1.csv").write_text("编号,状态\nOTHER,已办结\n", encoding="utf-8")
    for name in ("台账[1].csv", "台账?.csv", "台账*.csv"):
        path = tmp_path / name
        data = "编号,状态\nRIGHT,处理中\n".encode("utf-8")
        path.write_bytes(data)
        table = read_csv_quickly(path, data, data.decode("utf-8"), is_file_text=True)
        assert table is not None and table.all_rows() == [["编号", "状态"], ["RIGHT", "处理中"]]


def test_no_room_for_the_utf8_copy_leaves_the_file_to_the_csv_module(tmp_path, monkeypatch):
    import errno
    import tempfile

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "mkstemp", full)
    text = "编号,状态\nA1,已办结\n"
    path = tmp_path / "gbk.csv"
    path.write_bytes(text.encode("gb18030"))
    assert read_csv_quickly(path, path.read_bytes(), text, is_file_text=False) is None
