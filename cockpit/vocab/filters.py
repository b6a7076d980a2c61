"""The progress page's filters, as the one STRUCT its queries bind (queries/macros/filtered_facts.sql).

A filter is a found-date range and, per dimension, the values to keep; an empty list keeps all.
The dimension names and their Chinese labels live here, for the breakdowns, the drill-down, the
sidebar and the export notes alike.
"""

from __future__ import annotations

from datetime import date

# The dimensions a clerk can break down and filter by, in the order the page shows them.
DIMENSIONS = {
    "district": "区县",
    "street": "街道/乡镇",
    "unit": "责任单位",
    "category": "问题类别",
    "source": "问题来源",
    "point_type": "点位类型",
}
# A breakdown can also go down to the place (the point, else the community, else the street):
# too many values for a filter, but the way to see which places keep failing.
BREAKDOWNS = {**DIMENSIONS, "place": "地点"}
# The STRUCT field holding each dimension's chosen values.
_LIST_FIELDS = {
    "district": "districts",
    "street": "streets",
    "unit": "units",
    "category": "categories",
    "source": "sources",
    "point_type": "point_types",
}
MISSING_VALUE = "未填写"  # how queries name a missing value; it can be chosen like any other


def make(found_from: date | None = None, found_to: date | None = None, **chosen: list[str]) -> dict:
    """The filters STRUCT. chosen maps a dimension (district, unit, ...) to the values to keep."""
    unknown = set(chosen) - set(DIMENSIONS)
    if unknown:
        raise ValueError(f"unknown filter dimensions: {sorted(unknown)}")
    filters = {"found_from": found_from, "found_to": found_to}
    for dimension, field in _LIST_FIELDS.items():
        filters[field] = list(chosen.get(dimension) or [])
    return filters


NO_FILTERS = make()


def chosen_values(filters: dict, dimension: str) -> list[str]:
    return list(filters[_LIST_FIELDS[dimension]])


def is_filtered(filters: dict) -> bool:
    return filters != NO_FILTERS


def describe(filters: dict) -> str:
    """The filters in words, for captions and the notes sheet of an export."""
    parts = []
    if filters["found_from"] or filters["found_to"]:
        start = filters["found_from"].isoformat() if filters["found_from"] else "最早"
        end = filters["found_to"].isoformat() if filters["found_to"] else "统计日期"
        parts.append(f"发现日期：{start} 至 {end}")
    for dimension, label in DIMENSIONS.items():
        values = chosen_values(filters, dimension)
        if values:
            parts.append(f"{label}：{'、'.join(values)}")
    return "；".join(parts) if parts else "无（全部问题）"


def tag(filters: dict) -> str:
    """The chosen values in a few words for a file name (东关街道, 城东区、城西区); "" when nothing is
    chosen. Works for any filters STRUCT whose chosen values are lists (problems and points alike)."""
    values = [str(v) for chosen in filters.values() if isinstance(chosen, list) for v in chosen]
    return "、".join(values)
