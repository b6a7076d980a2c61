"""Concurrent use: an import while 20 readers query, and two imports started at once.

The readers replay the queries the pages really make (recorded from every page through AppTest),
each reader a share of them, in a loop, while another process imports. Every loop of every reader
must see exactly the results of the old data or exactly those of the new data: never an error,
never a mix. Two imports at once: the second waits, or is refused with a message; never both half.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from cockpit.ingest.writing import import_files
from cockpit.store import readers, versions
from tests.browser import ROOT
from tests.test_import import HEADERS_A, ROW_A, SETTINGS, write_csv

READERS = 20
AS_OF = "2026-06-01"
PAGES = ["pages/progress.py", "pages/hotspots.py", "pages/rankings.py", "pages/countdown.py", "pages/points.py",
         "pages/brief.py", "pages/quality.py"]
POINT_HEADERS = ["点位编号", "点位名称", "点位类型", "区县", "街道", "经度", "纬度", "点位长", "包抓单位", "是否重点点位圈"]

IMPORT_CHILD = """
import sys
from pathlib import Path
from cockpit.ingest.writing import import_files
from cockpit.settings import load_settings
from cockpit.store import readers, versions
try:
    result = import_files([Path(p) for p in sys.argv[4:]], db_directory=Path(sys.argv[1]),
                          settings=load_settings(Path(sys.argv[2])), wait_seconds=float(sys.argv[3]))
    print("|".join(o.status for o in result.outcomes))
except versions.ImportBusy as busy:
    print(busy)
"""


def problems(prefix: str, count: int, unit: str = "东关街道") -> list[list[str]]:
    return [[f"{prefix}{i}"] + ROW_A[1:8] + [unit] + ROW_A[9:] for i in range(count)]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A store with points and 300 problems, and a file of 3000 more problems for another unit."""
    folder = tmp_path_factory.mktemp("concurrency")
    store = folder / "store"
    points = write_csv(folder / "点位.csv", POINT_HEADERS,
                       [["D1", "长乐路", "主次干道", "城东区", "东关街道", "108.95", "34.27", "张三", "市城管局", "是"]])
    base = write_csv(folder / "问题台账_20260510.csv", HEADERS_A, problems("B", 300))
    import_files([points, base], db_directory=store, settings=SETTINGS)
    new = write_csv(folder / "问题台账_20260520.csv", HEADERS_A, problems("N", 3000, "市城管局"))
    return store, new


def page_queries(store: Path, monkeypatch) -> list[tuple[str, dict]]:
    """Every (query, parameters) the pages make on this store, as recorded through AppTest."""
    calls, original = {}, readers.run

    def recording(con, name, **params):
        calls.setdefault(repr((name, sorted(params.items()))), (name, params))
        return original(con, name, **params)

    monkeypatch.setenv("COCKPIT_DB", str(store))
    monkeypatch.setattr(readers, "run", recording)
    for page in PAGES:
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        at.query_params["as_of"] = AS_OF
        at.switch_page(page).run()
        assert not at.exception, page
    monkeypatch.setattr(readers, "run", original)
    st.cache_data.clear()
    st.cache_resource.clear()
    return list(calls.values())


def digest(frame: pd.DataFrame) -> str:
    """The result, independent of row order and of the last bits of parallel float sums."""
    def cell(value) -> str:
        return f"{value:.6f}" if isinstance(value, float) else str(value)

    rows = sorted("\x1f".join(map(cell, row)) for row in frame.itertuples(index=False, name=None))
    return hashlib.sha256("\x1e".join([",".join(map(str, frame.columns)), *rows]).encode()).hexdigest()


def results(live: Path, calls) -> list[str]:
    con = readers.open_reader(live)
    try:
        return [digest(readers.run(con, name, **params)) for name, params in calls]
    finally:
        con.close()


def test_readers_see_the_old_or_the_new_data_whole_while_an_import_runs(world, tmp_path, monkeypatch):
    store, new = tmp_path / "store", world[1]
    shutil.copytree(world[0], store)
    calls = page_queries(store, monkeypatch)
    assert len({name for name, _ in calls}) >= 25  # the pages' queries, not a token few
    old_file = versions.current_file(store)
    old = results(old_file, calls)
    shares = [list(range(i, len(calls), READERS)) for i in range(READERS)]
    seen, errors, done = [], [], threading.Event()

    def reader(share):
        while True:
            last = done.is_set()  # the import has published: one more loop, then stop
            try:
                live = versions.current_file(store)  # a reader opens what CURRENT names, once per loop
                got = results(live, [calls[i] for i in share])
                seen.append((live, tuple(share), tuple(got)))
            except Exception as err:  # noqa: BLE001 - any failure is what this test looks for
                errors.append(repr(err))
            if last:
                return

    threads = [threading.Thread(target=reader, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    importer = subprocess.run([sys.executable, "-c", IMPORT_CHILD, str(store), str(SETTINGS.path), "0", str(new)],
                              capture_output=True, text=True, cwd=ROOT, timeout=600,
                              env={**os.environ, "COCKPIT_DB": str(store), "PYTHONPATH": str(ROOT)})
    done.set()
    for thread in threads:
        thread.join(timeout=600)
    assert importer.stdout.strip() == "imported", importer.stderr
    new_file = versions.current_file(store)
    assert new_file != old_file
    fresh = results(new_file, calls)
    assert errors == []
    for live, share, got in seen:
        expected = {old_file: old, new_file: fresh}[live]
        assert got == tuple(expected[i] for i in share), (live.name, [calls[i][0] for i in share])
    assert {live for live, _, _ in seen} == {old_file, new_file}  # readers ran on both sides of the publish
    assert old != fresh


def start_import(store: Path, path: Path, wait_seconds: float) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", IMPORT_CHILD, str(store), str(SETTINGS.path), str(wait_seconds),
                             str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, "COCKPIT_DB": str(store), "PYTHONPATH": str(ROOT)})


def count_problems(store: Path) -> int:
    con = readers.open_reader(versions.current_file(store))
    try:
        return con.execute("select count(*) from problems").fetchone()[0]
    finally:
        con.close()


@pytest.mark.parametrize("wait_seconds", [0, 120])
def test_two_imports_at_once_one_waits_or_is_refused_never_both_half(world, tmp_path, wait_seconds):
    store = tmp_path / "store"
    shutil.copytree(world[0], store)
    before = count_problems(store)
    first = write_csv(tmp_path / "问题台账_20260521.csv", HEADERS_A, problems("X", 3000))
    second = write_csv(tmp_path / "问题台账_20260522.csv", HEADERS_A, problems("Y", 3000))
    children = [start_import(store, first, wait_seconds), start_import(store, second, wait_seconds)]
    said = [child.communicate(timeout=600)[0].strip() for child in children]
    assert set(said) <= {"imported", "另一个导入正在进行，请等它完成后再试"}, said
    imported = said.count("imported")
    if wait_seconds:
        assert imported == 2  # the second waited for the first
    assert imported >= 1
    assert count_problems(store) == before + 3000 * imported
