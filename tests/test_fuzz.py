"""Property-based tests: the parsers and the CSV reader never crash on any text; they parse or report.

A quick run by default; COCKPIT_FUZZ_LONG=1 runs many more examples (docs/RELIABILITY.md).
"""

import os
from datetime import date
import string
import unicodedata

import pandas as pd
from hypothesis import HealthCheck, given, settings, strategies as st

from cockpit.ingest import parse
from cockpit.ingest.reading import ImportRefused, _read_csv, csv_delimiter, decode_csv

LONG = os.environ.get("COCKPIT_FUZZ_LONG") == "1"
FUZZ = settings(max_examples=5000 if LONG else 200, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

# Text that looks like what exports hold (digits, date and number punctuation, Chinese date words,
# full-width forms) mixed with anything at all.
LIKELY = string.digits + "-/.:：年月日时分秒T ,，%°度+eE" + "０１２３４５６７８９．－" + "\u3000"
cells = st.one_of(st.text(alphabet=LIKELY, max_size=25), st.text(max_size=25))
columns = st.lists(cells, min_size=1, max_size=20)


def visible(cell: str) -> str:
    """A cell as a reader sees it: normalised, without Unicode's invisible format characters (Cf)."""
    return "".join(c for c in unicodedata.normalize("NFKC", cell) if unicodedata.category(c) != "Cf").strip()


def assert_parsed_or_reported(text: pd.Series, values: pd.Series, reasons: pd.Series) -> None:
    """Same length; every cell with something visible in it is either a value or has a reason."""
    assert len(values) == len(reasons) == len(text)
    for cell, value, reason in zip(text, values, reasons):
        if reason is not None:
            assert isinstance(reason, str) and reason
        elif visible(cell):  # blank to the eye (a lone soft hyphen, say): no value, no reason
            assert not pd.isna(value), (cell, value)


@FUZZ
@given(columns)
def test_timestamps(texts):
    text = pd.Series(texts, dtype=object)
    values, reasons = parse.parse_timestamp(text)
    assert_parsed_or_reported(text, values, reasons)
    good = values.dropna()
    assert ((good.dt.year >= parse.YEAR_RANGE[0]) & (good.dt.year <= parse.YEAR_RANGE[1])).all()


def test_a_lone_format_character_is_a_blank_cell():
    values, reasons = parse.parse_date(pd.Series(["\xad", "\u200b2026-01-05"], dtype=object))
    assert pd.isna(values[0]) and reasons[0] is None
    assert values[1] == date(2026, 1, 5) and reasons[1] is None


@FUZZ
@given(columns)
def test_dates(texts):
    text = pd.Series(texts, dtype=object)
    assert_parsed_or_reported(text, *parse.parse_date(text))


@FUZZ
@given(columns)
def test_numbers_integers_and_rates(texts):
    text = pd.Series(texts, dtype=object)
    for parser in (parse.parse_number, parse.parse_integer, parse.parse_rate):
        values, reasons = parser(text)
        assert len(values) == len(reasons) == len(text)
    values, reasons = parse.parse_rate(text)
    assert values.dropna().between(0, 1).all()


@FUZZ
@given(columns)
def test_status_words(texts):
    text = pd.Series(texts, dtype=object)
    vocabulary = {"待整改": "pending", "已销号": "closed"}
    values, reasons = parse.parse_words(text, vocabulary, strict=True, what="状态")
    assert set(values.dropna()) <= {"pending", "closed"}
    assert_parsed_or_reported(text, values, reasons)


@FUZZ
@given(columns, columns)
def test_coordinates(lng_texts, lat_texts):
    size = min(len(lng_texts), len(lat_texts))
    lng, _ = parse.parse_number(pd.Series(lng_texts[:size], dtype=object))
    lat, _ = parse.parse_number(pd.Series(lat_texts[:size], dtype=object))
    x, y, reasons = parse.fix_coordinates(lng, lat)
    located = x.notna() & y.notna()
    assert x[located].between(*parse.CHINA_LNG).all() and y[located].between(*parse.CHINA_LAT).all()
    assert len(reasons) == size


@FUZZ
@given(st.binary(max_size=400))
def test_csv_reader_on_any_bytes(data):
    try:
        rows = _read_csv(data)
    except ImportRefused as refused:
        assert str(refused)
        return
    assert all(isinstance(c, str) for r in rows for c in r)


@FUZZ
@given(st.lists(st.lists(st.text(max_size=12), max_size=6), max_size=8), st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_csv_reader_reads_back_what_a_csv_writer_wrote(table, encoding):
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer).writerows(table)
    data = buffer.getvalue().encode(encoding, errors="replace")
    try:
        text = decode_csv(data)
        rows = _read_csv(data)
    except ImportRefused as refused:
        assert str(refused)
        return
    # A table whose first lines hold more tabs or semicolons than commas is read as delimited by them.
    assert rows == list(csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text)))
