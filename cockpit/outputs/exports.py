"""Download files of what a page shows (a problem list, a ranking): .xlsx and .csv bytes.

The pages hand over the DataFrame they display, the columns to keep with their Chinese headers,
and a few notes (data date, filters, export time) so a sheet printed or forwarded later still says
what it is. Both formats go to office staff who open them in Excel, so:

- cells keep their types in the workbook (dates are real dates, numbers stay numbers), so that
  sorting and filtering in Excel work;
- the CSV carries a UTF-8 byte order mark, without which Excel on Chinese Windows reads it as GBK
  and shows mojibake;
- text that Excel would take for a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return at the
  start) must never run as one, as OWASP advises against CSV/formula injection: problem
  descriptions are typed by the public and inspectors. In the workbook such a cell keeps its text
  and carries Excel's quote-prefix style (the cell reads ``=1+2`` and stays text when edited); a
  CSV has no styles, so there the text gets a leading apostrophe;
- the workbook is ready to print and forward: rates show as percentages and fractional figures with
  one decimal (number formats, the cells stay numbers), columns are as wide as their displayed text,
  and each sheet prints landscape on A4, fitted to the page width, with the header row repeated and
  a footer giving the page number and the as-of date.

No Streamlit here: pure functions from a frame to bytes, so they are easy to test.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

import numpy as np
import pandas as pd
import xlsxwriter

NOTES_SHEET = "说明"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
# What Excel, LibreOffice and Google Sheets may read as the start of a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PERCENT_FORMAT = "0.0%"
ONE_DECIMAL_FORMAT = "0.0"
MAX_WIDTH = 60
MIN_WIDTH = 6
PAPER_A4 = 9
AS_OF_LABEL = "统计日期"
# Excel refuses these in sheet names, and a sheet name may have at most 31 characters.
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
# Windows refuses these in file names; a browser would rename the download anyway.
# Rate columns (STYLE: ``_rate`` fractions 0–1), also their changes and earlier values:
# pass_rate, rate_change, up_to_standard_rate_before.
_RATE_KEY = re.compile(r"(^|_)rate(_|$)")
_BAD_FILE_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def defuse(text: str) -> str:
    """Prefix an apostrophe to text a spreadsheet would run as a formula; other text is unchanged."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _is_missing(value) -> bool:
    """None, NaN, NaT and pd.NA all mean 'no value' and become an empty cell."""
    if value is None:
        return True
    if pd.api.types.is_scalar(value):
        try:
            return bool(pd.isna(value))
        except (TypeError, ValueError):
            return False
    return False


def _has_time(value) -> bool:
    """True for a datetime whose clock is not at midnight; DuckDB DATEs arrive as midnight datetimes."""
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, datetime):
        return (value.hour, value.minute, value.second, value.microsecond) != (0, 0, 0, 0) or (
            isinstance(value, pd.Timestamp) and value.nanosecond != 0)
    return False


def column_kind(series: pd.Series) -> str | None:
    """'date', 'datetime' or None for one column.

    DuckDB hands DATE columns to pandas as datetime64 at midnight, so a column is shown as dates
    unless some value carries a time of day; a column of timestamps that all fall at midnight is
    therefore shown as dates too, which loses nothing.
    """
    values = series.dropna()
    if pd.api.types.is_datetime64_any_dtype(series):
        return "datetime" if any(_has_time(v) for v in values) else "date"
    temporal = [v for v in values if isinstance(v, (date, np.datetime64))]
    if not temporal:
        return None
    return "datetime" if any(_has_time(v) for v in temporal) else "date"


def needs_quote_prefix(value) -> bool:
    """True for text a spreadsheet would take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def plain(value, kind: str | None = None):
    """One cell as a plain Python value: None, date, datetime, bool, int, float or str.

    Text is returned as it is; to_csv defuses it with an apostrophe and the workbook writers mark
    it with Excel's quote-prefix style (needs_quote_prefix).

    numpy and pandas scalars are unwrapped so both writers only meet built-in types; infinities
    have no place in a report and are treated as missing; time zones are dropped, keeping the
    wall-clock time the page showed.
    """
    if _is_missing(value):
        return None
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, datetime):
        if isinstance(value, pd.Timestamp):
            value = value.to_pydatetime(warn=False)
        value = value.replace(tzinfo=None)
        return value.date() if kind == "date" else value
    if isinstance(value, date):
        return value
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating, Decimal)):
        number = float(value)
        return number if math.isfinite(number) else None
    return str(value)


def as_text(value) -> str:
    """How a plain() value reads in the CSV, and how wide it is in the workbook."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        # Integer columns with a gap turn float in pandas; "3" reads better than "3.0".
        return str(int(value))
    return str(value)


def number_format(key: str, values: Sequence) -> str | None:
    """The Excel number format of one column: rates (fractions 0–1) as percentages,
    other columns holding a fractional number with one decimal, whole numbers and text as they are."""
    if _RATE_KEY.search(key):
        return PERCENT_FORMAT
    numbers = [v for v in values if isinstance(v, float)]
    if any(not v.is_integer() for v in numbers):
        return ONE_DECIMAL_FORMAT
    return None


def shown_text(value, num_format: str | None = None) -> str:
    """How a cell reads in Excel with its number format; used to size the column."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if num_format == PERCENT_FORMAT:
            return f"{value:.1%}"
        if num_format == ONE_DECIMAL_FORMAT:
            return f"{value:.1f}"
    return as_text(value)


def display_width(text: str) -> int:
    """Columns the text takes on screen: Chinese (wide and full-width) characters count as two."""
    lines = str(text).splitlines() or [""]
    return max(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line) for line in lines)


def _rows(frame: pd.DataFrame, columns: Mapping[str, str]) -> list[list]:
    """The chosen columns, in the chosen order, as rows of plain() values."""
    picked = [(frame[name], column_kind(frame[name])) for name in columns]
    cells = [[plain(v, kind) for v in series.tolist()] for series, kind in picked]
    return [list(row) for row in zip(*cells)] if cells else [[] for _ in range(len(frame))]


def _headers(columns: Mapping[str, str]) -> list[str]:
    """The Chinese headers, as plain text."""
    return [str(header) for header in columns.values()]


def _widths(headers: Sequence[str], rows: Iterable[Sequence], num_formats: Sequence[str | None] = ()) -> list[int]:
    """Column widths that fit the longest header or displayed value, with a little room, capped at
    MAX_WIDTH (a longer text wraps in its cell instead)."""
    widths = [display_width(h) for h in headers]
    num_formats = list(num_formats) or [None] * len(widths)
    for row in rows:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], display_width(shown_text(value, num_formats[i])))
    return [min(max(w + 2, MIN_WIDTH), MAX_WIDTH) for w in widths]


def safe_sheet_name(name: str) -> str:
    """A name Excel accepts: no []:*?/\\, no leading or trailing apostrophe, at most 31 characters."""
    cleaned = _BAD_SHEET_CHARS.sub("_", str(name)).strip("'")[:31]
    return cleaned or "数据"


def workbook_formats(workbook) -> dict:
    """The formats every export workbook uses, keyed by name."""
    def add(**props):
        return workbook.add_format(props)
    return {"bold": add(bold=True), "date": add(num_format=DATE_FORMAT), "datetime": add(num_format=DATETIME_FORMAT),
            PERCENT_FORMAT: add(num_format=PERCENT_FORMAT), ONE_DECIMAL_FORMAT: add(num_format=ONE_DECIMAL_FORMAT),
            "quote": add(quote_prefix=True), "wrap": add(text_wrap=True, valign="top"),
            "quote_wrap": add(quote_prefix=True, text_wrap=True, valign="top"),
            "header": add(bold=True, bottom=1), "notes_label": add(bold=True, valign="top"),
            "notes_value": add(text_wrap=True, valign="top")}


def _write_cell(sheet, row: int, col: int, value, formats: dict, num_format: str | None = None,
                wrap: bool = False) -> None:
    """One typed cell. Never worksheet.write(): it would turn text starting with '=' into a formula."""
    if value is None:
        return
    if isinstance(value, datetime):
        sheet.write_datetime(row, col, value, formats["datetime"])
    elif isinstance(value, date):
        sheet.write_datetime(row, col, value, formats["date"])
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, (int, float)):
        sheet.write_number(row, col, value, formats.get(num_format))
    elif needs_quote_prefix(value):
        sheet.write_string(row, col, value, formats["quote_wrap" if wrap else "quote"])
    else:
        sheet.write_string(row, col, value, formats["wrap"] if wrap else None)


def as_of_text(notes: Iterable[tuple[str, object]], as_of=None) -> str:
    """The as-of date for the footer: the one given, else the notes' 统计日期."""
    if as_of is None:
        as_of = next((value for label, value in notes if label == AS_OF_LABEL), None)
    if as_of is None or as_of == "":
        return ""
    return as_of.strftime("%Y-%m-%d") if isinstance(as_of, date) else str(as_of)


def print_setup(sheet, title: str, as_of: str, repeat_header: bool = True) -> None:
    """Landscape A4 fitted to the page width, header row on every page, page numbers and as-of date
    in the footer, so a long list prints as a few readable pages."""
    sheet.set_paper(PAPER_A4)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    if repeat_header:
        sheet.repeat_rows(0)
    # & starts a code in Excel's header and footer syntax; a literal one is written &&.
    sheet.set_header(f"&C{title.replace('&', '&&')}")
    stamp = f"{AS_OF_LABEL}：{as_of.replace('&', '&&')}" if as_of else ""
    sheet.set_footer(f"&L{stamp}&R第 &P 页，共 &N 页")


def write_table(workbook, name: str, frame: pd.DataFrame, columns: Mapping[str, str], formats: dict,
                as_of: str = "", num_formats: Mapping[str, str | None] | None = None, empty_text: str = ""):
    """One data sheet: bold frozen header with autofilter, typed and number-formatted cells, columns
    as wide as their displayed text (longer text wraps), set up for print. Returns the sheet.

    num_formats overrides number_format() for the columns it names."""
    sheet = workbook.add_worksheet(name)
    headers = _headers(columns)
    rows = _rows(frame, columns)
    overrides = num_formats or {}
    formats_by_column = [overrides[key] if key in overrides else number_format(key, [row[c] for row in rows])
                         for c, key in enumerate(columns)]
    widths = _widths(headers, rows, formats_by_column)
    wraps = [width >= MAX_WIDTH for width in widths]
    for c, header in enumerate(headers):
        if needs_quote_prefix(header):
            sheet.write_string(0, c, header, formats["quote"])
        else:
            sheet.write_string(0, c, header, formats["header"])
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            _write_cell(sheet, r, c, value, formats, formats_by_column[c], wraps[c])
    if headers:
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(rows), 1 if empty_text else 0), len(headers) - 1)
        for c, width in enumerate(widths):
            sheet.set_column(c, c, width)
    if not rows and empty_text:
        sheet.write_string(1, 0, empty_text)
    print_setup(sheet, name, as_of)
    return sheet


def _write_notes(workbook, notes: Iterable[tuple[str, object]], formats: dict, as_of: str = "") -> None:
    """The 说明 sheet: one (label, value) pair a row, labels bold, so a printout explains itself."""
    sheet = workbook.add_worksheet(NOTES_SHEET)
    rows = [[plain(label), plain(value)] for label, value in notes]
    widths = _widths(["", ""], rows)
    for r, (label, value) in enumerate(rows):
        if label is not None:
            sheet.write_string(r, 0, as_text(label), formats["notes_label"])
        if isinstance(value, str) and not needs_quote_prefix(value):
            sheet.write_string(r, 1, value, formats["notes_value"])
        else:
            _write_cell(sheet, r, 1, value, formats)
    for c, width in enumerate(widths):
        sheet.set_column(c, c, width)
    print_setup(sheet, NOTES_SHEET, as_of, repeat_header=False)


def to_xlsx(frame: pd.DataFrame, columns: Mapping[str, str], sheet_name: str,
            notes: Iterable[tuple[str, object]] = (), as_of=None,
            num_formats: Mapping[str, str | None] | None = None) -> bytes:
    """An .xlsx with the data on sheet `sheet_name` and the notes on sheet 说明.

    Only `columns` (frame column → Chinese header) are written, in their order. The header row is
    bold, frozen and carries an autofilter, so a long list stays readable and sortable in Excel.
    as_of (else the notes' 统计日期) goes into the print footer.
    """
    notes = list(notes)
    day = as_of_text(notes, as_of)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    formats = workbook_formats(workbook)
    name = safe_sheet_name(sheet_name)
    if name == NOTES_SHEET:
        name = "数据"
    write_table(workbook, name, frame, columns, formats, day, num_formats)
    _write_notes(workbook, notes, formats, day)
    workbook.close()
    return buffer.getvalue()


def _csv_field(value) -> str:
    """A plain() value as CSV text; text (never a number such as -5) defused with an apostrophe."""
    return defuse(value) if isinstance(value, str) else as_text(value)


def to_csv(frame: pd.DataFrame, columns: Mapping[str, str], notes: Iterable[tuple[str, object]] = ()) -> bytes:
    """A UTF-8 CSV with a byte order mark, the same columns and headers as to_xlsx.

    Dates read YYYY-MM-DD and datetimes YYYY-MM-DD HH:MM; missing values are empty fields.
    notes, when given, come first as "label,value" lines and a blank line: a CSV has no second
    sheet, and an export must say which filters, date and cut-off it was made with.
    """
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    notes = list(notes)
    if notes:
        writer.writerows([_csv_field(plain(label)), _csv_field(plain(value))] for label, value in notes)
        writer.writerow([])
    writer.writerow([defuse(h) for h in _headers(columns)])
    writer.writerows([_csv_field(v) for v in row] for row in _rows(frame, columns))
    return text.getvalue().encode("utf-8-sig")


MAX_TAG_CHARS = 30


def file_name(stem: str, as_of: date | datetime | str | None, ext: str, tag: str = "") -> str:
    """A download name such as 逾期问题-东关街道-2026-06-10.xlsx: what it is, for whom (the filter,
    when one is set) and how fresh, safe on Windows."""
    parts = [_BAD_FILE_CHARS.sub("_", str(stem)).strip() or "导出"]
    tag = _BAD_FILE_CHARS.sub("_", str(tag or "")).strip()
    if tag:
        parts.append(tag if len(tag) <= MAX_TAG_CHARS else tag[:MAX_TAG_CHARS - 1] + "等")
    if as_of is not None and as_of != "":
        parts.append(as_of.strftime("%Y-%m-%d") if isinstance(as_of, date) else str(as_of))
    return "-".join(parts) + "." + ext.lstrip(".")
