"""write/derive.sql on the tiny world: point ids from names, closed_at (estimated from the export date), rebounds."""

from datetime import date, datetime, timedelta

import duckdb
import pandas as pd

from cockpit.store import queries, readers, versions
from cockpit.vocab import filters
from tests.conftest import TINY_AS_OF, TINY_DEFAULT_SPOT, rows


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
    queries.execute(tiny_con, "write/derive", rebound_days=30, rebound_radius_m=50.0, **TINY_DEFAULT_SPOT)
    assert table(tiny_con, DERIVED) == before


FOLDED = """
    select problem_id, map_lat, map_lng, status_seen, was_returned, was_reported_done, last_changed_on
    from problems order by problem_id
"""


def test_a_later_derive_takes_back_what_no_longer_holds(tiny_con):
    """The derive writes only the values that change: one that no longer holds must still go."""
    before, folded = table(tiny_con, DERIVED), table(tiny_con, FOLDED)
    tiny_con.execute("create table problem_history_before as select * from problem_history")
    assert table(tiny_con, "select was_returned from problems where problem_id = 'P02'") == [(False,)]
    queries.execute(tiny_con, "write/derive", rebound_days=31, rebound_radius_m=100.0, **TINY_DEFAULT_SPOT)  # P12 and P18 become rebounds
    tiny_con.execute("update problems set status = 'pending' where problem_id = 'P01'")  # no longer closed
    tiny_con.execute("update problem_history set status = 'returned' where problem_id = 'P02'")
    queries.execute(tiny_con, "write/derive", rebound_days=30, rebound_radius_m=50.0, **TINY_DEFAULT_SPOT)
    changed = {row[0]: row for row in table(tiny_con, DERIVED)}
    assert changed["P01"][2:4] == (None, False)                    # closed_at and the estimate gone
    assert "P01" not in {row[4] for row in changed.values()}       # nothing repeats P01 any more
    assert table(tiny_con, "select was_returned from problems where problem_id = 'P02'") == [(True,)]
    tiny_con.execute("update problems set status = 'closed' where problem_id = 'P01'")
    tiny_con.execute("update problem_history set status = h.status from problem_history_before as h "
                     "where problem_history.problem_id = 'P02' and h.problem_id = 'P02' "
                     "and h.import_id = problem_history.import_id")
    queries.execute(tiny_con, "write/derive", rebound_days=30, rebound_radius_m=50.0, **TINY_DEFAULT_SPOT)
    assert table(tiny_con, DERIVED) == before
    assert table(tiny_con, FOLDED) == folded


def test_rebound_window_and_radius_are_settings(tiny_con):
    queries.execute(tiny_con, "write/derive", rebound_days=31, rebound_radius_m=100.0, **TINY_DEFAULT_SPOT)
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
    queries.execute(tiny_con, "write/derive", rebound_days=30, rebound_radius_m=50.0, **TINY_DEFAULT_SPOT)
    assert table(tiny_con, "select problem_id, point_id from problems where problem_id in ('P13', 'P22') order by 1") == [
        ("P13", "PT02"),  # resolved before the second point appeared: kept
        ("P22", None),    # two points bear the name: left unresolved rather than guessed
    ]


# ---- the folded history kept in the problem's row (write/derive.sql), and where it is not trusted ----

FACTS = "select * from problem_facts($as_of, 3) order by problem_id"
# D, the day before the last export (P14 and P19 change on D), and a date before most history.
FOLD_DATES = (TINY_AS_OF, date(2026, 6, 9), date(2026, 5, 10))


def facts(con, as_of, where: str = "") -> pd.DataFrame:
    with readers._macro_cursor(con) as cur:
        frame = cur.execute(FACTS.replace("order by", f"{where} order by"), {"as_of": as_of}).df()
    return frame.reset_index(drop=True)


def published_reader(directory):
    return readers.open_reader(versions.current_file(directory))


def test_the_fold_is_kept_in_the_problem_rows(tiny_con):
    assert table(tiny_con, "select problem_id, status_seen, was_returned, was_reported_done, last_changed_on "
                           "from problems where problem_id in ('P08', 'P14', 'P21') order by problem_id") == [
        ("P08", "returned", True, True, date(2026, 6, 10)),        # reported done 06-03, returned 06-10
        ("P14", "in_progress", False, True, date(2026, 6, 10)),    # closed 06-10: the last open state is kept
        ("P21", "pending", False, False, date(2026, 6, 12)),       # one export
    ]


def test_a_published_store_answers_from_its_rows_as_the_folding_view_does(tiny_con, tiny_db_dir):
    reader = published_reader(tiny_db_dir)
    try:
        with readers._macro_cursor(reader) as cur:  # the stored columns are read: no view shadows the table
            assert cur.execute("select count(*) from duckdb_views() where view_name = 'problems'").fetchone()[0] == 0
        for as_of in FOLD_DATES:
            pd.testing.assert_frame_equal(facts(reader, as_of), facts(tiny_con, as_of))
        # Before P08's last change the stored fold does not hold: its history up to then is folded.
        p08 = [facts(reader, as_of).set_index("problem_id").loc["P08"] for as_of in (TINY_AS_OF, date(2026, 6, 9))]
        assert [(f["state"], f["is_ever_returned"], f["days_unchanged"]) for f in p08] == [
            ("returned", True, 0), ("awaiting_check", False, 6)]
    finally:
        reader.close()


def test_a_store_from_before_the_fold_columns_folds_the_history_itself(tiny_con, tiny_db_dir):
    path = versions.current_file(tiny_db_dir)
    con = duckdb.connect(str(path))
    for column in readers.FOLD_COLUMNS:
        con.execute(f"alter table problems drop column {column}")
    con.execute("checkpoint")
    con.close()
    reader = published_reader(tiny_db_dir)
    try:
        for as_of in FOLD_DATES:
            pd.testing.assert_frame_equal(facts(reader, as_of), facts(tiny_con, as_of))
    finally:
        reader.close()


def test_a_district_login_folds_its_own_history(tiny_con, tiny_db_dir):
    reader = readers.open_reader(versions.current_file(tiny_db_dir), district="广陵区")
    try:
        for as_of in FOLD_DATES:
            scoped = facts(reader, as_of)
            assert set(scoped["district"]) == {"广陵区"}
            pd.testing.assert_frame_equal(scoped, facts(tiny_con, as_of, "where district = '广陵区'"))
    finally:
        reader.close()


# ---- rebounds against their definition, on random problems near the window's edges ----

def test_rebounds_match_the_definition_pair_by_pair():
    """SPEC "rebound", checked by brute force over every pair: same category, and the same point or
    (without a point) within the radius; found after the earlier one closed, within rebound_days.
    The derive joins pairs by time bands and map cells; this is what those must never lose."""
    import math
    import random

    chance = random.Random(20261123)
    start = datetime(2026, 1, 1)
    rows = []
    for i in range(400):
        found = start + timedelta(days=chance.uniform(0, 150))
        closed = found + timedelta(days=chance.choice([0.5, 3, 10, 29.99, 30, 30.01])) if chance.random() < 0.7 else None
        if chance.random() < 0.5:
            point, lat, lng = chance.choice(["PA", "PB"]), None, None
        else:  # a few metres to a few hundred metres apart around one spot
            point, lat, lng = None, 34.26 + chance.uniform(0, 0.004), 108.94 + chance.uniform(0, 0.004)
        rows.append((f"R{i:03d}", found, chance.choice(["占道经营", "乱堆乱放"]), point, lat, lng, closed))
    con = queries.connect_memory()
    con.executemany(
        "insert into problems (problem_id, found_at, category, point_id, lat, lng, status, checked_at, "
        "first_import_id, last_import_id, changed_import_id) values (?, ?, ?, ?, ?, ?, ?, ?, 1, 1, 1)",
        [(pid, found, cat, point, lat, lng, "closed" if closed else "pending", closed)
         for pid, found, cat, point, lat, lng, closed in rows])
    queries.execute(con, "write/derive", rebound_days=30, rebound_radius_m=50.0, **TINY_DEFAULT_SPOT)

    def metres(a, b):
        dlat, dlng = math.radians(b[4] - a[4]), math.radians(b[5] - a[5])
        h = math.sin(dlat / 2) ** 2 + math.cos(math.radians(a[4])) * math.cos(math.radians(b[4])) * math.sin(dlng / 2) ** 2
        return 2 * 6371000 * math.asin(math.sqrt(h))

    expected = {}
    for later in rows:
        repeats = [e for e in rows if e[6] is not None and e[2] == later[2] and e[6] < later[1] <= e[6] + timedelta(days=30)
                   and ((later[3] is not None and e[3] == later[3])
                        or (later[3] is None and e[3] is None and e[0] != later[0] and metres(e, later) <= 50.0))]
        if repeats:
            expected[later[0]] = max(repeats, key=lambda e: (e[6], e[0]))[0]
    assert 40 < len(expected) < 300  # the draw gives both kinds of answer
    assert dict(table(con, "select problem_id, rebound_of_problem_id from problems "
                           "where rebound_of_problem_id is not null")) == expected


# ---- default coordinates: many problems on one exact coordinate (write/derive.sql) ----

# Two more problems exactly where P05 was reported (119.4250, 32.40500), as a platform writes its
# default coordinate: with P05 three problems share it. Both are 垃圾暴露 like P05, found after it
# closed (05-20 20:00), no point: by distance alone each would repeat P05.
AT_P05 = """
    insert into problems (problem_id, found_at, category, district, street, unit_name, due_on, status, lng, lat,
                          first_import_id, last_import_id, changed_import_id) values
        ('S1', '2026-05-25 09:00', '垃圾暴露', '广陵区', '汶河街道', '汶河街道', '2026-06-20', 'pending', 119.4250, 32.40500, 6, 6, 6),
        ('S2', '2026-05-28 09:00', '垃圾暴露', '广陵区', '汶河街道', '汶河街道', '2026-06-20', 'pending', 119.4250, 32.40500, 6, 6, 6)
"""
REBOUNDS = "select problem_id, rebound_of_problem_id from problems where rebound_of_problem_id is not null order by 1"


def test_a_default_coordinate_is_found_and_kept_out_of_rebound_matching(tiny_con):
    assert table(tiny_con, REBOUNDS) == [("P11", "P01"), ("P15", "P05")]
    assert table(tiny_con, "select * from default_spots") == []  # no coordinate shared by 50
    tiny_con.execute(AT_P05)
    queries.execute(tiny_con, "write/derive", rebound_days=30, rebound_radius_m=50.0,
               default_spot_min=3, default_spot_excluded=True)
    assert table(tiny_con, "select lat, lng, count_problems, is_excluded from default_spots") == [
        (32.405, 119.425, 3, True)]
    # P05 sits on it: P15 (30 m away) no longer repeats it, and S1, S2 repeat nothing; P11 repeats
    # P01 by its point, which the coordinate does not touch.
    assert table(tiny_con, REBOUNDS) == [("P11", "P01")]


def test_with_the_exclusion_off_the_default_coordinate_is_matched_as_any_other(tiny_con):
    tiny_con.execute(AT_P05)
    queries.execute(tiny_con, "write/derive", rebound_days=30, rebound_radius_m=50.0,
               default_spot_min=3, default_spot_excluded=False)
    assert table(tiny_con, "select count_problems, is_excluded from default_spots") == [(3, False)]
    assert table(tiny_con, REBOUNDS) == [("P11", "P01"), ("P15", "P05"), ("S1", "P05"), ("S2", "P05")]


def test_a_points_own_coordinate_is_no_default_coordinate(tiny_con):
    tiny_con.execute(AT_P05)
    tiny_con.execute("insert into points (point_id, point_name, lng, lat, last_import_id) "
                     "values ('PT09', '汶河路口', 119.4250, 32.40500, 2)")
    queries.execute(tiny_con, "write/derive", rebound_days=30, rebound_radius_m=50.0,
               default_spot_min=3, default_spot_excluded=True)
    assert table(tiny_con, "select * from default_spots") == []


def test_the_map_and_the_quality_check_see_the_default_coordinate(tiny_con):
    tiny_con.execute(AT_P05)
    queries.execute(tiny_con, "write/derive", rebound_days=30, rebound_radius_m=50.0,
               default_spot_min=3, default_spot_excluded=True)
    params = {"as_of": TINY_AS_OF, "due_soon_days": 3, "filters": filters.NO_FILTERS}
    # The cell of P05, P15 and P18 keeps P15 and P18 (P05's own coordinate is the default one).
    cell = readers.run(tiny_con, "place_problems", cell_deg=0.01, place_key="cell:3240:11942", **params)
    assert cell["problem_id"].tolist() == ["P15", "P18"]
    coverage = readers.run(tiny_con, "location_coverage", as_of=TINY_AS_OF, due_soon_days=3).iloc[0]
    # 22 problems: 3 without location (P06, P14, P20), 3 at the default coordinate, 16 drawn.
    assert (coverage["count_found"], coverage["count_located"], coverage["count_at_default_spot"],
            coverage["count_open_at_default_spot"]) == (22, 16, 3, 2)
    flagged = readers.run(tiny_con, "quality_rows", check_key="default_spot", **params)
    assert sorted(flagged["problem_id"]) == ["P05", "S1", "S2"]
    assert set(flagged["detail"]) == {"坐标 119.425000, 32.405000 共有 3 个问题，很可能是平台的默认坐标"
                                      "（不画在热点地图上，不按距离判定反弹）"}
    checks = readers.run(tiny_con, "quality_checks", **params).set_index("check_key")["count_rows"]
    assert checks["default_spot"] == 3
