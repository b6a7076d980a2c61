"""Scratch DuckDB work for the importer, away from any store: its parsed rows exposed to SQL as views,
column work over Arrow tables, and a strict read of a CSV file's cells."""

from __future__ import annotations

import atexit
import threading
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cockpit.store.queries import CONFIG

# What read_csv_cells raises on a file DuckDB would read differently from Python's csv module.
CsvUnreadable = duckdb.Error


def register_frame(con: duckdb.DuckDBPyConnection, view_name: str, frame: pd.DataFrame) -> pa.Table:
    """Expose a DataFrame to SQL as a view (the importer's parsed rows), through Arrow: DuckDB scans
    Arrow natively, while a DataFrame's text and date columns are Python objects it reads one by one,
    on every statement that reads the view. Returns the Arrow table the view reads."""
    rows = pa.Table.from_pandas(frame, preserve_index=False)
    con.register(view_name, rows)
    return rows


def register_new_rows(con: duckdb.DuckDBPyConnection, view_name: str, rows: pa.Table, table: str, key: str) -> None:
    """Expose the rows whose key the table does not hold yet as a view of their own, read from Arrow.

    An insert that reads a join (`anti join table`) is held in memory and compressed into the
    database file at the next checkpoint, on one thread; an insert that reads Arrow is compressed
    and written as it goes, on every core (half a second less for the benchmark's 525,817 new
    problems, docs/PERFORMANCE.md). The table and key are the importer's own names, never input.
    """
    con.register("_rows_to_check", rows)
    try:
        held = con.sql(f"select {key} from _rows_to_check semi join {table} using ({key})").to_arrow_table()
    finally:
        con.unregister("_rows_to_check")
    new = rows.filter(pc.invert(pc.is_in(rows[key], value_set=held[key].combine_chunks()))) if held.num_rows else rows
    con.register(view_name, new)


_compute = None
_compute_lock = threading.Lock()


def _close_compute() -> None:
    """Close the in-memory connection while the interpreter still runs: a DuckDB object left alive
    until interpreter exit is reported by duckdb's bindings (nanobind) as a leak, a screen of
    harmless warnings after every test run and server stop."""
    global _compute
    with _compute_lock:
        if _compute is not None:
            _compute.close()
            _compute = None


atexit.register(_close_compute)


def compute(sql: str, params: dict, **tables: pa.Table) -> pa.Table:
    """A query over Arrow tables (by the names given) on the process's one in-memory DuckDB: column
    work such as the importer's parsing, away from any store. One thread per query: the importer
    runs several at once, and connecting anew cost about 20 ms a call."""
    global _compute
    with _compute_lock:
        _compute = _compute or duckdb.connect(":memory:", config={**CONFIG, "threads": 1})
        cursor = _compute.cursor()  # one per call: a cursor may be used from its own thread only
    try:
        for name, table in tables.items():
            cursor.register(name, table)
        return cursor.sql(sql, params=params).to_arrow_table()
    finally:
        cursor.close()


def read_csv_cells(path: Path, columns: int, *, ragged: bool):
    """Every cell of a UTF-8 CSV file as text, in file order: an Arrow table of `columns` columns.

    DuckDB's reader in strict mode, with nothing detected: it raises (duckdb.Error) on anything it
    would read differently from Python's csv module: a quote in an unquoted field, text after a
    closing quote, mixed line ends, a row with more cells than `columns`, and (with ragged) quoted
    line breaks. ragged=False: every row must have exactly `columns` cells; ragged=True: shorter rows
    are padded with NULL, and an empty cell is '' (nullstr is a byte the caller made sure is absent).
    It skips blank lines, which the csv module keeps as rows: the caller must refuse those files first.
    DuckDB reads a path as a glob pattern (x[1].csv would read x1.csv): a path holding a glob
    character is refused.
    """
    if has_glob_characters(path):
        raise ValueError(f"DuckDB would read {path} as a glob pattern")
    names = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(columns))
    sql = (f"select * from read_csv($path, columns = {{{names}}}, header = false, auto_detect = false, "
           f"delim = ',', quote = '\"', escape = '\"', strict_mode = true, "
           f"null_padding = {str(ragged).lower()}, nullstr = '\x01')")
    con = duckdb.connect(":memory:", config=CONFIG)
    try:
        return con.sql(sql, params={"path": str(path)}).to_arrow_table()
    finally:
        con.close()


def has_glob_characters(path: Path) -> bool:
    return any(c in str(path) for c in "*?[]{}")
