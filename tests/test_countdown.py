"""The countdown's queries on the tiny world (tests/fixtures/tiny.sql), counted by hand.

D is 2026-06-10; the headline milestone is taken 30 days later, 2026-07-10; the pace window is the
28 days ending on D (closures from 05-14 to 06-10).
"""

from datetime import date

import pytest

from cockpit.store import readers
from tests.conftest import TINY_AS_OF, rows

D = TINY_AS_OF
MILESTONE = date(2026, 7, 10)


def unit_pace(con, as_of=D, pace_days=28, milestone_on=MILESTONE):
    return rows(readers.run(con, "unit_pace", as_of=as_of, due_soon_days=3, pace_days=pace_days, milestone_on=milestone_on))


def test_unit_pace_worst_first(tiny_con):
    assert unit_pace(tiny_con) == [
        # open P11 P12 P16, closed nothing since 05-14 (P01 05-01, P02 05-06): never clears
        ("东关街道", 3, 1, 0, 0.0, 0.1, None, None),
        # open P09 P10 P13 P20, closed P04 (05-16): 4 * 28 / 1 = 112 days -> 09-30, 82 days late
        ("市城管局", 4, 0, 1, round(1 / 28, 9), round(4 / 30, 9), date(2026, 9, 30), 82),
        # open P08 P15 P18, closed P05 P06 P19: 3 * 28 / 3 = 28 days -> 07-08, 2 days early
        ("汶河街道", 3, 2, 3, round(3 / 28, 9), 0.1, date(2026, 7, 8), -2),
        # open P07 P17, closed P03 P14: 2 * 28 / 2 = 28 days -> 07-08
        ("蒋王街道", 2, 0, 2, round(2 / 28, 9), round(2 / 30, 9), date(2026, 7, 8), -2),
    ]


def test_unit_pace_with_the_milestone_today_needs_no_required_pace(tiny_con):
    assert [r[5] for r in unit_pace(tiny_con, milestone_on=D)] == [None, None, None, None]


def test_unit_pace_projection_rounds_up(tiny_con):
    # A 7-day window: 汶河街道 closed P19 only (06-10): 3 * 7 / 1 = 21 days -> 07-01
    by_unit = {r[0]: r for r in unit_pace(tiny_con, pace_days=7)}
    assert by_unit["汶河街道"][6] == date(2026, 7, 1)
    # 蒋王街道 closed P14 (06-10): 2 * 7 / 1 = 14 -> 06-24; 市城管局 nothing: no date
    assert by_unit["蒋王街道"][6] == date(2026, 6, 24)
    assert by_unit["市城管局"][6] is None


@pytest.mark.parametrize("days_back,expected", [
    (10, [5, 8, 10, 10, 10, 12, 12, 12, 13, 13, 12]),  # 05-31 .. 06-10
    (0, [12]),
])
def test_open_backlog_day_by_day(tiny_con, days_back, expected):
    # 05-31: found P01..P11, closed P01..P06: 5. 06-01 +P12 P13 P14; 06-02 +P15 P16; 06-05 +P17 P18;
    # 06-08 +P19; 06-10 +P20, closed P14 (from the export) and P19: 12, the open count of the summary.
    df = readers.run(tiny_con, "open_backlog", as_of=D, due_soon_days=3, days_back=days_back)
    assert df["count_open"].tolist() == expected
    assert df["day_on"].iloc[-1].date() == D
