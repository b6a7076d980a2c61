"""Big-screen rotation logic (cockpit/web/screen.py) as plain functions."""

import pytest

from cockpit.web import screen

KNOWN = ("", "hotspots", "rankings", "countdown", "brief")
DEFAULT = ("brief", "", "rankings", "countdown")


@pytest.mark.parametrize("text,expected", [
    (None, (60, "")), ("", (60, "")), ("90", (90, "")), ("90s", (90, "")), ("2m", (120, "")), ("2分钟", (120, "")),
    ("1.5 min", (90, "")), ("5", (10, "轮播间隔已调整为 10 秒（允许 10 秒到 3600 秒）")),
    ("2h", (60, "轮播间隔 interval=2h 无法识别，已用 60 秒")), ("abc", (60, "轮播间隔 interval=abc 无法识别，已用 60 秒")),
    ("7200", (3600, "轮播间隔已调整为 3600 秒（允许 10 秒到 3600 秒）")),
])
def test_parse_interval(text, expected):
    assert screen.parse_interval(text, 60) == expected


@pytest.mark.parametrize("text,expected", [
    (None, (DEFAULT, "")),
    ("rankings,countdown", (("rankings", "countdown"), "")),
    ("rankings， /hotspots", (("rankings", "hotspots"), "")),          # full-width comma, a leading slash
    ("rankings,nowhere", (("rankings",), "不认识的轮播页面已忽略：nowhere")),
    ("nowhere", (DEFAULT, "轮播页面 pages=nowhere 都不认识，已用设置中的页面")),
])
def test_parse_pages(text, expected):
    assert screen.parse_pages(text, DEFAULT, KNOWN) == expected


def test_rotation_from_the_url_over_settings():
    assert screen.rotation({"pages": "countdown,brief", "interval": "30"}, DEFAULT, 60, KNOWN) == screen.Rotation(
        ("countdown", "brief"), 30, "")
    assert screen.rotation({}, DEFAULT, 45, KNOWN) == screen.Rotation(DEFAULT, 45, "")
    assert screen.rotation({"interval": "x"}, DEFAULT, 45, KNOWN).note == "轮播间隔 interval=x 无法识别，已用 45 秒"


def test_next_page_wraps_round_and_starts_from_the_first():
    assert [screen.next_page(DEFAULT, p) for p in DEFAULT] == ["", "rankings", "countdown", "brief"]
    assert screen.next_page(DEFAULT, "hotspots") == "brief"  # not in the playlist: the first
    assert screen.next_page(("brief",), "brief") == "brief"


def test_is_due():
    assert not screen.is_due(100.0, 159.9, 60)
    assert screen.is_due(100.0, 160.0, 60)


def test_kept_params_carry_screen_mode_and_date_only():
    params = {"screen": "big", "as_of": "2026-06-10", "interval": "30", "pages": "brief", "unit": "东关街道", "list": ""}
    assert screen.kept_params(params) == {"screen": "big", "as_of": "2026-06-10", "interval": "30", "pages": "brief"}


@pytest.mark.parametrize("params,expected", [({"screen": "big"}, True), ({"screen": "BIG "}, True),
                                             ({"screen": "small"}, False), ({}, False)])
def test_is_big_screen(params, expected):
    assert screen.is_big_screen(params) is expected


def test_a_change_column_says_better_in_green_and_worse_in_red():
    body = screen.board([screen.Column("单位", 60), screen.Column("较上周", 40, "right", "change")],
                        [["东关街道", "好转2"], ["汶河街道", "变差1"], ["蒋王街道", "–"]], visible=5)
    assert "<th class='right change'>较上周</th>" in body
    assert ("<td class='right good'>好转2</td>" in body and "<td class='right bad'>变差1</td>" in body
            and "<td class='right '>–</td>" in body)
