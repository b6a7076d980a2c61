"""After an import the server asks today's queries again of the new version (cockpit/warmup.py)."""

import shutil
import time
from datetime import date, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from cockpit import db, ui, warmup
from cockpit.settings import load_settings
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
    shutil.copyfile(db.current_file(store), target)
    db.publish(store, target)
    return str(target)


def queries_run_by(monkeypatch, action) -> int:
    """How many queries reach DuckDB (db.run) while action runs; the real db.run answers them."""
    calls = []
    real_run = db.run
    monkeypatch.setattr(db, "run", lambda *a, **k: calls.append(a[1]) or real_run(*a, **k))
    try:
        action()
    finally:
        monkeypatch.setattr(db, "run", real_run)
    return len(calls)


def wait_for(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the watcher did not warm the new version in time"
        time.sleep(0.05)


def test_after_an_import_the_page_finds_its_queries_ready(tiny_app, monkeypatch):
    monkeypatch.setattr(warmup, "ASKED", warmup.Asked())
    open_progress()                                        # asked today: the page's queries remembered
    remembered = len(warmup.ASKED.today())
    assert remembered >= 5

    publish_again(tiny_app, 1)                             # no watcher: the page runs them cold
    assert queries_run_by(monkeypatch, open_progress) >= remembered

    watcher = warmup.Watcher(ask=ui.ask_again, live_version=ui.data_version, enabled=lambda: True,
                             asked=warmup.ASKED, poll=0.05)
    watcher.start()
    try:
        time.sleep(0.2)                                    # the watcher has seen the live version
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
    watcher = warmup.Watcher(ask=ui.ask_again, live_version=ui.data_version, enabled=lambda: False,
                             asked=warmup.ASKED, poll=0.05)
    watcher.start()
    try:
        time.sleep(0.2)
        publish_again(tiny_app, 1)
        time.sleep(0.5)
        assert watcher.warmed == []
        assert queries_run_by(monkeypatch, open_progress) >= 5
    finally:
        watcher.stop()
        watcher.join(5)
