"""Download files of what a page shows (a problem list, a ranking): .xlsx and .csv bytes.

The pages hand over the DataFrame they display, the columns to keep with their Chinese headers,
and a few notes (data date, filters, export time) so a sheet printed or forwarded later still says
what it is. Both formats go to office staff who open them in Excel, so:

- cells keep their types in the workbook (dates are real dates, numbers stay numbers), so that
  sorting and filtering in Excel work;
- the CSV carries a UTF-8 byte order mark, without which Excel on Chinese Windows reads it as GBK
  and shows mojibake;
- text that Excel would take for a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return at the
  start) gets a leading apostrophe, as OWASP advises against CSV/formula injection: problem
  descriptions are typed by the public and inspectors, and must never run as formulas.

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
MAX_WIDTH = 60
MIN_WIDTH = 6
# Excel refuses these in sheet names, and a sheet name may have at most 31 characters.
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
# Windows refuses these in file names; a browser would rename the download anyway.
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


def plain(value, kind: str | None = None):
    """One cell as a plain Python value: None, date, datetime, bool, int, float or defused str.

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
    return defuse(str(value))


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
    """The Chinese headers, defused like any other text."""
    return [defuse(str(header)) for header in columns.values()]


def _widths(headers: Sequence[str], rows: Iterable[Sequence]) -> list[int]:
    """Column widths that fit the longest header or value, with a little room, capped at MAX_WIDTH."""
    widths = [display_width(h) for h in headers]
    for row in rows:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], display_width(as_text(value)))
    return [min(max(w + 2, MIN_WIDTH), MAX_WIDTH) for w in widths]


def safe_sheet_name(name: str) -> str:
    """A name Excel accepts: no []:*?/\\, no leading or trailing apostrophe, at most 31 characters."""
    cleaned = _BAD_SHEET_CHARS.sub("_", str(name)).strip("'")[:31]
    return cleaned or "数据"


def _write_cell(sheet, row: int, col: int, value, formats: dict) -> None:
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
        sheet.write_number(row, col, value)
    else:
        sheet.write_string(row, col, value)


def _write_notes(workbook, notes: Iterable[tuple[str, object]], formats: dict) -> None:
    """The 说明 sheet: one (label, value) pair a row, labels bold, so a printout explains itself."""
    sheet = workbook.add_worksheet(NOTES_SHEET)
    rows = [[plain(label), plain(value)] for label, value in notes]
    for r, (label, value) in enumerate(rows):
        if label is not None:
            sheet.write_string(r, 0, as_text(label), formats["bold"])
        _write_cell(sheet, r, 1, value, formats)
    for c, width in enumerate(_widths(["", ""], rows)):
        sheet.set_column(c, c, width)


def to_xlsx(frame: pd.DataFrame, columns: Mapping[str, str], sheet_name: str,
            notes: Iterable[tuple[str, object]] = ()) -> bytes:
    """An .xlsx with the data on sheet `sheet_name` and the notes on sheet 说明.

    Only `columns` (frame column → Chinese header) are written, in their order. The header row is
    bold, frozen and carries an autofilter, so a long list stays readable and sortable in Excel.
    """
    headers = _headers(columns)
    rows = _rows(frame, columns)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    formats = {"bold": workbook.add_format({"bold": True}),
               "date": workbook.add_format({"num_format": DATE_FORMAT}),
               "datetime": workbook.add_format({"num_format": DATETIME_FORMAT})}
    name = safe_sheet_name(sheet_name)
    if name == NOTES_SHEET:
        name = "数据"
    sheet = workbook.add_worksheet(name)
    for c, header in enumerate(headers):
        sheet.write_string(0, c, header, formats["bold"])
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            _write_cell(sheet, r, c, value, formats)
    if headers:
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, len(rows), len(headers) - 1)
        for c, width in enumerate(_widths(headers, rows)):
            sheet.set_column(c, c, width)
    _write_notes(workbook, notes, formats)
    workbook.close()
    return buffer.getvalue()


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
        writer.writerows([defuse(str(label)), defuse(as_text(value))] for label, value in notes)
        writer.writerow([])
    writer.writerow(_headers(columns))
    writer.writerows([as_text(v) for v in row] for row in _rows(frame, columns))
    return text.getvalue().encode("utf-8-sig")


def file_name(stem: str, as_of: date | datetime | str | None, ext: str) -> str:
    """A download name such as 逾期问题-2026-06-10.xlsx: what it is and how fresh, safe on Windows."""
    clean = _BAD_FILE_CHARS.sub("_", str(stem)).strip() or "导出"
    suffix = ext.lstrip(".")
    if as_of is None or as_of == "":
        return f"{clean}.{suffix}"
    day = as_of.strftime("%Y-%m-%d") if isinstance(as_of, date) else str(as_of)
    return f"{clean}-{day}.{suffix}"
