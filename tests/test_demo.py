"""Tests of the demo generator: same bytes for the same arguments, the platforms' dialects, dates, places."""

import json
import tomllib
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from cockpit.demo import dialects, events, world
from cockpit.ingest.mapping import BUILTIN_PATH, builtin_mapping, load_mapping, match_headers
from tests.conftest import TEST_SETTINGS

END = date(2026, 11, 22)
EARLIER = END - timedelta(days=7)
SCALE = 2_000
BUILTIN = tomllib.loads(BUILTIN_PATH.read_text(encoding="utf-8"))
EXCEL_EPOCH = datetime(1899, 12, 30)
# Columns holding when something happened (deadlines may lie after the end: they are not here).
TIME_HEADERS = {"发现时间", "上报时间", "检查时间", "交办时间", "派单时间", "整改完成时间", "办结时间", "复核时间",
                "销号时间", "诉求时间", "转派时间", "回复时间", "回访时间", "报送时间", "调查时间"}


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    dialects.write_demo(out, scale=SCALE, end=END)
    return out


def problem_files(out: Path, export_on: date) -> list[Path]:
    return dialects.problem_file_paths(out / "exports", export_on)


def read_table(path: Path) -> pd.DataFrame:
    """A file as the clerk would see it: Excel cells keep their type, CSV cells are text."""
    if path.suffix == ".xlsx":
        return pd.read_excel(path, engine="calamine", dtype=object)
    encoding = "gb18030" if "城西区" in path.name else "utf-8-sig"
    return pd.read_csv(path, encoding=encoding, dtype=str, keep_default_na=False)


def as_times(column: pd.Series) -> pd.Series:
    """Date cells, Excel serial numbers and text such as '2026/8/18 16:07' -> timestamps."""
    values = column[column.notna() & (column.astype(str).str.strip() != "")]
    numbers = pd.to_numeric(values, errors="coerce")
    serial = EXCEL_EPOCH + pd.to_timedelta(numbers[numbers.notna() & (numbers > 20_000)], unit="D")
    text = values[numbers.isna()]
    return pd.concat([serial, pd.to_datetime(text.astype(str), format="mixed")])


def test_same_arguments_give_the_same_bytes(demo_dir, tmp_path):
    again = tmp_path / "again"
    dialects.write_demo(again, scale=SCALE, end=END)
    first = sorted(p.relative_to(demo_dir) for p in demo_dir.rglob("*") if p.is_file())
    second = sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    assert first == second
    for name in first:
        assert (demo_dir / name).read_bytes() == (again / name).read_bytes(), name


def test_files_are_returned_in_import_order(tmp_path):
    paths = dialects.write_demo(tmp_path, scale=300, end=END, snapshots=3)
    names = [p.name for p in paths]
    assert names[:7] == ["责任单位清单.xlsx", "测评点位清单.xlsx", "检查记录_20261122.xlsx", "检查记录_测评_20261122.csv",
                         "网申材料任务.xlsx", "问卷调查结果.csv", "问题台账_城东区_20261108.xlsx"]
    stamps = [n.rsplit("_", 1)[1][:8] for n in names[6:] if n.startswith(dialects.DEMO_FILE_PREFIXES)]
    assert "责任体系.xlsx" in names[6:]  # the lists issues added come after the problem exports
    assert stamps == ["20261108"] * 4 + ["20261115"] * 4 + ["20261122"] * 4
    assert names[-3:] == ["调度会交办单.xlsx", "回头看复查结果.xlsx", "约谈记录.xlsx"]  # cockpit/demo/loop.py
    assert {"测评体系.xlsx", "历年测评成绩.csv", "重点任务.xlsx"} <= set(names[6:])  # cockpit/demo/scoring.py
    assert all(p.exists() for p in paths)


def test_the_gbk_export_is_not_utf8(demo_dir):
    data = problem_files(demo_dir, END)[1].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert "工单编号" in data.decode("gb18030")


def test_the_newest_snapshot_has_about_scale_problems(demo_dir):
    count = sum(len(read_table(p)) for p in problem_files(demo_dir, END))
    assert abs(count - SCALE) <= 0.05 * SCALE


def test_builtin_dialects_use_only_builtin_headers(demo_dir):
    known = {h for variants in BUILTIN["problems"]["headers"].values() for h in variants}
    for path in problem_files(demo_dir, END)[:3]:
        assert set(read_table(path).columns) <= known, path.name


def test_the_hotline_mapping_claims_the_hotline_file_only(demo_dir):
    mappings = [load_mapping(demo_dir / "mappings" / "hotline.toml"), builtin_mapping()]
    for path in problem_files(demo_dir, END):
        match = match_headers(list(read_table(path).columns), mappings)
        assert match.dataset == "problems"
        expected = world.HOTLINE_MAPPING_NAME if path.name.startswith("12345") else builtin_mapping().name
        assert match.mapping.name == expected, path.name
    hotline = tomllib.loads((demo_dir / "mappings" / "hotline.toml").read_text(encoding="utf-8"))
    assert hotline["coordinate_system"] == "gcj02"
    assert hotline["problems"]["constants"] == {"source": "市民投诉"}
    assert set(hotline["values"]["problem_status"]) == {"pending", "in_progress", "awaiting_check", "closed",
                                                        "returned"}


def test_nothing_happens_after_the_end(demo_dir):
    exports = demo_dir / "exports"
    files = problem_files(demo_dir, END) + sorted(exports.glob("检查记录_*")) + [
        exports / "网申材料任务.xlsx", exports / "问卷调查结果.csv"]
    for path in files:
        table = read_table(path)
        for header in TIME_HEADERS & set(table.columns):
            times = as_times(table[header])
            assert len(times) and times.max().date() <= END, (path.name, header)


def test_the_earlier_snapshot_is_smaller_and_stops_at_its_date(demo_dir):
    for earlier, newest in zip(problem_files(demo_dir, EARLIER), problem_files(demo_dir, END)):
        old, new = read_table(earlier), read_table(newest)
        assert len(old) < len(new)
        found = "发现时间" if "发现时间" in old else "上报时间" if "上报时间" in old else "检查时间" \
            if "检查时间" in old else "诉求时间"
        assert as_times(old[found]).max().date() <= EARLIER
        assert set(old.iloc[:, 0]) <= set(new.iloc[:, 0])  # ids are stable across snapshots


def inside(lng: float, lat: float, ring: list[list[float]]) -> bool:
    """Ray casting: does the point lie inside the polygon ring?"""
    result = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        if (y1 > lat) != (y2 > lat) and lng < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            result = not result
    return result


def test_points_lie_inside_their_street(demo_dir):
    features = json.loads((demo_dir / "boundaries.geojson").read_text(encoding="utf-8"))["features"]
    streets = {f["properties"]["name"]: f for f in features if f["properties"]["level"] == "street"}
    districts = {f["properties"]["name"] for f in features if f["properties"]["level"] == "district"}
    assert {f["properties"]["parent"] for f in streets.values()} == districts
    points = read_table(demo_dir / "exports" / "测评点位清单.xlsx")
    assert 3_500 <= len(points) <= 4_500 and points["点位类型"].nunique() == 39
    assert (points["是否重点点位圈"] == "是").sum() == 491 and points["重点点位圈"].nunique() == 60
    for street, group in points.groupby("街道"):
        ring = streets[street]["geometry"]["coordinates"][0]
        assert all(inside(x, y, ring) for x, y in zip(group["经度"], group["纬度"])), street


def test_the_newest_snapshot_has_a_few_dirty_rows(demo_dir):
    chengdong, chengxi, gaoxin, hotline = (read_table(p) for p in problem_files(demo_dir, END))
    assert (chengxi["办理状态"] == world.UNKNOWN_STATUS_WORD).sum() == 3
    assert (chengxi["承办单位"] == "").sum() == 3
    assert ((chengdong["经度"] == 0) & (chengdong["纬度"] == 0)).sum() == 2
    assert (gaoxin["经度"].astype(float) < 90).sum() == 3  # latitude written as longitude
    assert hotline["经度(高德)"].isna().sum() == 2
    assert chengdong["街道"].str.startswith(" ").sum() == 2


def test_states_look_like_a_campaign_at_work(demo_dir):
    chengdong = read_table(problem_files(demo_dir, END)[0])
    shares = chengdong["整改状态"].value_counts(normalize=True)
    assert 0.75 <= shares["已销号"] <= 0.95
    assert {"待整改", "整改中", "已整改待复核", "退回"} <= set(shares.index)
    assert (chengdong["是否反弹"] == "是").any() and (chengdong["退回次数"] > 0).any()


def test_the_demo_imports_its_own_exports_whatever_the_upload_size_limit(tmp_path):
    """The demo's exports of a large city are known files: the upload size limit does not apply to them."""
    import dataclasses

    from cockpit.__main__ import run_demo
    from cockpit.settings import load_settings
    from cockpit.store import readers, versions

    tight = dataclasses.replace(load_settings(), max_file_mb=0.01)  # smaller than every demo export
    assert run_demo(2_000, tmp_path / "out", date(2026, 6, 30), tmp_path / "store", tight) == 0
    con = readers.open_reader(versions.current_file(tmp_path / "store"))
    try:
        assert con.execute("select count(*) from problems").fetchone()[0] > 1_000
        assert con.execute("select count(*) from imports where mapping_name = ?",
                           [world.HOTLINE_MAPPING_NAME]).fetchone()[0] == 2
    finally:
        con.close()
    # The demo's platform mapping is kept with the store, where the 数据导入 page looks for mappings.
    from cockpit.ingest.mapping import available_mappings

    kept = available_mappings(user_dir=tmp_path / "store" / "mappings")
    assert [m.name for m in kept] == [world.HOTLINE_MAPPING_NAME, "内置映射"]


def test_demo_out_puts_boundaries_and_mapping_where_the_cockpit_looks(tmp_path, monkeypatch, capsys):
    from cockpit.__main__ import main

    committed = TEST_SETTINGS.read_text(encoding="utf-8")
    wanted = tmp_path / "office" / "boundaries.geojson"
    settings = tmp_path / "settings.toml"
    settings.write_text(committed.replace('boundaries = "data/demo/boundaries.geojson"',
                                          f'boundaries = "{wanted.as_posix()}"'), encoding="utf-8")
    monkeypatch.setenv("COCKPIT_SETTINGS", str(settings))
    monkeypatch.setenv("COCKPIT_DB", str(tmp_path / "db"))
    args = ["demo", "--out", str(tmp_path / "out"), "--scale", "300", "--end", END.isoformat(), "--no-import"]
    assert main(args) == 0
    assert wanted.read_bytes() == (tmp_path / "out" / "boundaries.geojson").read_bytes()
    copied = tmp_path / "db" / "mappings" / "hotline.toml"
    assert copied.read_bytes() == (tmp_path / "out" / "mappings" / "hotline.toml").read_bytes()
    # An office's own boundaries are never replaced by the demo's.
    wanted.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    assert main(args) == 0
    assert json.loads(wanted.read_text(encoding="utf-8")) == {"type": "FeatureCollection", "features": []}
    assert "不是演示边界，未覆盖" in capsys.readouterr().out


def test_the_hotline_puts_unlocated_work_orders_on_the_city_government(demo_dir):
    frames = [read_table(p) for p in sorted((demo_dir / "exports").glob("12345*"))]
    newest = frames[-1]
    lng = pd.to_numeric(newest[next(c for c in newest.columns if "经度" in c)], errors="coerce").round(6)
    lat = pd.to_numeric(newest[next(c for c in newest.columns if "纬度" in c)], errors="coerce").round(6)
    shared = pd.DataFrame({"lng": lng, "lat": lat}).value_counts()
    # One coordinate carries the work orders moved there (a few dirty rows lose theirs); no other
    # is shared by more than a handful.
    assert events.MIN_AT_CITY_HALL - 5 <= shared.iloc[0] <= events.MIN_AT_CITY_HALL
    assert shared.iloc[1] < 5
