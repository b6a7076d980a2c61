"""Shared fixtures: the tiny hand-built world (tests/fixtures/tiny.sql) in memory and as a published store."""

from __future__ import annotations

import math
import os
from datetime import date, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from cockpit.store import queries, versions

TINY_SQL = Path(__file__).resolve().parent / "fixtures" / "tiny.sql"
# The tests' own settings: the values their hand counts assume, whatever an office saves into the
# committed settings.toml on 设置. Set for the whole run, so servers and subprocesses read it too;
# a test that needs other values points COCKPIT_SETTINGS at its own copy.
TEST_SETTINGS = Path(__file__).resolve().parent / "fixtures" / "settings.toml"
os.environ["COCKPIT_SETTINGS"] = str(TEST_SETTINGS)
TINY_AS_OF = date(2026, 6, 10)  # D: a Wednesday; the week starts Monday 2026-06-08
TINY_STORE_FILE = "cockpit-20260101-000000-000000.duckdb"
# The settings the tiny world is derived with (tests/fixtures/settings.toml holds the same values).
TINY_REBOUND_DAYS = 30
TINY_REBOUND_RADIUS_M = 50.0
TINY_DEFAULT_SPOT = {"default_spot_min": 50, "default_spot_excluded": True}  # the test settings' [map] default_spot_*
# Files whose tests take minutes: left out of the everyday loop, `pytest -m "not slow and not browser"`.
SLOW_FILES = {"test_bench.py", "test_crash.py", "test_fuzz.py", "test_concurrency.py", "test_hostile_sheets.py"}
# Floats are compared to 9 decimals: medians, percentiles and mean coordinates interpolate in
# binary floating point (7.3 comes back as 7.300000000000001); every rate of the world is exact.
FLOAT_DIGITS = 9


def pytest_collection_modifyitems(items):
    """Mark the browser tests (tests/test_*_browser.py) and the slow files, so `-m` can leave them out."""
    for item in items:
        if item.path.name.endswith("_browser.py"):
            item.add_marker(pytest.mark.browser)
        if item.path.name in SLOW_FILES:
            item.add_marker(pytest.mark.slow)


def load_tiny(con: duckdb.DuckDBPyConnection) -> None:
    """Insert the tiny world into a database that has the schema, then derive its facts."""
    for statement in queries.statements(TINY_SQL.read_text(encoding="utf-8")):
        con.execute(statement)
    queries.execute(con, "write/derive", rebound_days=TINY_REBOUND_DAYS, rebound_radius_m=TINY_REBOUND_RADIUS_M,
               **TINY_DEFAULT_SPOT)


@pytest.fixture
def tiny_con():
    con = queries.connect_memory()
    load_tiny(con)
    yield con
    con.close()


@pytest.fixture
def tiny_db_dir(tmp_path):
    """A store folder whose CURRENT names one published database holding the tiny world."""
    return make_tiny_store(tmp_path / "tiny-store")


def make_tiny_store(directory: Path) -> Path:
    """The tiny world published in a new store folder (for fixtures of any scope)."""
    directory.mkdir()
    con = duckdb.connect(str(directory / TINY_STORE_FILE), config=queries.CONFIG)
    try:
        queries.execute(con, "schema")
        load_tiny(con)
        con.execute("checkpoint")
    finally:
        con.close()
    (directory / versions.POINTER).write_text(TINY_STORE_FILE, encoding="utf-8")
    return directory


@pytest.fixture
def fresh_caches():
    """Streamlit's caches emptied, so an AppTest reads its own store (they are process-wide)."""
    import streamlit as st

    st.cache_resource.clear()
    yield


@pytest.fixture
def tiny_app(tiny_db_dir, monkeypatch, fresh_caches):
    """The app (AppTest) on the tiny store; yields the store folder."""
    monkeypatch.setenv("COCKPIT_DB", str(tiny_db_dir))
    return tiny_db_dir


def _plain(value, column: str):
    """One cell as a plain Python value: None for nulls, date for dates, rounded floats."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else round(float(value), FLOAT_DIGITS)
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, pd.Timestamp):
        moment = value.to_pydatetime()
        # DuckDB hands dates and timestamps to pandas alike; names say which (`_at` = timestamp).
        if not column.endswith("_at") and moment.time() == datetime.min.time():
            return moment.date()
        return moment
    return value


def rows(df: pd.DataFrame) -> list[tuple]:
    """A result as a list of tuples of plain Python values, in order, for whole-result asserts."""
    columns = list(df.columns)
    return [tuple(_plain(v, c) for v, c in zip(record, columns)) for record in df.itertuples(index=False, name=None)]


def pytest_sessionfinish(session, exitstatus):
    """Drop the connections Streamlit's caches hold (the pages' cached readers) before the interpreter
    exits: DuckDB objects still alive at exit are reported by duckdb's bindings as leaks, screens of
    harmless warnings after the run."""
    import gc

    import streamlit as st

    st.cache_resource.clear()
    gc.collect()
