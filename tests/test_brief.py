"""会议要点 on the tiny world (D = 2026-06-10, a Wednesday): every figure counted by hand."""

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from cockpit.store import readers, versions
from tests.browser import ROOT
from tests.conftest import TINY_AS_OF, rows


@pytest.fixture
def tiny(tiny_db_dir, monkeypatch):
    monkeypatch.setenv("COCKPIT_DB", str(tiny_db_dir))
    st.cache_data.clear()
    st.cache_resource.clear()


def test_due_this_week(tiny_con):
    # The week of D runs Monday 06-08 to Sunday 06-14: P15 (06-09, overdue since), P16 (D), P17 (D+1,
    # still open at D), P18 (06-13), P13 (06-14). P19 (06-12) closed on D; P12 and P07 fall due 06-15.
    df = readers.run(tiny_con, "due_this_week", as_of=TINY_AS_OF, due_soon_days=3)
    assert rows(df[["problem_id", "days_overdue"]]) == [("P15", 1), ("P16", None), ("P17", None), ("P18", None),
                                                        ("P13", None)]


def test_the_brief_on_the_tiny_world(tiny):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["as_of"] = TINY_AS_OF.isoformat()
    at.run()
    at.switch_page("pages/brief.py").run()
    assert not at.exception
    shown = {m.label: m.value for m in at.metric}
    assert shown["距省级测评"] == "222 天"
    assert (shown["逾期问题"], shown["本周到期（未销号）"], shown["无责任单位的问题"]) == ("3", "5", "0")
    overdue = [df.value for df in at.dataframe if "days_overdue" in df.value.columns][0]
    assert overdue["problem_id"].tolist() == ["P08", "P11", "P15"]
    markdown = "\n".join(m.value for m in at.markdown)
    assert "**东关街道**　第 2 名，下降 1 名" in markdown  # first a week earlier, when it was alone
    assert "没有连续两周及以上列入黑榜的单位。" in [c.value for c in at.caption]


def test_staff_assign_three_problems_and_the_next_brief_follows_them_up(tiny, tiny_db_dir):
    from datetime import date

    from cockpit.ingest import staging
    from cockpit.web import access

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["as_of"] = TINY_AS_OF.isoformat()
    at.session_state[access.SESSION_KEY] = access.User("王丽", "staff", None)
    at.run()
    at.switch_page("pages/brief.py").run()
    assert not at.exception
    at.date_input(key="assign_meeting_on").set_value(date(2026, 6, 3))
    at.text_input(key="assign_meeting_name").set_value("第一次调度会")
    at.date_input(key="assign_due_on").set_value(date(2026, 6, 8))
    at.multiselect(key="assign_problems").set_value(["P08", "P11", "P16"])
    at.button(key="FormSubmitter:assign_form-交办").click().run()
    assert not at.exception
    assert any("已保存" in s.value for s in at.success)
    # At D the meeting of 06-03 is the last one before: 3 items, none done, all three past 06-08.
    shown = {m.label: m.value for m in at.metric}
    assert (shown["交办"], shown["已完成"], shown["逾期未完成"]) == ("3", "0", "3")
    from cockpit.vocab import definitions

    assert [label for label in shown if definitions.find(label) is None] == []
    units = [df.value for df in at.dataframe if "count_unfinished" in df.value.columns][0]
    assert rows(units[["unit_name", "count_items", "count_overdue"]]) == [
        ("东关街道", 2, 2), ("汶河街道", 1, 1), ("合计", 3, 3)]
    log = readers.run(readers.open_reader(versions.current_file(tiny_db_dir)), "import_history")
    assert log[log["is_last_batch"]]["imported_by"].tolist() == ["王丽"]
    staging.undo_last_import(tiny_db_dir, "王丽", keep_versions=5)
    at.run()
    assert "交办" not in {m.label for m in at.metric}


def test_staff_assign_a_matter_and_mark_it_done(tiny, tiny_db_dir):
    from datetime import date

    from cockpit.web import access

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["as_of"] = TINY_AS_OF.isoformat()
    at.session_state[access.SESSION_KEY] = access.User("王丽", "staff", None)
    at.run()
    at.switch_page("pages/brief.py").run()
    at.date_input(key="assign_meeting_on").set_value(date(2026, 6, 3))
    at.date_input(key="assign_due_on").set_value(date(2026, 6, 5))
    at.selectbox(key="assign_matter_unit").set_value("东关街道")
    at.text_area(key="assign_matters").set_value("清理东关街小广告\n整治飞线充电")
    at.button(key="FormSubmitter:assign_form-交办").click().run()
    assert not at.exception
    shown = {m.label: m.value for m in at.metric}
    assert (shown["交办"], shown["已完成"], shown["逾期未完成"]) == ("2", "0", "2")
    reader = readers.open_reader(versions.current_file(tiny_db_dir))
    items = readers.run(reader, "meeting_items", as_of=TINY_AS_OF, meeting_on=date(2026, 6, 3), meeting_name="调度会")
    reader.close()
    first = items.loc[items["matter"] == "清理东关街小广告", "item_id"].tolist()
    at.multiselect(key="mark_done_items").set_value(first)
    at.date_input(key="mark_done_on").set_value(date(2026, 6, 4))
    at.button(key="FormSubmitter:mark_done_form-标记完成").click().run()
    assert not at.exception
    shown = {m.label: m.value for m in at.metric}
    assert (shown["交办"], shown["已完成"], shown["逾期未完成"], shown["完成率"]) == ("2", "1", "1", "50.0%")


def test_the_brief_wall_names_the_indicators_losing_most_and_the_red_tasks(tiny_db_dir, monkeypatch):
    import duckdb

    from cockpit.store import queries
    from tests.conftest import TINY_STORE_FILE

    con = duckdb.connect(str(tiny_db_dir / TINY_STORE_FILE), config=queries.CONFIG)
    # Open at D: 占道经营 P13, P20 (1 point each, cap 2) -> 2.0; 乱堆乱放 P11, P12, P16 (0.5 each) -> 1.5.
    con.execute("""insert into indicators values ('2.1', '道路秩序', '实地测评', 2, null, '占道经营', 1, 1, 1),
                                                 ('3.1', '市场环境', '实地测评', 5, null, '乱堆乱放', 0.5, 2, 1)""")
    # 老旧小区: a milestone past its date, not done; 公厕提升: 50% done against 90% by the calendar.
    con.execute("""insert into tasks values
        ('老旧小区', '市住建局', '工程', '2026-03-01', '2026-09-30', '主体', '2026-06-01', false, null, 1, 1),
        ('公厕提升', '市城管局', '工程', '2026-06-01', '2026-06-11', null, null, null, 0.5, 2, 1)""")
    con.execute("checkpoint")
    con.close()
    monkeypatch.setenv("COCKPIT_DB", str(tiny_db_dir))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["as_of"], at.query_params["screen"] = TINY_AS_OF.isoformat(), "big"
    at.run()
    at.switch_page("pages/brief.py").run()
    assert not at.exception
    wall = "".join(element.proto.body for element in at.get("html"))
    assert ("<div class='wall-title'>失分最多的指标</div><div class='wall-lines'>"
            "<div class='wall-line'><b>2.1 道路秩序</b>　预计失分 2.0</div>"
            "<div class='wall-line'><b>3.1 市场环境</b>　预计失分 1.5</div></div>") in wall
    assert ("<div class='wall-title'>亮红灯的重点任务（2 项）</div><div class='wall-lines'>"
            "<div class='wall-line'><b>老旧小区</b>　市住建局</div>"
            "<div class='wall-line'><b>公厕提升</b>　市城管局</div></div>") in wall
