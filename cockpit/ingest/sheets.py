"""A sheet's cells, as python-calamine gives them (text, numbers, dates), -> the text the importer reads.

What each cell becomes is `cell_text`. A sheet is converted a column at a time (`sheet_table`): a
column of text goes to Arrow as it is, and a column whose other cells are all dates, times of day
or numbers is converted by Arrow and numpy in one call, where that gives exactly what `cell_text`
gives (tests compare the two); the cells it would not are converted one by one. A Python call per
cell was half of a large .xlsx import's time (docs/PERFORMANCE.md).

A workbook is read by `read_workbook_cells`, a block of rows at a time, into Arrow text columns:
the importer runs it in a child process (cockpit/ingest/sheet_process.py), which sends the columns back.
Blocks of empty rows are counted, not converted, so a stray cell a million rows down costs little;
cells merged down are filled from their top-left cell, as the clerk sees them in Excel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import islice, repeat
from operator import attrgetter, is_

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def cell_text(value) -> str:
    """One cell as text: numbers without a needless '.0', times as ISO text, booleans as 是/否."""
    return _TEXT_BY_TYPE.get(value.__class__, _any_cell_text)(value)


def _any_cell_text(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return ""
    if isinstance(value, float):
        return _float_text(value)
    return str(value)


def _float_text(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


# What _any_cell_text gives for exactly these types (one dict look-up, not a chain of checks).
_TEXT_BY_TYPE = {
    str: str,
    float: _float_text,
    int: str,
    datetime: lambda value: value.isoformat(sep=" "),
    date: date.isoformat,
    bool: lambda value: "是" if value else "否",
    time: lambda value: "",
    type(None): lambda value: "",
}


def sheet_table(name: str, rows: list[list]):
    """The sheet as a ColumnTable of text, or (rows of unequal length, which calamine does not give)
    as a RowTable converted cell by cell."""
    from cockpit.ingest.cells import ColumnTable, RowTable  # pandas and DuckDB: not needed by the reading child

    try:
        grid = np.array(rows, dtype=object) if rows and rows[0] else None
    except ValueError:
        grid = None
    if grid is None or grid.ndim != 2 or grid.shape != (len(rows), len(rows[0])):
        return RowTable(name, [[cell_text(c) for c in row] for row in rows])
    columns = [column_text(grid[:, at]) for at in range(grid.shape[1])]
    return ColumnTable(name, pa.table(columns, names=[f"c{at}" for at in range(len(columns))]))


def column_text(cells: np.ndarray) -> pa.Array:
    """cell_text of every cell of a column (an object array), as an Arrow string array."""
    try:  # only text: Arrow refuses any other cell; None (no cell) is a null, and must be ''
        return pc.fill_null(pa.array(cells, type=pa.string()), "")
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        pass
    types = list(map(type, cells))
    kinds = set(types)
    if str not in kinds:  # dates or numbers only: they stay in Arrow, no Python string per cell
        return _typed_text(cells, kinds)
    is_text = np.fromiter(map(is_, types, repeat(str)), dtype=bool, count=len(cells))
    text_at, typed_at = np.flatnonzero(is_text), np.flatnonzero(~is_text)
    # The text cells, then the others converted, put back in place by one take.
    place = np.empty(len(cells), dtype=np.int64)
    place[text_at] = np.arange(len(text_at))
    place[typed_at] = len(text_at) + np.arange(len(typed_at))
    both = pa.concat_arrays([pa.array(cells[text_at], type=pa.string()), _typed_text(cells[typed_at], kinds - {str})])
    return both.take(pa.array(place))


def _typed_text(cells: np.ndarray, kinds: set) -> pa.Array:
    """cell_text of cells that are not text (of these types): by Arrow for a run of one type it
    converts exactly, the cells it would not one by one."""
    converter = _VECTOR_TEXT.get(next(iter(kinds))) if len(kinds) == 1 else None
    if converter is None:
        return pa.array([cell_text(c) for c in cells], type=pa.string())
    text, exact = converter(cells)
    inexact = np.flatnonzero(~exact)
    if len(inexact) == 0:
        return text
    patched = np.asarray(text.to_numpy(zero_copy_only=False), dtype=object)
    patched[inexact] = [cell_text(c) for c in cells[inexact]]
    return pa.array(patched, type=pa.string())


def _datetime_text(cells: np.ndarray):
    """value.isoformat(sep=' ') for whole seconds of years 1000 on; the others are left to cell_text."""
    if any(map(attrgetter("tzinfo"), cells)):  # Arrow would move them to UTC
        return pa.array([""] * len(cells)), np.zeros(len(cells), dtype=bool)
    stamps = pa.array(cells, type=pa.timestamp("us"))
    micros = np.asarray(stamps.cast(pa.int64()))
    exact = (micros % 1_000_000 == 0) & (micros >= _YEAR_1000_US)
    # Arrow writes a timestamp of whole seconds as YYYY-MM-DD HH:MM:SS (ten times quicker than strftime).
    return stamps.cast(pa.timestamp("s"), safe=False).cast(pa.string()), exact


def _date_text(cells: np.ndarray):
    days = pa.array(cells, type=pa.date32())
    exact = np.asarray(days.cast(pa.int32())) >= _YEAR_1000_DAYS
    return days.cast(pa.string()), exact


def _number_text(cells: np.ndarray):
    """_float_text: whole numbers below 2**53 through int64, others between 1e-4 and 1e10 by Arrow,
    whose shortest form equals Python's repr there (checked on a million random floats); the rest
    (tiny, huge, inf, nan) are left to cell_text."""
    values = cells.astype("float64")
    with np.errstate(invalid="ignore"):
        whole = np.isfinite(values) & (values == np.floor(values)) & (np.abs(values) < 2.0 ** 53)
        plain = ~whole & (np.abs(values) >= 1e-4) & (np.abs(values) < 1e10)
    whole_text = pa.array(np.where(whole, values, 0).astype("int64")).cast(pa.string())
    plain_text = pa.array(values).cast(pa.string())
    return pc.if_else(pa.array(whole), whole_text, plain_text), whole | plain


_YEAR_1000_US = int((datetime(1000, 1, 1) - datetime(1970, 1, 1)).total_seconds()) * 1_000_000
_YEAR_1000_DAYS = (date(1000, 1, 1) - date(1970, 1, 1)).days
_VECTOR_TEXT = {datetime: _datetime_text, date: _date_text, float: _number_text}


# ---- reading a workbook ----------------------------------------------------------------------

BLOCK_ROWS = 1 << 16  # rows turned into Python lists at once (calamine gives them one by one)


@dataclass
class SheetCells:
    """One sheet as text columns c0, c1, ... (row 0 is Excel's row 1, column 0 its column A)."""
    name: str
    table: pa.Table
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (first row, first column, last row, last column), from 0


def read_workbook_cells(path: str) -> list[SheetCells]:
    """Every visible sheet of the workbook, cells merged down filled. Raises whatever calamine raises for
    a damaged file (the child process turns that into the importer's message)."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(path)
    sheets = []
    for meta in book.sheets_metadata:
        if not str(meta.visible).lower().endswith("visible"):  # Hidden, VeryHidden
            continue
        sheet = book.get_sheet_by_name(meta.name)
        merged = [(top, left, bottom, right) for (top, left), (bottom, right) in sheet.merged_cell_ranges or ()]
        sheets.append(SheetCells(meta.name, fill_merged(_sheet_columns(sheet), merged), merged))
    return sheets


def _sheet_columns(sheet) -> pa.Table:
    """The sheet's cells from A1 to its last cell as text columns. calamine's rows start at row 1 but
    at the sheet's first column: the columns left of it are added empty."""
    if not sheet.height or not sheet.width:
        return pa.table({})
    left = sheet.start[1]
    rows = sheet.iter_rows()
    blocks: list[list[pa.Array]] = []
    empty_rows = 0  # rows of no cell since the last block kept: added only if a later row has one
    while block := list(islice(rows, BLOCK_ROWS)):
        grid = np.array(block, dtype=object)
        if _may_be_empty(block) and (grid == "").all():
            empty_rows += len(block)
            continue
        if empty_rows:
            blocks.append([pa.repeat("", empty_rows)] * grid.shape[1])
            empty_rows = 0
        blocks.append([column_text(grid[:, at]) for at in range(grid.shape[1])])
    if not blocks:
        return pa.table({})
    columns = [pa.chunked_array(parts, type=pa.string()).combine_chunks() for parts in zip(*blocks)]
    count = len(columns[0])
    columns = [pa.repeat("", count)] * left + columns
    return pa.table(columns, names=[f"c{at}" for at in range(len(columns))])


def _may_be_empty(block: list[list]) -> bool:
    """Whether a block's first and last rows are empty: a block of data is told in two rows, not by
    comparing every cell."""
    return all(cell == "" for cell in block[0]) and all(cell == "" for cell in block[-1])


def fill_merged(table: pa.Table, merged: list[tuple[int, int, int, int]]) -> pa.Table:
    """Each merged range's first column filled down from its top-left cell, where Excel keeps the
    text alone: one take per column, as a sheet may hold thousands of merges. The range's other
    columns stay empty: a cell merged across is one value shown wide (a group label over two
    headers, a long description), not a value of each column under it."""
    columns, count = list(table.columns), table.num_rows
    down: dict[int, np.ndarray] = {}  # column -> the row each of its rows takes its text from
    for top, left, bottom, _right in merged:
        if top < count and left < len(columns) and bottom > top:
            down.setdefault(left, np.arange(count))[top:min(bottom, count - 1) + 1] = top
    for at, source in down.items():
        columns[at] = columns[at].take(pa.array(source))
    return pa.table(columns, names=table.column_names) if down else table
