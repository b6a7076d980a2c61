"""What every page shares: settings, the as-of date, cached named queries, and number formatting."""

from __future__ import annotations

import contextvars
import html
import math
import re
import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Callable

import pandas as pd
import streamlit as st

from cockpit.draw import charts, plotly_html
from cockpit.outputs import exports
from cockpit.settings import Settings, SettingsError, load_settings, settings_path
from cockpit.store import readers, versions
from cockpit.vocab import filters
from cockpit.web import access, screen, warmup

EMPTY_MESSAGE = "还没有导入数据。请用“python -m cockpit import 文件或文件夹”导入任务平台的导出文件。"


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


def big_screen() -> bool:
    return screen.is_big_screen(st.query_params)


class WallDone(Exception):
    """Raised by a page when its wall layout is drawn (see wall_done)."""


# Set by the frame (dashboard.py) while it runs a page on the wall.
IN_WALL_FRAME = contextvars.ContextVar("in_wall_frame", default=False)


def wall_done():
    """The end of a page's wall layout. Not st.stop() inside the frame: after a stop nothing more
    can be drawn, and the frame still has to write its notices once the page has run. A page run
    on its own (AppTest's switch_page runs the file without the frame) just stops."""
    if IN_WALL_FRAME.get():
        raise WallDone
    st.stop()


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>:$~])")
# Where GitHub-flavoured Markdown turns plain text into a link: http:// and https://, www. and an
# e-mail's @. Streamlit's renderer finds these in the text after escapes are undone, so escaping
# cannot stop it; a word joiner (U+2060, invisible, never a line break) inside each one does.
_AUTOLINK_STARTS = re.compile(r"(?i)(?<=https)(?=:)|(?<=http)(?=:)|(?<=www)(?=\.)|(?=@[-\w]+\.)")
WORD_JOINER = "\u2060"


def md(value) -> str:
    """Text from a file or the URL, made safe to put into Markdown (st.markdown, st.caption, st.info,
    a metric's label, …): every Markdown character backslash-escaped and every place Markdown would
    find a bare link broken by an invisible word joiner, so a name cannot become a link, an image
    fetched from the internet, a heading or a coloured span."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _AUTOLINK_STARTS.sub(WORD_JOINER, str(value)))


def heading(title: str) -> None:
    """The page's title; on the wall the frame's header line carries it."""
    if not big_screen():
        st.header(title)


LIST_LIMIT = 500  # rows sent to the browser per list or ranking; the export carries them all


def list_limit_note(count: int) -> None:
    """Say so when a list of count rows shows only its first LIST_LIMIT."""
    if count > LIST_LIMIT:
        st.caption(f"只列出排在最前的 {LIST_LIMIT} 个；导出文件包含全部 {num(count)} 个。")


def chart(container, fig) -> None:
    """A plotly figure, drawn by the vendored plotly.js basic bundle (cockpit.plotly_html)."""
    container.html(plotly_html.figure_html(fig), unsafe_allow_javascript=True)


def wall_chart(container, title: str, svg: str) -> None:
    """A titled chart on the wall (see cockpit/draw/wallcharts.py)."""
    container.html(f"<div class='wall-title'>{html.escape(title)}</div>{svg}")


def wall_board(title: str, columns: list, rows: list[list[str]], visible: int, empty: str = "无") -> None:
    """A titled rolling board on the wall (see screen.board)."""
    st.html(f"<div class='wall-title'>{html.escape(title)}</div>" + screen.board(columns, rows, visible, empty))


class _LastGood:
    """The wall's last good result of each query, with the time it was read, so a failing query or a
    database being replaced leaves the figures on the wall (research: never a traceback on the wall)."""

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


def problem_table(frame: pd.DataFrame, column_order: list[str] | None = None, *, words: dict | None = None,
                  more_columns: dict | None = None, **options):
    """Rows of problems as every page lists them: the problem_columns titles, no index, "—" where a value
    is missing. words: {column: {code: Chinese word}} for the columns that hold codes (states, kinds);
    more_columns: titles of columns beyond the problem fields; options go to st.dataframe."""
    shown = frame.assign(**{column: frame[column].map(codes) for column, codes in (words or {}).items()})
    return st.dataframe(shown, hide_index=True, placeholder="—", column_order=column_order,
                        column_config={**problem_columns(), **(more_columns or {})}, **options)


def place_problem_table(problems: pd.DataFrame) -> None:
    """The problems at one place (place_problems.sql), open ones first: the map's and the point record's list."""
    problem_table(problems, ["problem_id", "state", "days_overdue", "unit_name", "category", "description", "due_on",
                             "found_at"], words={"state": charts.STATE_LABELS})


def has_problems(day: date, s: Settings) -> bool:
    """False (and an explanation shown) when there is nothing to show as of this date."""
    summary = one_row("progress_headline", as_of=day, due_soon_days=s.due_soon_days, filters=filters.NO_FILTERS)
    if summary.get("count_found", 0):
        return True
    if data_version() == "empty":
        st.info(EMPTY_MESSAGE)
    else:
        st.info(f"截至 {day:%Y年%m月%d日} 没有发现的问题。可在网址中用 ?as_of=YYYY-MM-DD 换一个日期。")
    return False


def problem_filters(day: date, s: Settings) -> dict:
    """The sidebar filters, bound to the URL so a view can be bookmarked; returns the filters STRUCT."""
    options = query("filter_options", as_of=day, due_soon_days=s.due_soon_days)
    with st.sidebar:
        st.subheader("筛选")
        found = st.date_input("发现日期（起止）", value=(), key="found", bind="query-params", format="YYYY-MM-DD")
        chosen = {}
        scope = access.district_scope()
        for dimension, label in filters.DIMENSIONS.items():
            if dimension == "district" and scope:  # a district login: fixed here, and forced in query()
                chosen[dimension] = [scope]
                st.multiselect(label, [scope], default=[scope], disabled=True, key="district_scope",
                               help="当前账号只能查看本区县的数据")
                continue
            values = options.loc[options["dimension"] == dimension, "option_value"].tolist()
            chosen[dimension] = st.multiselect(label, values, key=dimension, bind="query-params", placeholder="全部")
        found_from, found_to = (tuple(found) + (None, None))[:2]
        chosen_filters = filters.make(found_from, found_to, **chosen)
        st.button("清除筛选", on_click=_clear_filters, disabled=not filters.is_filtered(chosen_filters))
    return chosen_filters


def _clear_filters() -> None:
    st.session_state["found"] = ()
    for dimension in filters.DIMENSIONS:
        st.session_state[dimension] = []


def export_notes(day: date, chosen: dict, *more: tuple[str, str]) -> list[tuple[str, str]]:
    """What every export says about itself: as-of date, data cut-off, filters (and what a page adds)."""
    freshness = one_row("data_freshness")
    return [("统计日期", day.isoformat()), ("数据截至", cn_date(freshness.get("last_event_at"))),
            ("筛选条件", filters.describe(chosen)), *more]


def download_buttons(stem: str, day: date, make_frame: Callable, columns: dict, notes: list, key: str) -> None:
    """Excel and CSV downloads of a table. make_frame runs only when a button is clicked, on its own
    thread (so it must not call Streamlit), which keeps big lists off every page run."""
    def with_stamp(frame):
        return [*notes, ("导出时间", datetime.now().strftime("%Y-%m-%d %H:%M")), ("行数", str(len(frame)))]

    def as_xlsx() -> bytes:
        frame = make_frame()
        return exports.to_xlsx(frame, columns, stem, with_stamp(frame))

    def as_csv() -> bytes:
        frame = make_frame()
        return exports.to_csv(frame, columns, with_stamp(frame))

    row = st.container(horizontal=True)
    row.download_button("导出 Excel", as_xlsx, file_name=exports.file_name(stem, day, "xlsx"), key=f"{key}_xlsx",
                        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")
    row.download_button("导出 CSV", as_csv, file_name=exports.file_name(stem, day, "csv"), key=f"{key}_csv",
                        mime="text/csv", on_click="ignore")


def problem_columns() -> dict:
    """Column titles and formats for problem fields, the same on every page that lists problems."""
    return {
        "problem_id": "问题编号", "unit_name": "责任单位", "district": "区县", "street": "街道/乡镇", "place": "地点",
        "category": "问题类别", "description": st.column_config.TextColumn("问题描述", width="medium"),
        "state": "状态", "status": "状态", "light": "亮灯", "source": "问题来源",
        "found_at": st.column_config.DatetimeColumn("发现时间", format="YYYY-MM-DD HH:mm"),
        "due_on": st.column_config.DateColumn("整改时限", format="YYYY-MM-DD"),
        "days_overdue": st.column_config.NumberColumn("逾期天数", format="%d"),
        "days_unchanged": st.column_config.NumberColumn("未更新天数", format="%d"),
        "rectified_at": st.column_config.DatetimeColumn("整改完成时间", format="YYYY-MM-DD HH:mm"),
        "checked_at": st.column_config.DatetimeColumn("复核时间", format="YYYY-MM-DD HH:mm"),
        "closed_at": st.column_config.DatetimeColumn("销号时间", format="YYYY-MM-DD HH:mm"),
        "return_count": st.column_config.NumberColumn("退回次数", format="%d"),
        "export_on": st.column_config.DateColumn("导出日期", format="YYYY-MM-DD"),
        "file_name": "来源文件",
    }


BREAKDOWN_EXPORT_COLUMNS = {
    "group_name": "分组", "count_found": "问题数", "count_closed": "已销号", "closure_rate": "销号率",
    "count_open": "在办", "count_overdue": "逾期", "on_time_rate": "按期整改率",
    "rectification_days_median": "整改用时中位数（天）",
}


def breakdown_columns(group_label: str) -> dict:
    """Column titles for a progress_breakdown.sql result, shared by the pages that show one."""
    return {
        "group_name": group_label,
        "count_found": st.column_config.NumberColumn("问题数", format="%d"),
        "count_closed": st.column_config.NumberColumn("已销号", format="%d"),
        "closure_rate": st.column_config.ProgressColumn("销号率", min_value=0, max_value=1, format="percent"),
        "count_open": st.column_config.NumberColumn("在办", format="%d"),
        "count_overdue": st.column_config.NumberColumn("逾期", format="%d"),
        "on_time_rate": st.column_config.NumberColumn("按期整改率", format="percent"),
        "rectification_days_median": st.column_config.NumberColumn("整改用时中位数（天）", format="%.1f"),
    }


# ---- formatting (pages format; they never compute) --------------------------------------------

def missing(value) -> bool:
    return (value is None or value is pd.NA or value is pd.NaT
            or (isinstance(value, float) and math.isnan(value)))


def pct(rate, digits: int = 1) -> str:
    return "—" if missing(rate) else f"{rate:.{digits}%}"


def num(value) -> str:
    return "—" if missing(value) else f"{int(value):,}"


def days(value, digits: int = 1) -> str:
    return "—" if missing(value) else f"{value:.{digits}f} 天"


def cn_date(value) -> str:
    return "—" if missing(value) else f"{pd.Timestamp(value):%Y年%m月%d日}"


def short_date(value) -> str:
    return "—" if missing(value) else f"{pd.Timestamp(value):%Y-%m-%d}"


def delta_count(now, before) -> str | None:
    """A metric's change since last week, as text st.metric colours by its sign."""
    if missing(now) or missing(before):
        return None
    change = int(now) - int(before)
    return f"{change:+,}" if change else "0"


def delta_points(now, before) -> str | None:
    if missing(now) or missing(before):
        return None
    change = round((now - before) * 100, 1)
    return f"{change:+.1f} 个百分点" if change else "0.0 个百分点"


def metric(container, label: str, value: str, delta: str | None, delta_color: str = "normal", **options) -> None:
    """st.metric, with no arrow and no colour when nothing changed (a green ↑ 0 reads as progress).
    The label is plain text (it may hold a unit's or a milestone's name): escaped for st.metric's Markdown."""
    unchanged = delta in ("0", "0.0 个百分点")
    if big_screen():
        container.html(screen.tile(label, value, delta, "off" if unchanged else delta_color))
        return
    container.metric(md(label), value, delta, delta_color="off" if unchanged else delta_color,
                     delta_arrow="off" if unchanged else "auto", **options)
