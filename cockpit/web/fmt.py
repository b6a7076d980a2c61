"""Numbers, dates and text as the pages write them: percentages, counts, deltas, Chinese dates,
and any text from a file or the URL made safe for Markdown."""

from __future__ import annotations

import math
import re

import pandas as pd

# How date boxes and date columns write a date (a date box would write 2026/11/08 by default).
DATE_FORMAT = "YYYY-MM-DD"
DATETIME_FORMAT = "YYYY-MM-DD HH:mm"

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


def month_day(value) -> str:
    """A date within the coming weeks, as the wall says it: 12月7日."""
    if missing(value):
        return "—"
    day = pd.Timestamp(value)
    return f"{day.month}月{day.day}日"


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
