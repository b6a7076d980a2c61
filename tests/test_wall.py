"""Big-screen mode (?screen=big) through AppTest on the tiny world: every page draws its wall layout
with no widgets, the same figures as the laptop page, the lists as rolling boards; unchanged data
is not queried again, new data is; a broken store leaves the last good figures with a notice."""

import base64
import re
from html.parser import HTMLParser

import pytest
from streamlit.testing.v1 import AppTest

from cockpit.draw import wallcharts
from cockpit.store import readers, versions
from cockpit.web import screen
from tests.browser import ROOT

D = "2026-06-10"
# Overdue problems of each district as each wall counts it (tests/fixtures/tiny.sql).
DISTRICT_OVERDUE = {"广陵区": "3", "邗江区": "0"}
STREETS_OVERDUE = {"广陵区": "3", "邗江区": "0"}  # all three overdue problems are streets'
WALL_PAGES = ["pages/progress.py", "pages/hotspots.py", "pages/rankings.py", "pages/countdown.py",
              "pages/points.py", "pages/brief.py", "pages/areas.py"]


@pytest.fixture
def tiny(tiny_app):
    return tiny_app


def open_wall(page: str | None = None, **query) -> AppTest:
    """A new session on the wall. (Only an AppTest's first run goes through the frame, dashboard.py:
    later runs, and switch_page, run the page file alone, as Streamlit's old pages/ folder mode.)"""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for key, value in {"as_of": D, "screen": "big", **query}.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def markup(at: AppTest) -> list[str]:
    return [element.proto.body for element in at.get("html")]


class _Cells(HTMLParser):
    """Rows of cell texts from board markup, and tiles as label -> (value, delta, tone)."""

    def __init__(self):
        super().__init__()
        self.rows, self.tiles, self._row, self._tag, self._tone = [], {}, None, None, None

    def handle_starttag(self, tag, attrs):
        self._tag = tag
        if tag == "tr":
            self._row = []
        if tag == "i":
            self._tone = dict(attrs).get("class")

    def handle_endtag(self, tag):
        if tag == "tr":
            self.rows.append(self._row)
        self._tag = None

    def handle_data(self, data):
        if self._tag in ("td", "th"):
            self._row.append(data)


def board_rows(at: AppTest, title: str) -> list[list[str]]:
    """The rows of the board under `title` (header first; a rolling board's second copy left out)."""
    body = next(b for b in markup(at) if f"<div class='wall-title'>{title}" in b)
    cells = _Cells()
    cells.feed(body)
    rows = cells.rows
    pinned = body.split("class='pinned'")[1].split("</table>")[0].count("<tr>") if "class='pinned'" in body else 0
    head, moving = rows[:1 + pinned], rows[1 + pinned:]
    half = len(moving) // 2
    if "rolling" in body and moving[:half] == moving[half:]:
        moving = moving[:half]
    return head + moving


def tiles(at: AppTest) -> dict:
    found = {}
    for body in markup(at):
        match = re.fullmatch(r"<div class='wall-tile'><span>(.*?)</span><b>(.*?)</b>(?:<i class='(\w+)'>(.*?)</i>)?</div>",
                             body)
        if match:
            label, value, tone, delta = match.groups()
            found[label] = (value, delta, tone)
    return found


# ---- every page ------------------------------------------------------------------------------------

@pytest.mark.parametrize("page", WALL_PAGES)
def test_every_page_draws_its_wall_with_no_widgets(tiny, page):
    at = open_wall(page)
    assert not at.exception and not at.error
    main = at.main
    assert [len(main.get(kind)) for kind in ("button", "download_button", "selectbox", "multiselect",
                                              "text_input", "radio", "arrow_data_frame", "metric")] == [0] * 8
    assert any("wall-board" in body or "wall-tile" in body for body in markup(at))


def test_the_wall_shows_the_laptop_figures_with_their_weekly_change(tiny):
    shown = tiles(open_wall())
    # The same hand counts as test_pages.test_progress_headline_on_the_tiny_world; good news green.
    assert shown["问题总数"] == ("20", "+4", "off")
    assert shown["已销号"] == ("8", "+2", "good")
    assert shown["销号率"] == ("40.0%", "+2.5 个百分点", "good")
    assert shown["在办"] == ("12", "+2", "bad")
    assert shown["逾期"] == ("3", "+2", "bad")
    assert shown["按期整改率"] == ("40.0%", "-20.0 个百分点", "bad")
    assert shown["反弹"] == ("3", "0", "off")


def test_the_boards_carry_the_lists(tiny):
    progress = open_wall()
    overdue = board_rows(progress, "逾期问题 3 个（逾期最久的在前）")
    assert overdue[0] == ["逾期天数", "责任单位", "地点", "问题描述"]
    assert len(overdue) == 4  # three overdue problems, fewer than the board shows: no rolling
    rankings = open_wall("pages/rankings.py")
    streets = board_rows(rankings, "街道排名")  # 乡镇 ranked apart (ranking.townships_apart)
    assert [row[:3] for row in streets[1:3]] == [["1", "汶河街道", "70.0"], ["2", "东关街道", "55.0"]]


def test_the_wall_says_when_the_url_asks_for_something_odd(tiny):
    at = open_wall(interval="abc", pages="brief,wall")
    assert not at.exception
    stamp = next(b for b in markup(at) if "wall-stamp" in b)
    assert "不认识的轮播页面已忽略：wall；轮播间隔 interval=abc 无法识别，已用 60 秒" in stamp


# ---- refresh: nothing re-queried when nothing changed; new data shown ---------------------------

def test_unchanged_data_is_not_queried_again_and_new_data_is(tiny, monkeypatch):
    calls = []
    real_run = readers.run
    monkeypatch.setattr(readers, "run", lambda con, name, **params: calls.append(name) or real_run(con, name, **params))
    at = open_wall()
    assert calls and tiles(at)["问题总数"][0] == "20"
    calls.clear()
    at = open_wall()  # the rotation coming round again: same database, every figure from the cache
    assert calls == []

    publish_one_more_problem(tiny)
    at = open_wall()
    assert "progress_summary" in calls
    assert tiles(at)["问题总数"][0] == "21"


def publish_one_more_problem(store) -> None:
    """A new published version, as an import makes one: P02 again under a new id."""
    with versions.import_lock(store), versions.new_version(store) as (con, _path):
        con.execute("insert into problems by name "
                    "select * replace ('P99' as problem_id) from problems where problem_id = 'P02'")


# ---- never a traceback on the wall ----------------------------------------------------------------

def test_a_broken_store_keeps_the_last_good_figures_and_says_so(tiny):
    at = open_wall()
    assert tiles(at)["问题总数"][0] == "20"
    pointer = tiny / versions.POINTER
    good = pointer.read_text(encoding="utf-8")
    (tiny / "cockpit-broken.duckdb").write_bytes(b"not a database")  # as a half-replaced store would read
    pointer.write_text("cockpit-broken.duckdb", encoding="utf-8")
    at = open_wall()
    assert not at.exception
    assert tiles(at)["问题总数"][0] == "20"
    stamp = next(b for b in markup(at) if "wall-stamp" in b)
    assert "数据暂时无法读取，显示的是" in stamp

    pointer.write_text(good, encoding="utf-8")  # the store recovers: so does the wall
    at = open_wall()
    assert not at.exception
    assert "数据暂时无法读取" not in next(b for b in markup(at) if "wall-stamp" in b)


def test_a_page_that_cannot_read_anything_shows_a_notice_not_a_traceback(tiny):
    (tiny / "cockpit-broken.duckdb").write_bytes(b"not a database")
    (tiny / versions.POINTER).write_text("cockpit-broken.duckdb", encoding="utf-8")
    at = open_wall()
    assert not at.exception
    assert any("数据暂时无法读取，稍后自动重试" in b for b in markup(at))


# ---- the pieces, as plain functions -----------------------------------------------------------------

def test_a_board_rolls_only_when_its_rows_do_not_fit_and_escapes_text():
    columns = [screen.Column("地点", 50), screen.Column("在办", 50, "right")]
    still = screen.board(columns, [["<b>东关街</b>", "4"]], visible=3)
    assert "rolling" not in still and "&lt;b&gt;东关街&lt;/b&gt;" in still and "<b>东关街" not in still
    rolling = screen.board(columns, [[f"地点{i}", str(i)] for i in range(5)], visible=3, seconds_per_row=2)
    # One step per row, so a row is never shown cut in half; too few rows shown to keep any still.
    assert "class='rolling' style='animation-duration:10s;animation-timing-function:steps(5)'" in rolling
    assert rolling.count("<tr>") == 1 + 10  # the header, and the rows twice for a seamless loop
    assert "pinned" not in rolling
    assert "wall-empty'>无在办问题" in screen.board(columns, [], visible=3, empty="无在办问题")


def test_a_rolling_board_keeps_its_worst_rows_still_at_the_top():
    columns = [screen.Column("地点", 50), screen.Column("在办", 50, "right")]
    rows = [[f"地点{i}", str(10 - i)] for i in range(10)]
    board = screen.board(columns, rows, visible=6, seconds_per_row=2)
    still = board.split("class='pinned'")[1].split("</table>")[0]
    assert [f"地点{i}" in still for i in range(4)] == [True, True, True, False]
    moving = board.split("class='rolling'")[1]
    assert moving.count("<tr>") == 2 * 7 and "地点0" not in moving and "地点3" in moving
    # 7 rows roll under the 3 still ones, in a window of the other 3 rows of the 6 shown.
    assert "animation-duration:14s;animation-timing-function:steps(7)" in board
    assert "class='wall-window' style='height:6.6rem'" in board


@pytest.mark.parametrize("delta,colour,tone", [("+2", "normal", "good"), ("-2", "normal", "bad"),
                                               ("+2", "inverse", "bad"), ("-1.5 个百分点", "inverse", "good"),
                                               ("+4", "off", "off")])
def test_a_tile_colours_the_change_by_whether_it_is_good_news(delta, colour, tone):
    assert f"<i class='{tone}'>{delta}</i>" in screen.tile("在办", "12", delta, colour)


def test_needs_refresh_only_when_the_published_version_moved():
    assert screen.needs_refresh("cockpit-a.duckdb", "cockpit-b.duckdb")
    assert not screen.needs_refresh("cockpit-a.duckdb", "cockpit-a.duckdb")
    assert not screen.needs_refresh(None, "cockpit-a.duckdb")  # nothing drawn yet


def test_clip_keeps_short_text_and_cuts_long_text_with_an_ellipsis():
    assert screen.clip("垃圾桶满溢", 10) == "垃圾桶满溢"
    assert screen.clip("一二三四五六", 4) == "一二三…"
    assert screen.clip(None, 4) == ""


@pytest.mark.parametrize("top,step", [(0, 1.0), (3, 1.0), (4, 1.0), (7, 2.0), (30_000, 10_000.0), (2_200, 1_000.0)])
def test_nice_step(top, step):
    assert wallcharts.nice_step(top) == step


def test_a_line_chart_is_an_svg_image_with_its_points_and_escaped_labels():
    image = wallcharts.lines([wallcharts.Series("<在办>", "#ff6b6b", ["2026-06-01", "2026-06-11"], [10, 0])],
                             width=500, height=200)
    svg = base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]+)", image).group(1)).decode("utf-8")
    # x from 90 to 480 over ten days; y from 44 (top = 4 steps of 5 = 20) down to 164 (zero).
    assert "points='90.0,104.0 480.0,164.0'" in svg
    assert "&lt;在办&gt;" in svg and "<在办>" not in svg
    assert wallcharts.lines([], 500, 200) == "<div class='wall-empty'>暂无数据</div>"


def test_the_two_walls_label_their_district_figures_apart(tiny):
    # The progress wall counts every problem found in a district; the rankings wall sums the
    # district's streets and townships (a department's problem in the district is not theirs).
    progress = board_rows(open_wall(), "各区县（辖区内全部问题）")
    assert progress[0] == ["区县", "辖区在办", "辖区逾期", "销号率"]
    rankings = board_rows(open_wall("pages/rankings.py"), "区县排名（所辖街道乡镇合计）")
    assert rankings[0] == ["名次", "单位", "得分", "较上周", "街镇逾期"]
    assert {row[0]: row[2] for row in progress[1:]} == DISTRICT_OVERDUE
    assert {row[1]: row[-1] for row in rankings[1:]} == STREETS_OVERDUE  # (an empty 较上周 has no text)
