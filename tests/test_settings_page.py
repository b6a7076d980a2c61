"""The 设置 page beyond the calendar: ranking rules, thresholds and map tiles, checked by the settings
file's own rules (the exact message, nothing written), saved line by line and logged with who."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from cockpit.settings import SettingsError, load_settings
from cockpit.settings_edit import save_values
from cockpit.web import access
from tests.browser import ROOT
from tests.test_calendar_edit import log_lines, settings_file  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("fresh_caches")  # tests/conftest.py

STAMP = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\t"


def changed_lines(before: bytes, after: bytes) -> list[tuple[str, str]]:
    old, new = before.decode().splitlines(), after.decode().splitlines()
    assert len(old) == len(new)
    return [(a, b) for a, b in zip(old, new) if a != b]


def open_settings_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.session_state[access.SESSION_KEY] = access.User("王丽", "staff", None)
    at.run()
    at.switch_page("pages/settings.py").run()
    assert not at.exception
    return at


def submit(at: AppTest, label: str) -> AppTest:
    [button] = [b for b in at.button if b.label == label]
    button.click().run()
    assert not at.exception
    return at


def test_a_negative_weight_is_refused_with_the_rule_message(settings_file):
    before = settings_file.read_bytes()
    at = open_settings_page()
    at.number_input(key="setting:ranking.weights.closure_rate").set_value(-5.0)
    submit(at, "保存排名规则")
    assert [e.value for e in at.error] == ["未保存。设置项 ranking.weights.closure_rate（权重：销号率）应不小于 0，现为 -5"]
    assert settings_file.read_bytes() == before and log_lines(settings_file) == []


def test_a_black_threshold_above_the_red_one_is_refused(settings_file):
    before = settings_file.read_bytes()
    at = open_settings_page()
    at.number_input(key="setting:ranking.black_closure_rate").set_value(0.95)
    submit(at, "保存排名规则")
    assert [e.value for e in at.error] == ["未保存。设置项 ranking.black_closure_rate（黑榜销号率门槛）不应高于 ranking.red_closure_rate"]
    assert settings_file.read_bytes() == before


def test_all_zero_weights_are_refused(settings_file):
    at = open_settings_page()
    for name in ("closure_rate", "on_time_rate", "overdue_per_100", "rebound_rate", "inspection_score"):
        at.number_input(key=f"setting:ranking.weights.{name}").set_value(0.0)
    submit(at, "保存排名规则")
    assert [e.value for e in at.error] == ["未保存。设置项 ranking.weights 的权重之和应大于 0"]


def test_a_good_weight_rewrites_one_line_and_is_logged_with_who(settings_file):
    before = settings_file.read_bytes()
    at = open_settings_page()
    at.number_input(key="setting:ranking.weights.closure_rate").set_value(40.0)
    at.number_input(key="setting:ranking.red_n").set_value(5)
    submit(at, "保存排名规则")
    assert [s.value for s in at.success] == [
        "已保存，各页面已按新设置显示：权重：销号率（ranking.weights.closure_rate）35 → 40；红榜名额（ranking.red_n）3 → 5"]
    assert changed_lines(before, settings_file.read_bytes()) == [
        ("weights = { closure_rate = 35, on_time_rate = 25, overdue_per_100 = 20, rebound_rate = 10, inspection_score = 10 }",
         "weights = { closure_rate = 40, on_time_rate = 25, overdue_per_100 = 20, rebound_rate = 10, inspection_score = 10 }"),
        ("red_n = 3", "red_n = 5"),
    ]
    saved = load_settings(settings_file)
    assert saved.ranking_weights["closure_rate"] == 40 and saved.red_n == 5
    [line] = log_lines(settings_file)
    assert re.fullmatch(STAMP + "权重：销号率（ranking.weights.closure_rate）35 → 40；红榜名额（ranking.red_n）3 → 5"
                        "\t操作人：王丽", line)
    assert at.number_input(key="setting:ranking.red_n").value == 5  # redrawn from the saved file


def test_thresholds_are_checked_and_saved(settings_file):
    at = open_settings_page()
    at.number_input(key="setting:thresholds.bad_row_share").set_value(1.5)
    submit(at, "保存阈值")
    assert [e.value for e in at.error] == ["未保存。设置项 thresholds.bad_row_share（整个文件不导入的坏行占比）应在 0 到 1 之间，现为 1.5"]
    at.number_input(key="setting:thresholds.bad_row_share").set_value(0.2)
    at.number_input(key="setting:thresholds.stale_days").set_value(10)
    submit(at, "保存阈值")
    assert not at.error
    assert load_settings(settings_file).stale_days == 10
    assert "stale_days = 10\n" in settings_file.read_text(encoding="utf-8")


def test_map_tiles_are_saved_and_a_bad_crs_is_refused(settings_file):
    at = open_settings_page()
    at.text_input(key="setting:map.tiles").input("http://tiles.intranet/{z}/{x}/{y}.png")
    at.selectbox(key="setting:map.tiles_crs").set_value("gcj02")
    submit(at, "保存地图设置")
    saved = load_settings(settings_file)
    assert (saved.map_tiles, saved.map_tiles_crs) == ("http://tiles.intranet/{z}/{x}/{y}.png", "gcj02")
    at.text_input(key="setting:map.tiles").input(" ")
    submit(at, "保存地图设置")
    assert [e.value for e in at.error] == ["未保存。设置项 map.tiles（底图瓦片地址）应为非空文字，现为 ''"]


def test_nothing_changed_writes_nothing(settings_file):
    before = settings_file.read_bytes()
    at = submit(open_settings_page(), "保存阈值")
    assert [i.value for i in at.info] == ["没有修改，未保存。"]
    assert settings_file.read_bytes() == before and log_lines(settings_file) == []


def test_a_trailing_comment_on_a_line_is_kept(settings_file):
    text = settings_file.read_text(encoding="utf-8").replace("stale_days = 7\n", "stale_days = 7  # 一周\n")
    settings_file.write_text(text, encoding="utf-8")
    save_values(settings_file, {"thresholds.stale_days": 14})
    assert "stale_days = 14  # 一周\n" in settings_file.read_text(encoding="utf-8")


def test_a_value_written_over_several_lines_is_left_to_hand_editing(settings_file):
    text = settings_file.read_text(encoding="utf-8").replace("center = [34.27, 108.95]", "center = [\n    34.27,\n    108.95,\n]")
    settings_file.write_text(text, encoding="utf-8")
    before = settings_file.read_bytes()
    with pytest.raises(SettingsError, match=r"map.center 的写法特殊，无法在页面上修改；请直接编辑该文件"):
        save_values(settings_file, {"map.center": [34.3, 108.9]})
    assert settings_file.read_bytes() == before


def test_the_assessment_targets_are_saved_and_a_negative_rank_refused(settings_file):
    before = settings_file.read_bytes()
    at = open_settings_page()
    at.number_input(key="setting:assessment.target_rank").set_value(-1)
    submit(at, "保存总评目标")
    assert [e.value for e in at.error] == [
        "未保存。设置项 assessment.target_rank（目标名次（全省前 N 名，0 为不设））应在 0 到 1000 之间，现为 -1"]
    assert settings_file.read_bytes() == before
    at.number_input(key="setting:assessment.target_rank").set_value(8)
    at.number_input(key="setting:assessment.target_total").set_value(86.5)
    submit(at, "保存总评目标")
    assert [s.value for s in at.success] == ["已保存，各页面已按新设置显示：三年总评目标分（assessment.target_total）85.0 → 86.5；"
                                             "目标名次（全省前 N 名，0 为不设）（assessment.target_rank）10 → 8"]
    assert changed_lines(before, settings_file.read_bytes()) == [("target_total = 85.0", "target_total = 86.5"),
                                                                 ("target_rank = 10", "target_rank = 8")]
    saved = load_settings(settings_file)
    assert (saved.target_total, saved.target_rank) == (86.5, 8)


def test_a_file_without_a_target_rank_gains_its_line_when_one_is_saved(settings_file):
    lines = settings_file.read_text(encoding="utf-8").splitlines(keepends=True)
    older = "".join(line for line in lines if "target_rank" not in line and "目标名次" not in line)  # comment and line
    settings_file.write_text(older, encoding="utf-8")
    assert load_settings(settings_file).target_rank == 0
    at = open_settings_page()
    assert at.number_input(key="setting:assessment.target_rank").value == 0
    at.number_input(key="setting:assessment.target_rank").set_value(12)
    submit(at, "保存总评目标")
    assert not at.error
    assert settings_file.read_text(encoding="utf-8") == older.replace("target_total = 85.0\n",
                                                                      "target_total = 85.0\ntarget_rank = 12\n")
    assert load_settings(settings_file).target_rank == 12
    [line] = log_lines(settings_file)
    assert line.endswith("目标名次（全省前 N 名，0 为不设）（assessment.target_rank）（未设置） → 12\t操作人：王丽")
