"""Column widths of a Word table from what its cells hold, so a problem number or a date never breaks
over two lines and a description gets the room the short columns leave.

Word's own autofit works only when Word lays the table out, and python-docx writes a table of equal
columns; so the widths are computed here from the text, the way Word's "fit to contents" would, and
written as a fixed layout.

Short columns (numbers, dates, codes, short names) keep one line: they get their widest cell
(a header of four characters may break after two, as 逾期/天数). The long columns share what is
left by water-filling: each gets the width most of its cells need if that fits its fair share, the
rest is split among the wider ones, so a short place name is not squeezed for a long description's
sake.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt

from cockpit.outputs.exports import display_width

# Word's default cell margins (0.19 cm left and right) plus a little for borders and rounding.
CELL_PADDING = Cm(0.45)
# A column narrower than this share of the page is short: it keeps one line.
SHORT_SHARE = 0.22
# A long column's width is what this share of its cells fit in.
TYPICAL_SHARE = 0.8


def text_width(text: str, font_size: Pt) -> int:
    """The width (EMU) of the widest line of text: a Chinese character is one em, a Latin one half."""
    return math.ceil(display_width(text) * font_size / 2)


def header_width(text: str, font_size: Pt) -> int:
    """The narrowest a header may be: a header of three or more characters may take two lines."""
    width = display_width(text)
    return math.ceil((width if width <= 4 else math.ceil(width / 4) * 2) * font_size / 2)


def _water_fill(naturals: Sequence[int], room: int) -> list[int]:
    """Widths for columns sharing room: narrow ones get their natural width, the rest equal shares."""
    widths = [0] * len(naturals)
    left = list(range(len(naturals)))
    while left:
        share = room / len(left)
        fits = [i for i in left if naturals[i] <= share]
        if not fits:
            for i in left:
                widths[i] = int(share)
            break
        for i in fits:
            widths[i] = naturals[i]
            room -= naturals[i]
        left = [i for i in left if i not in fits]
    return widths


def column_widths(headers: Sequence[str], rows: Sequence[Sequence[str]], available: int,
                  font_size: Pt) -> tuple[list[int], list[bool]]:
    """(width in EMU, keeps one line) of each column, the widths adding up to available."""
    columns = range(len(headers))
    cells = [sorted(text_width(row[c], font_size) for row in rows) or [0] for c in columns]
    data = [widths[-1] for widths in cells]
    naturals = [max(data[c], header_width(headers[c], font_size)) + CELL_PADDING for c in columns]
    full = [max(data[c], text_width(headers[c], font_size)) + CELL_PADDING for c in columns]
    short = [n <= available * SHORT_SHARE for n in naturals]
    if sum(full) <= available:
        # Everything fits on one line: spread the spare room evenly so the table spans the page.
        spare = (available - sum(full)) // len(full)
        return [w + spare for w in full], [True] * len(full)
    fixed = sum(n for n, keep in zip(naturals, short) if keep)
    long_columns = [c for c in columns if not short[c]]
    if not long_columns or fixed >= available:
        scale = available / sum(naturals)
        return [int(n * scale) for n in naturals], short
    # A long column asks for what most of its cells need: one long place name may wrap, rather
    # than take the description's room in every row.
    typical = [max(cells[c][int(TYPICAL_SHARE * (len(cells[c]) - 1))], header_width(headers[c], font_size))
               + CELL_PADDING for c in long_columns]
    shares = _water_fill(typical, available - fixed)
    widths = list(naturals)
    for c, width in zip(long_columns, shares):
        widths[c] = width
    return widths, short


def _no_wrap(cell) -> None:
    properties = cell._tc.get_or_add_tcPr()
    if properties.find(qn("w:noWrap")) is None:
        properties.append(OxmlElement("w:noWrap"))


def fit_table(table, headers: Sequence[str], rows: Sequence[Sequence[str]], available: int,
              font_size: Pt) -> list[int]:
    """Give a python-docx table fixed column widths from its text; short columns do not wrap."""
    widths, short = column_widths(headers, rows, available, font_size)
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    properties = table._tbl.tblPr
    layout = properties.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        properties.append(layout)
    layout.set(qn("w:type"), "fixed")
    for c, column in enumerate(table.columns):
        column.width = Emu(widths[c])
        for r, cell in enumerate(column.cells):
            cell.width = Emu(widths[c])
            if short[c] and r > 0:
                _no_wrap(cell)
    return widths
