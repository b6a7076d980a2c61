"""示范市's meeting loop: two past scheduling meetings with their 交办单 (problems and matters, some
done, some overdue by the data's end), one 回头看 round of closed problems with results (a few
未到位 and 反弹), and a few 约谈 records. Written as exports with the built-in headers (fields.py
assignments, rechecks, talks), so the demo imports them as a clerk would.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from cockpit.demo import dialects, events  # dialects.write_demo calls this module: names are looked up at call time
from cockpit.demo import world  # dialects.write_demo calls this module: names are looked up at call time

MEETING_NAMES = ("创城工作第一次调度会", "创城工作第二次调度会")
MEETING_DAYS_BEFORE_END = (14, 7)    # the two meetings, a week apart, the later one a week before the end
PROBLEMS_PER_MEETING = (14, 12)
DEADLINE_DAYS = 5                    # each meeting gives its problems this long
RECHECK_DAYS_BEFORE_END = 3
RECHECKS = 48                        # closed problems re-checked in the round
RECHECK_FAILED = 5                   # of them 未到位
RECHECK_REBOUND = 2                  # and 反弹
MATTERS = (  # (meeting, street index, text, done days after the meeting or None)
    (0, 0, "组织辖区背街小巷“牛皮癣”集中清理", 4),
    (0, 3, "老旧小区飞线充电专项整治", None),
    (0, 5, "农贸市场周边占道经营整治", 6),
    (1, 1, "主次干道沿街商铺门前三包落实", 3),
    (1, 4, "公益广告破损更换", None),
)
TALKS = (  # (days before the end, street index, by whom, reason)
    (20, 3, "分管副市长", "首次列入黑榜，逾期问题较多"),
    (13, 3, "市委组织部", "连续两周列入黑榜"),
    (6, 7, "分管副市长", "列入黑榜，交办问题逾期未整改"),
)


def _text(values) -> np.ndarray:
    return np.array(["" if v is None or pd.isna(v) else str(v) for v in values], dtype=object)


def _some(rng, indices: np.ndarray, count: int) -> list[int]:
    return list(rng.choice(indices, size=min(count, len(indices)), replace=False)) if len(indices) else []


def write_loop(problems: pd.DataFrame, city, clock, exports: Path, seed: int) -> list[Path]:
    """Write the meetings' 交办单, the 回头看 results and the talks into the exports folder."""
    rng = world._rng(seed, "meeting-loop")
    end = clock.end
    units = city.units.name.to_numpy()
    streets = city.units[city.units.kind.isin(["街道", "乡镇"])].name.to_numpy()
    rows = []
    for m, (name, before, count) in enumerate(zip(MEETING_NAMES, MEETING_DAYS_BEFORE_END, PROBLEMS_PER_MEETING)):
        meeting_on = end - timedelta(days=before)
        state = events.status_at(problems, clock.cutoff(meeting_on))
        open_then = state["visible"] & (state["status"] != world.CLOSED)
        # Meetings chase what can be done: about half of the problems picked are closed by the end.
        closes = problems.closed.to_numpy() < clock.cutoff(end)
        picked = [*_some(rng, np.flatnonzero(open_then & closes), count // 2),
                  *_some(rng, np.flatnonzero(open_then & ~closes), count - count // 2)]
        for k, i in enumerate(sorted(picked), start=1):
            rows.append((f"JB{meeting_on:%Y%m%d}-{k:03d}", meeting_on, name, problems.problem_id.iat[i], None,
                         units[problems.unit.iat[i]], meeting_on + timedelta(days=DEADLINE_DAYS), None))
        for n, (meeting, street, text, done_after) in enumerate(MATTERS, start=1):
            if meeting == m:
                done = meeting_on + timedelta(days=done_after) if done_after is not None else None
                rows.append((f"JB{meeting_on:%Y%m%d}-S{n:02d}", meeting_on, name, None, text,
                             streets[street % len(streets)], meeting_on + timedelta(days=DEADLINE_DAYS), done))
    sheet = pd.DataFrame(rows, columns=["item", "meeting_on", "meeting", "problem", "matter", "unit", "due", "done"])
    paths = dialects.write_xlsx(exports / "调度会交办单.xlsx", "交办单", [
        dialects.Column("交办编号", "text", _text(sheet.item), 18),
        dialects.Column("会议日期", "text", _text(sheet.meeting_on), 12),
        dialects.Column("会议名称", "text", _text(sheet.meeting), 22),
        dialects.Column("问题编号", "text", _text(sheet.problem), 16),
        dialects.Column("交办事项", "text", _text(sheet.matter), 30),
        dialects.Column("责任单位", "text", _text(sheet.unit), 16),
        dialects.Column("办结时限", "text", _text(sheet.due), 12),
        dialects.Column("完成日期", "text", _text(sheet.done), 12),
    ], clock.export_time(end))
    paths += _write_rechecks(problems, city, clock, exports, rng)
    paths += _write_talks(clock, exports, streets)
    return paths


def _write_rechecks(problems: pd.DataFrame, city, clock, exports: Path,
                    rng: np.random.Generator) -> list[Path]:
    """One round: problems closed at least a week before the round, re-checked on one day."""
    end = clock.end
    on = end - timedelta(days=RECHECK_DAYS_BEFORE_END)
    closed_by = end - timedelta(days=RECHECK_DAYS_BEFORE_END + 7)
    state = events.status_at(problems, clock.cutoff(closed_by))
    closed = np.flatnonzero(state["visible"] & (state["status"] == world.CLOSED))
    picked = np.sort(rng.choice(closed, size=min(RECHECKS, len(closed)), replace=False)) if len(closed) else []
    results = np.array(["到位"] * len(picked), dtype=object)
    failing = rng.choice(len(picked), size=min(RECHECK_FAILED + RECHECK_REBOUND, len(picked)), replace=False)
    results[failing[:RECHECK_FAILED]] = "未到位"
    results[failing[RECHECK_FAILED:]] = "反弹"
    notes = np.where(results == "未到位", "整改不彻底，问题仍存在", np.where(results == "反弹", "已销号后再次出现", ""))
    times = [f"{on:%Y-%m-%d} {9 + k // 12:02d}:{(k % 12) * 5:02d}" for k in range(len(picked))]
    round_name = f"{on.year}年{on.month}月回头看"
    return dialects.write_xlsx(exports / "回头看复查结果.xlsx", "复查结果", [
        dialects.Column("问题编号", "text", _text(problems.problem_id.to_numpy()[picked]), 16),
        dialects.Column("复查时间", "text", _text(times), 18),
        dialects.Column("复查结果", "text", results, 10),
        dialects.Column("复查人", "text", _text(["市创城办督查组"] * len(picked)), 16),
        dialects.Column("备注", "text", notes.astype(object), 24),
        dialects.Column("复查轮次", "text", _text([round_name] * len(picked)), 16),
    ], clock.export_time(end))


def _write_talks(clock, exports: Path, streets: np.ndarray) -> list[Path]:
    end = clock.end
    return dialects.write_xlsx(exports / "约谈记录.xlsx", "约谈记录", [
        dialects.Column("约谈日期", "text", _text([end - timedelta(days=d) for d, *_ in TALKS]), 12),
        dialects.Column("约谈单位", "text", _text([streets[s % len(streets)] for _, s, *_ in TALKS]), 16),
        dialects.Column("约谈人", "text", _text([who for *_, who, _ in TALKS]), 14),
        dialects.Column("约谈事由", "text", _text([why for *_, why in TALKS]), 30),
    ], clock.export_time(end))

