"""Tests of cockpit.bulletin: the bulletin workbook and Word draft from the real queries on the tiny world."""

import io
from datetime import date, datetime

import docx
import openpyxl
import pandas as pd
import pytest
from docx.oxml.ns import qn

from cockpit.outputs import bulletin
from cockpit.store import queries, readers
from cockpit.vocab.filters import NO_FILTERS
from tests.conftest import TINY_AS_OF

RULES = {"w_closure_rate": 35.0, "w_on_time_rate": 25.0, "w_overdue_per_100": 20.0, "w_rebound_rate": 10.0,
         "w_inspection_score": 10.0, "min_sample": 5, "inspection_days": 30, "list_rule": "top_n",
         "red_n": 1, "black_n": 1, "red_closure_rate": 0.9, "black_closure_rate": 0.85}
NOTES = [("统计日期", "2026-06-10"), ("数据截至", "2026年06月10日"),
         ("排名规则", "销号率35、按期整改率25、每百件逾期20、反弹率10、点位测评10；红黑榜各1名"),
         ("导出时间", "2026-06-11 09:30")]
RANKING_HEADERS = ("名次", "单位", "得分", "销号率", "按期整改率", "每百件逾期", "反弹率", "点位测评均分",
                   "问题数", "已销号", "在办", "逾期", "名次变化", "连续黑榜周数", "备注")
OVERDUE_HEADERS = ("责任单位", "问题编号", "地点", "问题类别", "问题描述", "整改时限", "逾期天数")
SUMMARY_NOTES = [("发现问题（个）", 20), ("已销号（个）", 8), ("销号率", "40.0%"), ("在办（个）", 12),
                 ("逾期（个）", 3), ("按期整改率", "40.0%"), ("反弹（个）", 3)]
SHEETS = ["街道乡镇排名", "市直部门排名", "区县排名", "红黑榜", "逾期问题", "说明"]


def inputs(con, **rules):
    """(summary, this week's ranking, overdue problems) as the page would hand them over."""
    ranking = readers.run(con, "unit_ranking", as_of=TINY_AS_OF, due_soon_days=3, weeks=3, rules={**RULES, **rules})
    summary = readers.run(con, "progress_headline", as_of=TINY_AS_OF, due_soon_days=3,
                     filters=NO_FILTERS).iloc[0].to_dict()
    overdue = readers.run(con, "problem_list", as_of=TINY_AS_OF, due_soon_days=3, filters=NO_FILTERS,
                     list_kind="overdue", dimension="", group_name="", search="", stale_days=7, limit=100000)
    return summary, ranking[ranking.weeks_back == 0], overdue


def open_book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def open_doc(data: bytes) -> docx.Document:
    return docx.Document(io.BytesIO(data))


def values(sheet) -> list[tuple]:
    """Every row of a sheet, floats rounded to 9 decimals (33.33… per 100 is not exact)."""
    return [tuple(round(v, 9) if isinstance(v, float) else v for v in row)
            for row in sheet.iter_rows(values_only=True)]


def table_texts(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


@pytest.fixture
def tiny_inputs(tiny_con):
    return inputs(tiny_con)


@pytest.fixture
def book(tiny_inputs):
    summary, this_week, overdue = tiny_inputs
    return open_book(bulletin.bulletin_xlsx("示范市", TINY_AS_OF, summary, this_week, overdue, NOTES))


@pytest.fixture
def document(tiny_inputs):
    summary, this_week, overdue = tiny_inputs
    return open_doc(bulletin.bulletin_docx("示范市", TINY_AS_OF, summary, this_week, overdue))


# Workbook ----------------------------------------------------------------------------------------

def test_xlsx_sheets(book):
    assert book.sheetnames == SHEETS


def test_xlsx_street_ranking_in_rank_order_with_unscored_last(book):
    sheet = book["街道乡镇排名"]
    assert values(sheet) == [
        RANKING_HEADERS,
        (1, "汶河街道", 70, 0.5, 0.5, round(100 / 3, 9), round(1 / 3, 9), 76, 6, 3, 3, 2, None, 0, "红榜"),
        (2, "东关街道", 55, 0.4, 0.5, 20, 1, round(247 / 3, 9), 5, 2, 3, 1, "↓1", 1, "黑榜"),  # 1st a week ago
        (None, "蒋王街道", None, 0.5, 0, 0, 0, 85, 4, 2, 2, 0, None, 0, "样本不足"),  # 4 problems < 5
    ]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"


def test_xlsx_rates_are_percentages_and_scores_one_decimal(book):
    formats = [cell.number_format for cell in book["街道乡镇排名"][2]]
    assert formats[2:8] == ["0.0", "0.0%", "0.0%", "0.0", "0.0%", "0.0"]
    assert formats[8] == "General"


def test_xlsx_department_and_district_rankings(book):
    # Alone among the scored units of its pool, a unit goes on neither list (unit_ranking.sql).
    assert values(book["市直部门排名"])[1:] == [
        (1, "市城管局", 100, 0.2, None, 0, 0, None, 5, 1, 4, 0, None, 0, None)]
    assert values(book["区县排名"])[1:] == [
        (1, "广陵区", 62.5, round(5 / 11, 9), 0.5, round(300 / 11, 9), 0.6, round(475 / 6, 9),
         11, 5, 6, 3, "–", 0, None),
        (None, "邗江区", None, 0.5, 0, 0, 0, 85, 4, 2, 2, 0, None, 0, "样本不足"),
    ]


def test_xlsx_red_and_black_lists(book):
    assert values(book["红黑榜"]) == [
        ("排名类别", "榜单", "名次", "单位", "得分", "销号率"),
        ("街道乡镇", "红榜", 1, "汶河街道", 70, 0.5),
        ("街道乡镇", "黑榜", 2, "东关街道", 55, 0.4),
        ("市直部门", "红榜", None, "本周无", None, None),
        ("市直部门", "黑榜", None, "本周无", None, None),
        ("区县", "红榜", None, "本周无", None, None),
        ("区县", "黑榜", None, "本周无", None, None),
    ]


def test_xlsx_overdue_grouped_by_unit_longest_first(book):
    sheet = book["逾期问题"]
    assert values(sheet) == [
        OVERDUE_HEADERS,
        ("东关街道", "P11", "东关街", "乱堆乱放", "杂物堆放", datetime(2026, 6, 5), 5),
        ("汶河街道", "P08", "文昌广场", "公益广告", "公益广告未更新", datetime(2026, 6, 2), 8),
        ("汶河街道", "P15", "汶河社区", "垃圾暴露", "垃圾桶满溢", datetime(2026, 6, 9), 1),
    ]
    assert sheet["F2"].number_format == "yyyy-mm-dd"


def test_xlsx_notes_then_totals(book):
    assert values(book["说明"]) == [*NOTES, *SUMMARY_NOTES]


def test_xlsx_text_cells_are_defused(tiny_inputs):
    summary, this_week, overdue = tiny_inputs
    overdue = overdue.assign(description=["=HYPERLINK(\"x\")", "+1", "@SUM(A1)"], place=["-2", "普通", "普通"])
    book = open_book(bulletin.bulletin_xlsx("示范市", TINY_AS_OF, summary, this_week, overdue, [("=备注", "-x")]))
    assert [row[2:5] for row in values(book["逾期问题"])[1:]] == [
        ("普通", "乱堆乱放", "'+1"),
        ("'-2", "公益广告", "'=HYPERLINK(\"x\")"),
        ("普通", "垃圾暴露", "'@SUM(A1)"),
    ]
    assert values(book["说明"])[0] == ("'=备注", "'-x")
    assert all(cell.data_type != "f" for sheet in book for row in sheet.iter_rows() for cell in row)


def test_rank_change_text():
    assert [bulletin.rank_change_text(v) for v in (2, -1, 0, pd.NA, None)] == ["↑2", "↓1", "–", "", ""]


# Word draft --------------------------------------------------------------------------------------

def test_docx_title_and_as_of_sentence(document):
    paragraphs = texts(document)
    assert paragraphs[0] == "关于示范市创建全国文明城市问题整改情况的通报"
    assert ("截至6月10日，全市共发现问题20个，已销号8个，销号率40.0%，在办12个，其中逾期3个；"
            "按期整改率40.0%，反弹问题3个。") in paragraphs
    assert paragraphs[-2:] == ["示范市创建全国文明城市指挥部办公室", "2026年6月10日"]


def test_docx_lists_per_pool(document):
    paragraphs = texts(document)
    body = paragraphs[paragraphs.index("二、排名情况"):paragraphs.index("三、逾期问题")]
    assert body == [
        "二、排名情况",
        "（一）街道乡镇",
        "红榜：汶河街道；黑榜：东关街道。",
        "蒋王街道问题数量较少，样本不足，本周不参与排名。",
        "本周无连续两周及以上列入黑榜的单位。",
        "（二）市直部门",
        "红榜：无；黑榜：无。",
        "本周无连续两周及以上列入黑榜的单位。",
        "（三）区县",
        "红榜：无；黑榜：无。",
        "邗江区问题数量较少，样本不足，本周不参与排名。",
        "本周无连续两周及以上列入黑榜的单位。",
    ]


def test_docx_tables(document):
    assert [table_texts(t) for t in document.tables] == [
        [["名次", "单位", "得分", "销号率", "逾期"],
         ["1", "汶河街道", "70.0", "50.0%", "2"],
         ["2", "东关街道", "55.0", "40.0%", "1"],
         ["—", "蒋王街道", "样本不足", "50.0%", "0"]],
        [["名次", "单位", "得分", "销号率", "逾期"],
         ["1", "市城管局", "100.0", "20.0%", "0"]],
        [["名次", "单位", "得分", "销号率", "逾期"],
         ["1", "广陵区", "62.5", "45.5%", "3"],
         ["—", "邗江区", "样本不足", "50.0%", "0"]],
        [["序号", "问题编号", "责任单位", "地点", "问题描述", "整改时限", "逾期天数"],
         ["1", "P08", "汶河街道", "文昌广场", "公益广告未更新", "2026-06-02", "8"],
         ["2", "P11", "东关街道", "东关街", "杂物堆放", "2026-06-05", "5"],
         ["3", "P15", "汶河街道", "汶河社区", "垃圾桶满溢", "2026-06-09", "1"]],
    ]
    assert "目前逾期问题3个，逾期时间最长的3个问题如下，请责任单位立即整改、按期销号。" in texts(document)


def test_docx_normal_style_has_an_east_asian_font(document):
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_docx_threshold_lists_and_escalation_by_streak(tiny_con):
    # Threshold rule: closure below 85% is black, so every scored unit is; street and department
    # streaks set by hand.
    summary, this_week, overdue = inputs(tiny_con, list_rule="threshold")
    streaks = {"汶河街道": 2, "东关街道": 4, "市城管局": 3}
    this_week = this_week.assign(
        black_weeks=[streaks.get(n, w) for n, w in zip(this_week.unit_name, this_week.black_weeks)])
    paragraphs = texts(open_doc(bulletin.bulletin_docx("示范市", TINY_AS_OF, summary, this_week, overdue)))
    body = paragraphs[paragraphs.index("二、排名情况"):paragraphs.index("三、逾期问题")]
    assert body == [
        "二、排名情况",
        "（一）街道乡镇",
        "红榜：无；黑榜：汶河街道、东关街道。",
        "蒋王街道问题数量较少，样本不足，本周不参与排名。",
        "东关街道连续4周列入黑榜，按规定启动问责程序。",
        "汶河街道连续2周列入黑榜，按规定予以约谈。",
        "（二）市直部门",
        "红榜：无；黑榜：市城管局。",
        "市城管局连续3周列入黑榜，按规定由组织部门予以约谈。",
        "（三）区县",
        "红榜：无；黑榜：广陵区。",
        "邗江区问题数量较少，样本不足，本周不参与排名。",
        "广陵区连续2周列入黑榜，按规定予以约谈。",  # its streak as the query computes it
    ]


def test_docx_keeps_the_ten_longest_overdue(tiny_inputs):
    summary, this_week, overdue = tiny_inputs
    many = pd.concat([overdue.assign(problem_id=overdue.problem_id + f"-{i}", days_overdue=overdue.days_overdue + i)
                      for i in range(4)], ignore_index=True)  # 12 problems, 1 to 11 days overdue
    document = open_doc(bulletin.bulletin_docx("示范市", TINY_AS_OF, summary, this_week, many))
    rows = table_texts(document.tables[-1])[1:]
    assert [(r[1], r[6]) for r in rows] == [
        ("P08-3", "11"), ("P08-2", "10"), ("P08-1", "9"), ("P08-0", "8"), ("P11-3", "8"), ("P11-2", "7"),
        ("P11-1", "6"), ("P11-0", "5"), ("P15-3", "4"), ("P15-2", "3")]
    assert "目前逾期问题12个，逾期时间最长的10个问题如下，请责任单位立即整改、按期销号。" in texts(document)


def test_numbers_read_with_thousands_separators():
    assert bulletin.as_of_sentence(date(2026, 3, 1), {
        "count_found": 10690, "count_closed": 9321, "closure_rate": 0.8719, "count_open": 1369,
        "count_overdue": 1234, "on_time_rate": None, "count_rebound": 0}) == (
        "截至3月1日，全市共发现问题10,690个，已销号9,321个，销号率87.2%，在办1,369个，其中逾期1,234个；"
        "按期整改率—，反弹问题0个。")


# Empty inputs ------------------------------------------------------------------------------------

@pytest.fixture
def empty_inputs():
    con = queries.connect_memory()
    yield inputs(con)
    con.close()


def test_empty_xlsx(empty_inputs):
    summary, this_week, overdue = empty_inputs
    book = open_book(bulletin.bulletin_xlsx("示范市", TINY_AS_OF, summary, this_week, overdue, NOTES))
    assert book.sheetnames == SHEETS
    assert values(book["街道乡镇排名"]) == [RANKING_HEADERS, ("本周无街道乡镇排名", *[None] * 14)]
    assert values(book["区县排名"])[1][0] == "本周无区县排名"
    assert values(book["红黑榜"])[1:] == [
        (pool, name, None, "本周无", None, None) for pool in ("街道乡镇", "市直部门", "区县") for name in ("红榜", "黑榜")]
    assert values(book["逾期问题"]) == [OVERDUE_HEADERS, ("本周无逾期问题", *[None] * 6)]
    assert values(book["说明"]) == [*NOTES, ("发现问题（个）", 0), ("已销号（个）", 0), ("销号率", "—"),
                                   ("在办（个）", 0), ("逾期（个）", 0), ("按期整改率", "—"), ("反弹（个）", 0)]


def test_empty_docx(empty_inputs):
    summary, this_week, overdue = empty_inputs
    document = open_doc(bulletin.bulletin_docx("示范市", TINY_AS_OF, summary, this_week, overdue))
    paragraphs = texts(document)
    assert "截至6月10日，全市共发现问题0个，已销号0个，销号率—，在办0个，其中逾期0个；按期整改率—，反弹问题0个。" in paragraphs
    assert paragraphs[paragraphs.index("二、排名情况"):paragraphs.index("三、逾期问题") + 2] == [
        "二、排名情况", "（一）街道乡镇", "本周无街道乡镇参与排名。", "（二）市直部门", "本周无市直部门参与排名。",
        "（三）区县", "本周无区县参与排名。", "三、逾期问题", "本周无逾期问题。"]
    assert document.tables == []
