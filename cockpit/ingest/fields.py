"""The cockpit's fields for each dataset: their kind of value, whether a row needs them, their label.

Mappings say which header a platform uses for a field; this module says what the field is.
Kinds: id, name (trimmed, inner spaces removed), text, timestamp, date, number, integer, lng, lat,
rate (0-1, "86.5%" or 86.5 accepted), bool (yes_no words), and vocab:<name> (a value vocabulary
of the mapping; unknown words are errors), or word:<name> (a vocabulary whose unknown words are kept).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    kind: str
    required: bool
    label: str
    bounds: tuple[float, float] | None = None  # a number outside them is an error (the row is left out)


def _f(kind: str, label: str, required: bool = False, bounds: tuple[float, float] | None = None) -> Field:
    return Field(kind, required, label, bounds)


# A problem's deduction is a few points of a 100-point evaluation, and a problem sent back more
# than a hundred times is a typing error: outside these the value is not believed.
DEDUCTION_BOUNDS = (0, 100)
RETURN_COUNT_BOUNDS = (0, 100)


DATASETS: dict[str, dict[str, Field]] = {
    "problems": {
        "problem_id": _f("id", "问题编号", True),
        "source": _f("word:source", "问题来源"),
        "found_at": _f("timestamp", "发现时间", True),
        "category": _f("name", "问题类别"),
        "subcategory": _f("name", "小类"),
        "description": _f("text", "问题描述"),
        "point_id": _f("id", "点位编号"),
        "point_name": _f("name", "测评点位"),
        "point_type": _f("name", "点位类型"),
        "district": _f("name", "区县"),
        "street": _f("name", "街道"),
        "community": _f("name", "社区"),
        "grid": _f("name", "网格"),
        "unit_name": _f("name", "责任单位"),
        "assigned_at": _f("timestamp", "交办时间"),
        "due_on": _f("date", "整改时限"),
        "status": _f("vocab:problem_status", "整改状态", True),
        "rectified_at": _f("timestamp", "整改完成时间"),
        "checked_at": _f("timestamp", "复核时间"),
        "lng": _f("lng", "经度"),
        "lat": _f("lat", "纬度"),
        "deduction": _f("number", "扣分", bounds=DEDUCTION_BOUNDS),
        "return_count": _f("integer", "退回次数", bounds=RETURN_COUNT_BOUNDS),
        "rebound_flag": _f("bool", "是否反弹"),
    },
    "inspections": {
        "inspection_id": _f("id", "检查编号"),
        "inspected_at": _f("timestamp", "检查时间", True),
        "inspection_type": _f("word:source", "检查类型"),
        "round_name": _f("name", "轮次"),
        "point_id": _f("id", "点位编号"),
        "point_name": _f("name", "点位名称"),
        "score": _f("number", "得分"),
        "is_passed": _f("bool", "是否达标"),
        "count_problems": _f("integer", "发现问题数"),
        "inspector": _f("name", "检查人"),
    },
    "points": {
        "point_id": _f("id", "点位编号", True),
        "point_name": _f("name", "点位名称", True),
        "point_type": _f("name", "点位类型"),
        "district": _f("name", "区县"),
        "street": _f("name", "街道"),
        "community": _f("name", "社区"),
        "lng": _f("lng", "经度"),
        "lat": _f("lat", "纬度"),
        "point_chief": _f("name", "点位长"),
        "co_unit": _f("name", "包抓单位"),
        "owner_department": _f("name", "行业主管部门"),
        "territorial_unit": _f("name", "属地单位"),
        "is_key_circle": _f("bool", "是否重点点位圈"),
        "key_circle_name": _f("name", "重点点位圈"),
    },
    "units": {
        "unit_name": _f("name", "单位名称", True),
        "unit_kind": _f("vocab:unit_kind", "单位类型"),
        "parent_unit": _f("name", "上级单位"),
    },
    "materials": {
        "item_id": _f("id", "材料编号", True),
        "indicator": _f("name", "指标"),
        "material_name": _f("text", "材料名称"),
        "material_type": _f("name", "材料类型"),
        "unit_name": _f("name", "责任单位"),
        "due_on": _f("date", "截止时间"),
        "status": _f("vocab:material_status", "状态", True),
        "submitted_at": _f("timestamp", "报送时间"),
    },
    "surveys": {
        "surveyed_on": _f("date", "调查时间", True),
        "round_name": _f("name", "轮次"),
        "indicator": _f("vocab:survey_indicator", "指标", True),
        "district": _f("name", "区县"),
        "rate": _f("rate", "数值", True),
    },
    # The meeting loop (SPEC "The meeting loop"): 调度会交办, 回头看 results, 约谈 held.
    "assignments": {
        "item_id": _f("id", "交办编号", True),
        "meeting_on": _f("date", "会议日期", True),
        "meeting_name": _f("name", "会议名称"),
        "problem_id": _f("id", "问题编号"),
        "matter": _f("text", "交办事项"),
        "unit_name": _f("name", "责任单位"),
        "due_on": _f("date", "办结时限"),
        "done_on": _f("date", "完成日期"),
    },
    "rechecks": {
        "problem_id": _f("id", "问题编号", True),
        "rechecked_at": _f("timestamp", "复查时间", True),
        "result": _f("vocab:recheck_result", "复查结果", True),
        "checker": _f("name", "复查人"),
        "note": _f("text", "备注"),
        "round_name": _f("name", "复查轮次"),
    },
    "talks": {
        "talked_on": _f("date", "约谈时间", True),
        "unit_name": _f("name", "约谈单位", True),
        "talked_by": _f("name", "约谈人"),
        "reason": _f("text", "约谈事由"),
    },
    "responsibility": {
        "area": _f("name", "片区", True),
        "leader": _f("name", "包抓领导"),
        "departments": _f("text", "包抓部门"),
        "district": _f("name", "区县"),
        "street": _f("name", "街道", True),
        "community": _f("name", "社区"),
        "grid": _f("name", "网格"),
        "grid_chief": _f("name", "网格长"),
        "building_chief": _f("name", "楼院长"),
    },
    # Assessment scoring and key tasks (SPEC.md): point types and categories are lists in one cell,
    # separated by 、 or a comma; the queries split them.
    "indicators": {
        "indicator_code": _f("id", "指标编号", True),
        "indicator_name": _f("text", "指标名称", True),
        "part": _f("name", "测评部分"),
        "points": _f("number", "分值", True, bounds=(0, 1000)),
        "point_types": _f("text", "点位类型"),
        "categories": _f("text", "问题类别"),
        "default_deduction": _f("number", "默认扣分", bounds=DEDUCTION_BOUNDS),
    },
    "results": {
        "year": _f("integer", "年度", True, bounds=(1990, 2100)),
        "score": _f("number", "得分", True, bounds=(0, 1000)),
        "rank": _f("integer", "全省排名", bounds=(1, 1000)),
        "count_cities": _f("integer", "参评城市数", bounds=(1, 1000)),
        # as the province publishes it: the score of the city at the target rank (assessment.target_rank)
        "rank_line": _f("number", "目标名次分数线", bounds=(0, 1000)),
    },
    "tasks": {
        "task_name": _f("text", "任务名称", True),
        "lead_unit": _f("name", "牵头单位"),
        "task_kind": _f("name", "类型"),
        "start_on": _f("date", "开始日期"),
        "end_on": _f("date", "结束日期"),
        "milestone_name": _f("text", "节点名称"),
        "milestone_on": _f("date", "节点日期"),
        "is_done": _f("bool", "是否完成"),
        "percent_done": _f("rate", "完成百分比"),
    },
}

DATASET_LABELS = {
    "problems": "问题台账",
    "inspections": "检查记录",
    "points": "测评点位清单",
    "units": "责任单位清单",
    "materials": "网申材料任务",
    "surveys": "问卷调查结果",
    "assignments": "调度会交办单",
    "rechecks": "回头看复查结果",
    "talks": "约谈记录",
    "responsibility": "责任体系",
    "indicators": "测评体系",
    "results": "历年测评成绩",
    "tasks": "重点任务",
}

# Order in which a batch is applied, so lists that others refer to come first.
IMPORT_ORDER = ("units", "points", "inspections", "materials", "surveys", "problems",
                "assignments", "rechecks", "talks", "responsibility",
                "indicators", "results", "tasks")
