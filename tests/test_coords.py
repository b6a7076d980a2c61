"""Tests of cockpit.coords against published test vectors, round trips and array shapes."""

import math

import numpy as np
import pytest

from cockpit import coords

# Published vectors, (lng, lat) order. The source of each is named next to it.

# googollee/eviltransform, go/transform_test.go (also javascript/test.js): WGS-84 → GCJ-02,
# compared there to 5 decimals; GCJ-02 → WGS-84 "exact" must land within 0.5 m.
EVILTRANSFORM_WGS_GCJ = [
    ((121.5272106, 31.1774276), (121.531541859215, 31.17530398364597)),  # shanghai
    ((113.912316, 22.543847), (113.9171764808363, 22.540796131694766)),  # shenzhen
    ((116.377817, 39.911954), (116.38404722455657, 39.91334545536069)),  # beijing
]

# hujiulong/gcoord, test/unit/crs/{WGS84,GCJ02,BD09}.spec.ts: the point [123, 45] in each system,
# compared there with toBeCloseTo(x, 5), i.e. |error| < 5e-6 degrees.
GCOORD_123_45 = [
    ("wgs84", "gcj02", (123.00607541, 45.00197815)),  # WGS84.spec.ts "WGS84 to GCJ02"
    ("wgs84", "bd09", (123.0124491, 45.0083293)),  # WGS84.spec.ts "WGS84 to BD09"
    ("gcj02", "wgs84", (122.99395597, 44.99804071)),  # GCJ02.spec.ts "GCJ02 to WGS84"
    ("gcj02", "bd09", (123.00636499, 45.00636899)),  # GCJ02.spec.ts "GCJ02 to BD09"
    ("bd09", "gcj02", (122.99363304, 44.99365430)),  # BD09.spec.ts "BD09 to GCJ02"
    ("bd09", "wgs84", (122.98762210, 44.99171540)),  # BD09.spec.ts "BD09 to WGS84"
]

# hujiulong/gcoord, test/fixtures/china-cities.json (used by test/unit/transform.spec.ts with
# toBeCloseTo(x, 4), i.e. |error| < 5e-5 degrees): WGS84, GCJ02, BD09 of city points.
GCOORD_CITIES = {
    "驻马店市": ((114.0164322, 33.0133556), (114.022306, 33.0115324), (114.0287781, 33.0176697)),
    "郑州市": ((113.6192856, 34.7478004), (113.6253334, 34.7466173), (113.6317519, 34.7528605)),
    "铜川市": ((108.9405327, 34.8978469), (108.9452414, 34.8967592), (108.9516486, 34.9029875)),
    "沈阳市": ((123.4253306, 41.8032629), (123.4314787, 41.8057023), (123.438095, 41.8114013)),
    "那曲地区": ((92.0499619, 31.4784436), (92.0512438, 31.4762063), (92.0576832, 31.4824421)),
}

CONVERTERS = {
    ("wgs84", "gcj02"): coords.wgs84_to_gcj02,
    ("gcj02", "wgs84"): coords.gcj02_to_wgs84,
    ("gcj02", "bd09"): coords.gcj02_to_bd09,
    ("bd09", "gcj02"): coords.bd09_to_gcj02,
    ("wgs84", "bd09"): coords.wgs84_to_bd09,
    ("bd09", "wgs84"): coords.bd09_to_wgs84,
}


def metres(a, b) -> float:
    """Great-circle distance in metres between two (lng, lat) points."""
    (lng1, lat1), (lng2, lat2) = a, b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(h))


@pytest.mark.parametrize(("wgs", "gcj"), EVILTRANSFORM_WGS_GCJ)
def test_eviltransform_wgs_to_gcj(wgs, gcj):
    assert coords.wgs84_to_gcj02(*wgs) == pytest.approx(gcj, abs=5e-6)


@pytest.mark.parametrize(("wgs", "gcj"), EVILTRANSFORM_WGS_GCJ)
def test_eviltransform_gcj_to_wgs_within_half_metre(wgs, gcj):
    assert metres(coords.gcj02_to_wgs84(*gcj), wgs) < 0.5


@pytest.mark.parametrize(("src", "dst", "expected"), GCOORD_123_45)
def test_gcoord_point_123_45(src, dst, expected):
    assert CONVERTERS[(src, dst)](123, 45) == pytest.approx(expected, abs=5e-6)


@pytest.mark.parametrize("city", sorted(GCOORD_CITIES))
def test_gcoord_cities(city):
    wgs, gcj, bd = GCOORD_CITIES[city]
    assert coords.wgs84_to_gcj02(*wgs) == pytest.approx(gcj, abs=5e-5)
    assert coords.wgs84_to_bd09(*wgs) == pytest.approx(bd, abs=5e-5)
    assert coords.gcj02_to_wgs84(*gcj) == pytest.approx(wgs, abs=5e-5)
    assert coords.bd09_to_gcj02(*bd) == pytest.approx(gcj, abs=5e-5)


def test_round_trip_wgs_gcj_wgs_on_a_grid_over_china():
    lng, lat = np.meshgrid(np.linspace(74.0, 135.0, 61), np.linspace(4.0, 53.5, 50))
    back_lng, back_lat = coords.gcj02_to_wgs84(*coords.wgs84_to_gcj02(lng, lat))
    # 1e-7 degrees of latitude is about 1 cm; longitude degrees are shorter still.
    assert np.max(np.abs(back_lng - lng)) < 1e-7
    assert np.max(np.abs(back_lat - lat)) < 1e-7


def test_round_trip_wgs_bd_wgs_within_half_metre():
    points = [(108.95, 34.27), (121.47, 31.23), (87.6, 43.8), (126.6, 45.75)]
    for p in points:
        assert metres(coords.bd09_to_wgs84(*coords.wgs84_to_bd09(*p)), p) < 0.5


def test_offset_is_hundreds_of_metres_in_china():
    # A sanity bound, not a published vector: GCJ-02 moves points by roughly 100–700 m.
    p = (108.95, 34.27)
    assert 100 < metres(coords.wgs84_to_gcj02(*p), p) < 700


def test_scalars_give_floats():
    lng, lat = coords.wgs84_to_gcj02(108.95, 34.27)
    assert type(lng) is float and type(lat) is float


@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 1, 3)])
def test_arrays_keep_their_shape(shape):
    rng = np.random.default_rng(0)
    lng = rng.uniform(100, 120, shape)
    lat = rng.uniform(20, 40, shape)
    for fn in CONVERTERS.values():
        out_lng, out_lat = fn(lng, lat)
        assert out_lng.shape == shape and out_lat.shape == shape
    assert coords.in_china(lng, lat).shape == shape


def test_array_results_match_scalar_results():
    lng = np.array([121.5272106, 113.912316, 116.377817])
    lat = np.array([31.1774276, 22.543847, 39.911954])
    out_lng, out_lat = coords.gcj02_to_wgs84(lng, lat)
    for i in range(3):
        assert (out_lng[i], out_lat[i]) == pytest.approx(coords.gcj02_to_wgs84(lng[i], lat[i]))


def test_lists_are_accepted():
    out_lng, out_lat = coords.wgs84_to_gcj02([123.0], [45.0])
    assert out_lng.shape == (1,)
    assert (out_lng[0], out_lat[0]) == pytest.approx((123.00607541, 45.00197815), abs=5e-6)


@pytest.mark.parametrize(
    "point",
    [
        (183.0, 45.0),  # gcoord WGS84.spec.ts / GCJ02.spec.ts: "not in China" → unchanged
        (-0.1276, 51.5072),  # London
        (139.6917, 35.6895),  # Tokyo, east of the box
        (100.0, 60.0),  # north of the box
    ],
)
def test_points_outside_china_unchanged_by_gcj(point):
    assert not coords.in_china(*point)
    assert coords.wgs84_to_gcj02(*point) == point
    assert coords.gcj02_to_wgs84(*point) == point


def test_outside_points_unchanged_inside_an_array():
    lng = np.array([183.0, 108.95, -0.1276])
    lat = np.array([45.0, 34.27, 51.5072])
    out_lng, out_lat = coords.wgs84_to_gcj02(lng, lat)
    assert out_lng[0] == 183.0 and out_lat[0] == 45.0
    assert out_lng[2] == -0.1276 and out_lat[2] == 51.5072
    assert out_lng[1] != 108.95


def test_in_china_box_edges():
    assert coords.in_china(73.66, 3.86) and coords.in_china(135.05, 53.55)
    assert not coords.in_china(73.65, 30.0) and not coords.in_china(110.0, 53.56)
    assert list(coords.in_china([108.95, 0.0], [34.27, 0.0])) == [True, False]


def test_nan_stays_nan():
    out_lng, out_lat = coords.gcj02_to_wgs84(np.array([np.nan, 108.95]), np.array([np.nan, 34.27]))
    assert np.isnan(out_lng[0]) and np.isnan(out_lat[0])
    assert np.isfinite(out_lng[1]) and np.isfinite(out_lat[1])


@pytest.mark.parametrize("system", ["gcj02", "bd09", "wgs84", " GCJ02 "])
def test_to_and_from_wgs84_dispatch(system):
    p = (108.95, 34.27)
    there = coords.from_wgs84(*p, system)
    assert metres(coords.to_wgs84(*there, system), p) < 0.5


def test_from_wgs84_matches_the_named_functions():
    p = (108.95, 34.27)
    assert coords.from_wgs84(*p, "gcj02") == coords.wgs84_to_gcj02(*p)
    assert coords.from_wgs84(*p, "bd09") == coords.wgs84_to_bd09(*p)
    assert coords.from_wgs84(*p, "wgs84") == p


def test_unknown_system_is_refused():
    with pytest.raises(ValueError, match="未知坐标系"):
        coords.to_wgs84(108.95, 34.27, "cgcs2000")
