"""The demo city's default coordinate (the city government, where its hotline puts work orders it
cannot locate): the quality check lists it, and rebounds, the map and its counts leave it out."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from cockpit.coords import from_wgs84
from cockpit.demo import events
from cockpit.store import readers, versions
from cockpit.vocab import filters
from tests.demo_world import DEMO_SCALE, demo_as_of, demo_exports, demo_store  # noqa: F401 (fixtures)


@pytest.fixture(scope="module")
def con(demo_store):
    connection = readers.open_reader(versions.current_file(demo_store))
    yield connection
    connection.close()


# The problems whose own coordinate is the one default spot (the hotline's GCJ-02 coordinate is
# converted back to WGS-84 on import, so they are compared with the stored spot, not the constant).
AT_CITY_HALL = "select problem_id from problems join default_spots using (lat, lng)"


def test_the_demo_has_one_default_coordinate_at_the_city_government(con):
    spots = con.execute("select lat, lng, count_problems, is_excluded from default_spots").fetchall()
    assert len(spots) == 1
    lat, lng, count, excluded = spots[0]
    hall_lng, hall_lat = events.city_hall_lnglat()
    assert abs(lat - hall_lat) < 1e-5 and abs(lng - hall_lng) < 1e-5  # the GCJ-02 round trip: within a metre
    # Every hotline work order moved there (a few dirty rows lose or swap their coordinates).
    assert events.MIN_AT_CITY_HALL - 5 <= count <= events.MIN_AT_CITY_HALL == max(round(DEMO_SCALE * 0.01), 60)
    assert excluded is True
    ids = {r[0] for r in con.execute(AT_CITY_HALL).fetchall()}
    assert len(ids) == count and all(i.startswith("RX") for i in ids)  # hotline ids


def test_the_quality_check_lists_the_spot_and_its_problems(con, demo_as_of):
    params = {"as_of": date.fromisoformat(demo_as_of), "due_soon_days": 3, "filters": filters.NO_FILTERS}
    count = con.execute("select count_problems from default_spots").fetchone()[0]
    checks = readers.run(con, "quality_checks", **params).set_index("check_key")["count_rows"]
    assert checks["default_spot"] == count
    rows = readers.run(con, "quality_rows", check_key="default_spot", **params)
    assert sorted(rows["problem_id"]) == sorted(r[0] for r in con.execute(AT_CITY_HALL).fetchall())
    assert rows["detail"].str.contains(f"共有 {count} 个问题").all()


def test_rebounds_the_map_and_its_counts_leave_the_spot_out(con, demo_as_of):
    ids = [r[0] for r in con.execute(AT_CITY_HALL).fetchall()]
    # Matched by distance alone, work orders on one coordinate would repeat each other: none does,
    # and none is repeated.
    assert con.execute("select count(*) from problems join default_spots using (lat, lng) "
                       "where rebound_of_problem_id is not null").fetchone()[0] == 0
    assert con.execute("select count(*) from problems where rebound_of_problem_id in "
                       f"(select problem_id from ({AT_CITY_HALL}))").fetchone()[0] == 0
    coverage = readers.run(con, "location_coverage", as_of=date.fromisoformat(demo_as_of), due_soon_days=3).iloc[0]
    assert coverage["count_at_default_spot"] == len(ids)
    assert coverage["count_found"] == (coverage["count_located"] + coverage["count_without_location"]
                                       + coverage["count_at_default_spot"])
    params = {"as_of": date.fromisoformat(demo_as_of), "due_soon_days": 3, "filters": filters.NO_FILTERS}
    cells = readers.run(con, "map_cells", states=[], cell_deg=0.01, limit=100_000, **params)
    assert int(cells["count_problems"].sum()) == coverage["count_located"]


def test_the_hotline_export_writes_the_spot_in_gcj02(demo_exports):
    out, _ = demo_exports
    frames = [pd.read_excel(p, engine="calamine", dtype=object) for p in sorted((out / "exports").glob("12345*.xlsx"))]
    newest = frames[-1]
    lng_col = next(c for c in newest.columns if "经度" in str(c))
    lat_col = next(c for c in newest.columns if "纬度" in str(c))
    hall = np.round(from_wgs84(*events.city_hall_lnglat(), "gcj02"), 6)
    same = (pd.to_numeric(newest[lng_col], errors="coerce") == hall[0]) & (pd.to_numeric(newest[lat_col], errors="coerce") == hall[1])
    assert same.sum() >= events.MIN_AT_CITY_HALL - 5
