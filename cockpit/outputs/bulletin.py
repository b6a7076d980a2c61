"""The weekly bulletin (通报): a workbook of the rankings and overdue problems, and a Word draft.

Both are pure functions of query results (unit_ranking for this week, progress_headline,
problem_list of overdue problems): no Streamlit and no SQL here. The workbook goes to staff who sort
and filter it in Excel, so cells keep their types and every sheet goes through exports.write_table()
(number formats, widths, print setup, and the quote-prefix style on formula-looking text: descriptions
are typed by the public). The Word draft is the usual form of a
campaign bulletin (title, overall figures, red and black lists per pool, escalation for repeated
black-list places, tables), worded neutrally for the office to edit before it is sent.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

import pandas as pd
import xlsxwriter
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from cockpit.outputs import exports, word_tables
from cockpit.vocab import ranking
from cockpit.vocab.escalation import DEFAULT_LADDER, action as escalation_action, first_weeks, talks_text

# Pool code of unit_ranking → (sheet name, how the bulletin names the units of the pool).
POOLS = {"street": ("街道乡镇排名", "街道乡镇"),
         "department": ("市直部门排名", "市直部门"),
         "district": ("区县排名", "区县")}
# Pools a bulletin has only when the ranking holds them: 乡镇 ranked apart (ranking.townships_apart;
# 街道乡镇 then holds only 街道) and the 片区 of the 责任体系.
MORE_POOLS = {"township": ("乡镇排名", "乡镇"), "area": ("片区排名", "片区")}


def bulletin_pools(rankings: pd.DataFrame) -> dict:
    present = set(rankings["pool"]) if "pool" in rankings else set()
    pools = dict(POOLS)
    if "township" in present:
        pools["street"] = ("街道排名", "街道")
    return pools | {p: names for p, names in MORE_POOLS.items() if p in present}
LISTS_SHEET = "红黑榜"
OVERDUE_SHEET = "逾期问题"
SAMPLE_SHORT = "样本不足"

RANKING_COLUMNS = {"rank": "名次", "unit_name": "单位", "score": "得分", "closure_rate": "销号率",
                   "on_time_rate": "按期整改率", "overdue_per_100": "每百件逾期", "rebound_rate": "反弹率",
                   "inspection_score": "点位测评均分", "count_found": "问题数", "count_closed": "已销号",
                   "count_open": "在办", "count_overdue": "逾期", "rank_change_text": "名次变化",
                   "black_weeks": "连续黑榜周数", "remark": "备注"}
LISTS_COLUMNS = {"pool_label": "排名类别", "list_name": "榜单", "rank": "名次", "unit_name": "单位",
                 "score": "得分", "closure_rate": "销号率"}
OVERDUE_COLUMNS = {"unit_name": "责任单位", "problem_id": "问题编号", "place": "地点", "category": "问题类别",
                   "description": "问题描述", "due_on": "整改时限", "days_overdue": "逾期天数"}
PERCENT_COLUMNS = {"closure_rate", "on_time_rate", "rebound_rate"}
ONE_DECIMAL_COLUMNS = {"score", "overdue_per_100", "inspection_score"}
# Fixed formats, so a score column that happens to hold only whole numbers still reads 85.0.
NUMBER_FORMATS = {**{key: exports.PERCENT_FORMAT for key in PERCENT_COLUMNS},
                  **{key: exports.ONE_DECIMAL_FORMAT for key in ONE_DECIMAL_COLUMNS}}

# Word: the fonts of Chinese official documents (GB/T 9704); Word substitutes any that are missing.
BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
TABLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
TABLE_SIZE = Pt(10.5)  # 五号
# The overdue table has seven columns on a portrait page: in 小五 a description fits in two or three
# lines beside a whole problem number and date.
DENSE_TABLE_SIZE = Pt(9)  # 小五
TOP_OVERDUE = 10
CHINESE_ORDINALS = "一二三四五六七八九十"


# Shared formatting -------------------------------------------------------------------------------

def _missing(value) -> bool:
    return exports.plain(value) is None


def count_text(value) -> str:
    """1234 → "1,234"; a missing count reads "—"."""
    return "—" if _missing(value) else f"{int(value):,}"


def rate_text(value) -> str:
    """0.872 → "87.2%"; a missing rate (nothing to divide by) reads "—"."""
    return "—" if _missing(value) else f"{float(value):.1%}"


def score_text(value) -> str:
    """A score with one decimal; a unit without a score reads "—"."""
    return "—" if _missing(value) else f"{float(value):.1f}"


def rank_change_text(value) -> str:
    """+2 → "好转2" (two places up), -1 → "变差1", 0 → "–"; no rank last week → "" (as the page)."""
    return "" if _missing(value) else ranking.rank_change_text(value)


def remark(row: Mapping) -> str:
    """样本不足, 红榜, 黑榜 or nothing."""
    if not bool(row["is_sample_enough"]):
        return SAMPLE_SHORT
    if bool(row["is_red"]):
        return "红榜"
    if bool(row["is_black"]):
        return "黑榜"
    return ""


def pool_units(rankings: pd.DataFrame, pool: str) -> pd.DataFrame:
    """One pool's units in rank order: ranked units by rank (ties by name), units without a rank last."""
    units = rankings[rankings["pool"] == pool].copy()
    units["_unranked"] = units["rank"].isna()
    units["_rank"] = pd.to_numeric(units["rank"], errors="coerce").fillna(0)
    units = units.sort_values(["_unranked", "_rank", "unit_name"], kind="stable")
    return units.drop(columns=["_unranked", "_rank"]).reset_index(drop=True)


def overdue_by_unit(overdue: pd.DataFrame) -> pd.DataFrame:
    """Overdue problems grouped by unit (name order), longest overdue first within a unit."""
    return overdue.sort_values(["unit_name", "days_overdue", "problem_id"], ascending=[True, False, True],
                               kind="stable", na_position="last").reset_index(drop=True)


def longest_overdue(overdue: pd.DataFrame, n: int = TOP_OVERDUE) -> pd.DataFrame:
    """The n problems overdue longest; ties by deadline then number, so the cut is deterministic."""
    return overdue.sort_values(["days_overdue", "due_on", "problem_id"], ascending=[False, True, True],
                               kind="stable", na_position="last").head(n).reset_index(drop=True)


def _unit_names(units: pd.DataFrame) -> str:
    return "、".join(str(name) for name in units["unit_name"])


# Workbook ----------------------------------------------------------------------------------------

def _ranking_frame(units: pd.DataFrame) -> pd.DataFrame:
    """A pool's units with the derived columns of the sheet (score rounded, rank change, remark)."""
    frame = units.copy()
    frame["score"] = frame["score"].round(1)
    # An empty string would be a text cell Excel counts as filled; None leaves the cell blank.
    frame["rank_change_text"] = [rank_change_text(v) or None for v in frame["rank_change"]]
    frame["remark"] = [remark(row) or None for row in frame.to_dict("records")]
    return frame


def _lists_frame(rankings: pd.DataFrame) -> pd.DataFrame:
    """Red then black list of each pool; a pool with an empty list gets one row saying so."""
    rows = []
    for pool, (_, label) in bulletin_pools(rankings).items():
        units = pool_units(rankings, pool)
        for list_name, flag in (("红榜", "is_red"), ("黑榜", "is_black")):
            listed = units[units[flag].astype(bool)] if not units.empty else units
            if listed.empty:
                rows.append({"pool_label": label, "list_name": list_name, "unit_name": "本周无"})
            for unit in listed.to_dict("records"):
                rows.append({"pool_label": label, "list_name": list_name, "rank": unit["rank"],
                             "unit_name": unit["unit_name"], "score": round(float(unit["score"]), 1),
                             "closure_rate": unit["closure_rate"]})
    return pd.DataFrame(rows, columns=list(LISTS_COLUMNS))


def _summary_notes(summary: Mapping) -> list[tuple[str, object]]:
    """The overall figures, after the caller's notes on the 说明 sheet."""
    def count(key):
        return None if _missing(summary.get(key)) else int(summary[key])
    return [("发现问题（个）", count("count_found")), ("已销号（个）", count("count_closed")),
            ("销号率", rate_text(summary.get("closure_rate"))), ("在办（个）", count("count_open")),
            ("逾期（个）", count("count_overdue")), ("按期整改率", rate_text(summary.get("on_time_rate"))),
            ("反弹（个）", count("count_rebound"))]


def bulletin_xlsx(city_name: str, as_of: date, summary: Mapping, rankings: pd.DataFrame,
                  overdue: pd.DataFrame, notes: Iterable[tuple[str, object]]) -> bytes:
    """The bulletin workbook: a ranking sheet per pool, 红黑榜, 逾期问题 and 说明 (notes, then totals)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties({"title": f"{city_name}创城工作通报 {as_of:%Y-%m-%d}"})
    formats = exports.workbook_formats(workbook)
    day = as_of.isoformat()

    def table(name, frame, columns, empty_text):
        exports.write_table(workbook, exports.safe_sheet_name(name), frame, columns, formats, day, NUMBER_FORMATS,
                            empty_text)
    for pool, (sheet_name, label) in bulletin_pools(rankings).items():
        table(sheet_name, _ranking_frame(pool_units(rankings, pool)), RANKING_COLUMNS, f"本周无{label}排名")
    table(LISTS_SHEET, _lists_frame(rankings), LISTS_COLUMNS, "本周无红黑榜")
    table(OVERDUE_SHEET, overdue_by_unit(overdue), OVERDUE_COLUMNS, "本周无逾期问题")
    exports._write_notes(workbook, [*notes, *_summary_notes(summary)], formats, day)
    workbook.close()
    return buffer.getvalue()


# Word draft --------------------------------------------------------------------------------------

def _set_fonts(element, east_asian: str, latin: str = LATIN_FONT) -> None:
    """Latin and East Asian font of a style or run: without w:eastAsia Word shows Chinese in a fallback."""
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def _run(paragraph, text: str, font: str | None = None, size=None, bold: bool = False):
    run = paragraph.add_run(text)
    if font:
        _set_fonts(run._element, font)
    if size:
        run.font.size = size
    run.bold = bold or None
    return run


def _body(document, text: str, font: str | None = None):
    """A body paragraph indented two characters, as official documents are."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = BODY_SIZE * 2
    _run(paragraph, text, font)
    return paragraph


def _table(document, headers: Sequence[str], rows: Sequence[Sequence[str]], size=TABLE_SIZE):
    """A bordered table in 宋体 (五号 unless told) with a bold header row, cells centred, columns sized
    to their text."""
    table = document.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    section = document.sections[-1]
    word_tables.fit_table(table, headers, rows, section.page_width - section.left_margin - section.right_margin,
                          size)
    for r, texts in enumerate([headers, *rows]):
        for c, text in enumerate(texts):
            paragraph = table.cell(r, c).paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.first_line_indent = 0
            paragraph.paragraph_format.line_spacing = 1.0
            _run(paragraph, text, TABLE_FONT, size, bold=(r == 0))
    return table


def _setup(document) -> None:
    """A4 with official-document margins; Normal style in 三号仿宋 with its East Asian font set."""
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = BODY_SIZE
    _set_fonts(normal.element, BODY_FONT)
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)


def as_of_sentence(as_of: date, summary: Mapping) -> str:
    """截至6月10日，全市共发现问题20个，已销号8个，销号率40.0%，……"""
    return (f"截至{as_of.month}月{as_of.day}日，全市共发现问题{count_text(summary.get('count_found'))}个，"
            f"已销号{count_text(summary.get('count_closed'))}个，销号率{rate_text(summary.get('closure_rate'))}，"
            f"在办{count_text(summary.get('count_open'))}个，其中逾期{count_text(summary.get('count_overdue'))}个；"
            f"按期整改率{rate_text(summary.get('on_time_rate'))}，"
            f"反弹问题{count_text(summary.get('count_rebound'))}个。")


def lists_sentence(units: pd.DataFrame) -> str:
    """红榜：A、B；黑榜：C。 (无 for an empty list)."""
    red = units[units["is_red"].astype(bool)]
    black = units[units["is_black"].astype(bool)]
    return f"红榜：{_unit_names(red) or '无'}；黑榜：{_unit_names(black) or '无'}。"


def escalation(weeks: int, ladder=DEFAULT_LADDER) -> str | None:
    """What a black-list streak leads to: the escalation ladder's action (a setting, cockpit/vocab/escalation.py)."""
    return escalation_action(weeks, ladder)


def streak_sentences(units: pd.DataFrame, ladder=DEFAULT_LADDER, talks: Mapping[str, int] | None = None) -> list[str]:
    """One sentence per streak length that brings an action, longest first; one saying none otherwise.
    A unit already talked to carries its count (已约谈 2 次)."""
    first = first_weeks(ladder)
    weeks_of = units["black_weeks"].fillna(0).astype(int)
    streaks = units[weeks_of >= first] if first else units.iloc[0:0]
    if streaks.empty:
        return [f"本周无{'连续两周及以上' if first and first >= 2 else ''}列入黑榜的单位。"]
    sentences = []
    for weeks in sorted(streaks["black_weeks"].astype(int).unique(), reverse=True):
        names = "、".join(f"{name}（{talks_text(talks.get(name))}）" if talks and talks.get(name) else str(name)
                         for name in streaks[streaks["black_weeks"].astype(int) == weeks]["unit_name"])
        # The page's wording: a streak as long as the ranking looks back reads 连续 12 周以上.
        placed = f"{ranking.streak_text(weeks)}列入黑榜" if weeks >= 2 else "本周列入黑榜"
        sentences.append(f"{names}{placed}，{escalation(weeks, ladder)}。")
    return sentences


def ranking_rows(units: pd.DataFrame) -> list[list[str]]:
    """名次, 单位, 得分, 销号率, 逾期 as the table shows them; a unit without a score reads 样本不足."""
    return [["—" if _missing(u["rank"]) else str(int(u["rank"])), str(u["unit_name"]),
             score_text(u["score"]) if bool(u["is_sample_enough"]) else SAMPLE_SHORT,
             rate_text(u["closure_rate"]), count_text(u["count_overdue"])]
            for u in units.to_dict("records")]


def overdue_rows(problems: pd.DataFrame) -> list[list[str]]:
    """序号, 问题编号, 责任单位, 地点, 问题描述, 整改时限, 逾期天数."""
    def text(value):
        return "" if _missing(value) else str(value)

    def day(value):
        return "" if _missing(value) else pd.Timestamp(value).strftime("%Y-%m-%d")
    return [[str(i), text(p["problem_id"]), text(p["unit_name"]), text(p["place"]), text(p["description"]),
             day(p["due_on"]), count_text(p["days_overdue"])]
            for i, p in enumerate(problems.to_dict("records"), start=1)]


def bulletin_docx(city_name: str, as_of: date, summary: Mapping, rankings: pd.DataFrame,
                  overdue: pd.DataFrame, ladder=DEFAULT_LADDER, talks: Mapping[str, int] | None = None,
                  scoring_sentences: Sequence[str] = ()) -> bytes:
    """A Word draft of the weekly bulletin, for the office to edit before it is issued. ladder: the
    escalation setting; talks: each unit's 约谈 held so far; scoring_sentences: the indicators losing
    most and the red key tasks."""
    document = Document()
    _setup(document)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(36)
    _run(title, f"关于{city_name}创建全国文明城市问题整改情况的通报", TITLE_FONT, TITLE_SIZE)
    document.add_paragraph()
    document.add_paragraph("各区县、街道（乡镇），市直各部门：")
    _body(document, f"现将截至{as_of.year}年{as_of.month}月{as_of.day}日全市创建全国文明城市问题整改情况"
                    f"及本周排名情况通报如下：")

    _body(document, "一、总体情况", HEADING_FONT)
    _body(document, as_of_sentence(as_of, summary))

    _body(document, "二、排名情况", HEADING_FONT)
    for i, (pool, (_, label)) in enumerate(bulletin_pools(rankings).items()):
        _body(document, f"（{CHINESE_ORDINALS[i]}）{label}", SUBHEADING_FONT)
        units = pool_units(rankings, pool)
        if units.empty:
            _body(document, f"本周无{label}参与排名。")
            continue
        _body(document, lists_sentence(units))
        unscored = units[~units["is_sample_enough"].astype(bool)]
        if not unscored.empty:
            _body(document, f"{_unit_names(unscored)}问题数量较少，样本不足，本周不参与排名。")
        for sentence in streak_sentences(units, ladder, talks):
            _body(document, sentence)
        _table(document, ["名次", "单位", "得分", "销号率", "逾期"], ranking_rows(units))

    _body(document, "三、逾期问题", HEADING_FONT)
    if overdue.empty:
        _body(document, "本周无逾期问题。")
    else:
        top = longest_overdue(overdue)
        lead = (f"目前逾期问题{count_text(len(overdue))}个，逾期时间最长的{len(top)}个问题如下，"
                f"请责任单位立即整改、按期销号。")
        _body(document, lead)
        _table(document, ["序号", "问题编号", "责任单位", "地点", "问题描述", "整改时限", "逾期天数"],
               overdue_rows(top), DENSE_TABLE_SIZE)

    if scoring_sentences:  # cockpit/vocab/scoring.py: the indicators losing most and the red key tasks
        _body(document, "四、测评失分与重点任务", HEADING_FONT)
        for sentence in scoring_sentences:
            _body(document, sentence)

    document.add_paragraph()
    for text in (f"{city_name}创建全国文明城市指挥部办公室", f"{as_of.year}年{as_of.month}月{as_of.day}日"):
        signature = document.add_paragraph(text)
        signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
