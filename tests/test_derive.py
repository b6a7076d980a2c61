"""write/derive.sql on the tiny world: point ids from names, closed_at (estimated from the export date), rebounds."""

from datetime import datetime

from cockpit import db
from tests.conftest import rows


def table(con, sql: str) -> list[tuple]:
    return rows(con.execute(sql).df())


DERIVED = """
    select problem_id, point_id, closed_at, is_closed_at_estimated, rebound_of_problem_id
    from problems order by problem_id
"""


def test_derived_facts_of_every_problem(tiny_con):
    assert table(tiny_con, DERIVED) == [
        ("P01", "PT04", datetime(2026, 5, 1, 16, 0), False, None),   # 复核时间
        ("P02", "PT01", datetime(2026, 5, 6, 9, 0), False, None),
        ("P03", None, datetime(2026, 5, 19, 21, 0), False, None),
        ("P04", None, datetime(2026, 5, 16, 9, 0), False, None),     # no 复核时间: its 整改完成时间
        ("P05", None, datetime(2026, 5, 20, 20, 0), False, None),
        ("P06", None, datetime(2026, 5, 20, 9, 0), False, None),
        ("P07", "PT06", None, False, None),
        ("P08", "PT03", None, False, None),                          # returned: not closed
        ("P09", None, None, False, None),
        ("P10", "PT04", None, False, None),                          # same point as P01, other category
        ("P11", "PT04", None, False, "P01"),                         # 29.7 days after P01 closed, same point and category
        ("P12", "PT04", None, False, None),                          # 30.7 days after: too late
        ("P13", "PT02", None, False, None),                          # named only 汶河农贸市场: the one point of that name
        ("P14", "PT05", datetime(2026, 6, 10, 0, 0), True, None),    # closed, no close time: export date of import 4
        ("P15", None, None, False, "P05"),                           # no point, 30 m from P05, same category
        ("P16", "PT01", None, False, None),                          # flagged 反弹 by the export, not derived
        ("P17", "PT06", datetime(2026, 6, 11, 10, 0), False, None),
        ("P18", None, None, False, None),                            # 80 m from P05: too far
        ("P19", "PT02", datetime(2026, 6, 10, 9, 0), False, None),
        ("P20", None, None, False, None),
        ("P21", "PT01", None, False, None),                          # 36 days after P02 closed at PT01
    ]


def test_inspections_named_by_point_name_get_the_point_id(tiny_con):
    named = table(tiny_con, "select inspection_id, point_id from inspections where point_name = '文昌广场'")
    assert named == [("I06", "PT03")]


def test_derive_twice_changes_nothing(tiny_con):
    before = table(tiny_con, DERIVED)
    db.execute(tiny_con, "write/derive", rebound_days=30, rebound_radius_m=50.0)
    assert table(tiny_con, DERIVED) == before


def test_rebound_window_and_radius_are_settings(tiny_con):
    db.execute(tiny_con, "write/derive", rebound_days=31, rebound_radius_m=100.0)
    assert table(tiny_con, """
        select problem_id, rebound_of_problem_id from problems where rebound_of_problem_id is not null order by 1
    """) == [
        ("P11", "P01"),
        ("P12", "P01"),  # 30.7 days: within 31
        ("P15", "P05"),
        ("P18", "P05"),  # 80 m: within 100
    ]


def test_a_point_name_borne_by_two_points_is_not_resolved(tiny_con):
    tiny_con.execute("""
        insert into points (point_id, point_name, point_type, last_import_id)
            values ('PT07', '汶河农贸市场', '农贸市场', 2);
        insert into problems (problem_id, found_at, category, point_name, status, first_import_id, last_import_id,
                              changed_import_id)
            values ('P22', '2026-06-09 09:00', '占道经营', '汶河农贸市场', 'pending', 6, 6, 6);
    """)
    db.execute(tiny_con, "write/derive", rebound_days=30, rebound_radius_m=50.0)
    assert table(tiny_con, "select problem_id, point_id from problems where problem_id in ('P13', 'P22') order by 1") == [
        ("P13", "PT02"),  # resolved before the second point appeared: kept
        ("P22", None),    # two points bear the name: left unresolved rather than guessed
    ]
