"""What a page reads: the settings, the as-of date, and named queries cached per database version
(with the wall's last good result of each, and the warm-up that asks them again after an import)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Callable

import pandas as pd
import streamlit as st

from cockpit.settings import Settings, SettingsError, load_settings, settings_path
from cockpit.store import readers, versions
from cockpit.web import access, city_ranks, warmup
from cockpit.web.fmt import md
from cockpit.web.wallmode import big_screen


@dataclass
class Reader:
    path: str | None
    con: object


def settings() -> Settings:
    """The checked settings; a bad file stops the page with a message naming the key."""
    try:
        return _settings()[0]
    except SettingsError as err:
        st.error(f"设置有误，驾驶舱无法显示：{err}")
        st.stop()


@st.cache_resource(show_spinner=False, validate=lambda cached: _settings_stamp() == cached[1])
def _settings() -> tuple[Settings, tuple]:
    """Read again whenever the file changes (the settings page saves it)."""
    return load_settings(), _settings_stamp()


def _settings_stamp() -> tuple:
    """The file's path, time and inode: a save replaces the file, so the inode changes even when two
    saves fall within the file system's clock tick."""
    path = settings_path()
    try:
        found = path.stat()
    except FileNotFoundError:
        return (str(path),)
    return str(path), found.st_mtime_ns, found.st_size, found.st_ino


def _live_path() -> str | None:
    path = versions.current_file(versions.db_dir())
    return str(path) if path else None


@st.cache_resource(show_spinner=False, validate=lambda r: r.path == _live_path(),
                   on_release=lambda r: r.con.close())
def _reader(district: str | None = None) -> Reader:
    """One read-only connection per published database file (and per district a login is tied to,
    which sees only that district's rows); a new import replaces it."""
    path = _live_path()
    return Reader(path, readers.open_reader(path and Path(path), district))


def reader_connection():
    """The live read-only connection, for work done within this page run."""
    return _reader(access.district_scope()).con


def reader_when_called() -> Callable:
    """For work done later, off the script thread (a download made when its button is clicked): a
    function that gives the live connection at that moment, for this visitor's district. A page
    that held the connection itself kept a replaced database file open, with all DuckDB had read of
    it, for as long as Streamlit kept the page's downloads: about 80 MB a version at a million
    problems (docs/PERFORMANCE.md)."""
    district = access.district_scope()
    return lambda: _reader(district).con


def data_version() -> str:
    return _live_path() or "empty"


@st.cache_data(show_spinner=False, max_entries=2000)
def _cached_query(version: str, district: str | None, name: str, params: tuple) -> pd.DataFrame:
    if district and name in city_ranks.CITY_RANKED:  # the city's published ranks, narrowed to the district
        return city_ranks.ranks_for_district(_reader(None).con, _reader(district).con, district, name, dict(params))
    return readers.run(_reader(district).con, name, **dict(params))


def query(name: str, **params) -> pd.DataFrame:
    """Run queries/<name>.sql, cached until the next import. Lists become tuples for hashing."""
    params = district_scoped(params)
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    district = access.district_scope()
    version = data_version()
    if version != "empty":
        warmup.ASKED.remember((district, name, frozen), follows_today=follows_today())
    if not big_screen():
        return _figures(version, district, name, frozen)
    key = (district, name, repr(frozen))
    try:
        result = _figures(version, district, name, frozen)
    except Exception:  # noqa: BLE001 - whatever broke, the wall keeps its last good figures
        good = _last_good().get(key)
        if good is None:
            raise
        st.session_state["wall_trouble"] = good[0]
        return good[1]
    _last_good().put(key, result)
    return result


def ask_again(version: str, key: tuple) -> pd.DataFrame:
    """A query remembered by query() (district, name, parameters), asked of a version through the
    pages' own cache: what the warm-up does after an import."""
    return _figures(version, *key)


def _figures(version: str, district: str | None, name: str, params: tuple) -> pd.DataFrame:
    """A query's result from the cache, which first forgets the versions an import has replaced."""
    _forget_replaced_versions(version)
    return _cached_query(version, district, name, params)


_kept_version: list[str | None] = [None]
_kept_version_lock = threading.Lock()


def _forget_replaced_versions(version: str) -> None:
    """The first query of a newly published version (a page's or the warm-up's) empties the cache: no
    one asks a replaced version again (an undo asks its version afresh), and each version's figures
    took 2 MB of the server's memory a page visited at a million problems, kept until 2000 of them
    (docs/PERFORMANCE.md). A run still finishing on the replaced version does not empty it again."""
    if version == _kept_version[0] or version != data_version():
        return
    with _kept_version_lock:
        if version != _kept_version[0]:
            _cached_query.clear()
            _kept_version[0] = version


def start_warm_up() -> warmup.Watcher:
    """The watcher that asks today's queries again of each new version (cockpit/web/warmup.py). Started
    once, by cockpit.server, when Streamlit's runtime is up; the cache it fills is the pages' own."""
    global _watcher
    if _watcher is None:
        _watcher = warmup.Watcher(ask=ask_again, live_version=data_version,
                                  enabled=lambda: load_settings().warm_up)
        _watcher.start()
    return _watcher


_watcher: warmup.Watcher | None = None


class _LastGood:
    """The wall's last good result of each query, with the time it was read, so a failing query or a
    database being replaced leaves the figures on the wall: never a traceback on the wall."""

    LIMIT = 500

    def __init__(self):
        self._results: dict = {}
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            return self._results.get(key)

    def put(self, key, frame: pd.DataFrame) -> None:
        with self._lock:
            self._results.pop(key, None)
            self._results[key] = (datetime.now(), frame)
            while len(self._results) > self.LIMIT:
                self._results.pop(next(iter(self._results)))


@st.cache_resource(show_spinner=False)
def _last_good() -> _LastGood:
    return _LastGood()


# The filter STRUCTs whose `districts` list every query of that family filters on.
_SCOPED_PARAMS = ("filters", "point_filters")


def district_scoped(params: dict) -> dict:
    """A login tied to one district sees only that district: every query taking a filters STRUCT gets
    its district list forced here, whatever the page (or the URL) chose, so no page can leak another."""
    district = access.district_scope()
    if not district:
        return params
    return {k: {**v, "districts": [district]} if k in _SCOPED_PARAMS and isinstance(v, dict) else v
            for k, v in params.items()}


def one_row(name: str, **params) -> dict:
    frame = query(name, **params)
    return frame.iloc[0].to_dict() if len(frame) else {}


def _as_of_text() -> str | None:
    return st.query_params.get("as_of") or st.session_state.get("as_of_text")


def follows_today() -> bool:
    """The page shows today because no date was asked for: tomorrow the same view shows tomorrow."""
    return not _as_of_text()


def as_of() -> date:
    """?as_of=YYYY-MM-DD from the URL (kept across page switches), default today."""
    raw = _as_of_text()
    if not raw:
        return date.today()
    try:
        chosen = date.fromisoformat(str(raw))
    except ValueError:
        st.warning(f"网址中的日期 as_of={md(raw)} 无法识别（应为 YYYY-MM-DD），已按今天显示。")
        return date.today()
    st.session_state["as_of_text"] = chosen.isoformat()
    st.query_params["as_of"] = chosen.isoformat()
    return chosen


def week_before(day: date) -> date:
    return day - timedelta(days=7)


def milestone_params(s: Settings, day: date) -> dict:
    """The calendar from settings, as the parallel lists milestone_countdown.sql binds."""
    return {"as_of": day, "names": [m.name for m in s.milestones], "dates": [m.on for m in s.milestones],
            "kinds": [m.kind for m in s.milestones], "notes": [m.note for m in s.milestones]}


def next_milestone(s: Settings, day: date) -> dict | None:
    """The calendar's next milestone as of the day (name, on_date, days_left, …), None when all are past."""
    calendar = query("milestone_countdown", **milestone_params(s, day))
    upcoming = calendar[calendar["is_next"]]
    return upcoming.iloc[0].to_dict() if len(upcoming) else None
