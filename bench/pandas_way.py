"""The headline figures the way a user without the cockpit would get them, against ours.

    python -m bench.pandas_way --db FOLDER --as-of YYYY-MM-DD

The pandas way: the whole problems table loaded into pandas, then 问题总数, 已销号, 销号率, 在办 and
逾期 computed there as SPEC.md defines them (closed at D: close time on or before D and no failed 回头看 re-check since; overdue: open
and deadline before D). Ours: queries/progress_summary.sql, which computes these and more. Both cold,
each on a fresh connection. The figures must agree; the run fails if they do not. Prints JSON.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

import pandas as pd

from bench.common import emit, timed
from cockpit.store import readers, versions
from cockpit.vocab.filters import NO_FILTERS

FIGURES = ["count_found", "count_closed", "closure_rate", "count_open", "count_overdue"]


def pandas_figures(path: Path, as_of: date) -> dict:
    con = readers.open_reader(path)
    try:
        problems = con.execute("select * from problems").df()
        rechecks = con.execute("select problem_id, rechecked_at, result from rechecks").df()
    finally:
        con.close()
    day = pd.Timestamp(as_of)
    found = problems[problems["found_at"].dt.normalize() <= day]
    # SPEC "The meeting loop": the latest 回头看 re-check by D, if 未到位/反弹 on or after the close
    # time, makes the problem open again.
    seen = rechecks[rechecks["rechecked_at"].dt.normalize() <= day].sort_values(["rechecked_at", "result"])
    last = seen.groupby("problem_id").tail(1).set_index("problem_id")
    checked_at = pd.to_datetime(found["problem_id"].map(last["rechecked_at"]))
    failed = found["problem_id"].map(last["result"]).isin(["not_done", "rebound"])
    reopened = failed & checked_at.notna() & (checked_at >= found["closed_at"])
    closed = found["closed_at"].notna() & (found["closed_at"].dt.normalize() <= day) & ~reopened
    open_ = ~closed
    overdue = open_ & (pd.to_datetime(found["due_on"]) < day)
    return {"count_found": len(found), "count_closed": int(closed.sum()),
            "closure_rate": closed.sum() / len(found) if len(found) else None,
            "count_open": int(open_.sum()), "count_overdue": int(overdue.sum())}


def our_figures(path: Path, as_of: date) -> dict:
    con = readers.open_reader(path)
    try:
        row = readers.run(con, "progress_summary", as_of=as_of, due_soon_days=3, filters=NO_FILTERS).iloc[0]
    finally:
        con.close()
    return {name: (float(row[name]) if name.endswith("rate") else int(row[name])) for name in FIGURES}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--as-of", type=date.fromisoformat, required=True)
    args = parser.parse_args()
    path = versions.current_file(args.db)
    our_figures(path, args.as_of)  # modules and files warm for both; each timed run opens anew
    pandas_s, theirs = timed(pandas_figures, path, args.as_of)
    ours_s, ours = timed(our_figures, path, args.as_of)
    if any(abs((theirs[k] or 0) - (ours[k] or 0)) > 1e-9 for k in FIGURES):
        raise SystemExit(f"figures disagree: pandas {theirs} ours {ours}")
    emit({"pandas_s": pandas_s, "ours_s": ours_s, "figures": ours})


if __name__ == "__main__":
    main()
