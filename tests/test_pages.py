"""Every page through AppTest: on an empty store and on the demo city, with the as-of date from the URL."""

import pytest
from streamlit.testing.v1 import AppTest

from cockpit.store import readers, versions
from cockpit.vocab.filters import NO_FILTERS
from cockpit.web import widgets
from tests.browser import ROOT
from tests.conftest import TEST_SETTINGS
from tests.demo_world import DEMO_END, demo_exports, demo_store  # noqa: F401 (fixtures)
from tests.test_import import SETTINGS

PAGES = ["pages/progress.py", "pages/hotspots.py", "pages/rankings.py", "pages/countdown.py", "pages/points.py",
         "pages/settings.py", "pages/login.py", "pages/areas.py"]
D = DEMO_END.isoformat()


def open_page(page: str | None, as_of: str | None = D) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    if as_of:
        at.query_params["as_of"] = as_of
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def metrics(at: AppTest) -> dict:
    return {m.label: m.value for m in at.metric}


pytestmark = pytest.mark.usefixtures("fresh_caches")  # tests/conftest.py


@pytest.fixture
def empty_store(tmp_path, monkeypatch):
    monkeypatch.setenv("COCKPIT_DB", str(tmp_path / "nothing-yet"))


@pytest.fixture
def demo(demo_store, monkeypatch):
    monkeypatch.setenv("COCKPIT_DB", str(demo_store))
    return demo_store


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_an_empty_database(empty_store, page):
    at = open_page(page)
    assert not at.exception
    if page not in ("pages/countdown.py", "pages/settings.py", "pages/login.py"):  # these need no imported data
        assert [i.value for i in at.info] == [widgets.EMPTY_MESSAGE]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_the_demo_city(demo, page):
    at = open_page(page)
    assert not at.exception
    assert not at.error


def test_frame_shows_title_stamp_and_countdown(demo):
    at = open_page(None)
    assert at.title[0].value == "示范市创建全国文明城市驾驶舱"
    assert "数据截至" in at.markdown[0].value
    # 2026-06-30 to the first milestone in settings.toml, 2027-01-18: 202 days.
    assert metrics(at)["距省级测评"] == "202 天"


def test_progress_headline_figures_come_from_the_summary_query(demo):
    at = open_page("pages/progress.py")
    summary = readers.run(readers.open_reader(versions.current_file(demo)), "progress_summary", as_of=widgets.date.fromisoformat(D),
                     due_soon_days=3, filters=NO_FILTERS).to_dict("records")[0]
    shown = metrics(at)
    assert shown["问题总数"] == f"{summary['count_found']:,}"
    assert shown["已销号"] == f"{summary['count_closed']:,}"
    assert shown["销号率"] == f"{summary['closure_rate']:.1%}"
    assert shown["在办"] == f"{summary['count_open']:,}"
    assert shown["逾期"] == f"{summary['count_overdue']:,}"
    assert shown["按期整改率"] == f"{summary['on_time_rate']:.1%}"
    assert shown["反弹"] == f"{summary['count_rebound']:,}"


def test_as_of_in_the_url_changes_every_figure(demo):
    early, late = metrics(open_page("pages/progress.py", "2026-05-01")), metrics(open_page("pages/progress.py"))
    assert early["问题总数"] != late["问题总数"]


def test_a_bad_as_of_falls_back_to_today_with_a_warning(demo):
    at = open_page("pages/progress.py", "2026-02-30")
    assert "as_of=2026\\-02\\-30 无法识别" in at.warning[0].value  # Markdown source: shows as 2026-02-30
    assert not at.exception


@pytest.fixture
def tiny(tiny_db_dir, monkeypatch):
    monkeypatch.setenv("COCKPIT_DB", str(tiny_db_dir))


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_the_tiny_world(tiny, page):
    at = open_page(page, "2026-06-10")
    assert not at.exception
    assert not at.error


def test_progress_headline_on_the_tiny_world(tiny):
    shown = {m.label: (m.value, m.delta) for m in open_page("pages/progress.py", "2026-06-10").metric}
    # tiny.sql at D = 2026-06-10 against D-7 = 2026-06-03 (hand counts in test_queries.py)
    assert shown["问题总数"] == ("20", "+4")            # 20 found by D, 16 by D-7
    assert shown["已销号"] == ("8", "+2")               # 8 closed, 6 a week earlier
    assert shown["销号率"] == ("40.0%", "+2.5 个百分点")  # 8/20 against 6/16
    assert shown["在办"] == ("12", "+2")
    assert shown["逾期"] == ("3", "+2")
    assert shown["按期整改率"] == ("40.0%", "-20.0 个百分点")  # 4/10 against 3/5
    assert shown["反弹"] == ("3", "0")


def open_progress(query: dict) -> AppTest:
    """The progress page of the tiny world at D, opened from a bookmarked URL."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["as_of"] = "2026-06-10"
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    return at


def listed_problems(at: AppTest) -> list[str]:
    """The problem ids of the page's problem list (the second table, after the breakdown)."""
    lists = [df.value for df in at.dataframe if "problem_id" in df.value.columns and "days_overdue" in df.value.columns]
    return lists[0]["problem_id"].tolist() if lists else []


def test_filters_from_the_url_narrow_every_figure(tiny):
    at = open_progress({"unit": ["市城管局", "汶河街道"]})
    shown = metrics(at)
    assert (shown["问题总数"], shown["已销号"], shown["在办"], shown["逾期"]) == ("11", "4", "7", "2")
    assert at.caption[0].value == "筛选条件：责任单位：市城管局、汶河街道"
    assert listed_problems(at) == ["P08", "P15"]  # the overdue list, filtered
    # Under the figures, the way down to the chasing list, with the filtered count.
    assert "<a href='#problem-list'>转到问题清单（逾期 2 个）↓</a>" in [h.proto.body for h in at.get("html")]


def test_found_date_range_from_the_url(tiny):
    at = open_progress({"found": ["2026-06-01", "2026-06-05"]})
    assert metrics(at)["问题总数"] == "7"  # P12..P18


def test_a_filter_matching_nothing_says_so(tiny):
    at = open_progress({"district": "邗江区", "source": "自查"})
    assert [i.value for i in at.info] == ["没有符合筛选条件的问题。可在左侧调整或清除筛选。"]


@pytest.mark.parametrize("list_label,expected", [
    ("逾期", ["P08", "P11", "P15"]),
    ("即将到期", ["P16", "P17", "P18"]),
    ("退回重改", ["P08"]),
    ("长期未更新", ["P09", "P11", "P16"]),
])
def test_each_list_from_the_url(tiny, list_label, expected):
    assert listed_problems(open_progress({"list": list_label})) == expected


def test_drill_down_to_a_group_from_the_url(tiny):
    at = open_progress({"by": "责任单位", "group": "市城管局", "list": "全部问题"})
    assert listed_problems(at) == ["P04", "P09", "P10", "P13", "P20"]
    assert "**责任单位“市城管局”的问题 5 个**" in [m.value for m in at.markdown]


def test_search_from_the_url(tiny):
    assert listed_problems(open_progress({"list": "全部问题", "q": "垃圾桶"})) == ["P05", "P15"]


def test_a_problem_record_and_its_history_from_the_url(tiny):
    at = open_progress({"problem": "P08"})
    record = "\n".join(m.value for m in at.markdown)
    assert "**问题描述**：公益广告未更新" in record
    assert "**状态**：退回" in record
    assert "**逾期天数**：8" in record
    history = [df.value for df in at.dataframe if "export_on" in df.value.columns][0]
    assert history["status"].tolist() == ["待复核", "退回"]
    assert history["file_name"].notna().all()


def test_an_unknown_problem_says_so(tiny):
    at = open_progress({"problem": "P99"})
    assert any("找不到问题 P99" in w.value for w in at.warning)


def test_drill_down_to_a_place_from_the_url(tiny):
    at = open_progress({"by": "地点", "group": "东关街", "list": "全部问题"})
    assert listed_problems(at) == ["P01", "P10", "P11", "P12"]


def test_from_a_problem_to_every_problem_of_its_place(tiny):
    at = open_progress({"problem": "P11"})
    [button] = [b for b in at.button if b.label == "查看“东关街”的全部问题"]
    button.click().run()
    assert not at.exception
    assert listed_problems(at) == ["P01", "P10", "P11", "P12"]
    assert "**地点“东关街”的问题 4 个**" in [m.value for m in at.markdown]


def test_empty_charts_say_what_is_missing(tiny):
    at = open_progress({"category": "公益广告", "found": ["2026-06-05", "2026-06-10"]})  # P17 only: open, never closed
    assert metrics(at)["问题总数"] == "1"
    assert "还没有销号的问题，暂无整改用时。" in [i.value for i in at.info]
    at = open_progress({"unit": "市城管局", "category": "非机动车乱停"})  # P04 only: closed
    assert "没有在办问题，无需亮灯。" in [i.value for i in at.info]


# ---- 单位排名 on the tiny world (hand counts in test_queries.py) ---------------------------------

def open_rankings(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["as_of"] = "2026-06-10"
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/rankings.py").run()
    assert not at.exception
    return at


def ranking_table(at: AppTest) -> list[tuple]:
    table = [df.value for df in at.dataframe if "rank" in df.value.columns and "trend" in df.value.columns][0]
    return [(r.unit_name, None if r.score != r.score else round(r.score, 1), r.change, r.mark)
            for r in table.itertuples()]


def test_rankings_of_the_streets(tiny):
    at = open_rankings()
    assert ranking_table(at) == [("汶河街道", 70.0, "", "红榜"), ("东关街道", 55.0, "变差1", "黑榜"),
                                 ("蒋王街道", None, "", "样本不足")]
    lists = [m.value for m in at.markdown if "红榜" in m.value or "黑榜" in m.value]
    assert lists[:2] == ["#### :green-background[红榜]　汶河街道", "#### :red-background[黑榜]　东关街道"]
    assert any("问题不足 5 个的单位标“样本不足”" in m.value for m in at.markdown)  # the formula, from settings


def test_rankings_of_departments_and_districts(tiny):
    assert ranking_table(open_rankings({"pool": "市直部门"})) == [("市城管局", 100.0, "", "")]
    assert ranking_table(open_rankings({"pool": "区县"})) == [("广陵区", 62.5, "–", ""), ("邗江区", None, "", "样本不足")]


def test_rankings_open_on_departments_when_no_unit_is_a_street(tmp_path, monkeypatch):
    from cockpit.ingest.writing import import_files
    from cockpit.vocab.ranking import EMPTY_POOL_WHY
    from tests.test_import import HEADERS_A, ROW_A, SETTINGS, write_csv

    row = dict(zip(HEADERS_A, ROW_A))
    rows = [[{**row, "问题编号": f"D{i}", "街道": "", "责任单位": ("市城管局", "市住建局")[i % 2],
              "整改状态": ("已销号", "待整改")[i % 3 == 0]}[h] for h in HEADERS_A] for i in range(12)]
    store = tmp_path / "db"
    assert import_files([write_csv(tmp_path / "部门台账_20260510.csv", HEADERS_A, rows)], db_directory=store,
                        settings=SETTINGS).ok
    monkeypatch.setenv("COCKPIT_DB", str(store))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["as_of"] = "2026-05-10"
    at.run()
    at.switch_page("pages/rankings.py").run()
    assert not at.exception
    assert at.segmented_control(key="pool").value == "department"
    assert sorted(name for name, *_ in ranking_table(at)) == ["市住建局", "市城管局"]
    at.segmented_control(key="pool").set_value("street").run()
    label = "街道" if SETTINGS.townships_apart else "街道乡镇"  # 乡镇 ranked apart: the pool holds only 街道
    assert [i.value for i in at.info] == [f"截至 2026年05月10日，{label}中没有交办问题的单位。{EMPTY_POOL_WHY['street']}"]


def test_a_weights_change_in_settings_changes_the_ranking(tiny, tmp_path, monkeypatch):
    text = TEST_SETTINGS.read_text(encoding="utf-8").replace(
        "weights = { closure_rate = 35, on_time_rate = 25, overdue_per_100 = 20, rebound_rate = 10, inspection_score = 10 }",
        "weights = { inspection_score = 10 }")
    assert "weights = { inspection_score = 10 }" in text
    (tmp_path / "settings.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("COCKPIT_SETTINGS", str(tmp_path / "settings.toml"))
    # Only the inspection score counts: 东关街道 (82.33) beats 汶河街道 (76).
    assert ranking_table(open_rankings())[:2] == [("东关街道", 100.0, "–", "红榜"), ("汶河街道", 0.0, "", "黑榜")]


def test_why_a_unit_moved(tiny):
    at = open_rankings({"who": "东关街道"})
    why = [df.value for df in at.dataframe if "points_now" in df.value.columns][0]
    assert why[["points_now", "points_then"]].round(1).values.tolist() == [
        [0.0, 35.0], [25.0, 25.0], [20.0, 20.0], [0.0, 10.0], [10.0, 10.0]]  # alone a week earlier: full marks
    changes = [df.value for df in at.dataframe if "change_kind" in df.value.columns][0]
    assert changes[["change_kind", "problem_id"]].values.tolist() == [["本周新增逾期", "P11"]]


def test_the_printable_scorecard(tiny):
    at = open_rankings({"card": "东关街道"})
    shown = metrics(at)
    pool = "街道排名" if SETTINGS.townships_apart else "街道乡镇排名"  # 乡镇 ranked apart: the pool is 街道
    assert (shown[pool], shown["得分"], shown["问题数"], shown["逾期"]) == ("第 2 名", "55.0", "5", "1")
    assert [m.delta for m in at.metric if m.label == pool] == ["-1 名"]
    # Static tables, which print every row (a data grid prints only the rows in view).
    overdue = [t.value for t in at.table if "问题编号" in t.value.columns][0]
    assert overdue[["逾期天数", "问题编号", "整改时限"]].values.tolist() == [["5", "P11", "2026-06-05"]]
    assert not at.dataframe
    back = [link for link in at.get("page_link")]
    assert [b.proto.label for b in back] == ["← 返回单位排名"]


def test_a_scorecard_for_a_unit_without_problems_says_so(tiny):
    at = open_rankings({"card": "市市场监管局"})
    assert any("没有交办的问题" in w.value for w in at.warning)


# ---- 测评倒计时 on the tiny world (hand counts in test_countdown.py and test_queries.py) ----------

def test_countdown_on_the_tiny_world(tiny):
    at = open_page("pages/countdown.py", "2026-06-10")
    assert not at.exception
    shown = metrics(at)
    assert shown["距省级测评（2027年01月18日）"] == "222 天"          # settings.toml's first milestone
    assert shown["在办问题"] == "12"
    assert shown["近 28 天日均销号"] == "0.2"                         # 6 closed since 05-14
    assert shown["按期清零需日均销号"] == "0.1"                       # 12 / 222
    assert shown["按当前速度清零日期"] == "2026-08-05"                 # D + 12 * 28 / 6 = 56 days
    late = [df.value for df in at.dataframe if "days_past_milestone" in df.value.columns][0]
    assert late["unit_name"].tolist() == ["东关街道"]                  # closed nothing in 28 days: never clears
    assert (shown["应报材料"], shown["已报送"], shown["审核通过"], shown["逾期未报"]) == ("9", "5", "2", "2")
    assert shown["知晓率（目标 90%）"] == "92.0%"                      # round 2, 05-20; round 3 is after D
    assert shown["参与率（目标 85%）"] == "80.0%"
    risk = [df.value for df in at.dataframe if "points_at_risk" in df.value.columns][0]
    assert risk["points_at_risk"].round(2).tolist() == [18.52, 30.88, 0.22]


def test_countdown_with_zero_pace_says_so(tiny):
    at = open_page("pages/countdown.py", "2026-07-20")  # nothing closed in the 28 days before (the last on 06-11)
    assert metrics(at)["按当前速度清零日期"] == "销号停滞，无法预计"


# ---- 热点地图 on the tiny world (hand counts in test_queries.py) --------------------------------

def test_hotspots_list_and_a_focused_place(tiny):
    at = open_page("pages/hotspots.py", "2026-06-10")
    places = [df.value for df in at.dataframe if "count_open_change" in df.value.columns][0]
    assert places["label"].tolist()[:3] == ["东关街", "汶河街道（无点位）", "邗江公园"]
    # P20 is open with no location; P06 P14 P20 have none of 20; PT05 has no coordinates.
    assert at.caption[0].value == ("在办问题中有 1 个没有可用位置，未画在图上（全部问题中无位置 3 / 20）。"
                                   "1 个点位没有坐标，未画在图上。")


def test_hotspots_focus_from_the_url_lists_the_place_problems(tiny):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["as_of"] = "2026-06-10"
    at.query_params["place"] = "point:PT04"
    at.run()
    at.switch_page("pages/hotspots.py").run()
    assert not at.exception
    assert any(s.value.startswith("东关街的问题（4 个") for s in at.subheader)
    listed = [df.value for df in at.dataframe if "is_rebound" in df.value.columns][0]
    assert listed["problem_id"].tolist() == ["P11", "P10", "P12", "P01"]
