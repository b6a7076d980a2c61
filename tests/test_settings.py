"""The settings file is checked at start: a bad value names its key; the committed file is valid."""

from pathlib import Path

import pytest

from cockpit.settings import SettingsError, load_settings

COMMITTED = Path(__file__).resolve().parent.parent / "settings.toml"


def with_change(tmp_path: Path, old: str, new: str) -> Path:
    text = COMMITTED.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "settings.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_the_committed_settings_are_valid():
    settings = load_settings(COMMITTED)
    assert settings.title == "示范市创建全国文明城市驾驶舱"
    assert (settings.due_soon_days, settings.stale_days, settings.pace_days) == (3, 7, 28)
    assert settings.inspection_stale_days == 60
    assert [m.kind for m in settings.milestones] == ["省测", "网申材料截止", "问卷调查", "实地测评"]
    assert settings.ranking_weights == {"closure_rate": 35, "on_time_rate": 25, "overdue_per_100": 20,
                                        "rebound_rate": 10, "inspection_score": 10}


@pytest.mark.parametrize("old,new,message", [
    ("due_soon_days = 3", 'due_soon_days = "三"', "设置项 thresholds.due_soon_days 应为整数"),
    ('pages = ["brief"', 'pages = ["wall"', "设置项 screen.pages 应为页面列表"),
    ("interval_seconds = 60", "interval_seconds = 5", "设置项 screen.interval_seconds 应在 10 到 3600 之间"),
    ("stale_days = 7", "stale_days = 0", "设置项 thresholds.stale_days 应在 1 到 365 之间"),
    ("inspection_stale_days = 60", "inspection_stale_days = 0",
     "设置项 thresholds.inspection_stale_days 应在 1 到 365 之间"),
    ("inspection_stale_days = 60", "inspection_stale_days = 60.5", "设置项 thresholds.inspection_stale_days 应为整数"),
    ("bad_row_share = 0.2", "bad_row_share = 1.5", "设置项 thresholds.bad_row_share 应在 0 到 1 之间"),
    ('date = "2027-01-18"', 'date = "2027-02-30"', "设置项 calendar.milestones[0].date 日期无效"),
    ('kind = "省测"', 'kind = "国测"', "设置项 calendar.milestones[0].kind 应为"),
    ('list_rule = "top_n"', 'list_rule = "best"', "设置项 ranking.list_rule 应为 top_n、threshold 之一"),
    ("closure_rate = 35", "closure_ratio = 35", "设置项 ranking.weights.closure_ratio 不认识"),
    ('tiles_crs = "wgs84"', 'tiles_crs = "bd09"', "设置项 map.tiles_crs 应为 wgs84、gcj02 之一"),
    ("center = [34.27, 108.95]", "center = [108.95]", "设置项 map.center 应为 [纬度, 经度]"),
    ('city_name = "示范市"', "", "设置项 city_name 缺失"),
    ("black_closure_rate = 0.85", "black_closure_rate = 0.95", "black_closure_rate 不应高于"),
    ("login_days = 7", "login_days = 1.5", "设置项 access.login_days 应为整数"),
    ("login_days = 7", "login_days = 400", "设置项 access.login_days 应在 0 到 365 之间"),
    ("target_rank = 10", "target_rank = -1", "设置项 assessment.target_rank 应在 0 到 1000 之间"),
    ("target_rank = 10", "target_rank = 2.5", "设置项 assessment.target_rank 应为整数"),
    ("target_rank = 10", 'target_rank = "前十"', "设置项 assessment.target_rank 应为整数"),
])
def test_a_bad_value_names_its_key(tmp_path, old, new, message):
    with pytest.raises(SettingsError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_settings(with_change(tmp_path, old, new))


def test_broken_toml_names_the_file(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text("city_name = ", encoding="utf-8")
    with pytest.raises(SettingsError, match="格式有误"):
        load_settings(path)


def test_a_file_without_login_days_keeps_logins_a_week(tmp_path):
    assert load_settings(COMMITTED).login_days == 7
    assert load_settings(with_change(tmp_path, "login_days = 7", "")).login_days == 7
    assert load_settings(with_change(tmp_path, "login_days = 7", "login_days = 0")).login_days == 0


def test_the_target_rank_is_optional_and_zero_turns_it_off(tmp_path):
    assert load_settings(COMMITTED).target_rank == 10
    assert load_settings(with_change(tmp_path, "target_rank = 10", "")).target_rank == 0
    assert load_settings(with_change(tmp_path, "target_rank = 10", "target_rank = 0")).target_rank == 0
