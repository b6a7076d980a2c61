"""The 责任体系 (chain of responsibility): checking an export's rows, and the words of its pages.

One row of the export gives a street (no 社区: the whole street), one of its communities or one grid
of a community to an area (片区) with its leader (包抓领导) and departments. Areas must partition the
city: a place given to two areas is a row error naming both, so the second row is left out.
"""

from __future__ import annotations

import pandas as pd

UNASSIGNED = "未划片区"  # the area of a problem whose street and community no area lists (as queries/ say)


def check_rows(out: pd.DataFrame, header_of: dict) -> list[tuple]:
    """(row, column, value, reason, is_fatal) for every row that repeats a place or gives it to a
    second area; fills each area's blank 包抓领导/包抓部门 with the area's first (merged cells in
    Excel leave the rows under the first blank)."""
    issues = []
    whole: dict[tuple, tuple[str, int]] = {}       # (district, street) -> (area, row) of a whole-street row
    parts: dict[tuple, tuple[str, int]] = {}       # (district, street, community) -> (area, row)
    parts_of_street: dict[tuple, dict[str, int]] = {}  # (district, street) -> {area: first row}
    seen: dict[tuple, int] = {}
    street_col = header_of.get("street", "街道")
    community_col = header_of.get("community", "社区")
    for i, area, district, street, community, grid, row in zip(
            out.index, out["area"], out["district"], out["street"], out["community"], out["grid"], out["_row_number"]):
        if _blank(area) or _blank(street):
            continue  # already an error: a required cell is empty
        row = int(row)
        d = "" if _blank(district) else str(district)
        c = None if _blank(community) else str(community)
        g = None if _blank(grid) else str(grid)
        street_key = (d, street)
        exact = (area, d, street, c, g)
        if exact in seen:
            issues.append((row, community_col if c else street_col, c or street,
                           f"与第 {seen[exact]} 行重复，只保留第一行", True))
            continue
        if c is None:
            other = whole.get(street_key)
            if other and other[0] != area:
                issues.append((row, street_col, street, _two_areas(f"街道“{street}”", other, area), True))
                continue
            clash = next(((a, r) for a, r in parts_of_street.get(street_key, {}).items() if a != area), None)
            if clash:
                issues.append((row, street_col, street,
                               f"街道“{street}”已有社区在第 {clash[1]} 行划入片区“{clash[0]}”，本行又把整个街道划入"
                               f"片区“{area}”：一个地方只能属于一个片区", True))
                continue
            whole.setdefault(street_key, (area, row))
        else:
            other = parts.get(street_key + (c,))
            if other and other[0] != area:
                issues.append((row, community_col, c, _two_areas(f"社区“{c}”", other, area), True))
                continue
            other = whole.get(street_key)
            if other and other[0] != area:
                issues.append((row, community_col, c,
                               f"街道“{street}”已在第 {other[1]} 行整体划入片区“{other[0]}”，本行又把其中的社区“{c}”"
                               f"划入片区“{area}”：一个地方只能属于一个片区", True))
                continue
            parts.setdefault(street_key + (c,), (area, row))
            parts_of_street.setdefault(street_key, {}).setdefault(area, row)
        seen[exact] = row
    for column in ("leader", "departments"):
        first = out[out[column].notna()].groupby("area")[column].first()
        out[column] = out[column].fillna(out["area"].map(first))
    return issues


def _two_areas(place: str, first: tuple[str, int], area: str) -> str:
    return f"{place}已在第 {first[1]} 行划入片区“{first[0]}”，本行又划入片区“{area}”：一个地方只能属于一个片区"


def _blank(value) -> bool:
    return value is None or bool(pd.isna(value)) or value == ""
