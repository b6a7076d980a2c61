"""会议要点 on the tiny world (D = 2026-06-10, a Wednesday): every figure counted by hand."""

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from cockpit.store import readers
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
