"""A table of cell text as the importer reads it, column-wise (sheets, most CSVs) or row-wise.

The importer asks a table for its first rows (to find the header) and for its body under the header,
column by column. A sheet comes as Arrow text columns from the child that read it
(cockpit/ingest/sheet_process.py), with its merged ranges (ColumnTable). A CSV is read by DuckDB straight into columns
(ColumnTable) when DuckDB reads it exactly as Python's csv module would; else as rows. Building
Python lists for every row and turning them into columns was most of a large CSV import's time.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cockpit.ingest.parse import PYTHON_SPACES
from cockpit.store import scratch

HEADER_SEARCH_ROWS = 10  # the header is among a table's first this many rows with text

_NOT_A_SPACE = f"[^{PYTHON_SPACES}]"


def has_text(row: list[str]) -> bool:
    """Some cell holds more than spaces (a plain loop: asked of every row, it usually stops at the first cell)."""
    for cell in row:
        if cell.strip():
            return True
    return False


def cells_with_text(text: pd.Series) -> np.ndarray:
    """Per cell, whether it holds more than spaces: has_text for a column, in one vectorised call."""
    return text.str.contains(_NOT_A_SPACE, regex=True).to_numpy(dtype=bool)


def rows_with_text(columns: list[pd.Series], count: int) -> np.ndarray:
    """Per row, whether any of these columns has text there. Column by column, asking each only about
    the rows not decided yet: after the first column (usually an id) few are left."""
    found = np.zeros(count, dtype=bool)
    for column in columns:
        rest = np.flatnonzero(~found)
        if len(rest) == 0:
            break
        found[rest] = cells_with_text(column.iloc[rest])
    return found


@dataclass
class Body:
    """The rows under the header, cut to the header's width."""
    columns: list[pd.Series]     # per header column, the cells of the rows with text in the width ('' where a row is short)
    positions: np.ndarray        # those rows' places in the body (0: the row under the header)
    overlong: dict[int, int]     # place -> cell count, for the rows with text beyond the header's width
    count_rows_read: int         # rows with text anywhere


class RowTable:
    """A sheet, or a CSV the quick reader declined: a list of rows of cell text."""

    merged: tuple = ()  # a sheet's merged ranges (cockpit.sheets.SheetCells); a CSV has none

    def __init__(self, name: str, rows: list[list[str]], delimiter: str = ","):
        self.name, self.rows = name, rows
        self.delimiter = delimiter  # a CSV's, for messages about a file not recognised

    def all_rows(self) -> list[list[str]]:
        return self.rows

    def head_rows(self) -> list[list[str]]:
        return self.rows

    def body(self, start: int, width: int) -> Body:
        rows = self.rows[start:]
        with_text = [has_text(r) for r in rows]
        overlong = {i: len(r) for i, r in enumerate(rows) if len(r) > width and has_text(r[width:])}
        # A row's text within the width: as with_text, but for the rows cut to the width.
        keep = [i for i, (r, text) in enumerate(zip(rows, with_text))
                if text and (len(r) <= width or has_text(r[:width]))]
        kept = (rows[i] if len(rows[i]) == width else (rows[i] + [""] * width)[:width] for i in keep)
        columns = list(zip(*kept)) or [()] * width
        return Body([text_column(c).rename(pos) for pos, c in enumerate(columns)],
                    np.array(keep, dtype="int64"), overlong, sum(with_text))


def text_column(cells) -> pd.Series:
    """Python strings as a Series of the pandas text type (through Arrow: twice as quick as from objects)."""
    return pd.Series(pa.array(cells, type=pa.string()), dtype="str")


class ColumnTable:
    """A CSV read by DuckDB, or a sheet: one Series of text per column, and each row's own number of cells."""

    delimiter = ","

    def __init__(self, name: str, arrow, merged=()):
        self.name, self.merged = name, list(merged)  # a sheet's merged ranges (cockpit.sheets.SheetCells)
        self.length = arrow.num_rows
        self.columns = [pd.Series(pc.fill_null(column, ""), dtype="str") for column in arrow.columns]
        # A short row is padded with NULL: its cell count is one past its last cell that is not.
        self.cell_counts = np.zeros(self.length, dtype="int64")
        for number, column in enumerate(arrow.columns, start=1):
            if column.null_count:
                self.cell_counts[pc.is_valid(column).to_numpy(zero_copy_only=False)] = number
            else:
                self.cell_counts[:] = number
        self._any_text = rows_with_text(self.columns, self.length)

    def _row(self, at: int) -> list[str]:
        return [str(column.iat[at]) for column in self.columns[:self.cell_counts[at]]]

    def all_rows(self) -> list[list[str]]:
        """Every row as a list (for a file the importer does not recognise): columns to lists once,
        not a cell at a time."""
        cells = zip(*(column.tolist() for column in self.columns))
        return [list(row[:count]) for row, count in zip(cells, self.cell_counts.tolist())]

    def head_rows(self) -> list[list[str]]:
        """The rows up to the one after the (HEADER_SEARCH_ROWS + 1)th with text: all the header
        search and its two-row headers look at."""
        with_text = np.flatnonzero(self._any_text)[:HEADER_SEARCH_ROWS + 1]
        end = min(self.length, int(with_text[-1]) + 2) if len(with_text) else self.length
        return [self._row(at) for at in range(end)]

    def body(self, start: int, width: int) -> Body:
        columns = [column.iloc[start:].reset_index(drop=True) for column in self.columns]
        count = self.length - start
        keep = np.flatnonzero(rows_with_text(columns[:width], count))
        counts = self.cell_counts[start:]
        longer = np.flatnonzero(counts > width)
        beyond = rows_with_text([c.iloc[longer].reset_index(drop=True) for c in columns[width:]], len(longer))
        overlong = {int(at): int(counts[at]) for at in longer[beyond]}
        body_columns = [columns[pos].iloc[keep].reset_index(drop=True).rename(pos) for pos in range(width)]
        return Body(body_columns, keep, overlong, int(self._any_text[start:].sum()))


NEWLINE, RETURN, QUOTE, SPACE, TAB, NULL_MARKER = 10, 13, 34, 32, 9, 1
UTF8_BOM = b"\xef\xbb\xbf"
_HEAD_CHARS = 1 << 20
_SPARE_COLUMNS = 8  # room for rows longer than any among the first ones


def read_csv_quickly(path: Path, data: bytes, text: str, is_file_text: bool) -> ColumnTable | None:
    """The CSV's cells read by DuckDB, or None where it might read them differently from the csv module.

    data is the file's bytes, and text their decoding after any BOM; is_file_text says DuckDB reads that text from
    the file itself (UTF-8, with or without one BOM); else it reads a UTF-8 copy (GBK files, and
    names DuckDB would take for a glob pattern, such as 台账[1].csv).
    """
    # A second BOM stays in text; DuckDB would drop it as it drops the first.
    if text.startswith("\ufeff") or _may_read_differently(data, len(UTF8_BOM) if data.startswith(UTF8_BOM) else 0):
        return None
    attempts = _attempts(text)
    try:
        with _utf8_file(path, text, is_file_text and not scratch.has_glob_characters(path)) as source:
            return _read_with_duckdb(path.name, source, attempts)
    except OSError:  # no room for the UTF-8 copy: the csv module needs none
        return None


def _attempts(text: str) -> list[tuple[int, bool]]:
    """(columns, ragged) for DuckDB to try in turn, from the widths of the first rows: every row
    exactly that wide (quoted line breaks allowed), else up to _SPARE_COLUMNS wider, short rows padded."""
    try:
        head = itertools.islice(csv.reader(io.StringIO(text[:_HEAD_CHARS], newline="")), 200)
        widths = {len(row) for row in head}
    except csv.Error:
        return []
    exact = [(max(widths), False)] if len(widths) == 1 else []
    return exact + [(max(widths) + _SPARE_COLUMNS, True)]


def _read_with_duckdb(name: str, source: Path, attempts: list[tuple[int, bool]]) -> ColumnTable | None:
    if scratch.has_glob_characters(source):
        return None
    for columns, ragged in attempts:
        try:
            cells = scratch.read_csv_cells(source, columns, ragged=ragged)
        except scratch.CsvUnreadable:
            continue
        # The csv module refuses a cell longer than its field limit (the importer says which row):
        # such a file is left to it, so it is refused the same way. Bytes first: a cell has no more
        # characters than bytes, and counting bytes needs no decoding.
        too_long = [column for column in cells.columns if _longest(column, pc.binary_length) > csv.field_size_limit()]
        if any(_longest(column, pc.utf8_length) > csv.field_size_limit() for column in too_long):
            return None
        return ColumnTable(name, cells)
    return None


def _longest(column, length) -> int:
    return pc.max(length(column)).as_py() or 0


def _may_read_differently(data: bytes, start: int = 0) -> bool:
    """Whether the bytes from start on hold something DuckDB reads differently from the csv module:
    - a blank line: a row to the csv module (row numbers must match the file), skipped by DuckDB;
    - a lone \r among \n or \r\n line ends (a line break inside quotes may be \n in a \r\n file);
    - a space or tab next to a quote: DuckDB drops it, the csv module keeps it;
    - \x01, the quick reader's NULL marker.
    None of these bytes is ever part of a multi-byte character, in UTF-8 or GBK. A byte alone is
    looked for by Python (memchr); pairs with numpy: Python's own search for two-byte patterns was
    a second per 140 MB.
    """
    if data.find(bytes([NULL_MARKER]), start) != -1 or data[start:start + 1] in (b"\r", b"\n"):
        return True
    cells = np.frombuffer(data, dtype=np.uint8)[start:]
    newlines = _positions(cells, NEWLINE)
    returns = _positions(cells, RETURN) if data.find(b"\r", start) != -1 else newlines[:0]
    if np.isin(_neighbour(cells, newlines, 1), (NEWLINE, RETURN)).any() or (_neighbour(cells, returns, 1) == RETURN).any():
        return True
    if len(returns) and len(newlines) and (_neighbour(cells, returns, 1) != NEWLINE).any():
        return True
    if data.find(bytes([QUOTE]), start) != -1:
        quotes = _positions(cells, QUOTE)
        return bool(np.isin(_neighbour(cells, quotes, 1), (SPACE, TAB)).any()
                    or np.isin(_neighbour(cells, quotes, -1), (SPACE, TAB)).any())
    return False


_CHUNK_BYTES = 1 << 20


def _positions(cells: np.ndarray, byte: int) -> np.ndarray:
    """Where a byte occurs, compared a megabyte at a time: comparing the whole file at once made
    (and had the kernel clear) a temporary array as large as the file, twice as slow."""
    return np.concatenate([np.flatnonzero(cells[at:at + _CHUNK_BYTES] == byte) + at
                           for at in range(0, len(cells), _CHUNK_BYTES)] or [np.empty(0, dtype=np.intp)])


def _neighbour(cells: np.ndarray, positions: np.ndarray, step: int) -> np.ndarray:
    """The byte `step` places from each position (0 beyond either end of the data)."""
    places = positions + step
    inside = (places >= 0) & (places < len(cells))
    found = np.zeros(len(positions), dtype=np.uint8)
    found[inside] = cells[places[inside]]
    return found


@contextlib.contextmanager
def _utf8_file(path: Path, text: str, is_file_text: bool):
    """The file itself, or a temporary UTF-8 copy of its text (removed afterwards)."""
    if is_file_text:
        yield path
        return
    handle, name = tempfile.mkstemp(suffix=".csv", prefix="cockpit-import-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(text.encode("utf-8"))
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)
