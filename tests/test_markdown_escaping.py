"""Text from the URL or a file put into Markdown cannot become a link, an image fetched from the
internet, a heading or a coloured span: ui.md escapes it (issue 10's markdown finding)."""

import pytest
from streamlit.testing.v1 import AppTest

from cockpit import ui
from tests.browser import ROOT

HOSTILE = "![x](http://evil.example/x.png) :red[假] # 标题 [链接](http://evil.example)"


@pytest.mark.parametrize("text,shown", [
    ("东关街道", "东关街道"),
    ("![x](http://e.example/x.png)", "\\!\\[x\\]\\(http\\://e\\.example/x\\.png\\)"),
    (":red[假]", "\\:red\\[假\\]"),
    ("**粗** _斜_ `码` <b>", "\\*\\*粗\\*\\* \\_斜\\_ \\`码\\` \\<b\\>"),
    ("a\\b", "a\\\\b"),
])
def test_md_escapes_every_markdown_character(text, shown):
    assert ui.md(text) == shown


def open_with(page: str | None, **url) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for key, value in {"as_of": "2026-06-10", **url}.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception
    return at


def test_a_hostile_problem_id_in_the_url_is_shown_as_text(tiny_app):
    at = open_with(None, problem=HOSTILE)
    [warning] = [w.value for w in at.warning if "找不到问题" in w.value]
    assert ui.md(HOSTILE) in warning and "](http" not in warning


def test_a_hostile_point_in_the_url_is_shown_as_text(tiny_app):
    at = open_with("pages/points.py", point=HOSTILE)
    [warning] = [w.value for w in at.warning if "找不到点位" in w.value]
    assert ui.md(HOSTILE) in warning and "](http" not in warning


def test_a_hostile_date_in_the_url_is_shown_as_text(tiny_app):
    at = open_with(None, as_of=HOSTILE)
    warnings = [w.value for w in at.warning if "无法识别" in w.value]  # the frame's and the page's
    assert warnings and all(ui.md(HOSTILE) in w and "](http" not in w for w in warnings)
