"""The assessment's scoring in words: the indicators losing most points and the red key tasks, as
the weekly bulletin and 会议要点 say them (from queries/points_at_risk.sql and task_lights.sql)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

TOP_INDICATORS = 5  # the indicators named: the meeting acts on a few, not the whole list


def losing_lines(points: pd.DataFrame, n: int = TOP_INDICATORS) -> list[tuple[str, str]]:
    """(indicator, what it loses) for the indicators losing most, none when nothing is at risk."""
    losing = points[points["points_at_risk"] > 0].head(n)
    return [(f"{r.indicator_code} {r.indicator_name}",
             f"预计失分 {r.points_at_risk:.1f}（分值 {r.points:g}，在办问题 {int(r.count_open)} 个）")
            for r in losing.itertuples()]


def red_task_lines(tasks: pd.DataFrame) -> list[tuple[str, str]]:
    """(task, why it is red) for every red key task."""
    lines = []
    for r in tasks[tasks["light"] == "red"].itertuples():
        why = (f"{int(r.count_late)} 个节点过期未完成" if r.count_late else
               f"完成 {r.percent_done:.0%}，按时间应完成 {r.percent_expected:.0%}")
        lines.append((r.task_name, f"牵头单位 {r.lead_unit or '未填'}，{why}"))
    return lines


def scoring_sentences(points: pd.DataFrame, tasks: pd.DataFrame) -> list[str]:
    """The bulletin's paragraph on scoring: the indicators losing most and the red tasks."""
    sentences = []
    losing = losing_lines(points)
    if losing:
        total = float(points["points_at_risk"].sum())
        sentences.append(f"按测评体系测算，目前在办问题预计失分{total:.1f}分，失分最多的指标是："
                         + "；".join(f"{name}，{text}" for name, text in losing) + "。")
    red = red_task_lines(tasks)
    if red:
        sentences.append(f"重点任务中亮红灯{len(red)}项：" + "；".join(f"{name}（{text}）" for name, text in red)
                         + "。请牵头单位加快推进。")
    elif len(tasks):
        sentences.append("重点任务均未亮红灯。")
    return sentences


RESULTS_HEADERS = ("年度", "得分", "全省排名", "参评城市数", "目标名次分数线")


def write_result_file(folder: Path, year: int, score: float, rank: int | None, count_cities: int | None,
                      rank_line: float | None = None) -> Path:
    """One year's result as a small 历年测评成绩 file, for the normal importer (so it is versioned and
    logged with who entered it, and undone like any import)."""
    path = Path(folder) / f"历年测评成绩_设置页录入_{year}.csv"
    cells = [str(year), f"{score:g}", "" if rank is None else str(rank), "" if count_cities is None else str(count_cities),
             "" if rank_line is None else f"{rank_line:g}"]
    path.write_text(",".join(RESULTS_HEADERS) + "\n" + ",".join(cells) + "\n", encoding="utf-8")
    return path
