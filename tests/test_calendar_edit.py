"""Editing the assessment calendar on the settings page: only the milestones array of settings.toml
is rewritten, a bad row is refused with a message naming it, and the change is logged and shown."""

import re
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from cockpit import settings as settings_module
from cockpit.settings import Milestone, SettingsError, load_settings
from cockpit.settings_edit import CHANGE_LOG_NAME, save_milestones
from cockpit.web import access
from tests.browser import ROOT
from tests.conftest import TEST_SETTINGS

COMMITTED = TEST_SETTINGS
AS_OF = "2027-02-01"  # after 省级测评 (2027-01-18), before 网申材料报送截止 (2027-02-26)
ADDED = {"name": "省级复查", "date": "2027-02-10", "kind": "省测", "note": "省文明办回头看"}


pytestmark = pytest.mark.usefixtures("fresh_caches")  # tests/conftest.py


@pytest.fixture
def settings_file(tmp_path, monkeypatch) -> Path:
    """A copy of the committed settings in its own folder, used by the app, and an empty store."""
    folder = tmp_path / "conf"
    folder.mkdir()
    path = folder / "settings.toml"
    path.write_bytes(COMMITTED.read_bytes())
    monkeypatch.setenv("COCKPIT_SETTINGS", str(path))
    monkeypatch.setenv("COCKPIT_DB", str(tmp_path / "nothing-yet"))
    return path


def committed_rows() -> list[dict]:
    return [{"name": m.name, "date": m.on, "kind": m.kind, "note": m.note} for m in load_settings(COMMITTED).milestones]


def outside_the_array(text: str) -> tuple[str, str]:
    """The file before `milestones = [` and after the array's closing bracket line."""
    start = text.index("milestones = [") + len("milestones = ")
    end = text.index("\n]", start) + 2
    return text[:start], text[end:]


def log_lines(path: Path) -> list[str]:
    log = path.parent / CHANGE_LOG_NAME
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


# ---- save_milestones ----------------------------------------------------------------------------

def test_saving_the_same_calendar_writes_nothing(settings_file):
    before = settings_file.read_bytes()
    save_milestones(settings_file, committed_rows())
    assert settings_file.read_bytes() == before
    assert log_lines(settings_file) == []


def test_only_the_milestones_array_changes(settings_file):
    old = settings_file.read_text(encoding="utf-8")
    save_milestones(settings_file, [*committed_rows(), ADDED])
    new = settings_file.read_text(encoding="utf-8")
    assert new != old
    assert outside_the_array(new) == outside_the_array(old)  # every comment and other setting, byte for byte
    assert '    { name = "省级复查", date = "2027-02-10", kind = "省测", note = "省文明办回头看" },\n' in new


def test_a_saved_calendar_loads_back_equal(settings_file):
    rows = committed_rows()
    rows[3]["date"] = date(2027, 3, 29)   # 全国文明城市实地测评 moved a week
    del rows[2]                            # 问卷调查 dropped
    rows.insert(0, {"name": " 省级复查 ", "date": "2027-02-10", "kind": "省测", "note": None})  # out of order
    save_milestones(settings_file, rows)
    assert load_settings(settings_file).milestones == (
        Milestone("省级测评", date(2027, 1, 18), "省测", "省文明办组织，窗口期一周"),
        Milestone("省级复查", date(2027, 2, 10), "省测", ""),
        Milestone("网申材料报送截止", date(2027, 2, 26), "网申材料截止", "材料覆盖上一年度"),
        Milestone("全国文明城市实地测评", date(2027, 3, 29), "实地测评", "目标日期，3月份国测"),
    )


def test_quotes_backslashes_and_line_breaks_survive(settings_file):
    note = '“回头看”\n带 "引号" 和 \\ 反斜杠\t'
    save_milestones(settings_file, [{**ADDED, "note": note}])
    assert [m.note for m in load_settings(settings_file).milestones] == [note]


def test_an_empty_calendar_and_back(settings_file):
    save_milestones(settings_file, [])
    assert "milestones = []\n" in settings_file.read_text(encoding="utf-8")
    assert load_settings(settings_file).milestones == ()
    save_milestones(settings_file, committed_rows())
    assert settings_file.read_bytes() == COMMITTED.read_bytes()


def test_empty_editor_rows_are_skipped_but_counted(settings_file):
    blank = {"name": None, "date": float("nan"), "kind": None, "note": ""}
    with pytest.raises(SettingsError, match="^第 3 行：类型应为"):
        save_milestones(settings_file, [ADDED, blank, {**ADDED, "kind": "国测"}])
    save_milestones(settings_file, [ADDED, blank])
    assert [m.name for m in load_settings(settings_file).milestones] == ["省级复查"]


def test_a_windows_file_keeps_its_line_endings(settings_file):
    settings_file.write_bytes(COMMITTED.read_bytes().replace(b"\n", b"\r\n"))
    old = settings_file.read_bytes().decode("utf-8")
    save_milestones(settings_file, [*committed_rows(), ADDED])
    new = settings_file.read_bytes().decode("utf-8")
    assert "\n" not in new.replace("\r\n", "")
    start = old.index("milestones = [")
    assert new[:start] == old[:start]
    assert new[new.index("\r\n]\r\n", start):] == old[old.index("\r\n]\r\n", start):]


@pytest.mark.parametrize("row,message", [
    ({**ADDED, "date": "2027-02-30"}, "第 2 行：日期无效：'2027-02-30'（应为 YYYY-MM-DD）"),
    ({**ADDED, "date": None}, "第 2 行：日期未填写（应为 YYYY-MM-DD）"),
    ({**ADDED, "kind": "国测"}, "第 2 行：类型应为 实地测评、网申材料截止、问卷调查、省测、其他 之一，现为 '国测'"),
    ({**ADDED, "kind": None}, "第 2 行：类型未选择（应为 实地测评、网申材料截止、问卷调查、省测、其他 之一）"),
    ({**ADDED, "name": "  "}, "第 2 行：节点名称不能为空"),
])
def test_a_bad_row_is_refused_and_nothing_is_written(settings_file, row, message):
    before = settings_file.read_bytes()
    with pytest.raises(SettingsError) as refused:
        save_milestones(settings_file, [ADDED, row])
    assert str(refused.value) == message
    assert settings_file.read_bytes() == before
    assert sorted(p.name for p in settings_file.parent.iterdir()) == ["settings.toml"]  # no log, no temp file


def test_a_calendar_written_another_way_is_left_to_hand_editing(settings_file):
    text = COMMITTED.read_text(encoding="utf-8")
    start, end = text.index("milestones = ["), text.index("\n]\n") + 3
    tables = '[[calendar.milestones]]\nname = "省级测评"\ndate = "2027-01-18"\nkind = "省测"\n'
    settings_file.write_text(text[:start] + text[end:] + "\n" + tables, encoding="utf-8")
    before = settings_file.read_bytes()
    with pytest.raises(SettingsError, match=r"milestones = \[ … \] 写法特殊，无法在页面上修改；请直接编辑该文件"):
        save_milestones(settings_file, [ADDED])
    assert settings_file.read_bytes() == before


def test_a_file_that_fails_its_check_after_writing_is_restored(settings_file, monkeypatch):
    before = settings_file.read_bytes()
    real_load = settings_module.load_settings
    calls = []

    def load_then_fail(path=None):
        calls.append(path)
        if len(calls) == 2:  # the check after writing
            raise SettingsError("设置项 thresholds.due_soon_days 缺失")
        return real_load(path)

    monkeypatch.setattr(settings_module, "load_settings", load_then_fail)
    with pytest.raises(SettingsError, match="^保存后设置文件未通过检查，已恢复原文件：设置项 thresholds.due_soon_days 缺失$"):
        save_milestones(settings_file, [ADDED])
    assert settings_file.read_bytes() == before
    assert log_lines(settings_file) == []


def test_every_save_is_logged(settings_file):
    rows = committed_rows()
    save_milestones(settings_file, [*rows, ADDED])
    rows[0]["date"], rows[1]["note"] = date(2027, 1, 20), "材料覆盖上一年度及本年度"
    save_milestones(settings_file, rows)
    stamp = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\t"
    lines = log_lines(settings_file)
    assert len(lines) == 2
    assert re.fullmatch(stamp + "测评日程：4 → 5 个节点；新增“省级复查”（2027-02-10，省测）", lines[0])
    assert re.fullmatch(stamp + "测评日程：5 → 4 个节点；修改“省级测评”（日期 2027-01-18 → 2027-01-20）；"
                        "修改“网申材料报送截止”（说明）；删除“省级复查”（2027-02-10）", lines[1])


# ---- the settings page --------------------------------------------------------------------------

def open_app(page: str | None = None) -> AppTest:
    """A fresh app, as after a restart: new session, caches cleared."""
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["as_of"] = AS_OF
    at.session_state[access.SESSION_KEY] = access.User("测试员", "staff", None)  # the page is staff-only
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception
    return at


def edit_and_save(at: AppTest, added: list[dict], deleted: list[int] = ()) -> AppTest:
    """What a user does in the table (AppTest takes the edits as the editor's state), then 保存."""
    at.session_state["calendar_editor"] = {"edited_rows": {}, "added_rows": added, "deleted_rows": list(deleted)}
    at.run()
    [save] = [b for b in at.button if b.label == "保存"]
    save.click().run()
    assert not at.exception
    return at


def test_the_settings_page_shows_the_calendar_and_what_is_done(settings_file):
    at = open_app("pages/settings.py")
    [editor] = at.data_editor
    assert editor.editing_mode == "dynamic"
    assert editor.value[["name", "status"]].values.tolist() == [
        ["省级测评", "已完成"], ["网申材料报送截止", "下一个"], ["问卷调查", "未到"], ["全国文明城市实地测评", "未到"]]
    assert at.header[0].value == "设置"


def test_an_edit_saved_on_the_page_survives_a_restart(settings_file):
    at = edit_and_save(open_app("pages/settings.py"), [ADDED], deleted=[2])  # add 省级复查, drop 问卷调查
    assert [s.value for s in at.success] == ["已保存测评日程（4 个节点），各页面已按新日程显示。"]
    assert at.data_editor[0].value["name"].tolist() == ["省级测评", "省级复查", "网申材料报送截止", "全国文明城市实地测评"]
    assert len(log_lines(settings_file)) == 1

    frame = open_app()  # restarted, on the default page: the frame's countdown
    assert {m.label: m.value for m in frame.metric}["距省级复查"] == "9 天"
    countdown = open_app("pages/countdown.py")
    assert [m.label for m in countdown.metric][0] == "距省级复查（2027年02月10日）"
    calendars = [df.value for df in countdown.dataframe if "on_date" in df.value.columns]
    assert calendars[0]["name"].tolist() == ["省级测评", "省级复查", "网申材料报送截止", "全国文明城市实地测评"]


def test_a_bad_row_on_the_page_is_refused_with_its_message(settings_file):
    before = settings_file.read_bytes()
    at = edit_and_save(open_app("pages/settings.py"), [{**ADDED, "date": None}])
    assert [e.value for e in at.error] == ["未保存。第 5 行：日期未填写（应为 YYYY-MM-DD）"]
    assert settings_file.read_bytes() == before
    assert log_lines(settings_file) == []


def test_a_running_session_sees_a_save_at_once(settings_file):
    at = open_app("pages/countdown.py")
    assert at.metric[0].label == "距网申材料报送截止（2027年02月26日）"
    save_milestones(settings_file, [*committed_rows(), ADDED])  # saved from another session
    at.run()  # no restart, no cache clearing: the settings are cached on the file's time and inode
    assert at.metric[0].label == "距省级复查（2027年02月10日）"


def test_a_save_from_another_session_is_not_overwritten(settings_file):
    at = open_app("pages/settings.py")
    at.session_state["calendar_editor"] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [0]}
    at.run()  # this session deletes 省级测评 in its table ...
    save_milestones(settings_file, [*committed_rows(), ADDED])  # ... while a colleague saves 省级复查
    other = settings_file.read_bytes()
    [save] = [b for b in at.button if b.label == "保存"]
    save.click().run()
    assert [w.value for w in at.warning] == [
        "测评日程刚被他人修改并保存，表格已换成最新的内容，你在此之前的修改没有保存。请核对后重新修改、保存。"]
    assert not at.success and settings_file.read_bytes() == other
    assert at.data_editor[0].value["name"].tolist() == [
        "省级测评", "省级复查", "网申材料报送截止", "问卷调查", "全国文明城市实地测评"]
    at = edit_and_save(at, [], deleted=[0])  # redone on the fresh table, the save goes through
    assert not at.warning and len(at.success) == 1
    assert [m.name for m in load_settings(settings_file).milestones][0] == "省级复查"
