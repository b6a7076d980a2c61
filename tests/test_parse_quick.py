"""The quick readers of plain times and numbers (DuckDB over the whole column) give exactly what the
long way gives (pandas, and the patterns for other forms): the same values and the same reasons,
impossible dates and out-of-range years included."""

import re
from unittest import mock

import numpy as np
import pandas as pd
import pyarrow as pa
from hypothesis import HealthCheck, given, settings, strategies as st

from cockpit.ingest import parse
from cockpit.ingest.parse import PYTHON_SPACES

CHECK = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def long_way_times(clean: pd.Series, *order) -> pd.Series:
    return pd.Series(pd.NaT, index=clean.index, dtype="datetime64[us]")


def long_way_numbers(clean: pd.Series, *args, **params) -> pa.ChunkedArray:
    return pa.chunked_array([pa.nulls(len(clean), type=pa.float64())])


def assert_read_as_the_long_way(parser, text: pd.Series, quick_reader: str, long_way) -> None:
    values, reasons = parser(text)
    with mock.patch.object(parse, quick_reader, long_way):
        expected_values, expected_reasons = parser(text)
    assert np.array_equal(values.to_numpy(), expected_values.to_numpy(), equal_nan=True)
    assert reasons.tolist() == expected_reasons.tolist()


def number(width: int, value: int) -> str:
    return str(value).zfill(width) if width else str(value)


@st.composite
def times(draw):
    """A time in one of the plain forms, with any field out of range now and then (2月30日, 24:00)."""
    year = draw(st.integers(1890, 2110))
    month, day = draw(st.integers(0, 13)), draw(st.integers(0, 32))
    hour, minute, second = draw(st.integers(0, 25)), draw(st.integers(0, 61)), draw(st.integers(0, 61))
    pad = draw(st.sampled_from([0, 2]))
    separator = draw(st.sampled_from(["-", "/"]))
    date = f"{year}{separator}{number(pad, month)}{separator}{number(pad, day)}"
    clock = draw(st.sampled_from(["", f" {number(pad, hour)}:{minute:02d}", f" {hour:02d}:{minute:02d}:{second:02d}"]))
    return date + clock


serials = st.builds(lambda whole, fraction: f"{whole}{fraction}", st.integers(10000, 99999),
                    st.one_of(st.just(""), st.text(alphabet="0123456789", min_size=1, max_size=12).map(lambda f: "." + f)))


@CHECK
@given(st.one_of(times(), serials).flatmap(lambda first: st.lists(
    st.one_of(times(), serials, st.sampled_from(["", " 2026-01-05 ", "２０２６-01-05", "45986.5", "2025", "明天"])),
    max_size=30).map(lambda rest: [first, *rest])))
def test_plain_times_read_as_the_long_way_reads_them(cells):
    assert_read_as_the_long_way(parse.parse_timestamp, pd.Series(cells, dtype="str"), "_plain_times", long_way_times)


def test_an_impossible_date_beside_plain_ones_keeps_its_reason():
    text = pd.Series(["2026/2/28 08:00", "2026/2/30 08:00", "2026/11/23 8:05", "1999/1/1"], dtype="str")
    values, reasons = parse.parse_timestamp(text)
    assert values.tolist()[0] == pd.Timestamp("2026-02-28 08:00")
    assert values.tolist()[2] == pd.Timestamp("2026-11-23 08:05")
    assert pd.isna(values[1]) and reasons[1] == "日期不存在（月或日超出范围，如2月30日）"
    assert pd.isna(values[3]) and reasons[3].startswith("日期年份不合理")


@st.composite
def decimals(draw, whole_digits: int, fraction_digits: int):
    whole = draw(st.text(alphabet="0123456789", min_size=1, max_size=whole_digits))
    fraction = draw(st.text(alphabet="0123456789", max_size=fraction_digits))
    return draw(st.sampled_from(["", "-"])) + whole + ("." + fraction if fraction else "")


# Numbers as ledgers hold them (coordinates, deductions: at most 15 significant digits), where
# pandas reads every one exactly; beside them cells only the long way reads.
@CHECK
@given(st.lists(st.one_of(decimals(9, 6), decimals(9, 6), st.text(max_size=8),
                          st.sampled_from(["", "1,234.5", "１２.５", "108.9°", "+3", "1e3", "inf", "-", "."])),
                min_size=1, max_size=30))
def test_plain_numbers_read_as_pandas_reads_them(cells):
    assert_read_as_the_long_way(parse.parse_number, pd.Series(cells, dtype="str"), "_read_plain", long_way_numbers)


@CHECK
@given(st.lists(decimals(15, 15), min_size=1, max_size=30))
def test_plain_numbers_are_the_nearest_float(cells):
    values, reasons = parse.parse_number(pd.Series(cells, dtype="str"))
    assert values.tolist() == [float(cell) for cell in cells]
    assert reasons.isna().all()


def test_a_mostly_distinct_column_parsed_whole_equals_parsed_by_distinct_cells():
    from cockpit.ingest.mapping import builtin_mapping
    from cockpit.ingest.preparing import _parse_column

    rows = 2 * 2_500
    stamps = pd.Series([f"2026-{1 + i % 12:02d}-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}:{i // 60 % 60:02d}"
                        for i in range(rows)], dtype="str")
    stamps[7], stamps[99] = "2026-02-30 08:00:00", "不详"
    for text, kind in [(stamps, "timestamp"), (pd.Series([f"WT-{i:06d}" for i in range(rows)], dtype="str"), "id")]:
        whole = _parse_column(text, kind, builtin_mapping())
        with mock.patch("cockpit.ingest.preparing.DISTINCT_SAMPLE_ROWS", rows * 2):  # every column through its distinct cells
            by_distinct = _parse_column(text, kind, builtin_mapping())
        assert whole[0].tolist() == by_distinct[0].tolist()
        assert whole[1].tolist() == by_distinct[1].tolist()
    assert whole[1].notna().sum() == 0 and by_distinct[0].iloc[-1] == f"WT-{rows - 1:06d}"


@CHECK
@given(st.lists(st.text(alphabet=PYTHON_SPACES + "\u200b\ufeff\x00市城管局 a1", max_size=12), min_size=1, max_size=20))
def test_names_lose_exactly_the_spaces_python_sees(cells):
    values, _ = parse.parse_name(pd.Series(cells, dtype="str"))
    expected = [re.sub(r"\s+", "", re.sub(parse._CONTROL, "", cell)) or None for cell in cells]
    assert [None if pd.isna(v) else v for v in values] == expected
