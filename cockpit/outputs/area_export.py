"""One area's (片区's) record as one workbook, for the leader in charge: its overdue problems, failing
points, streets and communities and grids, one sheet each, and the 说明 sheet (as of, data cut-off,
the area, its leader and departments, its figures). Cells go through the exports' writer, so text
from the exports that looks like a formula stays text."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping

import pandas as pd
import xlsxwriter

from cockpit.outputs import exports

OVERDUE_COLUMNS = {"days_overdue": "逾期天数", "problem_id": "问题编号", "unit_name": "责任单位", "street": "街道/乡镇",
                   "community": "社区/村", "grid": "网格", "place": "地点", "category": "问题类别",
                   "description": "问题描述", "found_at": "发现时间", "due_on": "整改时限", "source": "问题来源"}
POINT_COLUMNS = {"point_id": "点位编号", "point_name": "点位", "point_type": "点位类型", "street": "街道/乡镇",
                 "community": "社区/村", "last_score": "最近得分", "count_overdue": "逾期", "count_open": "在办",
                 "point_chief": "点位长", "owner_department": "行业主管部门", "territorial_unit": "属地管理单位",
                 "co_unit": "包抓共建单位"}
PLACE_COLUMNS = {"street": "街道/乡镇", "community": "社区/村", "count_found": "问题数", "count_open": "在办",
                 "count_overdue": "逾期", "closure_rate": "销号率"}
GRID_COLUMNS = {"street": "街道/乡镇", "community": "社区/村", "grid": "网格", "grid_chief": "网格长",
                "building_chief": "楼院长", "count_found": "问题数", "count_open": "在办", "count_overdue": "逾期",
                "count_grid_patrol": "网格巡查发现"}


def area_record_xlsx(area: str, overdue: pd.DataFrame, failing: pd.DataFrame, places: pd.DataFrame,
                     grids: pd.DataFrame, notes: Iterable[tuple[str, object]]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties({"title": f"{area} 片区记录"})
    formats = exports.workbook_formats(workbook)
    notes = list(notes)
    as_of = exports.as_of_text(notes)  # the print footer's date
    sheets: list[tuple[str, pd.DataFrame, Mapping[str, str], str]] = [
        ("逾期问题", overdue, OVERDUE_COLUMNS, "没有逾期问题"),
        ("未达标点位", failing, POINT_COLUMNS, "没有未达标的点位"),
        ("街道社区", places, PLACE_COLUMNS, "没有所辖街道、社区"),
        ("网格", grids, GRID_COLUMNS, "责任体系中没有列出网格"),
    ]
    for name, frame, columns, empty in sheets:
        exports.write_table(workbook, name, frame, columns, formats, as_of, empty_text=empty)
    exports._write_notes(workbook, notes, formats, as_of)
    workbook.close()
    return buffer.getvalue()
