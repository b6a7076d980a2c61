"""回头看 page through AppTest on the tiny store with a round of re-checks written by staff, and on an
empty store. D is 2026-06-10; the re-checks are those of tests/test_meeting_loop.py."""

from datetime import datetime

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from cockpit import definitions, staff_writes, ui
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
    assert [i.value for i in at.info] == [ui.EMPTY_MESSAGE]
