"""A sheet's cells to text a column at a time (cockpit.sheets) against cell_text, one cell at a time.

sheet_table may convert a column through Arrow and numpy, but every cell must read exactly as
cell_text reads it, and the table must hold the same rows, cells and bodies as the cell-by-cell
RowTable. Checked on hand-made cells of every type calamine gives and on random columns.
"""

from datetime import date, datetime, time, timedelta, timezone

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from cockpit.ingest.cells import ColumnTable, RowTable
from cockpit.ingest.sheets import cell_text, column_text, sheet_table
from tests.test_fuzz import LONG

FUZZ = settings(max_examples=2000 if LONG else 150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def cells(values) -> np.ndarray:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def test_each_kind_of_cell_reads_as_written():
    assert [cell_text(v) for v in ["台账", "", None, True, False, 3, 3.0, -0.0, 0.5, 1e20, float("nan"),
                                   datetime(2026, 11, 22, 8, 3, 12), datetime(2026, 11, 22, 8, 3, 12, 500),
                                   date(2026, 11, 30), time(8, 30)]] == [
        "台账", "", "", "是", "否", "3", "3", "0", "0.5", "100000000000000000000", "nan",
        "2026-11-22 08:03:12", "2026-11-22 08:03:12.000500", "2026-11-30", ""]


ODD_CELLS = {
    "whole and fractional numbers": [0.0, -0.0, 1.0, -7.0, 2.0 ** 53, 2.0 ** 53 - 1, 1e15, 109.064025, 34.350142,
                                     45986.6154, 0.1, 1e-4, 9.99e-5, 1e-300, 5e-324, 9999999999.5, 1e10 + 0.5,
                                     123456789012.25, -1e-4, float("inf"), float("-inf"), float("nan"), ""],
    "times": [datetime(2026, 1, 1), datetime(2026, 11, 22, 23, 59, 59), datetime(2026, 11, 22, 8, 3, 12, 1),
              datetime(999, 12, 31, 23, 59, 59), datetime(1000, 1, 1), datetime(1, 1, 1), datetime(9999, 12, 31, 23, 59, 59),
              datetime(1899, 12, 30), datetime(1969, 12, 31, 23, 59, 59), ""],
    "times with an offset": [datetime(2026, 11, 22, 8, tzinfo=timezone(timedelta(hours=8))), datetime(2026, 11, 22, 8)],
    "dates": [date(2026, 11, 30), date(1000, 1, 1), date(999, 12, 31), date(1, 1, 1), date(1970, 1, 1), ""],
    "mixed": [1.5, date(2026, 1, 1), datetime(2026, 1, 1, 8), True, 7, time(8), None, "文字", timedelta(days=1)],
    "only text": ["问题编号", "", " ", "CDWT0000001"],
    "no cells": [None, None, ""],
}


@pytest.mark.parametrize("kind", ODD_CELLS)
def test_a_column_reads_as_its_cells_one_by_one(kind):
    column = cells(ODD_CELLS[kind])
    assert column_text(column).to_pylist() == [cell_text(v) for v in ODD_CELLS[kind]]


def test_numbers_between_the_bounds_arrow_converts_read_as_python_writes_them():
    rng = np.random.default_rng(7)
    numbers = np.concatenate([rng.random(20_000) * 10.0 ** rng.integers(-6, 17, 20_000),
                              np.array([round(v, int(d)) for v, d in zip(rng.random(20_000) * 200, rng.integers(0, 9, 20_000))]),
                              rng.integers(-10 ** 6, 10 ** 6, 5_000).astype(float)])
    numbers = np.concatenate([numbers, -numbers]).tolist()
    assert column_text(cells(numbers)).to_pylist() == [cell_text(v) for v in numbers]


calamine_cells = st.one_of(
    st.text(max_size=6), st.just(""),
    st.floats(allow_nan=True, allow_infinity=True), st.floats(min_value=-1e11, max_value=1e11),
    st.integers(min_value=-2 ** 40, max_value=2 ** 40).map(float),
    st.datetimes(min_value=datetime(900, 1, 1)), st.datetimes(min_value=datetime(2000, 1, 1)).map(lambda d: d.replace(microsecond=0)),
    st.dates(), st.times(), st.booleans(), st.integers(), st.none())


@FUZZ
@given(st.lists(calamine_cells, max_size=40), st.sampled_from([None, float, datetime, date]))
def test_random_columns_read_as_their_cells_one_by_one(values, only):
    if only is not None:  # one kind besides text: the vectorised paths
        values = [v for v in values if isinstance(v, str) or type(v) is only]
    assert column_text(cells(values)).to_pylist() == [cell_text(v) for v in values]


@FUZZ
@given(st.lists(st.lists(calamine_cells, min_size=3, max_size=3), max_size=12),
       st.integers(min_value=0, max_value=4), st.integers(min_value=1, max_value=3))
def test_a_sheet_holds_the_rows_and_bodies_of_its_cells_read_one_by_one(rows, start, width):
    table = sheet_table("台账", rows)
    by_cell = RowTable("台账", [[cell_text(v) for v in row] for row in rows])
    assert isinstance(table, ColumnTable) == bool(rows)
    assert table.all_rows() == by_cell.all_rows()
    assert table.head_rows() == by_cell.head_rows()[:len(table.head_rows())]
    start = min(start, len(rows))  # the importer's body starts at most under the last row
    expected, got = by_cell.body(start, width), table.body(start, width)
    assert [c.tolist() for c in got.columns] == [c.tolist() for c in expected.columns]
    assert (got.positions.tolist(), got.overlong, got.count_rows_read) == (
        expected.positions.tolist(), expected.overlong, expected.count_rows_read)


def test_rows_of_unequal_length_or_no_cells_are_read_cell_by_cell():
    assert sheet_table("t", [["a", 1.0], ["b"]]).all_rows() == [["a", "1"], ["b"]]
    assert sheet_table("t", [[], []]).all_rows() == [[], []]
    assert sheet_table("t", []).all_rows() == []
