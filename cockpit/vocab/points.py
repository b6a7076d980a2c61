"""The 测评点位 page in words: its filters as the STRUCT its queries bind, its lists, and their labels.

The figures come from queries/point_*.sql, inspection_rounds.sql and round_*.sql; this module only
builds the filters and names things, so the page and the exports say the same.
"""

from __future__ import annotations

import pandas as pd

# The sidebar filters of the page: a point's district, street and type (multi-choice), and the
# key point circles only. The STRUCT fields are macros/kept_points.sql's.
DIMENSIONS = {"district": "区县", "street": "街道/乡镇", "point_type": "点位类型"}
_LIST_FIELDS = {"district": "districts", "street": "streets", "point_type": "point_types"}
NO_FILTERS = {"districts": [], "streets": [], "point_types": [], "key_circle_only": False}

STANDING = {"up": "达标", "not_up": "未达标", "never": "从未检查"}
GROUPINGS = {"type": "点位类型", "district": "区县", "street": "街道/乡镇", "circle": "重点点位圈"}
LISTS = {"not_up_to_standard": "未达标点位", "uninspected": "从未检查或长期未检查", "all": "全部点位"}
OWNERS = {"point": "点位", "point_chief": "点位长", "co_unit": "包抓共建单位", "owner_department": "行业主管部门",
          "territorial_unit": "属地管理单位"}


# The exported columns of the monthly ranking (point_month_ranking.sql, point_month_owners.sql).
RANKING_EXPORT_COLUMNS = {
    "rank": "名次", "change": "较上月", "point_id": "点位编号", "point_name": "点位名称", "point_type": "点位类型",
    "district": "区县", "street": "街道/乡镇", "point_chief": "点位长", "co_unit": "包抓共建单位",
    "count_failures": "本月检查未达标次数", "count_overdue": "逾期问题", "count_open": "在办问题",
    "count_rebound": "本月反弹", "last_inspected_at": "最近检查时间", "last_score": "最近得分",
    "rank_last_month": "上月名次",
}
OWNER_EXPORT_COLUMNS = {
    "rank": "名次", "change": "较上月", "owner_name": "名称", "count_points_ranked": "上榜点位数",
    "count_points": "负责点位数", "count_failures": "本月检查未达标次数", "count_overdue": "逾期问题",
    "count_open": "在办问题", "count_rebound": "本月反弹", "point_names": "上榜点位", "rank_last_month": "上月名次",
}
RANKING_RULE = ("上榜：本月检查未达标，或截至统计日不达标的点位。按本月检查未达标次数、逾期问题、在办问题从多到少排名，"
                "三项相同的并列同一名次；点位长、包抓共建单位按其上榜点位合计后同样排名。")


def make(key_circle_only: bool = False, **chosen: list[str]) -> dict:
    """The point_filters STRUCT. chosen maps district, street, point_type to the values to keep."""
    unknown = set(chosen) - set(DIMENSIONS)
    if unknown:
        raise ValueError(f"unknown point filter dimensions: {sorted(unknown)}")
    return {**NO_FILTERS, **{_LIST_FIELDS[k]: list(v or []) for k, v in chosen.items()},
            "key_circle_only": bool(key_circle_only)}


def is_filtered(point_filters: dict) -> bool:
    return point_filters != NO_FILTERS


def describe(point_filters: dict) -> str:
    """The filters in one line of Chinese, for captions and the 说明 sheet of an export."""
    parts = [f"{label}：{'、'.join(point_filters[_LIST_FIELDS[k]])}"
             for k, label in DIMENSIONS.items() if point_filters[_LIST_FIELDS[k]]]
    if point_filters["key_circle_only"]:
        parts.append("只看重点点位圈")
    return "；".join(parts) or "无（全部点位）"


def rank_change_text(change, is_new) -> str:
    """变差2 two places up the list of points not up to standard (the worst point is first), 好转1 one
    down, – unchanged, 新上榜: better and worse, as the unit ranking says them (ranking.BETTER)."""
    if not _missing(is_new) and bool(is_new):
        return "新上榜"
    if _missing(change):
        return ""
    change = int(change)
    return f"变差{change}" if change > 0 else f"好转{-change}" if change < 0 else "–"


def with_rank_change(ranking: pd.DataFrame) -> pd.DataFrame:
    """A monthly ranking with its change against last month in words (column change)."""
    return ranking.assign(change=[rank_change_text(c, n) for c, n in zip(ranking["rank_change"], ranking["is_new"])])


def ranking_export(ranking: pd.DataFrame, ranked_by: str) -> tuple[pd.DataFrame, dict]:
    """The frame and the columns (with Chinese headers) an Excel of the monthly ranking holds."""
    if ranked_by == "point":
        return with_rank_change(ranking), RANKING_EXPORT_COLUMNS
    return with_rank_change(ranking), {**OWNER_EXPORT_COLUMNS, "owner_name": OWNERS[ranked_by]}


def standing_text(row) -> str:
    """A point's standing in words, with why it is not up to standard (the counts are columns of their own)."""
    standing = row["standing"]
    if standing == "not_up":
        failed = not _missing(row.get("is_last_passed")) and not bool(row["is_last_passed"])
        overdue = not _missing(row.get("count_overdue")) and row["count_overdue"] > 0
        reason = "、".join(why for why, yes in (("检查未达标", failed), ("有逾期问题", overdue)) if yes)
        return f"未达标（{reason}）" if reason else "未达标"
    return STANDING.get(standing, "—")


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)
