"""A sheet's cells, as python-calamine gives them (text, numbers, dates), -> the text the importer reads.

What each cell becomes is `cell_text`. A sheet is converted a column at a time (`sheet_table`): a
column of text goes to Arrow as it is, and a column whose other cells are all dates, times of day
or numbers is converted by Arrow and numpy in one call, where that gives exactly what `cell_text`
gives (tests compare the two); the cells it would not are converted one by one. A Python call per
cell was half of a large .xlsx import's time (docs/PERFORMANCE.md).
"""

from __future__ import annotations

from datetime import date, datetime, time
from itertools import repeat
from operator import attrgetter, is_

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cockpit.cells import ColumnTable, RowTable


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
