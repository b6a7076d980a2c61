"""Rates on laptop tables: one decimal (84.8%), as the wall and the bulletin write them, through
widgets.rate_column and widgets.table. What Chromium draws is in tests/test_rates_browser.py."""

import json
import math
import re
from datetime import date, datetime

import pytest
from streamlit.testing.v1 import AppTest

from cockpit.settings import PROJECT_DIR
from tests.browser import ROOT
from tests.conftest import TINY_AS_OF

pytestmark = pytest.mark.usefixtures("fresh_caches")

RATE_NUMBER = {"type": "number", "format": "percent", "step": 0.001}
RATE_BAR = {"type": "progress", "format": "percent", "step": 0.001, "min_value": 0, "max_value": 1}


def table_app():
    """A hand-made table of rates: 0.8479 and 0.2875 are where rounding and Streamlit's cutting differ."""
    import pandas as pd
    import streamlit as st

    from cockpit.web import widgets

    frame = pd.DataFrame({"unit_name": ["甲", "乙", "丙", "丁"], "closure_rate": [0.8479, 0.2875, 2 / 3, None],
                          "on_time_rate": [0.5, 0.0625, 1.0, 0.0]})
    widgets.table(st, frame, {"unit_name": "单位", "closure_rate": widgets.rate_column("销号率", bar=True),
                              "on_time_rate": widgets.rate_column("按期整改率")}, hide_index=True)
    st.session_state["after"] = frame["closure_rate"].tolist()


def columns_of(table) -> dict:
    return json.loads(table.proto.columns or "{}")


def test_a_table_sends_each_rate_rounded_as_fmt_pct_writes_it():
    from cockpit.web import fmt

    at = AppTest.from_function(table_app).run()
    assert not at.exception
    shown = at.dataframe[0].value
    rates = [None if math.isnan(v) else v for v in shown["closure_rate"]]
    assert rates == [0.848, 0.287, 0.667, None]
    assert shown["on_time_rate"].tolist() == [0.5, 0.062, 1.0, 0.0]
    # The same figures as the wall's and the bulletin's text (0.2875 is 28.7%, not numpy's 0.288).
    assert [fmt.pct(v) for v in (0.8479, 0.2875, 2 / 3, 0.0625)] == ["84.8%", "28.7%", "66.7%", "6.2%"]
    columns = columns_of(at.dataframe[0])
    assert columns["closure_rate"] == {"label": "销号率", "type_config": RATE_BAR}
    assert columns["on_time_rate"] == {"label": "按期整改率", "type_config": RATE_NUMBER}
    # Only the copy sent to the browser is rounded: an export made from the frame keeps the exact rates.
    assert at.session_state["after"][:3] == [0.8479, 0.2875, 2 / 3]


def test_no_page_builds_a_percent_column_of_its_own():
    """Streamlit's own "percent" shows two decimals (84.79%) and cuts a rate given a step, so every rate
    column is made by widgets.rate_column."""
    found = [f"{path.relative_to(PROJECT_DIR)}:{number}"
             for folder in ("pages", "cockpit") for path in sorted((PROJECT_DIR / folder).rglob("*.py"))
             if path.name != "widgets.py"
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"format\s*=\s*['\"]percent['\"]", line)]
    assert found == []


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["as_of"] = TINY_AS_OF.isoformat()
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    return at


def percent_columns(at: AppTest) -> list[tuple]:
    """(column label, its type_config, the values sent) of every percent column on a page, table by table."""
    found = []
    for table in at.dataframe:
        for name, config in columns_of(table).items():
            if config.get("type_config", {}).get("format") == "percent":
                found.append((config["label"], config["type_config"], [None if v != v else v for v in table.value[name]]))
    return found


def write_rechecks(store) -> None:
    """The re-checks of tests/test_rechecks_page.py: P01 and P05 rectified, P02 not (2 of 3 done)."""
    import pandas as pd

    from cockpit.ingest import staff_writes

    results = pd.DataFrame({
        "problem_id": ["P02", "P01", "P05"],
        "rechecked_at": [datetime(2026, 6, 8, 9), datetime(2026, 6, 8, 10), datetime(2026, 6, 8, 11)],
        "result": ["not_done", "done", "done"], "round_name": ["第一轮回头看"] * 3})
    staff_writes.write_rows(store, "rechecks", results, written_by="王丽", action="回头看复查结果 3 条")


def write_meeting_items(store) -> None:
    """A meeting on 06-03: 汶河街道 is given P05 and P06 (both closed by D) and P08 (open); 东关街道 P12 (open)."""
    import pandas as pd

    from cockpit.ingest import staff_writes

    items = pd.DataFrame({"item_id": ["M1-001", "M1-002", "M1-003", "M1-004"], "meeting_on": [date(2026, 6, 3)] * 4,
                          "meeting_name": ["第一次调度会"] * 4, "problem_id": ["P05", "P06", "P08", "P12"],
                          "matter": [None] * 4, "unit_name": ["汶河街道", "汶河街道", "汶河街道", "东关街道"],
                          "due_on": [date(2026, 6, 8)] * 4})
    staff_writes.write_rows(store, "assignments", items, written_by="王丽", action="第一次调度会交办 4 项")


# Every rate column of every page on the tiny world at D, table by table, as the browser receives it.
SHOWN = {
    # The breakdown by unit (tests/test_queries.py BREAKDOWNS["unit"]): 汶河 东关 市城管局 蒋王.
    "pages/progress.py": [("销号率", RATE_BAR, [0.5, 0.4, 0.2, 0.5]),
                          ("按期整改率", RATE_NUMBER, [0.5, 0.5, None, 0.0])],
    # 汶河街道 东关街道 蒋王街道; 汶河's rebound rate is 1 of 3 closed: 33.3%.
    "pages/rankings.py": [("销号率", RATE_NUMBER, [0.5, 0.4, 0.5]), ("按期整改率", RATE_NUMBER, [0.5, 0.5, 0.0]),
                          ("反弹率", RATE_NUMBER, [0.333, 1.0, 0.0])],
    # Materials approved by indicator (1 of 3 twice) and by unit (1 of 3, 1 of 2); the parts' readiness:
    # 0.6, 2 of 9, and the survey's (1 + 1 + 0.80 / 0.85 + 0.875 / 0.9) / 4 = 0.97835.
    "pages/countdown.py": [("通过率", RATE_BAR, [0.0, 0.333, 0.333]), ("通过率", RATE_BAR, [0.0, 0.0, 0.333, 0.5]),
                           ("完成程度", RATE_BAR, [0.6, 0.222, 0.978])],
    # Up to standard by point type; by round; by point type in the latest round, and in the one before.
    "pages/points.py": [("达标率", RATE_NUMBER, [0.0, 0.5, 1.0, None]), ("达标率", RATE_BAR, [1.0, 0.0, 1.0, 0.0, 0.0]),
                        ("达标率", RATE_NUMBER, [1.0, 1.0]), ("上一轮", RATE_NUMBER, [0.0, None])],
    "pages/areas.py": [("销号率", RATE_NUMBER, [0.4]), ("按期整改率", RATE_NUMBER, [0.4])],  # only 未划片区
    # Items done: 东关街道 0 of 1, 汶河街道 2 of 3 (66.7%, where cutting would show 66.6%), all 2 of 4.
    "pages/brief.py": [("完成率", RATE_NUMBER, [0.0, 0.667, 0.5])],
    # 东关街道 1 of 2, 汶河街道 1 of 1, all units 2 of 3: 66.7%, where cutting would show 66.6%.
    "pages/rechecks.py": [("整改到位率", RATE_NUMBER, [0.5, 1.0, 0.667])],
}


@pytest.mark.parametrize("page", SHOWN)
def test_every_rate_column_of_a_page_shows_one_decimal(tiny_app, page):
    if page == "pages/rechecks.py":
        write_rechecks(tiny_app)
    if page == "pages/brief.py":
        write_meeting_items(tiny_app)
    assert percent_columns(open_page(page)) == SHOWN[page]
