"""Cell values as exports write them -> typed values, column at a time.

Every parser takes a Series of text (empty string = no value) and returns (values, reasons): the
parsed Series and a Series of Chinese reasons, None where the cell was fine. They never raise on
bad input.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa

from cockpit.store import scratch

# Every character Python's str.isspace() accepts (tests check this against Python itself): a cell
# "has text" when str.strip() leaves something, i.e. when it holds a character outside this set.
PYTHON_SPACES = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
                 "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_SPACES = re.compile(r"[\s\u3000]+")
# Unicode's format characters (category Cf; tests check this against Python's Unicode data): the
# zero-width space, soft hyphen, word joiner, a BOM inside text, direction marks. Invisible, they make
# two ids, units or status words that look the same differ, so they are removed from every cell.
FORMAT_CHARACTERS = ("\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
                     "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
                     "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
                     "\U000e0020-\U000e007f")
_FORMAT = re.compile(f"[{FORMAT_CHARACTERS}]+")
# Control characters (NUL and the like) that exports sometimes leak, and the format characters; tabs
# and line breaks stay in text.
_CONTROL = f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f{FORMAT_CHARACTERS}]"
_SERIAL = re.compile(r"^\d{4,5}(?:\.\d+)?$")
_FIVE_DIGITS = r"\d{5}(?:\.\d+)?"
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
YEAR_RANGE = (2000, 2099)
CHINA_LNG, CHINA_LAT = (73.0, 136.0), (3.0, 54.0)


def _none(index) -> pd.Series:
    return pd.Series(np.full(len(index), None, dtype=object), index=index, dtype=object)


def normalise(text: pd.Series) -> pd.Series:
    """Full-width digits and letters to ASCII, format characters removed, spaces trimmed (for ids,
    numbers and dates)."""
    return _ascii_vectorised(text, lambda t: t.str.strip(_ASCII_SPACES),
                             lambda s: without_format(unicodedata.normalize("NFKC", s)).strip())


def without_format(text: str) -> str:
    """One text without format characters (FORMAT_CHARACTERS)."""
    return _FORMAT.sub("", text)


def _without_spaces(text: pd.Series) -> pd.Series:
    """_SPACES.sub('', cell) for every cell: Python's \\s spelt out, so Arrow's regex does it all."""
    return text.astype("str").str.replace(f"[{PYTHON_SPACES}]+", "", regex=True)


# The ASCII characters that str.strip() and the \s of a str pattern both treat as space.
_ASCII_SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f "


def _ascii_vectorised(text: pd.Series, on_ascii, per_cell) -> pd.Series:
    """per_cell applied to every cell, with ASCII cells done by one vectorised call.

    on_ascii must give what per_cell gives for an ASCII cell (NFKC leaves ASCII as it is, and among
    ASCII characters Python's spaces are exactly _ASCII_SPACES); most cells of an export are ASCII
    (ids, dates, numbers), and a Python call per cell was most of an import's time.
    """
    if len(text) == 0:
        return text.map(per_cell)
    text = text.astype("str")
    values = on_ascii(text)
    other = ~text.str.isascii()
    if other.any():
        values[other] = [per_cell(s) for s in text[other]]
    return values


def _without_controls(text: pd.Series) -> pd.Series:
    found = text.str.contains(_CONTROL, regex=True)  # seldom any: looking is half the cost of replacing
    if not found.any():
        return text
    text = text.copy()
    text[found] = text[found].str.replace(_CONTROL, "", regex=True)
    return text


def parse_id(text: pd.Series):
    clean = _without_controls(normalise(text))
    return _without_spaces(clean).replace("", None), _none(text.index)


def parse_name(text: pd.Series):
    """Names lose every space, full-width ones included, so '市 城管局 ' and '市城管局' are one unit."""
    return _without_spaces(_without_controls(text)).replace("", None), _none(text.index)


def parse_text(text: pd.Series):
    return _without_controls(text).str.strip().replace("", None), _none(text.index)


def parse_timestamp(text: pd.Series, order: str = "ymd"):
    """ISO, 2023/8/18 16:07, 2023年8月18日, 12-hour times (2023/8/18 下午 4:07:00, 4:07:00 PM) and Excel
    serial numbers; impossible dates and times are errors. order ("ymd", "mdy" or "dmy": a mapping's
    date_order) says how a date that does not start with its year is read (01/05/2015, 1/1/20 0:05);
    under "ymd" such a date is never guessed: its reason names the setting."""
    clean = normalise(text)
    values = _plain_times(clean, order)
    rest = values.isna() & (clean != "")
    if rest.any():
        values[rest] = _other_times(clean[rest], order)
    reasons = _none(text.index)
    unread = values.isna() & (clean != "")
    if unread.any():
        reasons[unread] = _unread_reasons(clean[unread], order)
    years = values.dt.year
    bad_year = values.notna() & ((years < YEAR_RANGE[0]) | (years > YEAR_RANGE[1]))
    reasons[bad_year] = f"日期年份不合理（应在 {YEAR_RANGE[0]} 到 {YEAR_RANGE[1]} 年之间）"
    values[bad_year] = pd.NaT
    return values.astype("datetime64[us]"), reasons


DATE_ORDERS = ("ymd", "mdy", "dmy")
DATE_ORDER_LABELS = {"ymd": "年在前（2023-08-18、2023/8/18）", "mdy": "月在前（01/05/2015 = 2015年1月5日）",
                     "dmy": "日在前（05/01/2015 = 2015年1月5日）"}
ORDER_NEEDED = ("月、日写在年前面的日期（如 01/05/2015），无法确定月和日哪个在前；"
                "请在该平台的映射文件中设置 date_order = \"mdy\"（月在前）或 \"dmy\"（日在前）")
_IMPOSSIBLE_DATE = "日期不存在（月或日超出范围，如2月30日）"
_IMPOSSIBLE_TIME = "时间不存在（时应在 0 到 23、分和秒在 0 到 59 之间，12 小时制应为 1 到 12 点；24:00 请写作次日 0:00）"


def _unread_reasons(clean: pd.Series, order: str) -> list[str]:
    """Why each cell that no reader could read is not a time: its shape read once more by _read_dates."""
    _values, codes = _read_dates(clean, order)
    impossible_date = _IMPOSSIBLE_DATE if order == "ymd" else f"{_IMPOSSIBLE_DATE[:-1]}；按 date_order = \"{order}\" 读）"
    reasons = {"order": ORDER_NEEDED, "date": impossible_date, "time": _IMPOSSIBLE_TIME}
    return [reasons.get(code, "无法识别的日期") for code in codes]


# The forms nearly every export writes its times in, each as (RE2 pattern, DuckDB strptime format).
# DuckDB's try_strptime reads a column of one form five to ten times quicker than pandas, and gives
# NULL for an impossible time (2月30日, 24:00), which then goes the long way with any other cell.
# Years 1900-2099 only: pandas reads those too (bad years get their reason the same either way).
_YEAR = "(?:19|20)[0-9]{2}"
_TIME_FORMS = [
    (rf"^{_YEAR}-[0-9]{{2}}-[0-9]{{2}} [0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}$", "%Y-%m-%d %H:%M:%S"),
    (rf"^{_YEAR}/[0-9]{{1,2}}/[0-9]{{1,2}} [0-9]{{1,2}}:[0-9]{{2}}$", "%Y/%m/%d %H:%M"),
    (rf"^{_YEAR}/[0-9]{{1,2}}/[0-9]{{1,2}} [0-9]{{1,2}}:[0-9]{{2}}:[0-9]{{2}}$", "%Y/%m/%d %H:%M:%S"),
    (rf"^{_YEAR}-[0-9]{{2}}-[0-9]{{2}} [0-9]{{2}}:[0-9]{{2}}$", "%Y-%m-%d %H:%M"),
    (rf"^{_YEAR}-[0-9]{{2}}-[0-9]{{2}}$", "%Y-%m-%d"),
    (rf"^{_YEAR}/[0-9]{{1,2}}/[0-9]{{1,2}}$", "%Y/%m/%d"),
]


# An Excel serial number (days since 1899-12-30) as text, short enough that DuckDB and pandas read
# the same float: read by DuckDB, then turned into a time the way _parse_loose does.
_PLAIN_SERIAL = r"^[0-9]{5}(?:\.[0-9]{1,10})?$"


def _plain_times(clean: pd.Series, order: str) -> pd.Series:
    """The cells in the form of the column's first cell, when that is one of _TIME_FORMS, a serial
    number or a form _read_dates reads (a date not year-first, a 12-hour time), read by DuckDB; NaT
    for the others (a column keeps to one form: one is looked for, not all)."""
    written = clean[clean != ""]
    first = written.iloc[0] if len(written) else ""
    if re.match(_PLAIN_SERIAL, first):
        days = _read_plain(clean, _PLAIN_SERIAL, "cast(cell as double)").to_numpy(zero_copy_only=False)
        return _from_serial(pd.Series(days, index=clean.index, dtype="float64")).astype("datetime64[us]")
    form = next(((pattern, format) for pattern, format in _TIME_FORMS if re.match(pattern, first)), None)
    if form is None:
        if first and GENERAL_DATE.match(first):
            return _read_dates(clean, order)[0]
        return pd.Series(pd.NaT, index=clean.index, dtype="datetime64[us]")
    read = _read_plain(clean, form[0], "try_strptime(cell, $format)", format=form[1])
    return pd.Series(read.to_numpy(), index=clean.index).astype("datetime64[us]")


# Every written form of a date with an optional time: year, month and day in the order the mapping's
# date_order says (a four-digit first part is a year under any order), 上午/下午 or AM/PM before or
# after the time. Groups: a, b, c the date's parts as written; p1, p2 the 12-hour mark; H, M, S.
_MERIDIEM = r"(上午|下午|AM|PM|A\.M\.|P\.M\.)"
_GENERAL_PATTERN = (
    r"^([0-9]{1,4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,4})\s*日?"
    rf"(?:[\sT]*{_MERIDIEM}?\s*([0-9]{{1,2}})\s*[:：时]\s*([0-9]{{1,2}})\s*分?"
    rf"(?:\s*[:：]?\s*([0-9]{{1,2}}(?:\.[0-9]+)?)\s*秒?)?\s*{_MERIDIEM}?)?$"
)
GENERAL_DATE = re.compile(_GENERAL_PATTERN, re.IGNORECASE)
# Per cell: the parts read as numbers (year by date_order, two-digit years in 2000-2099 where the
# year comes last), whether the date and the time exist, then the time and why there is none.
_READ_DATES_SQL = """
with parts as (
    select regexp_extract(cell, $pattern, ['a', 'b', 'c', 'p1', 'H', 'M', 'S', 'p2']) as x from cells
), named as (
    select x.a <> '' as matched, length(x.a) = 4 as year_first,
           upper(replace(coalesce(nullif(x.p1, ''), nullif(x.p2, '')), '.', '')) as meridiem,
           case when length(x.a) = 4 then x.a when $order <> 'ymd' and length(x.c) in (2, 4) then x.c end as y,
           case when length(x.a) = 4 then x.b when $order = 'mdy' then x.a else x.b end as m,
           case when length(x.a) = 4 then x.c when $order = 'mdy' then x.b else x.a end as d,
           coalesce(try_cast(nullif(x.H, '') as integer), 0) as h,
           coalesce(try_cast(nullif(x.M, '') as integer), 0) as mi,
           coalesce(try_cast(nullif(x.S, '') as double), 0) as s
    from parts
), numbered as (
    select *, try_cast(y as integer) + case when length(y) = 2 then 2000 else 0 end as year,
           try_cast(m as integer) as month, try_cast(d as integer) as day,
           case when meridiem in ('PM', '下午') then h % 12 + 12 when meridiem in ('AM', '上午') then h % 12
                else h end as hour
    from named
), checked as (
    select *, length(d) <= 2 and try_cast(printf('%04d-%02d-%02d', year, month, day) as date) is not null as date_exists,
           hour < 24 and mi < 60 and s < 60 and (meridiem is null or h between 1 and 12) as time_exists
    from numbered
)
select case when matched and date_exists and time_exists then make_timestamp(year, month, day, hour, mi, s) end as value,
       case when not matched then null when not year_first and $order = 'ymd' then 'order'
            when not coalesce(date_exists, false) then 'date' when not time_exists then 'time' end as code
from checked
"""


def _read_dates(clean: pd.Series, order: str) -> tuple[pd.Series, list]:
    """Every cell in _GENERAL_PATTERN's forms read by one pass of DuckDB: (times, NaT elsewhere; per
    cell None, or why a cell of that shape is no time: "order" (not year-first, no date_order),
    "date" or "time" (impossible))."""
    cells = pa.table({"cell": pa.array(clean.array, type=pa.large_string())})
    read = scratch.compute(_READ_DATES_SQL, {"pattern": f"(?i){_GENERAL_PATTERN}", "order": order}, cells=cells)
    values = pd.Series(read.column("value").to_numpy(), index=clean.index).astype("datetime64[us]")
    return values, read.column("code").to_pylist()


def _from_serial(days: pd.Series) -> pd.Series:
    """Excel serial numbers (days, with the time as a fraction) to times to the second; NaT outside
    the plausible range (1954-2119)."""
    return (_EXCEL_EPOCH + pd.to_timedelta(days.where(days.between(20000, 80000)), unit="D")).dt.round("s")


def _read_plain(clean: pd.Series, pattern: str, expression: str, **params) -> pa.ChunkedArray:
    """Per cell, the SQL expression of `cell` where the cell wholly matches the RE2 pattern, else
    NULL: one pass of DuckDB over the column (pandas would check the pattern, or fall back to
    Python's re cell by cell)."""
    cells = pa.table({"cell": pa.array(clean.array, type=pa.large_string())})
    sql = f"select case when regexp_full_match(cell, $pattern) then {expression} end as value from cells"
    return scratch.compute(sql, {"pattern": pattern, **params}, cells=cells).column("value")


def _other_times(clean: pd.Series, order: str) -> pd.Series:
    # A five-digit number (an Excel serial such as 45986.6154) is never an ISO date (pandas reads
    # none of the 600,000 forms 00000-99999, with or without a fraction): it goes straight to the
    # serial reading, sparing pandas a slow failure on each (a third of an .xlsx column's parse).
    values = _iso_times(clean.where(~clean.str.fullmatch(_FIVE_DIGITS), ""))
    rest = values.isna() & (clean != "")
    if rest.any():
        values[rest] = _parse_loose(clean[rest], order)
    return values


# A time written with its offset from UTC (2026-11-01 08:00:00+08:00, …Z), as some platforms export.
_ZONED = re.compile(r"\d:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})$", re.IGNORECASE)
_BEIJING = dt.timezone(dt.timedelta(hours=8))


def _iso_times(clean: pd.Series) -> pd.Series:
    """ISO 8601 text to naive Beijing time: the ledger's times are local, so a time carrying an offset
    is converted to Beijing time (pandas refuses a column that mixes the two)."""
    # The offset (Z, +08:00, -0500) sits in the last 6 characters: only cells with one of its signs
    # there are matched against the whole pattern (a sevenfold quicker test for every other cell).
    zoned = clean.str.slice(-6).str.contains("[Zz+-]")
    if zoned.any():
        zoned[zoned] = clean[zoned].str.contains(_ZONED)
    values = pd.to_datetime(clean.where(~zoned, ""), format="ISO8601", errors="coerce")
    if zoned.any():
        with_offset = pd.to_datetime(clean[zoned], format="ISO8601", errors="coerce", utc=True)
        values[zoned] = with_offset.dt.tz_convert(_BEIJING).dt.tz_localize(None)
    return values


def _parse_loose(text: pd.Series, order: str) -> pd.Series:
    serial = text.where(text.str.match(_SERIAL), None)
    days = pd.to_numeric(serial, errors="coerce")
    from_serial = _from_serial(days)
    # A serial number has at most one separator and a date needs two, so the dates are only read
    # from the other cells (an .xlsx column of serials was a second of its import).
    others = text[serial.isna()]
    if others.empty:
        return from_serial
    stamp = _read_dates(others, order)[0].reindex(text.index)
    return stamp.fillna(from_serial)


def parse_date(text: pd.Series, order: str = "ymd"):
    values, reasons = parse_timestamp(text, order)
    return values.dt.normalize().dt.date.where(values.notna(), None), reasons


def _number_text(text: pd.Series) -> pd.Series:
    # The spaces spelt out rather than \s, which pandas hands to Python's re cell by cell.
    return normalise(text).str.replace(f"[,，°度{PYTHON_SPACES}]", "", regex=True)


# A plain decimal (109.043788, -3, 0.5), short enough that DuckDB and pandas read the same float:
# DuckDB's cast reads these about ten times quicker than pandas.to_numeric.
_PLAIN_NUMBER = r"^-?[0-9]{1,15}(?:\.[0-9]{1,15})?$"


def parse_number(text: pd.Series):
    clean = normalise(text)
    values = pd.Series(_read_plain(clean, _PLAIN_NUMBER, "cast(cell as double)").to_numpy(zero_copy_only=False),
                       index=text.index, dtype="float64")
    reasons = _none(text.index)
    other = values.isna() & (clean != "")
    if other.any():
        tidy = _number_text(clean[other])
        read = pd.to_numeric(tidy.replace("", None), errors="coerce").astype("float64")
        read = read.where(np.isfinite(read))  # "inf", "1e999" and "NaN" are not numbers in a ledger
        values[other] = read
        reasons[read.index[read.isna() & (tidy != "")]] = "不是数字"
    return values, reasons


_LARGEST_INTEGER = 2.0 ** 53  # beyond this a float no longer holds every integer


def parse_integer(text: pd.Series):
    values, reasons = parse_number(text)
    fractional = values.notna() & (values != values.round())
    reasons[fractional] = "应为整数"
    too_large = values.abs() > _LARGEST_INTEGER
    reasons[too_large] = "数值过大"
    return values.where(~(fractional | too_large)).astype("Int64"), reasons


def parse_rate(text: pd.Series):
    """0.865, 86.5 and '86.5%' are all 86.5%: values above 1 are percentages."""
    clean = _number_text(text)
    has_percent = clean.str.endswith("%")
    values, reasons = parse_number(clean.str.rstrip("%"))
    values = values.where(~(has_percent | (values > 1)), values / 100)
    out_of_range = values.notna() & ((values < 0) | (values > 1))
    reasons[out_of_range] = "比率应在 0 到 100% 之间"
    return values.where(~out_of_range), reasons


def parse_words(text: pd.Series, vocabulary: dict[str, str], *, strict: bool, what: str):
    """Map words onto our vocabulary; strict: an unknown word is an error, else it is kept as written."""
    keys = text.map(word_key)
    values = keys.map(vocabulary)
    unknown = values.isna() & (keys != "")
    reasons = _none(text.index)
    if strict:
        reasons[unknown] = text[unknown].map(lambda s: f"未知的{what}“{without_format(s).strip()}”")
    else:
        values[unknown] = text[unknown].map(lambda s: _SPACES.sub("", without_format(s)))
    return values.astype(object).where(values.notna(), None), reasons


# How every reason for a location that was dropped ends (the import counts those rows by it).
LOCATION_LOST = "，按无位置导入"


def word_key(text: object) -> str:
    """A word or header as compared: without spaces (full-width ones too), format characters and case."""
    return _SPACES.sub("", without_format(str(text))).lower()


def fix_coordinates(lng: pd.Series, lat: pd.Series):
    """Swap longitude/latitude written the wrong way round; drop zero, half or out-of-China pairs.

    Returns (lng, lat, reasons); a reason here never rejects the row: it only loses its location.
    """
    def inside(x, y):
        return x.between(*CHINA_LNG) & y.between(*CHINA_LAT)

    swapped = ~inside(lng, lat) & inside(lat, lng)
    lng, lat = lng.where(~swapped, lat), lat.where(~swapped, lng)
    present = lng.notna() | lat.notna()
    invalid = present & ~inside(lng, lat)
    reasons = _none(lng.index)
    reasons[swapped] = "经纬度写反，已自动对调"
    lost = LOCATION_LOST
    reasons[invalid] = "坐标不在中国境内" + lost
    reasons[invalid & ((lng == 0) | (lat == 0))] = "坐标为 0" + lost
    reasons[invalid & lat.isna()] = "只有经度、缺少纬度" + lost
    reasons[invalid & lng.isna()] = "只有纬度、缺少经度" + lost
    return lng.where(~invalid, np.nan), lat.where(~invalid, np.nan), reasons
