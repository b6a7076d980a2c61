"""The 责任体系 (issue 29): importing the areas, areas partitioning the city, the area ranking and
the 片区与网格 page, on worlds built here whose every figure is counted by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from cockpit.ingest.writing import import_files
from cockpit.settings import load_settings
from tests.test_import import table, write_csv, write_xlsx

SETTINGS = load_settings(Path(__file__).resolve().parent.parent / "settings.toml")
HEADERS = ["片区", "包抓领导", "包抓部门", "区县", "街道", "社区", "网格", "网格长", "楼院长"]


def _import(paths, store):
    return import_files(paths, db_directory=store, settings=SETTINGS)


# ---- importing -----------------------------------------------------------------------------

def test_areas_import_from_gbk_csv_with_header_variants(tmp_path):
    store = tmp_path / "db"
    headers = ["责任片区", "联片领导", "责任部门", "所属区县", "乡镇", "村(社区)", "网格", "网格长", "楼院长"]
    path = write_csv(tmp_path / "包抓责任表.csv", headers, [
        ["第一片区", "王明", "区城管局、区住建局", "广陵区", "东关街道", "", "", "", ""],
        ["第一片区", "", "", "广陵区", "汶河街道", "汶河社区", "汶河一网格", "赵敏", "孙丽"],
        ["第二片区", "李强", "区交通局", "广陵区", "汶河街道", "文昌社区", "", "", ""],
    ], encoding="gbk")
    result = _import([path], store)
    assert [o.status for o in result.outcomes] == ["imported"]
    assert result.outcomes[0].prepared.dataset == "responsibility"
    # the blank leader and departments of the second row are its area's (merged cells leave them blank)
    assert table(store, "select area, leader, departments, street, community, grid, grid_chief, building_chief "
                        "from responsibility order by all") == [
        ("第一片区", "王明", "区城管局、区住建局", "东关街道", None, None, None, None),
        ("第一片区", "王明", "区城管局、区住建局", "汶河街道", "汶河社区", "汶河一网格", "赵敏", "孙丽"),
        ("第二片区", "李强", "区交通局", "汶河街道", "文昌社区", None, None, None),
    ]


def test_a_place_in_two_areas_is_a_row_error_naming_both(tmp_path):
    store = tmp_path / "db"
    path = write_xlsx(tmp_path / "责任体系.xlsx", HEADERS, [
        ["第一片区", "王明", "区城管局", "广陵区", "东关街道", "", "", "", ""],          # row 2
        ["第二片区", "李强", "区交通局", "广陵区", "汶河街道", "汶河社区", "", "", ""],  # row 3
        ["第三片区", "张华", "区教育局", "广陵区", "东关街道", "", "", "", ""],          # row 4: street again
        ["第一片区", "王明", "区城管局", "广陵区", "汶河街道", "汶河社区", "", "", ""],  # row 5: community again
        ["第三片区", "张华", "区教育局", "广陵区", "东关街道", "东关社区", "", "", ""],  # row 6: a community of row 2's street on its own
        ["第一片区", "王明", "区城管局", "广陵区", "东关街道", "", "", "", ""],          # row 7: repeats row 2
        ["第二片区", "李强", "区交通局", "广陵区", "汶河街道", "文昌社区", "", "", ""],  # row 8
        *[["第四片区", "刘洋", "区卫健委", "邗江区", f"第{n}街道", "", "", "", ""] for n in range(1, 21)],  # rows 9-28
    ])
    result = _import([path], store)
    assert result.outcomes[0].status == "imported"
    assert table(store, "select row_number, column_name, cell_value, reason from import_rejects order by 1") == [
        (4, "街道", "东关街道", "街道“东关街道”已在第 2 行划入片区“第一片区”，本行又划入片区“第三片区”：一个地方只能属于一个片区"),
        (5, "社区", "汶河社区", "社区“汶河社区”已在第 3 行划入片区“第二片区”，本行又划入片区“第一片区”：一个地方只能属于一个片区"),
        (7, "街道", "东关街道", "与第 2 行重复，只保留第一行"),
    ]
    assert table(store, "select area, street, community from responsibility where area <> '第四片区' order by all") == [
        ("第一片区", "东关街道", None), ("第三片区", "东关街道", "东关社区"), ("第二片区", "汶河街道", "文昌社区"),
        ("第二片区", "汶河街道", "汶河社区")]


def test_a_new_list_replaces_the_last(tmp_path):
    store = tmp_path / "db"
    first = write_csv(tmp_path / "责任体系_20260601.csv", HEADERS, [["第一片区", "王明", "", "", "东关街道", "", "", "", ""]])
    second = write_csv(tmp_path / "责任体系_20260608.csv", HEADERS, [["第二片区", "李强", "", "", "东关街道", "", "", "", ""]])
    _import([first], store)
    _import([second], store)
    assert table(store, "select area, leader, street from responsibility") == [("第二片区", "李强", "东关街道")]


# ---- areas over the tiny world -------------------------------------------------------------
# 甲片区 (王明) holds 东关街道 whole: P01 P02 P04 P09 P10 P11 P12 P16 by D (8). 乙片区 (李强) holds
# 蒋王街道 whole (P03 P07 P14 P17) and, of 汶河街道, only 文昌社区 (P08): 5. The rest of 汶河街道
# (汶河社区: P05 P06 P13 P15 P18 P19 P20, 7) is in no area: 未划片区. 20 in all, as the city.


from cockpit.store import readers, versions  # noqa: E402
from cockpit.store import queries  # noqa: E402
from tests.conftest import TINY_AS_OF  # noqa: E402
from tests.conftest import rows as rows_of  # noqa: E402

TINY_AREAS = [
    ("甲片区", "王明", "区城管局", "广陵区", "东关街道", None, "东关一网格", "周红", None),
    ("乙片区", "李强", "区住建局、区交通局", "邗江区", "蒋王街道", None, None, None, None),
    ("乙片区", "李强", "区住建局、区交通局", None, "汶河街道", "文昌社区", None, None, None),
]
RULES = {"w_closure_rate": 35.0, "w_on_time_rate": 25.0, "w_overdue_per_100": 20.0, "w_rebound_rate": 10.0,
         "w_inspection_score": 10.0, "min_sample": 5, "inspection_days": 30, "list_rule": "top_n",
         "red_n": 1, "black_n": 1, "red_closure_rate": 0.9, "black_closure_rate": 0.85}


def _with_areas(con, rows=TINY_AREAS):
    con.executemany("insert into responsibility values (?, ?, ?, ?, ?, ?, ?, ?, ?, 7)", rows)
    return con


def test_areas_and_unassigned_add_up_to_the_city(tiny_con):
    _with_areas(tiny_con)
    areas = readers.run(tiny_con, "area_table", as_of=TINY_AS_OF, due_soon_days=3, pass_score=85.0)
    rows = {r.area: (r.count_found, r.count_open, r.count_overdue, r.count_closed) for r in areas.itertuples()}
    assert rows == {"甲片区": (8, 5, 1, 3), "乙片区": (5, 3, 1, 2), "未划片区": (7, 4, 1, 3)}
    city = readers.run(tiny_con, "progress_headline", as_of=TINY_AS_OF, due_soon_days=3,
                  filters={"districts": [], "streets": [], "units": [], "categories": [], "sources": [],
                           "point_types": [], "found_from": None, "found_to": None}).iloc[0]
    assert sum(v[0] for v in rows.values()) == city["count_found"] == 20
    assert sum(v[1] for v in rows.values()) == city["count_open"]
    assert sum(v[2] for v in rows.values()) == city["count_overdue"]
    assert list(areas["area"]) == ["乙片区", "甲片区", "未划片区"]  # by overdue (1 each), then name; 未划片区 last
    totals = readers.run(tiny_con, "area_totals", as_of=TINY_AS_OF, due_soon_days=3)
    assert rows_of(totals) == [(20, 12, 3)]  # the page's 合计: 8 + 5 + 7 found, 5 + 3 + 4 open, 1 + 1 + 1 overdue
    people = areas.set_index("area")
    assert people.at["乙片区", "leader"] == "李强" and people.at["乙片区", "departments"] == "区住建局、区交通局"
    # failing points: PT03 (文昌社区, failed) is 乙's, PT04 (P11 overdue) 甲's; PT02 passed, PT05 never inspected
    assert people.at["甲片区", "count_failing_points"] == 1 and people.at["乙片区", "count_failing_points"] == 1
    assert people.at["未划片区", "count_failing_points"] == 0


def test_a_problem_with_a_listed_community_goes_to_the_communitys_area(tiny_con):
    # 汶河街道 whole to 丙片区; its 文昌社区 stays 乙's: P08 is 乙's, the other 汶河 problems 丙's
    _with_areas(tiny_con, TINY_AREAS + [("丙片区", "赵刚", None, "广陵区", "汶河街道", None, None, None, None)])
    overdue = readers.run(tiny_con, "area_overdue", as_of=TINY_AS_OF, due_soon_days=3, area="乙片区")
    assert list(overdue["problem_id"]) == ["P08"]
    areas = readers.run(tiny_con, "area_table", as_of=TINY_AS_OF, due_soon_days=3, pass_score=85.0).set_index("area")
    assert areas.loc["丙片区", "count_found"] == 7 and "未划片区" not in areas.index
    assert list(readers.run(tiny_con, "area_overdue", as_of=TINY_AS_OF, due_soon_days=3, area="丙片区")["problem_id"]) == ["P15"]


def test_the_area_ranking_is_the_unit_formula_counted_by_hand(tiny_con):
    # 甲: closure 3/8, on time 2/4 (P01 P02 of P01 P02 P11 P16), overdue 1 per 8 (12.5), rebound 2/3
    #     (P11, P16), inspections of PT01 and PT04 in 30 days: 75 82 90 -> 82.33
    # 乙: closure 2/5, on time 0/3 (P03 P08 P14), overdue 1 per 5 (20), rebound 0/2, PT03 70 and PT06 85 -> 77.5
    # best of two on each: 甲 on-time 25 + overdue 20 + inspection 10 = 55; 乙 closure 35 + rebound 10 = 45
    _with_areas(tiny_con)
    weeks = readers.run(tiny_con, "unit_ranking", as_of=TINY_AS_OF, due_soon_days=3, weeks=1,
                   rules={**RULES, "place_pools": True})
    areas = weeks[weeks["pool"] == "area"].set_index("unit_name")
    assert sorted(areas.index) == ["乙片区", "甲片区"]  # 未划片区 is not an area: not ranked
    assert round(areas.at["甲片区", "score"], 6) == 55 and round(areas.at["乙片区", "score"], 6) == 45
    assert areas.at["甲片区", "closure_rate"] == 3 / 8 and areas.at["乙片区", "on_time_rate"] == 0
    assert round(areas.at["甲片区", "inspection_score"], 6) == round((75 + 82 + 90) / 3, 6)
    assert (areas.at["甲片区", "rank"], areas.at["乙片区", "rank"]) == (1, 2)
    assert areas.at["甲片区", "is_red"] and areas.at["乙片区", "is_black"]
    communities = weeks[weeks["pool"] == "community"].set_index("unit_name")["count_found"].to_dict()
    assert communities == {"东关街道·东关社区": 8, "汶河街道·汶河社区": 7, "汶河街道·文昌社区": 1,
                           "蒋王街道·蒋王社区": 2, "蒋王街道·华扬社区": 2}
    # the unit pools are as without place pools
    plain = readers.run(tiny_con, "unit_ranking", as_of=TINY_AS_OF, due_soon_days=3, weeks=1, rules=RULES)
    assert set(plain["pool"]) == {"street", "department", "district"}
    kept = weeks[weeks["pool"].isin(["street", "department", "district"])].reset_index(drop=True)
    assert kept.equals(plain.reset_index(drop=True))


def test_grids_count_their_problems_and_patrol_finds(tiny_con):
    _with_areas(tiny_con)
    tiny_con.execute("update problems set grid = '东关一网格' where problem_id in ('P09', 'P11', 'P12')")
    tiny_con.execute("update problems set source = '网格巡查' where problem_id = 'P12'")
    grids = readers.run(tiny_con, "area_grids", as_of=TINY_AS_OF, due_soon_days=3, area="")
    assert [tuple(r) for r in grids[["grid", "grid_chief", "count_found", "count_open", "count_overdue",
                                     "count_grid_patrol"]].itertuples(index=False)] == [
        ("东关一网格", "周红", 3, 3, 1, 1)]


def test_townships_apart_or_together_changes_the_pools(tiny_con):
    tiny_con.execute("update units set unit_kind = 'township' where unit_name = '蒋王街道'")
    def pools(apart):
        weeks = readers.run(tiny_con, "unit_ranking", as_of=TINY_AS_OF, due_soon_days=3, weeks=1,
                       rules={**RULES, "min_sample": 3, "townships_apart": apart})  # 蒋王 has 4
        return {(r.pool, r.unit_name): r.score for r in weeks.itertuples() if r.pool in ("street", "township")}
    together, apart = pools(False), pools(True)
    assert sorted(together) == [("street", "东关街道"), ("street", "汶河街道"), ("street", "蒋王街道")]
    assert sorted(apart) == [("street", "东关街道"), ("street", "汶河街道"), ("township", "蒋王街道")]
    # alone in its pool the township has every component at the pool's best: full marks
    assert apart[("township", "蒋王街道")] == 100
    assert together[("street", "蒋王街道")] != 100
    assert apart[("street", "东关街道")] != together[("street", "东关街道")]


# ---- the page 片区与网格 -----------------------------------------------------------------------

import duckdb  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from tests.browser import ROOT  # noqa: E402
from tests.conftest import TINY_STORE_FILE  # noqa: E402
from tests.demo_world import demo_exports, demo_store  # noqa: E402,F401 (fixtures)

# Ten more areas over streets with no problem, so the board holds thirteen rows as the seeds' district.
MORE_AREAS = [(f"第{n}片区", f"领导{n}", "区直部门", "广陵区", f"空白{n}街道", None, None, None, None) for n in range(4, 14)]


@pytest.fixture
def area_store(tiny_db_dir, monkeypatch, fresh_caches):
    con = duckdb.connect(str(tiny_db_dir / TINY_STORE_FILE), config=queries.CONFIG)
    try:
        _with_areas(con, TINY_AREAS + MORE_AREAS)
        con.execute("update problems set grid = '东关一网格' where problem_id in ('P09', 'P11', 'P12')")
        con.execute("update problems set source = '网格巡查' where problem_id = 'P12'")
        con.execute("checkpoint")
    finally:
        con.close()
    monkeypatch.setenv("COCKPIT_DB", str(tiny_db_dir))
    return tiny_db_dir


def open_areas(**query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for key, value in {"as_of": "2026-06-10", **query}.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/areas.py").run()
    assert not at.exception and not at.error
    return at


def test_the_page_lists_every_area_and_adds_up_to_the_city(area_store):
    at = open_areas()
    table = next(df.value for df in at.dataframe if "rank_shown" in df.value.columns)
    assert list(table["area"][:3]) == ["乙片区", "甲片区", "第10片区"]  # by overdue, then name
    assert table["area"].iloc[-1] == "未划片区"
    rows = table.set_index("area")
    assert (rows.at["甲片区", "leader"], rows.at["甲片区", "rank_shown"], rows.at["甲片区", "mark"]) == ("王明", "第 1 名", "红榜")
    assert (rows.at["乙片区", "rank_shown"], rows.at["乙片区", "mark"]) == ("第 2 名", "黑榜")
    assert rows.at["未划片区", "rank_shown"] == "不参加排名"
    assert table["count_found"].sum() == 20 and table["count_overdue"].sum() == 3
    grids = next(df.value for df in at.dataframe if "grid_chief" in df.value.columns)
    assert grids[["grid", "grid_chief", "count_open", "count_grid_patrol"]].values.tolist() == [["东关一网格", "周红", 3, 1]]


def test_my_area_by_leader(area_store):
    at = open_areas(leader="李强")
    assert at.subheader[0].value.startswith("乙片区")
    assert "**包抓领导**：李强" in at.markdown[0].value or any("**包抓领导**：李强" in m.value for m in at.markdown)
    shown = {m.label: m.value for m in at.metric}
    assert (shown["片区排名"], shown["在办"], shown["逾期"], shown["未达标点位"]) == ("第 2 名", "3", "1", "1")
    overdue = next(df.value for df in at.dataframe if "days_overdue" in df.value.columns)
    assert list(overdue["problem_id"]) == ["P08"]
    places = next(df.value for df in at.dataframe if "closure_rate" in df.value.columns and "street" in df.value.columns)
    assert sorted(zip(places["street"], places["community"])) == [
        ("汶河街道", "文昌社区"), ("蒋王街道", "华扬社区"), ("蒋王街道", "蒋王社区"), ("蒋王街道", "（整个街道）")]


def test_the_page_runs_on_an_empty_database(tmp_path, monkeypatch, fresh_caches):
    from cockpit.web import widgets
    monkeypatch.setenv("COCKPIT_DB", str(tmp_path / "nothing-yet"))
    at = open_areas()
    assert [i.value for i in at.info] == [widgets.EMPTY_MESSAGE]


def test_the_wall_shows_the_area_board(area_store):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["as_of"], at.query_params["screen"] = "2026-06-10", "big"
    at.run()
    at.switch_page("pages/areas.py").run()
    assert not at.exception
    boards = [e.proto.body for e in at.get("html") if "wall-board" in e.proto.body]
    assert boards and "乙片区" in boards[0] and "李强" in boards[0]
    assert len(at.main.get("arrow_data_frame")) == 0


def test_the_demo_city_has_thirteen_areas_and_unassigned_streets(demo_store, monkeypatch, fresh_caches):
    from tests.demo_world import DEMO_END
    monkeypatch.setenv("COCKPIT_DB", str(demo_store))
    at = open_areas(as_of=DEMO_END.isoformat())
    table = next(df.value for df in at.dataframe if "rank_shown" in df.value.columns)
    assert len(table) == 14 and table["area"].iloc[-1] == "未划片区"
    assert table["leader"].iloc[:13].notna().all()
    assert table.loc[table["area"] != "未划片区", "rank_shown"].str.startswith("第").all()
    rejects = table_of(demo_store, "select reason from import_rejects join imports using (import_id) "
                                   "where dataset = 'responsibility'")
    assert rejects == [("街道“幸福街道”已在第 2 行划入片区“第一片区”，本行又划入片区“第二片区”：一个地方只能属于一个片区",)]
    grids = next(df.value for df in at.dataframe if "grid_chief" in df.value.columns)
    assert grids["count_grid_patrol"].sum() > 0


def table_of(store, sql: str) -> list[tuple]:
    con = duckdb.connect(str(versions.current_file(store)), read_only=True, config=queries.CONFIG)  # as the app's reader
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# ---- a district login sees the city's ranks -------------------------------------------------------

def test_the_district_viewer_sees_the_city_ranks(area_store):
    from cockpit.web import city_ranks
    path = versions.current_file(area_store)
    city, district = readers.open_reader(path), readers.open_reader(path, district="广陵区")
    params = {"as_of": TINY_AS_OF, "due_soon_days": 3, "weeks": 1,
              "rules": {**RULES, "min_sample": 3, "place_pools": True}}  # 蒋王街道 (4 problems) is scored
    try:
        city_rows = readers.run(city, "unit_ranking", **params)
        inside = readers.run(district, "unit_ranking", **params)
        seen = city_ranks.ranks_for_district(city, district, "广陵区", "unit_ranking", params)
    finally:
        city.close()
        district.close()

    def ranks(frame, pool):
        return dict(zip(*[frame.loc[frame["pool"] == pool, c] for c in ("unit_name", "rank")]))
    # the city ranks 蒋王街道 (邗江区) first; recomputed inside 广陵区 its two streets move up one place
    assert ranks(city_rows, "street") == {"蒋王街道": 1, "汶河街道": 2, "东关街道": 3}
    assert ranks(inside, "street") == {"汶河街道": 1, "东关街道": 2}
    assert ranks(seen, "street") == {"汶河街道": 2, "东关街道": 3}
    kept = seen.set_index(["pool", "unit_name"])
    for row in city_rows.itertuples():
        if (row.pool, row.unit_name) in kept.index:
            score = kept.loc[(row.pool, row.unit_name), "score"]
            assert score == row.score or (score != score and row.score != row.score)  # both NaN: not scored
    assert set(kept.index) == {
        ("street", "东关街道"), ("street", "汶河街道"), ("district", "广陵区"), ("area", "甲片区"), ("area", "乙片区"),
        ("community", "东关街道·东关社区"), ("community", "汶河街道·汶河社区"), ("community", "汶河街道·文昌社区")}
    # 乙片区 spans both districts: the viewer sees its city rank
    assert ranks(seen, "area") == ranks(city_rows, "area") == {"甲片区": 1, "乙片区": 2}


def test_the_brief_names_the_leaders_of_black_listed_areas(area_store):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["as_of"] = "2026-06-10"
    at.run()
    at.switch_page("pages/brief.py").run()
    assert not at.exception
    texts = [m.value for m in at.markdown]
    assert "**黑榜片区的包抓领导**  \n**乙片区　李强**　黑榜" in texts


# ---- the monthly failing-points ranking by each of the four roles -----------------------------------

def test_failing_points_summed_by_owning_department_and_territorial_unit(tiny_con):
    from cockpit.vocab import points
    # At D the month's ranking holds PT03 (1 failure, 1 overdue, 1 open) and PT04 (0, 1, 3).
    tiny_con.execute("update points set owner_department = case when point_id in ('PT03', 'PT04') then '市城管局' "
                     "else '市市场监管局' end, territorial_unit = street")
    base = {"as_of": TINY_AS_OF, "due_soon_days": 3, "pass_score": 85.0,
            "point_filters": points.NO_FILTERS}

    def owners(owner):
        frame = readers.run(tiny_con, "point_month_owners", owner=owner, **base)
        return [tuple(r) for r in frame[["rank", "owner_name", "count_points", "count_points_ranked", "count_failures",
                                         "count_overdue", "count_open", "point_names", "is_new"]].itertuples(index=False)]
    assert owners("owner_department") == [(1, "市城管局", 2, 2, 1, 2, 4, "文昌广场、东关街", True)]
    # each street holds two points; in May PT02 and PT01 were ranked, so neither street is new
    assert owners("territorial_unit") == [(1, "汶河街道", 2, 1, 1, 1, 1, "文昌广场", False),
                                          (2, "东关街道", 2, 1, 0, 1, 3, "东关街", False)]


def test_the_import_preview_counts_new_and_existing_places(tmp_path):
    from cockpit.ingest import staging
    from cockpit.ingest.mapping import available_mappings
    store = tmp_path / "db"
    first = write_csv(tmp_path / "责任体系_20260601.csv", HEADERS, [
        ["第一片区", "王明", "", "", "东关街道", "", "", "", ""],
        ["第一片区", "", "", "", "东关街道", "东关社区", "东关一网格", "周红", ""]])
    _import([first], store)
    second = write_csv(tmp_path / "责任体系_20260608.csv", HEADERS, [
        ["第一片区", "王明", "", "", "东关街道", "", "", "", ""],
        ["第二片区", "李强", "", "", "汶河街道", "", "", "", ""]])
    con = readers.open_reader(versions.current_file(store))
    try:
        previews = staging.preview_files([second], con, available_mappings(user_dir=tmp_path / "none"), SETTINGS)
    finally:
        con.close()
    assert staging.change_lines(previews[0]) == ["新增 1 条，更新已有的 1 条"]


def test_a_district_login_sees_the_city_ranks_on_the_rankings_page(tiny_db_dir, tmp_path, monkeypatch, fresh_caches):
    from cockpit.web import access
    monkeypatch.setenv("COCKPIT_DB", str(tiny_db_dir))
    monkeypatch.setenv(access.USERS_ENV, access.account_entry("赵强", "secret-123456", "viewer", "广陵区"))
    conf = tmp_path / "settings.toml"  # 蒋王街道 (邗江区, 4 problems) scored: first in the city
    conf.write_text((ROOT / "settings.toml").read_text(encoding="utf-8").replace("min_sample = 5", "min_sample = 3"),
                    encoding="utf-8")
    monkeypatch.setenv("COCKPIT_SETTINGS", str(conf))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["as_of"] = "2026-06-10"
    at.session_state[access.SESSION_KEY] = access.load_users()["赵强"]
    at.run()
    at.switch_page("pages/rankings.py").run()
    assert not at.exception
    table = next(df.value for df in at.dataframe if "trend" in df.value.columns)
    # the city's ranks 2 and 3, as the bulletin reads them; not 1 and 2 recomputed inside 广陵区
    assert dict(zip(table["unit_name"], table["rank"])) == {"汶河街道": 2, "东关街道": 3}


def test_the_weekly_bulletin_gains_the_area_ranking(tiny_con):
    import io

    import openpyxl

    from cockpit.outputs import bulletin
    from cockpit.vocab import filters
    _with_areas(tiny_con)
    weeks = readers.run(tiny_con, "unit_ranking", as_of=TINY_AS_OF, due_soon_days=3, weeks=1,
                   rules={**RULES, "place_pools": True})
    summary = readers.run(tiny_con, "progress_summary", as_of=TINY_AS_OF, due_soon_days=3, filters=filters.NO_FILTERS)
    overdue = readers.run(tiny_con, "problem_list", as_of=TINY_AS_OF, due_soon_days=3, filters=filters.NO_FILTERS,
                     list_kind="overdue", dimension="", group_name="", search="", stale_days=7, limit=100)
    book = openpyxl.load_workbook(io.BytesIO(bulletin.bulletin_xlsx(
        "示范市", TINY_AS_OF, summary.iloc[0].to_dict(), weeks[weeks["weeks_back"] == 0], overdue, [])))
    assert "片区排名" in book.sheetnames and "社区/村排名" not in book.sheetnames
    rows = list(book["片区排名"].iter_rows(min_row=2, values_only=True))
    assert [r[:2] for r in rows] == [(1, "甲片区"), (2, "乙片区")]


def test_townships_apart_is_saved_from_the_settings_page(tmp_path, monkeypatch, fresh_caches):
    from cockpit.settings import load_settings
    from cockpit.web import access
    conf = tmp_path / "settings.toml"
    conf.write_bytes((ROOT / "settings.toml").read_bytes())
    monkeypatch.setenv("COCKPIT_SETTINGS", str(conf))
    monkeypatch.setenv("COCKPIT_DB", str(tmp_path / "db"))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.session_state[access.SESSION_KEY] = access.User("王丽", "staff", None)
    at.run()
    at.switch_page("pages/settings.py").run()
    at.checkbox(key="setting:ranking.townships_apart").uncheck()
    [button] = [b for b in at.button if b.label == "保存排名规则"]
    button.click().run()
    assert not at.exception
    assert "townships_apart = false" in conf.read_text(encoding="utf-8")
    assert load_settings(conf).townships_apart is False


def test_one_areas_record_exports_to_one_workbook(tiny_con):
    import io

    import openpyxl

    from cockpit.outputs import area_export
    _with_areas(tiny_con)
    tiny_con.execute("update problems set description = '=HYPERLINK(\"http://evil.example\")' where problem_id = 'P08'")
    args = {"as_of": TINY_AS_OF, "due_soon_days": 3, "area": "乙片区"}
    data = area_export.area_record_xlsx(
        "乙片区", readers.run(tiny_con, "area_overdue", **args), readers.run(tiny_con, "area_points", pass_score=85.0, **args),
        readers.run(tiny_con, "area_places", **args), readers.run(tiny_con, "area_grids", **args),
        [("统计日期", "2026-06-10"), ("片区", "乙片区"), ("包抓领导", "李强")])
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["逾期问题", "未达标点位", "街道社区", "网格", "说明"]
    overdue = list(book["逾期问题"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1]) for r in overdue] == [(8, "P08")]
    cell = book["逾期问题"]["I2"]  # text, not a formula: Excel's quote-prefix style, no apostrophe in the cell
    assert (cell.value, cell.data_type, cell.quotePrefix) == ('=HYPERLINK("http://evil.example")', "s", True)
    assert [r[1] for r in book["未达标点位"].iter_rows(min_row=2, values_only=True)] == ["文昌广场"]
    assert book["网格"]["A2"].value == "责任体系中没有列出网格"
    assert [tuple(r) for r in book["说明"].iter_rows(values_only=True)][2] == ("包抓领导", "李强")
