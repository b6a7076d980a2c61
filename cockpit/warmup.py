"""After an import, the queries the pages asked today are asked again of the new data, in the background.

Every page's queries are cached per database version (ui.query), so the first visit after an import
ran them all cold: at 1,000,000 problems most of a second per page on the server, on top of the
browser's own start (docs/PERFORMANCE.md). The server remembers the queries its pages asked today
(name, parameters and district scope) and, when a new version is published (by this process's
import page or by `python -m cockpit import` in another), asks them again of the new version, one
after another, the most recently asked first. A leader opening the big screen after the morning's
import then finds the figures computed.

Only today's: yesterday's carry yesterday's date, which no page shows by default today. One query at
a time, so visitors keep a core; a newer version stops the round.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from datetime import date
from typing import Callable

MAX_REMEMBERED = 400   # distinct queries kept (a page asks 10-30; filters and districts add more)
POLL_SECONDS = 2.0     # how often the watcher looks for a new version

log = logging.getLogger("cockpit.warmup")


class Asked:
    """The queries asked, each with the day it was last asked, the most recent last."""

    def __init__(self, limit: int = MAX_REMEMBERED):
        self._lock = threading.Lock()
        self._days: OrderedDict[str, tuple[date, object]] = OrderedDict()
        self._limit = limit

    def remember(self, key, day: date | None = None) -> None:
        """key: a query's arguments; they may hold dicts (filters), so repr identifies them."""
        name = repr(key)
        with self._lock:
            self._days[name] = (day or date.today(), key)
            self._days.move_to_end(name)
            while len(self._days) > self._limit:
                self._days.popitem(last=False)

    def today(self) -> list:
        """Today's, the most recently asked first."""
        today = date.today()
        with self._lock:
            return [key for day, key in reversed(self._days.values()) if day == today]


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
    """Looks for a new version every poll seconds and warms it (when enabled() says so)."""

    def __init__(self, ask, live_version, enabled, asked: Asked = ASKED, poll: float = POLL_SECONDS):
        super().__init__(name="cockpit-warmup", daemon=True)
        self.ask, self.live_version, self.enabled, self.asked, self.poll = ask, live_version, enabled, asked, poll
        self.warmed: list[tuple[str, int, float]] = []   # (version, queries asked, seconds), for tests and logs
        self._stop_event = threading.Event()

    def run(self) -> None:
        seen = self._version()
        while not self._stop_event.wait(self.poll):
            version = self._version()
            if version in (seen, None):
                continue
            seen = version
            if version != "empty" and self._enabled():
                self.warm(version)

    def warm(self, version: str) -> None:
        started = time.perf_counter()
        count = warm(version, self.asked.today(), self.ask, self.live_version)
        seconds = time.perf_counter() - started
        self.warmed.append((version, count, seconds))
        log.warning("预热：新数据版本 %s，%d 个查询已算好，用时 %.1f 秒", version, count, seconds)

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
