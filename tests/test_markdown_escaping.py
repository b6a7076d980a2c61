"""Text from the URL or a file put into Markdown cannot become a link, an image fetched from the
internet, a heading or a coloured span: fmt.md escapes it, and breaks the bare links (http://, www.,
an e-mail address) Markdown would find in the text with an invisible word joiner."""

import re

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from cockpit.store import queries, versions
from cockpit.web import fmt
from tests.browser import ROOT

HOSTILE = "![x](http://evil.example/x.png) :red[假] # 标题 [链接](http://evil.example)"


@pytest.mark.parametrize("text,shown", [
    ("东关街道", "东关街道"),
    ("![x](http://e.example/x.png)", "\\!\\[x\\]\\(http\u2060\\://e\\.example/x\\.png\\)"),
    (":red[假]", "\\:red\\[假\\]"),
    ("**粗** _斜_ `码` <b>", "\\*\\*粗\\*\\* \\_斜\\_ \\`码\\` \\<b\\>"),
    ("a\\b", "a\\\\b"),
    ("http://evil.example/x", "http\u2060\\://evil\\.example/x"),
    ("HTTPS://X.example", "HTTPS\u2060\\://X\\.example"),
    ("www.例子.com", "www\u2060\\.例子\\.com"),
    ("联系 a.b@evil.example", "联系 a\\.b\u2060@evil\\.example"),
    ("<http://auto.example>", "\\<http\u2060\\://auto\\.example\\>"),
    ("www 站、东关街道@", "www 站、东关街道@"),  # no link: nothing to break
])
def test_md_escapes_every_markdown_character(text, shown):
    assert fmt.md(text) == shown


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
    assert fmt.md(HOSTILE) in warning and "](http" not in warning


def test_a_hostile_point_in_the_url_is_shown_as_text(tiny_app):
    at = open_with("pages/points.py", point=HOSTILE)
    [warning] = [w.value for w in at.warning if "找不到点位" in w.value]
    assert fmt.md(HOSTILE) in warning and "](http" not in warning


def test_a_hostile_date_in_the_url_is_shown_as_text(tiny_app):
    at = open_with(None, as_of=HOSTILE)
    warnings = [w.value for w in at.warning if "无法识别" in w.value]  # the frame's and the page's
    assert warnings and all(fmt.md(HOSTILE) in w and "](http" not in w for w in warnings)


# ---- a unit and a description that are web addresses, on every page that shows them -----------------

URL_UNIT = "http://evil.example/x"  # 东关街道 renamed: the brief lists it (it fell one place)
URL_DESCRIPTION = "[点我](http://evil.example/d) www.例子.com 或 a@evil.example"
# What GitHub-flavoured Markdown makes a link of: in the text once its escapes are undone, a bare
# address; in the text as written, an unescaped [text](address) or <address>.
BARE_LINK = re.compile(r"(?i)https?://|www\.|[-.+\w]@[-\w]+\.")
LINK_SYNTAX = re.compile(r"(?<!\\)\]\(|(?<!\\)<(?i:https?|www|mailto)")


def make_names_web_addresses(store) -> None:
    """东关街道's unit name and P11's description (东关街道's, overdue) made web addresses."""
    con = duckdb.connect(str(versions.current_file(store)), config=queries.CONFIG)
    try:
        for table in ("units", "problems", "problem_history"):
            con.execute(f"update {table} set unit_name = ? where unit_name = '东关街道'", [URL_UNIT])
        con.execute("update problems set description = ? where problem_id = 'P11'", [URL_DESCRIPTION])
    finally:
        con.close()


@pytest.fixture
def url_world(tiny_app):
    make_names_web_addresses(tiny_app)
    return tiny_app


def shown_markdown(at: AppTest) -> list[str]:
    """Every text of the page Streamlit renders as Markdown."""
    texts = [e.value for kind in ("markdown", "caption", "subheader", "header", "title", "warning", "info")
             for e in getattr(at, kind)]
    return [str(text) for text in texts + [e.label for e in (*at.metric, *at.button)]]


def unescaped(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


@pytest.mark.parametrize("page,url,expected", [
    ("pages/brief.py", {}, [URL_UNIT]),
    ("pages/rankings.py", {"card": URL_UNIT}, [URL_UNIT]),
    ("pages/progress.py", {"problem": "P11"}, [URL_UNIT, "[点我]", "例子.com", "evil.example"]),
])
def test_a_web_address_in_the_data_is_shown_as_text(url_world, page, url, expected):
    at = open_with(page, **url)
    texts = shown_markdown(at)
    plain = " ".join(unescaped(t).replace(fmt.WORD_JOINER, "") for t in texts)
    assert all(part in plain for part in expected)  # the names are there, whole, as text
    assert [t for t in texts if BARE_LINK.search(unescaped(t)) or LINK_SYNTAX.search(t)] == []
