"""After an import the server asks today's queries again of the new version (cockpit/web/warmup.py)."""

import shutil
import time
from datetime import date, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from cockpit.settings import load_settings
from cockpit.store import readers, versions
from cockpit.web import cached, warmup
from tests.browser import ROOT
from tests.conftest import TINY_AS_OF
from tests.test_settings import with_change


def test_todays_queries_come_newest_first_and_only_so_many_are_kept():
    asked = warmup.Asked(limit=3)
    asked.remember("yesterday's", day=date.today() - timedelta(days=1))
    for key in ("a", "b", "c", "a"):
        asked.remember(key)
    assert asked.today() == ["a", "c", "b"]          # a asked again: newest; yesterday's not today's
    asked.remember("d")
    assert asked.today() == ["d", "a", "c"]          # b, the oldest, dropped at the limit


def asked_on(day: date, as_of: date, follows_today: bool, asked: warmup.Asked, name: str = "progress_summary"):
    key = (None, name, (("as_of", as_of), ("due_soon_days", 3)))
    asked.remember(key, day=day, follows_today=follows_today)
    return key


def test_a_round_asks_todays_queries_then_earlier_views_that_follow_the_calendar_moved_to_today():
    asked, today = warmup.Asked(), date(2026, 12, 4)
    yesterday, a_week_ago, eight_days_ago = (today - timedelta(days=n) for n in (1, 7, 8))
    asked_on(eight_days_ago, eight_days_ago, True, asked, "unit_ranking")  # too long ago
    asked_on(a_week_ago, a_week_ago, True, asked, "weekly_flow")          # a week ago: still carried
    asked_on(yesterday, yesterday, True, asked)                           # the default view, yesterday
    asked_on(yesterday, date(2026, 6, 10), False, asked, "problem_list")  # a date the visitor chose
    asked_on(yesterday, yesterday - timedelta(days=7), True, asked, "unit_changes")  # last week's, derived
    todays = asked_on(today, date(2026, 9, 1), False, asked, "point_list")
    assert asked.for_round(today) == [
        todays,
        (None, "unit_changes", (("as_of", today - timedelta(days=7)), ("due_soon_days", 3))),
        (None, "progress_summary", (("as_of", today), ("due_soon_days", 3))),
        (None, "weekly_flow", (("as_of", today), ("due_soon_days", 3))),
    ]


def test_a_view_asked_yesterday_and_today_is_asked_once():
    asked, today = warmup.Asked(), date(2026, 12, 4)
    asked_on(today - timedelta(days=1), today - timedelta(days=1), True, asked)
    todays = asked_on(today, today, True, asked)
    assert asked.for_round(today) == [todays]


def test_moving_a_query_leaves_its_other_dates_alone():
    calendar = ("dates", (date(2027, 5, 1), date(2027, 6, 1)))
    key = ("城西区", "unit_pace", (("as_of", date(2026, 12, 3)), calendar, ("filters", {"found_from": date(2026, 1, 1)})))
    assert warmup.moved(key, 1) == ("城西区", "unit_pace", (("as_of", date(2026, 12, 4)), calendar,
                                                            ("filters", {"found_from": date(2026, 1, 1)})))


def test_a_round_stops_when_a_newer_version_is_published():
    live = ["v2"]
    asked_of = []

    def ask(version, key):
        asked_of.append((version, key))
        if key == "b":
            live[0] = "v3"  # an import lands while the round runs

    assert warmup.warm("v2", ["a", "b", "c"], ask, lambda: live[0]) == 2
    assert asked_of == [("v2", "a"), ("v2", "b")]


def test_a_failing_query_does_not_stop_the_round():
    def ask(version, key):
        if key == "b":
            raise RuntimeError("broken query")

    assert warmup.warm("v2", ["a", "b", "c"], ask, lambda: "v2") == 2


def test_warm_up_is_on_unless_the_settings_turn_it_off(tmp_path):
    assert load_settings().warm_up is True
    assert load_settings(with_change(tmp_path, "warm_up = true", "warm_up = false")).warm_up is False
    assert load_settings(with_change(tmp_path, "warm_up = true", "")).warm_up is True   # older files
    with pytest.raises(Exception, match="import.warm_up 应为 true 或 false"):
        load_settings(with_change(tmp_path, "warm_up = true", 'warm_up = "yes"'))


def open_progress() -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["as_of"] = TINY_AS_OF.isoformat()
    at.run()
    assert not at.exception
    return at


def publish_again(store, count: int) -> str:
    """The live file published under a new name, as an import publishes a new version."""
    target = store / f"cockpit-20260101-00000{count}-000000.duckdb"
    shutil.copyfile(versions.current_file(store), target)
    versions.publish(store, target)
    return str(target)


def queries_run_by(monkeypatch, action) -> int:
    """How many queries reach DuckDB (readers.run) while action runs; the real readers.run answers them."""
    calls = []
    real_run = readers.run
    monkeypatch.setattr(readers, "run", lambda *a, **k: calls.append(a[1]) or real_run(*a, **k))
    try:
        action()
    finally:
        monkeypatch.setattr(readers, "run", real_run)
    return len(calls)


def wait_for(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the watcher did not warm the new version in time"
        time.sleep(0.05)


def started(watcher: warmup.Watcher) -> None:
    """The watcher has read the live version it compares later ones with."""
    assert watcher.wait_for_looks(1, timeout=30), "the watcher did not start"


def looked_again(watcher: warmup.Watcher) -> None:
    """The watcher has finished a whole look begun after this call: it has seen what was published before."""
    assert watcher.wait_for_looks(watcher.looks + 2, timeout=30), "the watcher did not look again"


def test_the_watcher_warms_each_new_version_once_and_counts_its_looks():
    live, asked_of = ["v1"], []
    asked = warmup.Asked()
    asked.remember("a")
    watcher = warmup.Watcher(ask=lambda version, key: asked_of.append((version, key)), live_version=lambda: live[0],
                             enabled=lambda: True, asked=asked, poll=0.01)
    watcher.start()
    try:
        started(watcher)
        looked_again(watcher)
        assert asked_of == []                        # the version it started with: nothing to warm
        live[0] = "v2"
        looked_again(watcher)
        looked_again(watcher)
        assert asked_of == [("v2", "a")]             # warmed once, not again at the next looks
        assert [(v, n) for v, n, _ in watcher.warmed] == [("v2", 1)]
    finally:
        watcher.stop()
        watcher.join(5)


def test_after_an_import_the_page_finds_its_queries_ready(tiny_app, monkeypatch):
    monkeypatch.setattr(warmup, "ASKED", warmup.Asked())
    open_progress()                                        # asked today: the page's queries remembered
    remembered = len(warmup.ASKED.today())
    assert remembered >= 5

    publish_again(tiny_app, 1)                             # no watcher: the page runs them cold
    assert queries_run_by(monkeypatch, open_progress) >= remembered

    watcher = warmup.Watcher(ask=cached.ask_again, live_version=cached.data_version, enabled=lambda: True,
                             asked=warmup.ASKED, poll=0.05)
    watcher.start()
    try:
        started(watcher)                                   # the watcher has seen the live version
        version = publish_again(tiny_app, 2)
        wait_for(lambda: any(v == version for v, _, _ in watcher.warmed))
        assert watcher.warmed == [(version, remembered, watcher.warmed[0][2])]
        assert queries_run_by(monkeypatch, open_progress) == 0   # every figure from the cache
    finally:
        watcher.stop()
        watcher.join(5)


def test_nothing_is_warmed_when_the_settings_turn_it_off(tiny_app, monkeypatch):
    monkeypatch.setattr(warmup, "ASKED", warmup.Asked())
    open_progress()
    watcher = warmup.Watcher(ask=cached.ask_again, live_version=cached.data_version, enabled=lambda: False,
                             asked=warmup.ASKED, poll=0.05)
    watcher.start()
    try:
        started(watcher)
        publish_again(tiny_app, 1)
        looked_again(watcher)                              # it saw the new version, and left it alone
        assert watcher.warmed == []
        assert queries_run_by(monkeypatch, open_progress) >= 5
    finally:
        watcher.stop()
        watcher.join(5)


class Yesterday(date):
    """date, whose today() is the day before: a visit made yesterday."""

    @classmethod
    def today(cls):
        return date.today() - timedelta(days=1)


def open_as_shown_today(page: str) -> AppTest:
    """A page with no date in its URL: it shows today's figures (the tiny city's data end earlier)."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    if page != "pages/progress.py":
        at.switch_page(page).run()
    assert not at.exception
    return at


@pytest.mark.parametrize("page", ["pages/progress.py", "pages/hotspots.py", "pages/rankings.py",
                                  "pages/countdown.py", "pages/points.py", "pages/brief.py"])
def test_the_first_import_of_a_day_finds_yesterdays_default_view_ready_for_today(tiny_app, monkeypatch, page):
    monkeypatch.setattr(warmup, "ASKED", warmup.Asked())
    with monkeypatch.context() as yesterday:  # yesterday's visit, the page following the calendar
        yesterday.setattr(cached, "date", Yesterday)
        yesterday.setattr(warmup, "date", Yesterday)
        open_as_shown_today(page)
    assert warmup.ASKED.today() == [] and len(warmup.ASKED.for_round()) >= 3

    watcher = warmup.Watcher(ask=cached.ask_again, live_version=cached.data_version, enabled=lambda: True,
                             asked=warmup.ASKED, poll=0.05)
    watcher.start()
    try:
        started(watcher)
        version = publish_again(tiny_app, 1)                # this morning's import
        wait_for(lambda: any(v == version for v, _, _ in watcher.warmed))
        assert queries_run_by(monkeypatch, lambda: open_as_shown_today(page)) == 0   # today's figures, cached
    finally:
        watcher.stop()
        watcher.join(5)


@pytest.mark.parametrize("page", ["pages/progress.py", "pages/points.py"])
def test_a_new_day_without_an_import_finds_yesterdays_default_view_ready_for_today(tiny_app, monkeypatch, page):
    monkeypatch.setattr(warmup, "ASKED", warmup.Asked())
    watcher = warmup.Watcher(ask=cached.ask_again, live_version=cached.data_version, enabled=lambda: True,
                             asked=warmup.ASKED, poll=0.05)
    try:
        with monkeypatch.context() as yesterday:  # the server up yesterday, the page visited
            yesterday.setattr(cached, "date", Yesterday)
            yesterday.setattr(warmup, "date", Yesterday)
            watcher.start()
            open_as_shown_today(page)
            looked_again(watcher)
            assert watcher.warmed == []           # the same version, the same day: nothing to warm
        version = cached.data_version()               # midnight: no import, a new day
        wait_for(lambda: watcher.warmed)
        assert watcher.warmed[0][0] == version and watcher.warmed[0][1] >= 3
        assert queries_run_by(monkeypatch, lambda: open_as_shown_today(page)) == 0   # today's figures, cached
    finally:
        watcher.stop()
        watcher.join(5)


def test_the_figures_of_a_replaced_version_are_forgotten(tiny_app, monkeypatch):
    first = versions.current_file(tiny_app)
    open_progress()
    assert queries_run_by(monkeypatch, open_progress) == 0     # the same version: all from the cache
    publish_again(tiny_app, 1)
    assert queries_run_by(monkeypatch, open_progress) >= 5     # a new version: asked of it
    versions.publish(tiny_app, first)                                # an undo: the first version live again
    assert queries_run_by(monkeypatch, open_progress) >= 5     # its figures were forgotten: asked afresh
