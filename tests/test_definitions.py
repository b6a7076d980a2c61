"""口径说明: every st.metric label the pages show (run on the tiny world) has a definition, and the page
shows the settings each figure depends on with their current values."""

import ast

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from cockpit.settings import load_settings
from cockpit.vocab import definitions
from cockpit.web import access
from tests.browser import ROOT
from tests.conftest import TEST_SETTINGS, TINY_AS_OF

# Each page, with the URL that makes it show all its figures on the tiny world.
PAGE_RUNS = [
    (None, {}),
    ("pages/progress.py", {}),
    ("pages/hotspots.py", {}),
    ("pages/rankings.py", {"card": "东关街道"}),  # the printable scorecard holds its figures
    ("pages/countdown.py", {}),
    ("pages/points.py", {}),
    ("pages/brief.py", {}),
    ("pages/quality.py", {}),
    ("pages/definitions.py", {}),
    ("pages/settings.py", {}),
    ("pages/areas.py", {"area": "未划片区"}),  # one area's record holds its figures (the tiny world has no areas)
]


@pytest.fixture(autouse=True)
def fresh_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield


def run_page(page, url) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["as_of"] = TINY_AS_OF.isoformat()
    at.query_params.update(url)
    at.session_state[access.SESSION_KEY] = access.User("王丽", "staff", None)
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception
    return at


@pytest.mark.parametrize("page,url", PAGE_RUNS)
def test_every_metric_a_page_shows_has_a_definition(tiny_db_dir, monkeypatch, page, url):
    monkeypatch.setenv("COCKPIT_DB", str(tiny_db_dir))
    shown = [m.label for m in run_page(page, url).metric]
    if page in ("pages/progress.py", "pages/countdown.py", "pages/points.py", "pages/brief.py", "pages/quality.py",
                "pages/rankings.py", None):
        assert shown, f"{page} showed no figures on the tiny world: the check would prove nothing"
    assert [label for label in shown if definitions.find(label) is None] == []


def static_metric_labels() -> list[tuple[str, str]]:
    """Every plain-text first argument of a .metric(...) call in the pages and the frame."""
    found = []
    for path in [ROOT / "dashboard.py", *sorted((ROOT / "pages").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "metric"
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.append((path.name, node.args[0].value))
    return found


def test_every_fixed_metric_label_in_the_code_has_a_definition():
    labels = static_metric_labels()
    assert ("imports.py", "读取行数") in labels or not (ROOT / "pages" / "imports.py").exists()
    assert [(page, label) for page, label in labels if definitions.find(label) is None] == []


def test_the_headline_figures_of_progress_are_defined_for_that_page():
    for label in ("问题总数", "已销号", "销号率", "在办", "逾期", "按期整改率", "反弹"):
        assert definitions.find(label).page == "整改进度"


def test_patterns_match_the_labels_with_names_and_numbers():
    assert definitions.find("距全国文明城市实地测评").settings == ("calendar.milestones",)
    assert definitions.find("距省级测评（2027年01月18日）").page == "测评倒计时"
    assert definitions.find("近 28 天日均销号").settings == ("thresholds.pace_days",)
    assert definitions.find("知晓率（目标 90%）").settings == ("survey_targets",)
    assert definitions.find("从未或超过 60 天未检查").settings == ("thresholds.inspection_stale_days",)
    assert definitions.find("街道乡镇排名").page == "单位排名"


def test_every_setting_named_has_a_current_value():
    settings = load_settings(TEST_SETTINGS)
    for figure in definitions.FIGURES:
        for key in figure.settings:
            assert definitions.setting_value(settings, key), key
    assert definitions.setting_value(settings, "ranking.weights") == (
        "销号率 35、按期整改率 25、每百件逾期数 20、反弹率 10、点位测评均分 10")
    assert definitions.setting_value(settings, "thresholds.stale_days") == "7"


def test_the_page_shows_the_current_values(tiny_db_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("COCKPIT_DB", str(tiny_db_dir))
    conf = tmp_path / "settings.toml"
    conf.write_text(TEST_SETTINGS.read_text(encoding="utf-8").replace("stale_days = 7", "stale_days = 12"),
                    encoding="utf-8")
    monkeypatch.setenv("COCKPIT_SETTINGS", str(conf))
    at = run_page("pages/definitions.py", {})
    text = "\n".join(m.value for m in at.markdown)
    assert "- **长期未更新**：在办问题连续若干天没有任何一次导入显示它有变化。  \n  相关设置：长期未更新（天）（thresholds.stale_days）= 12" in text
    assert [s.value for s in at.subheader][:3] == ["页头", "整改进度", "热点地图"]
    at.text_input(key="definitions_search").input("达标").run()
    assert [s.value for s in at.subheader] == ["测评倒计时", "测评点位", "片区与网格"]
