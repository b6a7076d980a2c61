"""The 责任体系 (chain of responsibility): checking an export's rows, and the words of its pages.

One row of the export gives a street (no 社区: the whole street), one of its communities or one grid
of a community to an area (片区) with its leader (包抓领导) and departments. Areas must partition the
city: a place given to two areas is a row error naming both, so the second row is left out. A
community listed on its own may belong to another area than the rest of its street (a problem goes to
its community's area where one is listed, else to its street's).
"""

from __future__ import annotations

import pandas as pd

UNASSIGNED = "未划片区"  # the area of a problem whose street and community no area lists (as queries/ say)


def check_rows(out: pd.DataFrame, header_of: dict) -> list[tuple]:
    """(row, column, value, reason, is_fatal) for every row that repeats a place or gives it to a
    second area; fills each area's blank 包抓领导/包抓部门 with the area's first (merged cells in
    Excel leave the rows under the first blank).

    Places are known by street (and community) name; a row with no 区县 speaks for the street of
    that name in any district, so it clashes with a row of any district (as queries/macros/area_facts.sql
    matches it to problems of any district)."""
    issues = []
    whole: dict[str, list] = {}        # street -> [(district, area, row)] of whole-street rows
    parts: dict[tuple, list] = {}      # (street, community) -> [(district, area, row)]
    seen: dict[tuple, int] = {}
    street_col = header_of.get("street", "街道")
    community_col = header_of.get("community", "社区")
    for area, district, street, community, grid, row in zip(
            out["area"], out["district"], out["street"], out["community"], out["grid"], out["_row_number"]):
        if _blank(area) or _blank(street):
            continue  # already an error: a required cell is empty
        row = int(row)
        d = "" if _blank(district) else str(district)
        c = None if _blank(community) else str(community)
        g = None if _blank(grid) else str(grid)
        exact = (area, d, street, c, g)
        if exact in seen:
            issues.append((row, community_col if c else street_col, c or street,
                           f"与第 {seen[exact]} 行重复，只保留第一行", True))
            continue
        entry = (d, area, row)
        if c is None:
            other = _clash(whole.get(street, []), d, area)
            if other:
                issues.append((row, street_col, street, _two_areas(f"街道“{street}”", other, area), True))
                continue
            whole.setdefault(street, []).append(entry)
        else:
            other = _clash(parts.get((street, c), []), d, area)
            if other:
                issues.append((row, community_col, c, _two_areas(f"社区“{c}”", other, area), True))
                continue
            parts.setdefault((street, c), []).append(entry)
        seen[exact] = row
    for column in ("leader", "departments"):
        first = out[out[column].notna()].groupby("area")[column].first()
        out[column] = out[column].fillna(out["area"].map(first))
    return issues


def _clash(entries: list, district: str, area: str):
    """The first earlier row of the same place (districts overlap: equal, or either blank) in another area."""
    return next((e for e in entries if e[1] != area and (not e[0] or not district or e[0] == district)), None)


def _two_areas(place: str, first: tuple, area: str) -> str:
    return f"{place}已在第 {first[2]} 行划入片区“{first[1]}”，本行又划入片区“{area}”：一个地方只能属于一个片区"


def _blank(value) -> bool:
    return value is None or bool(pd.isna(value)) or value == ""
