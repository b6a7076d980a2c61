"""An independent cross-check of the rectification-progress figures on the demo city.

The SPEC.md "Definitions" (found, closed, closure rate, open, overdue, due soon, on-time rate, rebound,
rectification time) are re-implemented here in plain pandas, from the raw `problems` and
`problem_history` tables of the live demo database (whole tables read, no SQL logic), and compared
with what queries/progress_summary.sql and queries/progress_breakdown.sql return.

Taken as given from the importer: problems.closed_at (the close time; checked against SPEC below) and
the rebound marks (rebound_of_problem_id, is_flagged_rebound). Not compared: the state column, which
depends on the import history. Counts must agree exactly, rates and days to 1e-9.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import pandas as pd
import pytest

from cockpit.store import readers, versions
from cockpit.vocab.filters import MISSING_VALUE, NO_FILTERS, make as make_filters
from tests.demo_world import demo_as_of, demo_exports, demo_store  # noqa: F401 (fixtures)

DUE_SOON_DAYS = 3
TOLERANCE = 1e-9
# Days before the demo's as-of date to check at: D, D - 7 (the earlier export's date), and a date
# months back, when most of the year's problems were not found yet and some found ones not yet closed.
OFFSETS = [0, 7, 120]
# The column each breakdown dimension groups by.
COLUMN = {"unit": "unit_name", "district": "district", "street": "street", "category": "category",
          "source": "source", "point_type": "point_type"}
SUMMARY_FIGURES = [
    "count_found", "count_closed", "closure_rate", "count_open", "count_overdue", "count_due_soon", "count_due",
    "count_closed_on_time", "on_time_rate", "count_no_deadline", "count_rebound", "rebound_rate",
    "rectification_days_median", "rectification_days_p90",
]
BREAKDOWN_FIGURES = [
    "count_found", "count_closed", "closure_rate", "count_open", "count_overdue", "on_time_rate",
    "rectification_days_median",
]
# Filtered cases: (name, filters as keyword arguments of cockpit.filters.make).
FILTER_CASES = [
    ("district_and_found_range", {"district": ["城西区"], "found_from": date(2026, 1, 1), "found_to": date(2026, 5, 31)}),
    # '未填写' picks the demo's problems with no unit (all three are in these two sources).
    ("missing_unit_and_sources", {"unit": [MISSING_VALUE, "枣园街道"], "source": ["网格巡查", "模拟测评"]}),
    ("found_from_only", {"found_from": date(2026, 6, 20)}),
]


# ---- the demo database, read whole ---------------------------------------------------------------

@pytest.fixture(scope="module")
def con(demo_store):
    connection = readers.open_reader(versions.current_file(demo_store))
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def problems(con) -> pd.DataFrame:
    return con.execute("select * from problems").df()


@pytest.fixture(scope="module")
def history(con) -> pd.DataFrame:
    return con.execute("select * from problem_history").df()


@pytest.fixture(scope="module")
def as_of(demo_as_of) -> date:
    return date.fromisoformat(demo_as_of)


# ---- SPEC "Definitions" in pandas -------------------------------------------------------------

def day(column: pd.Series) -> pd.Series:
    """Timestamps as whole days (midnight), NaT kept."""
    return column.dt.normalize()


def facts(problems: pd.DataFrame, as_of: date, due_soon_days: int = DUE_SOON_DAYS) -> pd.DataFrame:
    """One row per problem found on or before as_of, with every definition as a column."""
    d = pd.Timestamp(as_of)
    f = problems[day(problems["found_at"]) <= d].copy()
    closed_day = day(f["closed_at"])
    due = f["due_on"]  # a date; NaT where the problem has no deadline
    has_due = due.notna()
    f["is_closed"] = f["closed_at"].notna() & (closed_day <= d)
    f["is_open"] = ~f["is_closed"]
    f["is_overdue"] = f["is_open"] & has_due & (due < d)
    f["is_due_soon"] = f["is_open"] & has_due & (due >= d) & (due <= d + pd.Timedelta(days=due_soon_days))
    f["is_due"] = has_due & (due <= d)
    f["is_closed_on_time"] = f["is_due"] & f["is_closed"] & (closed_day <= due)
    started = f["assigned_at"].fillna(f["found_at"])
    f["rectification_days"] = ((f["closed_at"] - started).dt.total_seconds() / 86400.0).where(f["is_closed"])
    f["is_rebound"] = f["rebound_of_problem_id"].notna() | f["is_flagged_rebound"].astype(bool)
    return f


def narrowed(f: pd.DataFrame, found_from: date | None = None, found_to: date | None = None,
             **chosen: list[str]) -> pd.DataFrame:
    """The progress page's filters as pandas masks: a found-date range and values to keep per dimension."""
    keep = pd.Series(True, index=f.index)
    found_day = day(f["found_at"])
    if found_from is not None:
        keep &= found_day >= pd.Timestamp(found_from)
    if found_to is not None:
        keep &= found_day <= pd.Timestamp(found_to)
    for dimension, values in chosen.items():
        if values:
            keep &= f[COLUMN[dimension]].fillna(MISSING_VALUE).isin(values)
    return f[keep]


def share(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


def summary(f: pd.DataFrame) -> dict:
    found, closed = len(f), int(f["is_closed"].sum())
    due, on_time = int(f["is_due"].sum()), int(f["is_closed_on_time"].sum())
    rebound = int(f["is_rebound"].sum())
    days = f["rectification_days"].dropna()
    return {
        "count_found": found,
        "count_closed": closed,
        "closure_rate": share(closed, found),
        "count_open": int(f["is_open"].sum()),
        "count_overdue": int(f["is_overdue"].sum()),
        "count_due_soon": int(f["is_due_soon"].sum()),
        "count_due": due,
        "count_closed_on_time": on_time,
        "on_time_rate": share(on_time, due),
        "count_no_deadline": int(f["due_on"].isna().sum()),
        "count_rebound": rebound,
        "rebound_rate": share(rebound, closed),
        "rectification_days_median": None if days.empty else float(days.median()),
        "rectification_days_p90": None if days.empty else float(days.quantile(0.9)),
    }


def breakdown(f: pd.DataFrame, dimension: str) -> dict[str, dict]:
    groups = f[COLUMN[dimension]].fillna(MISSING_VALUE)
    return {name: {k: v for k, v in summary(part).items() if k in BREAKDOWN_FIGURES}
            for name, part in f.groupby(groups)}


# ---- comparing ------------------------------------------------------------------------------

def is_null(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def differences(expected: dict, got: dict, figures: list[str], where: str) -> list[str]:
    """Each figure that disagrees, as 'where figure: pandas=... sql=...'."""
    out = []
    for figure in figures:
        want, have = expected[figure], got[figure]
        if is_null(want) or is_null(have):
            same = is_null(want) and is_null(have)
        elif figure.startswith("count_"):
            same = int(want) == int(have) and float(have) == int(have)
        else:
            same = abs(float(want) - float(have)) <= TOLERANCE
        if not same:
            out.append(f"{where} {figure}: pandas={want!r} sql={have!r}")
    return out


def sql_summary(con, as_of: date, filters: dict) -> dict:
    df = readers.run(con, "progress_summary", as_of=as_of, due_soon_days=DUE_SOON_DAYS, filters=filters)
    assert len(df) == 1
    return df.iloc[0].to_dict()


def sql_breakdown(con, as_of: date, filters: dict, dimension: str) -> pd.DataFrame:
    return readers.run(con, "progress_breakdown", as_of=as_of, due_soon_days=DUE_SOON_DAYS, filters=filters,
                  dimension=dimension)


def breakdown_differences(expected: dict[str, dict], got: pd.DataFrame, where: str) -> list[str]:
    out = []
    names = list(got["group_name"])
    if len(names) != len(set(names)):
        out.append(f"{where}: a group comes twice: {names}")
    if set(names) != set(expected):
        out.append(f"{where}: groups only in pandas {sorted(set(expected) - set(names))}, "
                   f"only in sql {sorted(set(names) - set(expected))}")
    for record in got.to_dict("records"):
        if record["group_name"] in expected:
            out += differences(expected[record["group_name"]], record, BREAKDOWN_FIGURES,
                               f"{where} [{record['group_name']}]")
    # The page's order: most overdue first, then most open, then by name.
    order = sorted(expected, key=lambda g: (-expected[g]["count_overdue"], -expected[g]["count_open"], g))
    if not out and names != order:
        out.append(f"{where}: order pandas={order} sql={names}")
    return out


# ---- the tests ------------------------------------------------------------------------------

def test_close_time_follows_spec(problems, history):
    """closed_at (taken as given below) is SPEC's close time: 复核/销号时间, else 整改完成/办结时间, for a
    problem the export shows closed; with neither, the export date of the first import that saw it closed."""
    closed = problems["status"] == "closed"
    stated = problems["checked_at"].fillna(problems["rectified_at"])
    first_seen_closed = (history[history["status"] == "closed"].groupby("problem_id")["export_on"].min())
    estimated = closed & stated.isna()
    expected = stated.where(closed)
    expected[estimated] = problems.loc[estimated, "problem_id"].map(first_seen_closed)
    wrong = problems[~((expected == problems["closed_at"]) | (expected.isna() & problems["closed_at"].isna()))]
    assert wrong.empty, wrong[["problem_id", "status", "rectified_at", "checked_at", "closed_at"]].to_string()
    assert (problems["is_closed_at_estimated"] == estimated).all()
    assert estimated.sum() > 0  # the demo has closes with no close time, so the fallback is exercised


def test_the_demo_exercises_the_day_boundaries(problems, as_of):
    """Guard against a vacuous cross-check: the dates checked hit each whole-day edge of the definitions."""
    seen = {}
    for offset in OFFSETS:
        d = pd.Timestamp(as_of - timedelta(days=offset))
        f = facts(problems, d.date())
        closed_day = day(f["closed_at"])
        edges = {
            "found on D": day(f["found_at"]) == d,
            "closed on D": closed_day == d,
            "found by D, closed after D": f["closed_at"].notna() & (closed_day > d),
            "closed on its deadline day": f["is_closed"] & (closed_day == f["due_on"]),
            "closed after its deadline": f["is_closed"] & (closed_day > f["due_on"]),
            "open, due on D": f["is_open"] & (f["due_on"] == d),
            "open, due D+3": f["is_open"] & (f["due_on"] == d + pd.Timedelta(days=DUE_SOON_DAYS)),
            "open, due D+4": f["is_open"] & (f["due_on"] == d + pd.Timedelta(days=DUE_SOON_DAYS + 1)),
            "no deadline": f["due_on"].isna(),
            "rebound": f["is_rebound"],
            "no unit": f["unit_name"].isna(),
        }
        for edge, mask in edges.items():
            seen[edge] = seen.get(edge, 0) + int(mask.sum())
    assert all(count > 0 for count in seen.values()), seen
    assert (day(problems["found_at"]) > pd.Timestamp(as_of - timedelta(days=max(OFFSETS)))).any()


@pytest.mark.parametrize("offset", OFFSETS, ids=[f"D-{o}" for o in OFFSETS])
def test_summary_matches_pandas(con, problems, as_of, offset):
    d = as_of - timedelta(days=offset)
    expected = summary(facts(problems, d))
    assert expected["count_found"] > 0
    assert differences(expected, sql_summary(con, d, NO_FILTERS), SUMMARY_FIGURES, f"summary {d}") == []


@pytest.mark.parametrize("dimension", ["unit", "district"])
@pytest.mark.parametrize("offset", OFFSETS, ids=[f"D-{o}" for o in OFFSETS])
def test_breakdown_matches_pandas(con, problems, as_of, offset, dimension):
    d = as_of - timedelta(days=offset)
    expected = breakdown(facts(problems, d), dimension)
    assert len(expected) > 1
    got = sql_breakdown(con, d, NO_FILTERS, dimension)
    assert breakdown_differences(expected, got, f"breakdown {dimension} {d}") == []


@pytest.mark.parametrize("offset", [0, 7], ids=["D-0", "D-7"])
@pytest.mark.parametrize("chosen", [c for _, c in FILTER_CASES], ids=[n for n, _ in FILTER_CASES])
def test_filtered_figures_match_pandas(con, problems, as_of, offset, chosen):
    d = as_of - timedelta(days=offset)
    filters = make_filters(**chosen)
    every = facts(problems, d)
    kept = narrowed(every, **chosen)
    assert 0 < len(kept) < len(every)  # the filter does narrow
    if MISSING_VALUE in chosen.get("unit", []):
        assert kept["unit_name"].isna().any()  # '未填写' is exercised
    problems_wrong = differences(summary(kept), sql_summary(con, d, filters), SUMMARY_FIGURES, f"filtered summary {d}")
    problems_wrong += breakdown_differences(breakdown(kept, "unit"), sql_breakdown(con, d, filters, "unit"),
                                            f"filtered breakdown unit {d}")
    assert problems_wrong == []


def test_the_summary_adds_up(con, as_of):
    """Internal consistency of the SQL figures, on top of the pandas comparison."""
    for offset in OFFSETS:
        s = sql_summary(con, as_of - timedelta(days=offset), NO_FILTERS)
        assert s["count_found"] == s["count_closed"] + s["count_open"]
        assert s["count_overdue"] + s["count_due_soon"] <= s["count_open"]
        assert s["count_closed_on_time"] <= min(s["count_due"], s["count_closed"])
        assert s["rectification_days_median"] <= s["rectification_days_p90"]
