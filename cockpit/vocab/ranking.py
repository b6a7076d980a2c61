"""The unit ranking in words: component names, the rules as the page states them, and why a unit moved.

The figures come from queries/unit_ranking.sql; this module only labels and lines them up.
"""

from __future__ import annotations

import pandas as pd

from cockpit.settings import Settings

BETTER, WORSE = "好转", "变差"  # how a change of rank reads, on every page and export
STREAK_WEEKS = 12  # how far back the ranking is computed, so how far the black-list streak can count
POOLS = {"street": "街道乡镇", "department": "市直部门", "district": "区县"}
# Every pool code of unit_ranking, its label with 乡镇 ranked apart, and the place pools (SPEC "Responsibility").
POOL_LABELS = {"street": "街道", "township": "乡镇", "department": "市直部门", "district": "区县",
               "area": "片区", "community": "社区/村"}
UNIT_POOLS = ("street", "township", "department")  # the pools whose units go on the red and black lists
PLACE_POOLS = ("area", "community")
# component -> (label, how the raw value reads, which way is better)
COMPONENTS = {
    "closure_rate": ("销号率", "percent", "越高越好"),
    "on_time_rate": ("按期整改率", "percent", "越高越好"),
    "overdue_per_100": ("每百件逾期", "number", "越低越好"),
    "rebound_rate": ("反弹率", "percent", "越低越好"),
    "inspection_score": ("点位测评均分", "number", "越高越好"),
    "assignment_rate": ("交办完成率", "percent", "越高越好"),
}
# Components weighted 0 by default: shown in a unit's "why" only when they score points.
OPTIONAL_COMPONENTS = {"assignment_rate"}
# Why a pool can have no unit, for the page to say (the pools as queries/unit_ranking.sql makes them).
EMPTY_POOL_WHY = {
    "street": "单位按责任单位清单的“单位类型”（街道、乡镇）归入街道乡镇；不在清单里的单位，名称以“街道”“镇”“乡”结尾的"
              "才算街道乡镇，其余算市直部门。导入责任单位清单，或在平台导出中写明街道、乡镇的承办单位后，即有街道乡镇排名。",
    "department": "责任单位清单中“单位类型”为市直部门的单位，以及不在清单里、名称不以“街道”“镇”“乡”结尾的单位，才算市直部门。",
    "district": "区县按所辖街道、乡镇的平均得分排名：没有可打分的街道乡镇，区县就没有排名。",
}
EMPTY_POOL_WHY |= {
    "township": "单位按责任单位清单的“单位类型”为乡镇，或不在清单里、名称以“镇”“乡”结尾的单位，算乡镇。",
    "area": "片区来自导入的责任体系（包抓责任表）：每行把一个街道（或其中的社区）划入一个片区。导入后即有片区排名；"
            "没有划入片区的问题计入“未划片区”，不参加排名。",
    "community": "社区/村按问题台账的“社区”列归组：平台导出中写明社区后即有社区/村排名。",
}


def pools(townships_apart: bool, places: bool = False) -> dict[str, str]:
    """The pools a page shows, in order, with their labels: 街道 and 乡镇 apart or together (the
    setting ranking.townships_apart), then departments and districts, then the place pools."""
    shown = {"street": "街道", "township": "乡镇"} if townships_apart else {"street": "街道乡镇"}
    shown |= {"department": "市直部门", "district": "区县"}
    if places:
        shown |= {p: POOL_LABELS[p] for p in PLACE_POOLS}
    return shown


CHANGE_KINDS = {"newly_overdue": "本周新增逾期", "new_rebound": "本周新发现反弹", "newly_closed": "本周销号",
                "newly_found": "本周新发现"}


def rank_change_text(change) -> str:
    """好转2 for two places up, 变差1 for one down, – for no change, blank when there is no last week.

    Words, not arrows: on the points' ranking (the worst point is first) going up is worse, so an
    arrow meant the opposite on the next page; better and worse read the same everywhere."""
    if change is None or pd.isna(change):
        return ""
    change = int(change)
    return f"{BETTER}{change}" if change > 0 else f"{WORSE}{-change}" if change < 0 else "–"


def streak_text(weeks) -> str:
    """连续 N 周, or 连续 N 周以上 when the streak reaches as far back as the ranking is computed."""
    return f"连续 {int(weeks)} 周{'以上' if weeks >= STREAK_WEEKS else ''}"


def mark(row) -> str:
    if not row["is_sample_enough"]:
        return "样本不足"
    return "红榜" if row["is_red"] else "黑榜" if row["is_black"] else ""


def rules_text(s: Settings) -> str:
    """The formula as it stands in settings, in plain Chinese (口径说明)."""
    weights = s.ranking_weights
    parts = "，".join(f"{label}（{direction}）{weights.get(name, 0):g} 分"
                     for name, (label, _, direction) in COMPONENTS.items() if weights.get(name, 0))
    if s.list_rule == "top_n":
        lists = (f"得分前 {s.red_n} 名列入红榜，后 {s.black_n} 名列入黑榜"
                 "（每榜最多占参评单位的一半，同分同名次）")
    else:
        lists = (f"销号率不低于 {s.red_closure_rate:.0%} 列入红榜，"
                 f"低于 {s.black_closure_rate:.0%} 列入黑榜")
    return "\n".join([
        ("- 街道、乡镇分开排名" if s.townships_apart else "- 街道和乡镇一起排名")
        + "，市直部门单独排名；区县按所辖街道、乡镇得分的平均值排名。",
        "- 片区（责任体系）和社区/村按问题所在地归组，用同一公式排名：问题属于所在社区划入的片区，社区未单独划入时属于"
        "所在街道的片区；不属于任何片区的计入“未划片区”，不参加排名。",
        f"- 得分满分 100，由以下各项加权：{parts}。",
        "- 每一项先在同组参评单位中按最好到最差折算为 0 到 1（各单位都相同时都记满分），再乘以权重。"
        "某项没有数据的单位（如没有测评点位的部门没有测评均分），不计该项，其余权重按比例放大到 100。",
        f"- 点位测评均分取该单位点位最近 {s.inspection_days} 天的检查得分平均值。",
        f"- 问题不足 {s.min_sample} 个的单位标“样本不足”，列出但不打分、不排名、不上红黑榜；没有问题的单位不列出。",
        f"- {lists}。名次变化与 7 天前同口径的排名相比；连续黑榜周数按每 7 天一期往前数。",
        "- 权重和规则在设置文件 settings.toml 的 [ranking] 中修改，修改后本页即按新规则排名。",
    ])


def explain(this_week: dict, last_week: dict | None) -> pd.DataFrame:
    """Each component's raw value and its points this week and last, and the change in points."""
    rows = []
    for name, (label, kind, direction) in COMPONENTS.items():
        now_points = this_week.get(f"pts_{name}")
        then_points = last_week.get(f"pts_{name}") if last_week else None
        if name in OPTIONAL_COMPONENTS and _missing(now_points) and _missing(then_points):
            continue
        change = None if _missing(now_points) or _missing(then_points) else now_points - then_points
        rows.append({
            "component": f"{label}（{direction}）",
            "value_now": _shown(this_week.get(name), kind),
            "value_then": _shown(last_week.get(name) if last_week else None, kind),
            "points_now": now_points, "points_then": then_points, "points_change": change,
        })
    return pd.DataFrame(rows)


def _shown(value, kind: str) -> str:
    if _missing(value):
        return "—"
    return f"{value:.1%}" if kind == "percent" else f"{value:.1f}"


def _missing(value) -> bool:
    return value is None or pd.isna(value)
