"""After an import, the queries the pages asked today are asked again of the new data, in the background.

Every page's queries are cached per database version (cached.query), so the first visit after an import
ran them all cold: at 1,000,000 problems most of a second per page on the server, on top of the
browser's own start (docs/PERFORMANCE.md). The server remembers the queries its pages asked today
(name, parameters and district scope) and, when a new version is published (by this process's
import page or by `python -m cockpit import` in another), asks them again of the new version, one
after another, the most recently asked first. A leader opening the big screen after the morning's
import then finds the figures computed.

Today's queries, and the views that follow the calendar (a page opened with no as_of in its URL shows
today) asked in the last CARRY_DAYS days, moved to today's date: so the first import of a day, before
anyone has looked, finds yesterday's default views computed for today. Other queries of earlier days
carry a date the visitor chose, and are not asked again. When the day changes the live version gets
such a round too, so a morning without an import also finds today's views computed. One query at a
time, so visitors keep a core; a newer version stops the round.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from datetime import date, timedelta
from typing import Callable

MAX_REMEMBERED = 400   # distinct queries kept (a page asks 10-30; filters and districts add more)
CARRY_DAYS = 7         # a view that follows the calendar, asked this many days ago at most, is warmed for today
POLL_SECONDS = 2.0     # how often the watcher looks for a new version

log = logging.getLogger("cockpit.warmup")


def moved(key, days: int):
    """A remembered query (district, name, parameters) asked for a later day: its as_of moved by days.
    The pages pass as_of and let the SQL count back from it (weeks back, days back), so the moved
    query is the one the same view asks that day; dates a visitor chose (filters) or the settings
    give (the assessment calendar) stay as they were."""
    district, name, params = key
    return district, name, tuple((param, value + timedelta(days=days)) if param == "as_of" and isinstance(value, date)
                                 else (param, value) for param, value in params)


class Asked:
    """The queries asked, each with the day it was last asked and whether its view follows the
    calendar (no as_of in the URL), the most recent last."""

    def __init__(self, limit: int = MAX_REMEMBERED):
        self._lock = threading.Lock()
        self._days: OrderedDict[str, tuple[date, object, bool]] = OrderedDict()
        self._limit = limit

    def remember(self, key, day: date | None = None, follows_today: bool = False) -> None:
        """key: a query's (district, name, parameters); they may hold dicts (filters), so repr
        identifies them. follows_today: the page showed today because its URL named no date."""
        name = repr(key)
        with self._lock:
            self._days[name] = (day or date.today(), key, follows_today)
            self._days.move_to_end(name)
            while len(self._days) > self._limit:
                self._days.popitem(last=False)

    def today(self, today: date | None = None) -> list:
        """Today's, the most recently asked first."""
        today = today or date.today()
        with self._lock:
            return [key for day, key, _ in reversed(self._days.values()) if day == today]

    def for_round(self, today: date | None = None) -> list:
        """What a warm-up round asks: today's queries, the most recently asked first, then the views
        that followed the calendar on the CARRY_DAYS days before, moved to today; each once."""
        today = today or date.today()
        with self._lock:
            entries = list(reversed(self._days.values()))
        keys = self.today(today) + [moved(key, (today - day).days) for day, key, follows in entries
                                    if follows and 0 < (today - day).days <= CARRY_DAYS]
        unique: dict[str, object] = {}
        for key in keys:
            unique.setdefault(repr(key), key)
        return list(unique.values())


ASKED = Asked()


def warm(version: str, keys: list, ask: Callable[[str, object], object],
         live_version: Callable[[], str]) -> int:
    """ask(version, key) for each key while version is still the live one; how many were asked."""
    done = 0
    for key in keys:
        if live_version() != version:
            break
        try:
            ask(version, key)
            done += 1
        except Exception:  # noqa: BLE001 - a query that fails here fails again, with its message, on the page
            log.warning("预热查询失败：%s", key, exc_info=True)
    return done


class Watcher(threading.Thread):
    """Looks for a new version every poll seconds and warms it (when enabled() says so); and warms
    the live version again when the day changes, since the pages follow the calendar: their views of
    today are new queries each morning, which the first visitor would otherwise wait for."""

    def __init__(self, ask, live_version, enabled, asked: Asked = ASKED, poll: float = POLL_SECONDS):
        super().__init__(name="cockpit-warmup", daemon=True)
        self.ask, self.live_version, self.enabled, self.asked, self.poll = ask, live_version, enabled, asked, poll
        self.warmed: list[tuple[str, int, float]] = []   # (version, queries asked, seconds), for tests and logs
        self.looks = 0   # looks finished (the first when it starts, then one a poll), warm-up included
        self._looked = threading.Condition()
        self._stop_event = threading.Event()

    def run(self) -> None:
        seen = self._version(), date.today()
        self._finished_look()
        while not self._stop_event.wait(self.poll):
            try:
                seen = self._look(seen)
            finally:
                self._finished_look()

    def _look(self, seen: tuple) -> tuple:
        """One look: warm when the version or the day changed since seen; what it saw."""
        version, today = self._version(), date.today()
        if version is None or (version, today) == seen:
            return seen
        reason = "新数据版本" if version != seen[0] else "新的一天"
        if version != "empty" and self._enabled():
            self.warm(version, reason)
        return version, today

    def _finished_look(self) -> None:
        with self._looked:
            self.looks += 1
            self._looked.notify_all()

    def wait_for_looks(self, count: int, timeout: float) -> bool:
        """Wait until count looks have finished; False when timeout seconds pass first. A look begun
        after some moment has finished once looks reaches its count at that moment plus two (the
        look under way then may have read the version before)."""
        with self._looked:
            return self._looked.wait_for(lambda: self.looks >= count, timeout)

    def warm(self, version: str, reason: str = "新数据版本") -> None:
        started = time.perf_counter()
        count = warm(version, self.asked.for_round(), self.ask, self.live_version)
        seconds = time.perf_counter() - started
        self.warmed.append((version, count, seconds))
        log.warning("预热：%s %s，%d 个查询已算好，用时 %.1f 秒", reason, version, count, seconds)

    def stop(self) -> None:
        self._stop_event.set()

    def _version(self) -> str | None:
        try:
            return self.live_version()
        except Exception:  # noqa: BLE001 - a store folder being replaced; look again next time
            return None

    def _enabled(self) -> bool:
        try:
            return self.enabled()
        except Exception:  # noqa: BLE001 - a bad settings file: the pages say so; nothing to warm
            return False
