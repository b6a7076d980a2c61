"""The benchmark (python -m bench) keeps working: a tiny run at 10,000 problems gives the whole table.

No timing is asserted: only that every row of the table is there with a sane value (a number, not
negative). The browser part runs apart, on the same tiny city, when Chromium is installed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench import report
from bench.common import child

ROOT = Path(__file__).resolve().parents[1]
BROWSER_WORDS = ("Chromium", "sent", "dashboard process", "sessions drawn")


def table_rows(markdown: str) -> dict[str, list[str]]:
    """The benchmark table as {figure: [cells after the figure]}."""
    rows = {}
    for line in markdown.splitlines():
        if line.startswith("| ") and not line.startswith("| figure"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            rows[cells[0]] = cells[1:]
    return rows


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    work = tmp_path_factory.mktemp("bench")
    out = work / "PERFORMANCE.md"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("COCKPIT_DB", None)
    done = subprocess.run([sys.executable, "-m", "bench", "--quick", "--no-browser", "--warm-runs", "1",
                           "--cold-runs", "1", "--work", str(work), "--out", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return work, out, done.stdout


def test_quick_run_writes_one_table_with_every_row(quick_run):
    _work, out, printed = quick_run
    written = out.read_text(encoding="utf-8")
    assert report.BEGIN in written and report.END in written
    assert re.search(r"Machine: \d+ cores \(.+\), \d+ GiB RAM", written)
    assert re.search(r"Python \d[\d.]*, DuckDB \d[\d.]*, Streamlit \d[\d.]*, pandas \d", written)
    rows = table_rows(written)
    assert list(rows) == [r.label for r in report.rows()]
    assert table_rows(printed) == rows  # the printed table is the written one


def test_every_figure_but_the_browsers_is_a_non_negative_number(quick_run):
    _work, out, _ = quick_run
    for label, cells in table_rows(out.read_text(encoding="utf-8")).items():
        value = cells[1]  # unit, then the one scale's value
        if any(word in label for word in BROWSER_WORDS):
            assert value == "–", label  # not measured with --no-browser
            continue
        assert re.fullmatch(r"[\d,]+(\.\d+)?", value), f"{label}: {value!r}"
        assert float(value.replace(",", "")) >= 0


def test_the_pandas_way_agrees_with_ours(quick_run):
    work, _out, _ = quick_run
    # bench.pandas_way exits with an error when the figures differ; here its answer is checked too.
    answer = child("pandas_way", "--db", str(work / "10000" / "db"), "--as-of", "2026-11-22")
    figures = answer["figures"]
    assert figures["count_found"] == figures["count_closed"] + figures["count_open"]
    assert 0 < figures["count_overdue"] <= figures["count_open"]


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian's chromium")
def test_browser_part_measures_the_pages_and_the_sessions(quick_run):
    work, _out, _ = quick_run
    # Two pages keep the test short: a plain one, and the map (its frame must be seen drawn).
    answer = child("browser", "--db", str(work / "10000" / "db"), "--as-of", "2026-11-22", "--sessions", "2",
                   "--pages", "brief,hotspots")
    assert sorted(answer["pages"]) == ["brief", "hotspots"]
    for name, figures in answer["pages"].items():
        drawn = ("drawn_cold_s", "drawn_warm_s", "drawn_nav_s", "drawn_returning_s", "drawn_warmed_s")
        assert all(figures[key] > 0 for key in drawn), (name, figures)
        assert figures["ws_bytes_cold"] > 0 and figures["http_bytes_cold"] > 0, name
    sessions = answer["sessions"]
    assert sessions["sessions"] == 2
    assert sessions["peak_rss"] >= sessions["idle_rss"] > 0
    assert sorted(answer["floor"]) == ["basic", "chart", "text"]  # Streamlit alone, for comparison
    assert all(f["drawn_cold_s"] > 0 and f["drawn_warm_s"] > 0 for f in answer["floor"].values())
