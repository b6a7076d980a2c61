"""Server time of each page, cold and warm, against its queries' own DuckDB time.

    python -m bench.pages --db FOLDER --as-of YYYY-MM-DD [--warm-runs 3]

Each page runs through streamlit.testing.v1.AppTest on the whole app (frame + page), as a browser
session would run it; the time is the script run's own (ScriptRunner._run_script), without AppTest's
parsing of the result. Cold: st.cache_data and st.cache_resource cleared first, so every query runs
and the DuckDB connection is new (its buffers empty; the file itself is in the OS cache). Warm: the
same run again, every query answered from the cache. The floor is the page's queries replayed on a
fresh connection, timing only DuckDB executing each and handing back its DataFrame. Prints JSON.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import date
from pathlib import Path

from bench.common import PAGES, ROOT, emit

TIMEOUT = 900


class QueryRecorder:
    """Wraps cockpit.db.run to note every query a run makes, with its parameters and time."""

    def __init__(self, db_module):
        self.db, self.original, self.calls = db_module, db_module.run, []

    def __enter__(self):
        def recording(con, name, **params):
            started = time.perf_counter()
            try:
                return self.original(con, name, **params)
            finally:
                self.calls.append((name, params, time.perf_counter() - started))
        self.db.run = recording
        return self

    def __exit__(self, *exc):
        self.db.run = self.original


def query_floor(calls) -> tuple[float, list[dict]]:
    """Replay the queries on a fresh connection; time DuckDB's execution and fetch only."""
    from cockpit.store import queries, readers, versions

    con = readers.open_reader(versions.current_file(versions.db_dir()))
    try:
        cur = con.cursor()
        cur.execute(queries._macros_sql())
        timings = []
        for name, params, _ in calls:
            sql = queries.load_sql(name)
            started = time.perf_counter()
            cur.execute(sql, params).df()
            timings.append({"query": name, "seconds": time.perf_counter() - started})
        return sum(t["seconds"] for t in timings), timings
    finally:
        con.close()


def open_page(page_file: str, as_of: str):
    """A new session on the page, as a browser opening its URL (one run: page names are url paths)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    at.query_params["as_of"] = as_of
    at.switch_page(page_file).run()
    if at.exception:
        raise RuntimeError(f"{page_file}: {[e.value for e in at.exception]}")
    return at


class ScriptTimer:
    """Times the script runs themselves (Streamlit's ScriptRunner._run_script: the frame and the page,
    their queries, charts and the elements sent), not AppTest's own parsing of what was sent."""

    def __init__(self):
        from streamlit.runtime.scriptrunner import script_runner

        self.runner, self.original, self.seconds = script_runner.ScriptRunner, None, []

    def __enter__(self):
        self.original = original = self.runner._run_script

        def timed_run(runner, rerun_data):
            started = time.perf_counter()
            try:
                return original(runner, rerun_data)
            finally:
                self.seconds.append(time.perf_counter() - started)
        self.runner._run_script = timed_run
        return self

    def __exit__(self, *exc):
        self.runner._run_script = self.original


def timed_visit(page_file: str, as_of: str) -> float:
    with ScriptTimer() as timer:
        open_page(page_file, as_of)
    return sum(timer.seconds)


def measure_page(page_file: str, as_of: str, warm_runs: int, cold_runs: int) -> dict:
    import streamlit as st

    from cockpit.store import readers

    header = open_page(page_file, as_of).header  # modules imported, the page's first run
    colds, records = [], []
    for _ in range(cold_runs):
        st.cache_data.clear()
        st.cache_resource.clear()
        with QueryRecorder(readers) as recorder:
            colds.append(timed_visit(page_file, as_of))
        records.append(recorder.calls)
    warms = [timed_visit(page_file, as_of) for _ in range(warm_runs)]
    calls = records[colds.index(min(colds))]
    floor, timings = query_floor(calls)
    return {"header": header[0].value if len(header) else "", "cold_s": min(colds),
            "warm_s": statistics.median(warms), "queries": len(calls), "query_floor_s": floor,
            "queries_in_page_s": sum(c[2] for c in calls),
            "slowest": sorted(timings, key=lambda t: -t["seconds"])[:5]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--as-of", type=date.fromisoformat, required=True)
    parser.add_argument("--warm-runs", type=int, default=3)
    parser.add_argument("--cold-runs", type=int, default=2, help="the fastest cold run counts")
    parser.add_argument("--pages", default=",".join(p[0] for p in PAGES))
    args = parser.parse_args()
    os.environ["COCKPIT_DB"] = str(args.db)
    os.chdir(ROOT)
    wanted = args.pages.split(",")
    emit({name: measure_page(page_file, args.as_of.isoformat(), args.warm_runs, args.cold_runs)
          for name, page_file, _, _ in PAGES if name in wanted})


if __name__ == "__main__":
    main()
