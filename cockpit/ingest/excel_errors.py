"""Excel's error values (#DIV/0!, #N/A, ...): as text in a CSV Excel saved, or as error cells in an .xlsx.

A cell holding one is a formula that failed, not a value: the importer names it as such rather than
as an empty or unreadable cell. python-calamine reads an error cell of an .xlsx as empty, so the
sheet's XML is looked at for them, and only for the cells the importer found empty where a value is
required (a scan of the whole sheet, too slow to make for every file).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd

EXCEL_ERRORS = frozenset({"#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!",
                          "#SPILL!", "#CALC!", "#GETTING_DATA"})


def error_reason(error: str) -> str:
    return f"单元格是 Excel 公式错误 {error}，请在 Excel 中改正公式后重新导出"


def error_cells(text: pd.Series) -> pd.Series:
    """The cells of a text column that are an Excel error value, as that value (trimmed)."""
    marked = text.str.contains("#", regex=False)  # one vectorised look; most columns have none
    if not marked.any():
        return text.iloc[:0]
    trimmed = text[marked].str.strip()
    return trimmed[trimmed.isin(EXCEL_ERRORS)]


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_ERROR_CELL = re.compile(rb"<c\b([^>]*\bt=\"e\"[^>]*)>(.*?)</c>", re.S)
_REFERENCE = re.compile(rb"\br=\"([A-Z]{1,3})([0-9]+)\"")
_VALUE = re.compile(rb"<v>([^<]*)</v>")


def sheet_error_cells(path: Path, sheet_name: str) -> dict[tuple[int, int], str]:
    """(Excel row number, column position from 0) -> error value, for every error cell of the sheet;
    empty when the workbook cannot be read this way (the importer then says what it said before)."""
    try:
        with zipfile.ZipFile(path) as archive:
            part = _sheet_part(archive, sheet_name)
            xml = archive.read(part) if part else b""
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, ET.ParseError):
        return {}
    found = {}
    for cell in _ERROR_CELL.finditer(xml):
        reference, value = _REFERENCE.search(cell.group(1)), _VALUE.search(cell.group(2))
        if reference and value:
            found[(int(reference.group(2)), _column_position(reference.group(1).decode()))] = value.group(1).decode()
    return found


def _sheet_part(archive: zipfile.ZipFile, sheet_name: str) -> str | None:
    """The zip member holding the sheet of this name (workbook.xml names it, its relations say where)."""
    book = ET.fromstring(archive.read("xl/workbook.xml"))
    ids = [s.get(_REL_ID) for s in book.iter(f"{_MAIN}sheet") if s.get("name") == sheet_name]
    if not ids:
        return None
    relations = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = next((r.get("Target") for r in relations.iter(f"{_RELS}Relationship") if r.get("Id") == ids[0]), None)
    if not target:
        return None
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))


def _column_position(letters: str) -> int:
    position = 0
    for letter in letters:
        position = position * 26 + ord(letter) - ord("A") + 1
    return position - 1
