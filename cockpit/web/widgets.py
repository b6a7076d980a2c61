"""What every page draws alike: its heading, problem tables, the progress filters, download buttons,
charts and metrics."""

from __future__ import annotations

from datetime import date, datetime
from typing import Callable

import pandas as pd
import streamlit as st

from cockpit.draw import charts, plotly_html
from cockpit.outputs import exports
from cockpit.settings import Settings
from cockpit.vocab import filters
from cockpit.web import access, screen
from cockpit.web.cached import data_version, one_row, query
from cockpit.web.fmt import DATE_FORMAT, DATETIME_FORMAT, cn_date, md, missing, num, pct
from cockpit.web.wallmode import big_screen

EMPTY_MESSAGE = "还没有导入数据。请用“python -m cockpit import 文件或文件夹”导入任务平台的导出文件。"


def heading(title: str) -> None:
    """The page's title; on the wall the frame's header line carries it."""
    if not big_screen():
        st.header(title)


LIST_LIMIT = 500  # rows sent to the browser per list or ranking; the export carries them all


def count_in_list(frame) -> int:
    """How many rows a limited list holds in all: its queries give it on every row (0 when none)."""
    return int(frame["count_in_list"].iloc[0]) if len(frame) else 0


def list_limit_note(count: int) -> None:
    """Say so when a list of count rows shows only its first LIST_LIMIT."""
    if count > LIST_LIMIT:
        st.caption(f"只列出排在最前的 {LIST_LIMIT} 个；导出文件包含全部 {num(count)} 个。")


def chart(container, fig) -> None:
    """A plotly figure, drawn by the vendored plotly.js basic bundle (cockpit.plotly_html)."""
    container.html(plotly_html.figure_html(fig), unsafe_allow_javascript=True)


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
        found = st.date_input("发现日期（起止）", value=(), key="found", bind="query-params", format=DATE_FORMAT)
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


def download_buttons(stem: str, day: date, make_frame: Callable, columns: dict, notes: list, key: str,
                     chosen: dict | None = None) -> None:
    """Excel and CSV downloads of a table. make_frame runs only when a button is clicked, on its own
    thread (so it must not call Streamlit), which keeps big lists off every page run. chosen (the
    filters STRUCT) names the file after the filter, so 逾期问题-东关街道-… says whose list it is."""
    tag = filters.tag(chosen) if chosen else ""
    def with_stamp(frame):
        return [*notes, ("导出时间", datetime.now().strftime("%Y-%m-%d %H:%M")), ("行数", str(len(frame)))]

    def as_xlsx() -> bytes:
        frame = make_frame()
        return exports.to_xlsx(frame, columns, stem, with_stamp(frame), as_of=day)

    def as_csv() -> bytes:
        frame = make_frame()
        return exports.to_csv(frame, columns, with_stamp(frame))

    row = st.container(horizontal=True)
    row.download_button("导出 Excel", as_xlsx, file_name=exports.file_name(stem, day, "xlsx", tag), key=f"{key}_xlsx",
                        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")
    row.download_button("导出 CSV", as_csv, file_name=exports.file_name(stem, day, "csv", tag), key=f"{key}_csv",
                        mime="text/csv", on_click="ignore")


def problem_columns() -> dict:
    """Column titles and formats for problem fields, the same on every page that lists problems."""
    return {
        "problem_id": "问题编号", "unit_name": "责任单位", "district": "区县", "street": "街道/乡镇", "place": "地点",
        "category": "问题类别", "description": st.column_config.TextColumn("问题描述", width="medium"),
        "state": "状态", "status": "状态", "light": "亮灯", "source": "问题来源",
        "found_at": st.column_config.DatetimeColumn("发现时间", format=DATETIME_FORMAT),
        "due_on": st.column_config.DateColumn("整改时限", format=DATE_FORMAT),
        "days_overdue": st.column_config.NumberColumn("逾期天数", format="%d"),
        "days_unchanged": st.column_config.NumberColumn("未更新天数", format="%d"),
        "rectified_at": st.column_config.DatetimeColumn("整改完成时间", format=DATETIME_FORMAT),
        "checked_at": st.column_config.DatetimeColumn("复核时间", format=DATETIME_FORMAT),
        "closed_at": st.column_config.DatetimeColumn("销号时间", format=DATETIME_FORMAT),
        "return_count": st.column_config.NumberColumn("退回次数", format="%d"),
        "export_on": st.column_config.DateColumn("导出日期", format=DATE_FORMAT),
        "file_name": "来源文件",
    }


RATE_DECIMALS = 1  # a rate on a laptop table reads as the wall, the bulletin and the Excel exports write it: 84.8%
# Streamlit writes a "percent" column with its step's decimal places less two: 0.001 for one decimal.
RATE_STEP = 10 ** -(RATE_DECIMALS + 2)


def rate_column(label: str, *, bar: bool = False, help: str | None = None):
    """A column of rates (fractions 0–1) shown as percentages with RATE_DECIMALS decimals, 84.8%; the cells
    stay numbers, so the column sorts by value. bar: drawn as a bar from 0 to 100%. Draw the table with table()."""
    if bar:
        return st.column_config.ProgressColumn(label, min_value=0, max_value=1, format="percent", step=RATE_STEP,
                                               help=help)
    return st.column_config.NumberColumn(label, format="percent", step=RATE_STEP, help=help)


def table(container, frame: pd.DataFrame, column_config: dict, **options):
    """container.dataframe(frame) with column_config, its rate_column columns first rounded to the percentage
    fmt.pct writes: Streamlit cuts a number to its column's step instead of rounding it (0.8479 would read
    84.7%). Only the shown copy is rounded; an export made from frame keeps the exact rates."""
    rates = [name for name, config in column_config.items() if _is_rate(config) and name in frame.columns]
    shown = frame.assign(**{name: frame[name].map(_as_shown) for name in rates})
    return container.dataframe(shown, column_config=column_config, **options)


def _is_rate(config) -> bool:
    return isinstance(config, dict) and config.get("type_config", {}).get("format") == "percent"


def _as_shown(rate):
    """The percentage fmt.pct writes, read back as a fraction: 0.8479 -> "84.8%" -> 0.848. Rounding it with
    numpy instead (scale, then round half to even) would turn 0.2875, which fmt.pct writes 28.7%, into 0.288."""
    return rate if missing(rate) else float(pct(rate, RATE_DECIMALS).removesuffix("%") + "e-2")


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
        "closure_rate": rate_column("销号率", bar=True),
        "count_open": st.column_config.NumberColumn("在办", format="%d"),
        "count_overdue": st.column_config.NumberColumn("逾期", format="%d"),
        "on_time_rate": rate_column("按期整改率"),
        "rectification_days_median": st.column_config.NumberColumn("整改用时中位数（天）", format="%.1f"),
    }


def metric(container, label: str, value: str, delta: str | None, delta_color: str = "normal", **options) -> None:
    """st.metric, with no arrow and no colour when nothing changed (a green ↑ 0 reads as progress).
    The label is plain text (it may hold a unit's or a milestone's name): escaped for st.metric's Markdown."""
    unchanged = delta in ("0", "0.0 个百分点")
    if big_screen():
        container.html(screen.tile(label, value, delta, "off" if unchanged else delta_color))
        return
    container.metric(md(label), value, delta, delta_color="off" if unchanged else delta_color,
                     delta_arrow="off" if unchanged else "auto", **options)
