"""回头看 page through AppTest on the tiny store with a round of re-checks written by staff, and on an
empty store. D is 2026-06-10; the re-checks are those of tests/test_meeting_loop.py."""

from datetime import datetime

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from cockpit.ingest import staff_writes
from cockpit.vocab import definitions
from cockpit.web import widgets
from tests.browser import ROOT
from tests.conftest import TINY_AS_OF

pytestmark = pytest.mark.usefixtures("fresh_caches")


def open_rechecks() -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["as_of"] = TINY_AS_OF.isoformat()
    at.run()
    at.switch_page("pages/rechecks.py").run()
    return at


def test_rechecks_page_figures(tiny_app):
    results = pd.DataFrame({
        "problem_id": ["P02", "P01", "P05"],
        "rechecked_at": [datetime(2026, 6, 8, 9), datetime(2026, 6, 8, 10), datetime(2026, 6, 8, 11)],
        "result": ["not_done", "done", "done"], "round_name": ["第一轮回头看"] * 3})
    staff_writes.write_rows(tiny_app, "rechecks", results, written_by="王丽", action="回头看复查结果 3 条")
    at = open_rechecks()
    assert not at.exception
    shown = {m.label: m.value for m in at.metric}
    assert shown == {"最近一轮复查": "3", "整改到位率": "66.7%", "假性整改（仍在办）": "1", "已销号但从未复查": "5"}
    assert all(definitions.find(label).page == "回头看" for label in shown)  # 口径说明 explains each
    rates = [d.value for d in at.dataframe if "count_rebound" in d.value.columns][0]
    assert rates["unit_name"].tolist() == ["东关街道", "汶河街道", "全部单位"]
    # Closed in the last 30 days and never re-checked since: P03 P04 P06 P14 P19 (P02 is open again).
    candidates = [d.value for d in at.dataframe if "closed_at" in d.value.columns][-1]
    assert sorted(candidates["problem_id"]) == ["P03", "P04", "P06", "P14", "P19"]


def test_rechecks_page_on_an_empty_store(tmp_path, monkeypatch):
    monkeypatch.setenv("COCKPIT_DB", str(tmp_path / "nothing-yet"))
    at = open_rechecks()
    assert not at.exception
    assert [i.value for i in at.info] == [widgets.EMPTY_MESSAGE]


def test_staff_record_a_talk_on_the_scorecard(tiny_app):
    from cockpit.store import readers, versions
    from cockpit.web import access

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["as_of"] = TINY_AS_OF.isoformat()
    at.query_params["card"] = "东关街道"
    at.session_state[access.SESSION_KEY] = access.User("王丽", "staff", None)
    at.run()
    at.switch_page("pages/rankings.py").run()
    assert not at.exception
    # 东关街道 is on the black list in its first week: the default ladder brings a talk.
    assert "按黑榜升级规则：**由分管领导予以约谈**" in [m.value for m in at.markdown]
    at.text_input(key="talk_reason").set_value("首次列入黑榜")
    at.button(key="FormSubmitter:talk_form-保存约谈记录").click().run()
    assert not at.exception
    assert "**约谈记录（已约谈 1 次）**" in [m.value for m in at.markdown]
    reader = readers.open_reader(versions.current_file(tiny_app))
    try:
        log = readers.run(reader, "import_history")
        assert log[log["is_last_batch"]][["dataset", "imported_by"]].values.tolist() == [["talks", "王丽"]]
    finally:
        reader.close()


def test_staff_assign_a_units_overdue_problems_from_its_scorecard(tiny_app):
    from datetime import date

    from cockpit.store import readers, versions
    from cockpit.web import access

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["as_of"] = TINY_AS_OF.isoformat()
    at.query_params["card"] = "汶河街道"
    at.session_state[access.SESSION_KEY] = access.User("王丽", "staff", None)
    at.run()
    at.switch_page("pages/rankings.py").run()
    at.date_input(key="card_meeting_on").set_value(date(2026, 6, 3))
    at.multiselect(key="card_problems").set_value(["P08", "P15"])  # its two overdue problems
    at.button(key="FormSubmitter:card_assign_form-交办").click().run()
    assert not at.exception
    items = [t.value for t in at.table if "交办问题（事项）" in t.value.columns][0]
    assert items["问题编号"].tolist() == ["P08", "P15"]  # now listed as its unfinished meeting items
    reader = readers.open_reader(versions.current_file(tiny_app))
    try:
        units = readers.run(reader, "meeting_units", as_of=TINY_AS_OF, meeting_on=date(2026, 6, 3), meeting_name="调度会")
        assert units[["unit_name", "count_items"]].values.tolist() == [["汶河街道", 2], ["合计", 2]]
    finally:
        reader.close()


def test_staff_assign_a_problem_from_its_record_on_the_progress_page(tiny_app):
    from datetime import date

    from cockpit.store import readers, versions
    from cockpit.web import access

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["as_of"] = TINY_AS_OF.isoformat()
    at.query_params["problem"] = "P11"  # 东关街道's overdue problem
    at.session_state[access.SESSION_KEY] = access.User("王丽", "staff", None)
    at.run()
    at.date_input(key="record_meeting_on").set_value(date(2026, 6, 3))
    at.date_input(key="record_due_on").set_value(date(2026, 6, 8))
    at.button(key="FormSubmitter:record_assign_form-交办").click().run()
    assert not at.exception and not at.error
    reader = readers.open_reader(versions.current_file(tiny_app))
    try:
        items = readers.run(reader, "meeting_items", as_of=TINY_AS_OF, meeting_on=date(2026, 6, 3), meeting_name="调度会")
        assert items[["problem_id", "unit_name", "is_done", "is_overdue"]].values.tolist() == [["P11", "东关街道", False, True]]
        log = readers.run(reader, "import_history")
        assert log["imported_by"].iloc[0] == "王丽"
    finally:
        reader.close()


def test_staff_enter_a_result_and_the_problem_is_open_again(tiny_app):
    from cockpit.web import access

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["as_of"] = TINY_AS_OF.isoformat()
    at.session_state[access.SESSION_KEY] = access.User("王丽", "staff", None)
    at.run()
    at.switch_page("pages/rechecks.py").run()
    at.multiselect(key="results_problems").set_value(["P19"])  # 汶河街道, closed on D
    at.radio(key="results_result").set_value("not_done")
    at.button(key="FormSubmitter:recheck_results_form-保存复查结果").click().run()
    assert not at.exception
    shown = {m.label: m.value for m in at.metric}
    assert (shown["最近一轮复查"], shown["整改到位率"], shown["假性整改（仍在办）"]) == ("1", "0.0%", "1")


def test_a_reopened_problems_record_shows_its_recheck(tiny_app):
    results = pd.DataFrame({"problem_id": ["P02"], "rechecked_at": [datetime(2026, 6, 8, 9)], "result": ["not_done"],
                            "round_name": ["第一轮回头看"]})
    staff_writes.write_rows(tiny_app, "rechecks", results, written_by="王丽", action="回头看复查结果 1 条")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["as_of"] = TINY_AS_OF.isoformat()
    at.query_params["problem"] = "P02"
    at.run()
    assert not at.exception
    text = "\n".join(m.value for m in at.markdown)
    assert "**状态**：退回" in text  # closed 05-06, open again from the re-check of 06-08
    assert "**调度会交办和回头看复查**" in text
    loop = [d.value for d in at.dataframe if "event_kind" in d.value.columns][0]
    assert loop[["event_kind", "result"]].values.tolist() == [["回头看复查", "未到位"]]
