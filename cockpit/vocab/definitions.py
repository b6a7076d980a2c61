"""口径说明: every figure the pages show, its definition in plain Chinese and the settings it depends on.

One place for the text: the 口径说明 page lists it, and tests/test_definitions.py checks that every
st.metric label the pages show has an entry here. A figure whose label carries a name or a number
(距省级测评, 近 28 天日均销号) is matched by a pattern. Definitions follow SPEC.md and the SQL in queries/.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cockpit.settings import Settings
from cockpit.settings_edit import LABELS as SETTING_LABELS
from cockpit.vocab import quality


@dataclass(frozen=True)
class Figure:
    page: str                        # the page's title as in the navigation
    label: str                       # as the page shows it (for a pattern: how it reads, e.g. 距〈节点名称〉)
    definition: str
    settings: tuple[str, ...] = ()   # dotted settings keys it depends on
    pattern: str | None = None       # a regular expression for labels that carry a name or number

    def matches(self, shown: str) -> bool:
        return re.fullmatch(self.pattern, shown) is not None if self.pattern else shown == self.label


_OPEN = "已发现、截至统计日尚未销号的问题。"
_CLOSED = ("截至统计日已销号的问题。销号时间取复核（销号）时间，没有时取整改完成（办结）时间；导出显示已销号却没有这两个时间的，"
           "取第一次看到它销号的导出日期。")
_OVERDUE = "在办且整改时限早于统计日（按日比较：时限 5 月 3 日的问题 5 月 4 日起逾期）。没有整改时限的问题不算逾期。"

FIGURES: tuple[Figure, ...] = (
    # ---- every page: the frame ----
    Figure("页头", "距〈节点名称〉", "距测评日程中下一个节点还有多少天（统计日当天起算；节点日期已过的算已完成）。",
           ("calendar.milestones",), pattern=r"距[^（]+"),
    Figure("页头", "下一个节点", "测评日程中的节点都已过去时显示“日程已全部完成”。", ("calendar.milestones",)),
    Figure("页头", "数据截至", "导入的数据中最新的一个时间（发现、交办、整改、复核、检查等时间中最晚的），"
           "不是导入的时间；“最近导入”是最后一次导入的时间。"),

    # ---- 整改进度 ----
    Figure("整改进度", "问题总数", "统计日（含）之前发现的问题数，按左侧筛选。本页各指标下方的变化都与 7 天前同一口径相比。"),
    Figure("整改进度", "已销号", _CLOSED),
    Figure("整改进度", "销号率", "截至统计日已销号的问题 ÷ 截至统计日发现的问题。"),
    Figure("整改进度", "在办", _OPEN),
    Figure("整改进度", "逾期", _OVERDUE),
    Figure("整改进度", "按期整改率", "整改时限在统计日（含）之前的问题中，在时限当天或之前销号的比例（按日比较）。"
           "没有整改时限的问题不计入，另行计数。"),
    Figure("整改进度", "反弹", "某问题销号后若干天内，同一测评点位（没有点位时在若干米以内）又发现同类问题，后一个问题算反弹；"
           "导出中标为“反弹”“重复发现”的也算。按距离判定时不看默认坐标上的问题（见热点地图“默认坐标”）。"
           "反弹按导入时的设置计算，修改设置后下次导入生效。",
           ("thresholds.rebound_days", "thresholds.rebound_radius_m", "map.default_spot_excluded")),
    Figure("整改进度", "返工率", "曾被退回（复核不通过）的问题 ÷ 曾报告已整改的问题。"),
    Figure("整改进度", "整改用时中位数、90% 分位", "已销号问题从交办（没有交办时间时从发现）到销号的天数，取中位数和 90% 分位。"),
    Figure("整改进度", "亮灯", "在办问题：逾期为红灯，整改时限在统计日起若干天内为黄灯（即将到期），其余为绿灯。",
           ("thresholds.due_soon_days",)),
    Figure("整改进度", "长期未更新", "在办问题连续若干天没有任何一次导入显示它有变化。", ("thresholds.stale_days",)),

    # ---- 热点地图 ----
    Figure("热点地图", "热力", "按左侧筛选和所选状态的问题，按位置画热力（问题自己的经纬度，没有时用所在测评点位的位置）。"),
    Figure("热点地图", "网格在办数", "在办问题按约 1 公里的网格汇总的个数；颜色取格内最严重的亮灯。", ("thresholds.due_soon_days",)),
    Figure("热点地图", "较上周", "地点的在办问题数与 7 天前相比的变化。"),
    Figure("热点地图", "没有可用位置", "既没有经纬度、也没有可定位测评点位的在办问题，不画在图上，单独计数（见“数据质量”）。"),
    Figure("热点地图", "默认坐标", "经纬度完全相同（且不是测评点位坐标）的问题达到若干个时，这个坐标多半是平台在上报人没有定位时"
           "填的默认坐标（如市政府）：按设置，这些问题不画在图上、单独计数，也不按距离判定反弹（同一测评点位的仍照常判定）；"
           "导入时生效。见“数据质量”的“大量问题共用同一坐标”。",
           ("map.default_spot_min", "map.default_spot_excluded")),

    # ---- 单位排名 ----
    Figure("单位排名", "〈组别〉排名", "本单位在同组（街道乡镇、市直部门或区县）中的名次，同分同名次；变化与 7 天前的排名相比，正数为前进。",
           ("ranking.weights", "thresholds.min_sample"), pattern=r".+排名"),
    Figure("单位排名", "得分", "满分 100：销号率、按期整改率、每百件逾期数、反弹率、点位测评均分各项在同组中折算为 0 到 1 后按权重相加；"
           "某项没有数据时其余权重按比例放大。区县得分为所辖街道、乡镇得分的平均值。",
           ("ranking.weights", "ranking.inspection_days", "thresholds.min_sample")),
    Figure("单位排名", "问题数", "交给本单位、截至统计日发现的问题数。问题少于最少样本数的单位标“样本不足”，不打分、不上红黑榜。",
           ("thresholds.min_sample",)),
    Figure("单位排名", "销号率", "本单位截至统计日已销号的问题 ÷ 本单位的问题数。"),
    Figure("单位排名", "逾期", "本单位的问题中，" + _OVERDUE),
    Figure("单位排名", "红黑榜", "按“前后 N 名”（每榜最多占参评单位的一半）或按销号率门槛列入红榜、黑榜；连续黑榜周数按每 7 天一期往前数。",
           ("ranking.list_rule", "ranking.red_n", "ranking.black_n", "ranking.red_closure_rate",
            "ranking.black_closure_rate")),

    # ---- 测评倒计时 ----
    Figure("测评倒计时", "距〈节点名称〉（〈日期〉）", "距下一个测评节点的天数。", ("calendar.milestones",), pattern=r"距.+（.+）"),
    Figure("测评倒计时", "在办问题", _OPEN + "（全市，不按筛选。）"),
    Figure("测评倒计时", "近 N 天日均销号", "最近若干天（含统计日）销号的问题数 ÷ 天数。", ("thresholds.pace_days",),
           pattern=r"近 \d+ 天日均销号"),
    Figure("测评倒计时", "按期清零需日均销号", "在办问题 ÷ 距下一个节点的天数。", ("calendar.milestones",)),
    Figure("测评倒计时", "按当前速度清零日期", "统计日 + 在办问题 ÷ 日均销号；近期没有销号时无法预计。各单位同样计算，"
           "清零日期晚于节点的单位列为“赶不上”。", ("thresholds.pace_days", "calendar.milestones")),
    Figure("测评倒计时", "应报材料", "网申材料清单中的材料条数（取最近一次导入的清单）。"),
    Figure("测评倒计时", "已报送", "状态为已报送、审核通过或退回（曾报送过）的材料条数。"),
    Figure("测评倒计时", "审核通过", "状态为审核通过的材料条数。"),
    Figure("测评倒计时", "逾期未报", "截止时间早于统计日、仍未报送（或被退回）的材料条数。"),
    Figure("测评倒计时", "〈指标〉（目标 〈目标值〉）", "最新一轮问卷调查（全市）的知晓率、支持率、参与率、满意度，与目标相比的差（百分点）。",
           ("survey_targets",), pattern=r"(知晓率|支持率|参与率|满意度)（目标 \d+%）"),
    Figure("测评倒计时", "可能失分（估）", "各测评部分：权重 ×（1 − 完成程度）；完成程度分别取点位达标率、网申材料审核通过比例、"
           "问卷各项比率与目标之比（最高计满）。这是排轻重缓急的估算，不是测评的计分办法。",
           ("assessment.part_weights", "thresholds.pass_score", "survey_targets")),
    # assessment scoring and key tasks (queries/points_at_risk*.sql, assessment_results.sql, task_lights.sql)
    Figure("测评倒计时", "预计失分", "导入测评体系后：每个在办问题归入测评体系中第一个对得上的指标（指标的问题类别含该问题的类别或小类，"
           "且指标列了点位类型时含该问题的点位类型）；每个指标的预计失分是其在办问题扣分之和（问题有扣分按问题，否则按指标的默认扣分），"
           "最多扣到指标的分值；各指标相加。按街道、部门分列时按各问题扣分所占比例分摊封顶后的失分。"),
    Figure("测评倒计时", "涉及指标", "有预计失分的指标数 / 测评体系中的指标数。"),
    Figure("测评倒计时", "计入指标的在办问题", "归入了某个测评指标的在办问题数。"),
    Figure("测评倒计时", "对不上指标的在办问题", "问题类别（或小类）与点位类型对不上测评体系中任何指标的在办问题数，不计入预计失分；明细见“数据质量”。"),
    Figure("测评倒计时", "N 年总评（已有年度）", "统计日所在年及之前几年（年数与权重个数相同）已有成绩的加权和：得分 × 该年权重。",
           ("assessment.year_weights",), pattern=r"\d+ 年总评（已有年度）"),
    Figure("测评倒计时", "总评达标今年需得", "N 年总评（年数与权重个数相同）要达到总评目标分，今年至少要得的分数：（目标总评 − 已有年度加权分）÷ 今年的权重；"
           "今年已有成绩时不再计算。", ("assessment.year_weights", "assessment.target_total")),
    Figure("测评倒计时", "进前 N 名今年约需", "进入全省前 N 名（目标名次），今年约需的分数。名次换算不成分数（要看其他城市的得分），"
           "所以这是估计：取历年测评成绩中最近一年的“目标名次分数线”（那一年全省第 N 名城市的得分，按省里公布的），"
           "即用去年的分数线估计今年的；今年的分数线会不同。没有填写分数线时不估计；今年已有成绩时不再计算；目标名次设为 0 时不显示。",
           ("assessment.target_rank",), pattern=r"进前 \d+ 名今年约需"),
    Figure("测评倒计时", "全省倒数三名", "全省排名在倒数三名之内（名次 > 参评城市数 − 3）的年度：末位淘汰的危险。"),
    Figure("测评倒计时", "红灯", "重点任务中有节点过期未完成，或完成百分比比从开始到结束的直线进度落后 20 个百分点以上的任务数。"),
    Figure("测评倒计时", "黄灯", "不是红灯、且下一个未完成的节点在 7 天内（含当天）的重点任务数。"),
    Figure("测评倒计时", "绿灯", "其余的重点任务数。"),

    # ---- 测评点位 ----
    Figure("测评点位", "点位达标率", "已检查的点位中达标的比例。达标：最近一次检查达标（导出标为达标，没有此列时得分不低于达标分），"
           "且该点位没有逾期问题。变化与最近一轮检查开始前一天相比。", ("thresholds.pass_score",)),
    Figure("测评点位", "重点点位圈达标率", "重点点位圈内已检查点位的达标率，口径同上。", ("thresholds.pass_score",)),
    Figure("测评点位", "未达标点位", "已检查、但最近一次检查未达标或有逾期问题的点位数。", ("thresholds.pass_score",)),
    Figure("测评点位", "测评点位", "测评点位清单中的点位数（按左侧筛选）。"),
    Figure("测评点位", "从未检查", "检查记录中从未出现的点位数，不计入达标率。"),
    Figure("测评点位", "从未或超过 N 天未检查", "从未检查或最近一次检查已过若干天的点位数。",
           ("thresholds.inspection_stale_days",), pattern=r"从未或超过 \d+ 天未检查"),
    Figure("测评点位", "月度未达标点位排名", "本月检查未达标或截至统计日不达标的点位，按本月未达标次数、逾期问题、在办问题从多到少排名，"
           "三项相同并列；与上月月末的名次相比。", ("thresholds.pass_score",)),

    # ---- 会议要点 ----
    Figure("会议要点", "距〈节点名称〉", "距下一个测评节点的天数。", ("calendar.milestones",), pattern=r"距.+"),
    Figure("会议要点", "测评日程", "测评日程中的节点都已过去时显示“已全部完成”。", ("calendar.milestones",)),
    Figure("会议要点", "逾期问题", "全市的问题中，" + _OVERDUE),
    Figure("会议要点", "本周到期（未销号）", "整改时限在本周（周一至周日，含统计日所在周）、截至统计日尚未销号的问题数。"),
    Figure("会议要点", "无责任单位的问题", "没有填写责任单位的在办问题数。"),

    # ---- 数据导入 ----
    Figure("数据导入", "读取行数", "文件中表头以下的数据行数（空行不计）。"),
    Figure("数据导入", "可导入", "检查通过、确认后会写入的行数。"),
    Figure("数据导入", "有误未导入", "有错误而不导入的行数（每行的原因见下表，可导出 Excel）；坏行占比超过设置值时整个文件不导入。",
           ("thresholds.bad_row_share",)),
    Figure("数据导入", "无位置（照常导入）", "没有可用经纬度的行：照常导入，只是不在热点地图上显示。"),

    # ---- 数据质量 ----
    *(Figure("数据质量", label, meaning + "。处理：" + remedy + "。") for label, meaning, remedy in quality.CHECKS.values()),

    # ---- the meeting loop (SPEC "The meeting loop"): 会议要点's follow-up and 回头看 ----
    Figure("会议要点", "交办", "统计日之前最近一次调度会交办的问题和事项数（每个问题或事项算一项）。"),
    Figure("会议要点", "已完成", "交办的问题截至统计日已销号（回头看复查未到位的问题重新算未完成），交办事项由工作人员标记在统计日"
           "（含）之前完成。"),
    Figure("会议要点", "逾期未完成", "交办的问题和事项中，截至统计日未完成且办结时限早于统计日的项数（按日比较）。"),
    Figure("会议要点", "完成率", "交办完成率：已完成的项数 ÷ 交办的项数。可作为单位排名的一个得分项（权重默认 0）。",
           ("ranking.weights",)),
    Figure("回头看", "最近一轮复查", "最近一轮回头看复查的问题数（轮次取复查结果中的“复查轮次”，没有时取复查月份）。"),
    Figure("回头看", "整改到位率", "最近一轮回头看中复查结果为“到位”的次数 ÷ 复查次数；按单位和轮次分列。"),
    Figure("回头看", "假性整改（仍在办）", "回头看复查结果为“未到位”或“反弹”、截至统计日仍未再次销号的问题：从复查之日起重新算作在办"
           "（退回），计入各页面的在办、逾期和返工，直到再次复查到位或平台显示在复查之后再次销号。"),
    Figure("回头看", "已销号但从未复查", "截至统计日已销号、销号之后还没有任何一次回头看复查的问题数。"),
    # ---- 片区与网格 (one area, ?area= or ?leader=) ----
    Figure("片区与网格", "片区排名", "片区之间按单位排名的同一公式（权重、最少问题数、红黑榜规则）排出的名次；问题属于所在社区划入的"
           "片区，社区未单独划入时属于所在街道的片区。未划片区不参加排名。", ("ranking.weights", "thresholds.min_sample")),
    Figure("片区与网格", "在办", "本片区的问题中，" + _OPEN),
    Figure("片区与网格", "逾期", "本片区的问题中，" + _OVERDUE),
    Figure("片区与网格", "销号率", "本片区截至统计日已销号的问题 ÷ 已发现的问题。"),
    Figure("片区与网格", "按期整改率", "本片区整改时限不晚于统计日的问题中，在时限当天或之前销号的比例。"),
    Figure("片区与网格", "未达标点位", "位于本片区的测评点位中，最近一次检查不达标或有逾期问题的点位数（从未检查的不计）。",
           ("thresholds.pass_score",)),
    Figure("片区与网格", "网格巡查发现的问题", "本片区的问题中，来源为“网格巡查”的问题数。"),
    Figure("片区与网格", "连续黑榜", "本片区连续列入片区黑榜的周数（每 7 天一期往前数）。"),
)

PAGES = tuple(dict.fromkeys(f.page for f in FIGURES))


def find(shown_label: str) -> Figure | None:
    """The definition of a figure as a page labels it, or None."""
    return next((f for f in FIGURES if f.matches(shown_label)), None)


# How a settings key reads as the Settings object holds it.
_SETTING_ATTRIBUTES = {"calendar.milestones": "milestones", "ranking.weights": "ranking_weights",
                       "map.default_spot_min": "default_spot_min", "map.default_spot_excluded": "default_spot_excluded",
                       "assessment.part_weights": "part_weights", "survey_targets": "survey_targets"}
_EXTRA_LABELS = {"ranking.weights": "排名权重", "survey_targets": "问卷调查目标"}


def setting_label(key: str) -> str:
    return _EXTRA_LABELS.get(key) or SETTING_LABELS.get(key, key)


def setting_value(s: Settings, key: str) -> str:
    """The current value of a settings key, as the 口径说明 page shows it."""
    attribute = _SETTING_ATTRIBUTES.get(key) or (
        "map_" + key.split(".")[-1] if key.startswith("map.") else key.split(".")[-1])
    value = getattr(s, attribute)
    if key == "calendar.milestones":
        return f"{len(value)} 个节点" + (f"（{'、'.join(f'{m.name} {m.on:%Y-%m-%d}' for m in value)}）" if value else "")
    if key == "ranking.weights":
        names = {"closure_rate": "销号率", "on_time_rate": "按期整改率", "overdue_per_100": "每百件逾期数",
                 "rebound_rate": "反弹率", "inspection_score": "点位测评均分"}
        return "、".join(f"{names.get(k, k)} {v:g}" for k, v in value.items())
    if key == "survey_targets":
        names = {"awareness": "知晓率", "support": "支持率", "participation": "参与率", "satisfaction": "满意度"}
        return "、".join(f"{names[k]} {v:.0%}" for k, v in value.items())
    if isinstance(value, dict):
        return "、".join(f"{k} {v:g}" for k, v in value.items())
    if key == "assessment.target_rank" and not value:
        return "0（不设目标名次）"
    if key == "ranking.list_rule":
        return {"top_n": "前后 N 名", "threshold": "按销号率门槛"}[value]
    return f"{value:g}" if isinstance(value, float) else str(value)


def settings_text(s: Settings, figure: Figure) -> str:
    return "；".join(f"{setting_label(k)}（{k}）= {setting_value(s, k)}" for k in figure.settings)
