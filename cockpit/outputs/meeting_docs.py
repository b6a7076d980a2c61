"""The meeting loop's documents: the 交办单 per unit (Word in the official layout, and Excel), the
summary for the minutes, and the 回头看 checklist. Pure functions of query results (meeting_items,
meeting_units, recheck_candidates): no Streamlit, no SQL.

The Excel files carry the import's own headers (fields.py assignments and rechecks), so a 交办单 or a
filled-in checklist comes back through 数据导入 as it went out.
"""

from __future__ import annotations

import io
from datetime import date, datetime

import pandas as pd
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

from cockpit.outputs import bulletin, exports

ITEM_COLUMNS = {"item_id": "交办编号", "meeting_on": "会议日期", "meeting_name": "会议名称", "unit_name": "责任单位",
                "problem_id": "问题编号", "matter": "交办事项", "place": "地点", "description": "问题描述",
                "due_on": "办结时限", "done_on": "完成日期", "state_text": "落实情况"}
CHECKLIST_COLUMNS = {"problem_id": "问题编号", "unit_name": "责任单位", "place": "地点", "category": "问题类别",
                     "description": "问题描述", "closed_at": "销号时间", "rechecked_at": "复查时间",
                     "result": "复查结果", "checker": "复查人", "note": "备注", "round_name": "复查轮次"}
RESULT_WORDS = "到位/未到位/反弹"


def new_items(meeting_on: date, meeting_name: str, due_on: date, problems: list[tuple[str, str | None]],
              matters: list[tuple[str, str]]) -> pd.DataFrame:
    """The assignments rows of what staff assign at a meeting: (problem id, its unit) and (unit, matter
    text), each with the meeting's deadline; item ids carry the meeting's date and the time of entry."""
    stamp = datetime.now().strftime("%H%M%S%f")[:8]
    rows = [(pid, None, unit) for pid, unit in problems] + [(None, text, unit) for unit, text in matters]
    return pd.DataFrame({
        "item_id": [f"JB{meeting_on:%Y%m%d}-{stamp}-{i:02d}" for i in range(1, len(rows) + 1)],
        "meeting_on": [meeting_on] * len(rows), "meeting_name": [meeting_name.strip() or None] * len(rows),
        "problem_id": [r[0] for r in rows], "matter": [r[1] for r in rows], "unit_name": [r[2] for r in rows],
        "due_on": [due_on] * len(rows)})


def _day(value) -> str:
    return "" if bulletin._missing(value) else f"{pd.Timestamp(value):%Y-%m-%d}"


def _cn_day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def state_text(item) -> str:
    """完成 / 逾期 N 天 / 未完成, for one meeting_items row."""
    if bool(item["is_done"]):
        return "已完成"
    if bool(item["is_overdue"]):
        return f"逾期{int(item['days_overdue'])}天"
    return "未完成"


def with_state(items: pd.DataFrame) -> pd.DataFrame:
    """The items with their 落实情况 in words, and missing values as None (shown as "—", not "nan")."""
    states = [state_text(r) for r in items.to_dict("records")]
    return items.astype(object).where(items.notna(), None).assign(state_text=pd.Series(states, index=items.index,
                                                                                       dtype=object))


def items_xlsx(items: pd.DataFrame, notes: list[tuple[str, str]]) -> bytes:
    """The 交办单 as a workbook, one row per item; importable again as the assignments dataset."""
    return exports.to_xlsx(with_state(items), ITEM_COLUMNS, "交办单", notes)


def _what(item) -> str:
    if not bulletin._missing(item.get("problem_id")):
        place = "" if bulletin._missing(item.get("place")) else f"{item['place']}："
        text = "" if bulletin._missing(item.get("description")) else str(item["description"])
        return f"{place}{text}（问题编号 {item['problem_id']}）"
    return "" if bulletin._missing(item.get("matter")) else str(item["matter"])


def sheet_docx(city_name: str, meeting_on: date, meeting_name: str, items: pd.DataFrame) -> bytes:
    """交办单 in Word, one page per unit: title, the unit addressed, what is assigned and by when."""
    document = Document()
    bulletin._setup(document)
    units = list(dict.fromkeys(items["unit_name"])) if len(items) else []
    for n, unit in enumerate(units):
        if n:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        title = document.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        bulletin._run(title, f"{city_name}创建全国文明城市调度会交办单", bulletin.TITLE_FONT, bulletin.TITLE_SIZE)
        document.add_paragraph()
        document.add_paragraph(f"{unit}：")
        own = items[items["unit_name"] == unit]
        bulletin._body(document, f"{_cn_day(meeting_on)}{meeting_name or '调度会'}向你单位交办以下"
                                 f"{len(own)}项问题（事项），请按时限整改到位，并将整改情况报市创城办。")
        rows = [[str(i), _what(r), _day(r["due_on"])] for i, r in enumerate(own.to_dict("records"), start=1)]
        bulletin._table(document, ["序号", "交办问题（事项）", "办结时限"], rows)
        document.add_paragraph()
        for text in (f"{city_name}创建全国文明城市指挥部办公室", _cn_day(meeting_on)):
            document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if not units:
        bulletin._body(document, "本次会议没有交办问题。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def minutes_lines(meeting_on: date, meeting_name: str, as_of: date, units: pd.DataFrame,
                  items: pd.DataFrame) -> list[str]:
    """The follow-up of one meeting in sentences: the totals, each unit's, and the unfinished items."""
    total = units[units["is_total"].astype(bool)]
    if total.empty:
        return [f"{_cn_day(meeting_on)}{meeting_name or '调度会'}没有交办问题。"]
    t = total.iloc[0]
    lines = [f"{_cn_day(meeting_on)}{meeting_name or '调度会'}共交办{int(t['count_items'])}项，截至{_cn_day(as_of)}"
             f"已完成{int(t['count_done'])}项，逾期未完成{int(t['count_overdue'])}项，"
             f"完成率{bulletin.rate_text(t['done_rate'])}。"]
    for u in units[~units["is_total"].astype(bool)].to_dict("records"):
        lines.append(f"{u['unit_name']}：交办{int(u['count_items'])}项，完成{int(u['count_done'])}项，"
                     f"逾期{int(u['count_overdue'])}项。")
    unfinished = items[~items["is_done"].astype(bool)]
    for r in unfinished.to_dict("records"):
        lines.append(f"未完成：{r['unit_name']}　{_what(r)}，时限{_day(r['due_on']) or '未定'}，{state_text(r)}。")
    return lines


def minutes_docx(city_name: str, meeting_on: date, meeting_name: str, as_of: date, units: pd.DataFrame,
                 items: pd.DataFrame) -> bytes:
    """The summary for the minutes: how the meeting's items stand, by unit, the unfinished ones named."""
    document = Document()
    bulletin._setup(document)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    bulletin._run(title, f"{meeting_name or '调度会'}交办事项落实情况", bulletin.TITLE_FONT, bulletin.TITLE_SIZE)
    document.add_paragraph()
    for line in minutes_lines(meeting_on, meeting_name, as_of, units, items):
        bulletin._body(document, line)
    shown = units.assign(rate=[bulletin.rate_text(v) for v in units["done_rate"]])
    bulletin._table(document, ["单位", "交办", "完成", "逾期", "完成率"],
                    [[str(u["unit_name"]), str(int(u["count_items"])), str(int(u["count_done"])),
                      str(int(u["count_overdue"])), u["rate"]] for u in shown.to_dict("records")])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def checklist_xlsx(candidates: pd.DataFrame, round_name: str, notes: list[tuple[str, str]]) -> bytes:
    """The 回头看 checklist: the problems chosen, with blank result columns to fill in on site; the
    filled-in file imports as the rechecks dataset."""
    sheet = candidates.assign(rechecked_at=None, result=None, checker=None, note=None, round_name=round_name)
    return exports.to_xlsx(sheet, CHECKLIST_COLUMNS, "回头看清单",
                           [*notes, ("填写说明", f"复查结果填 {RESULT_WORDS}；复查时间填复查的日期（和时间）。"
                                                "填好后在“数据导入”页导入；复查时间和复查结果都空着的行算尚未复查，"
                                                "不导入（也不算有误），复查后填好再导入即可。")])
