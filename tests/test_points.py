"""测评点位 on the tiny world (tests/fixtures/tiny.sql): the queries counted by hand, the export of the
monthly ranking, and the page through AppTest.

D is 2026-06-10. Standing at D (SPEC "point up to standard"): PT01 up (I02 passed by 是否达标, P16 due
D is not overdue), PT02 up (I04 88), PT03 not (I06 failed), PT04 not (I07 passed but P11 overdue),
PT05 never inspected, PT06 up (I08 exactly 85). The latest round started by D is 模拟测评第二轮 (I04
06-08, I08 06-09), so the standing "before the latest round" is read at 06-07: PT01 up (I02), PT02
not (I03 70), PT03 not (I06), PT04 not (P11 overdue since 06-06), PT05 and PT06 never inspected.
Chiefs and co-building units are in the fixture's point list: 张伟 PT01 PT04, 李娜 PT02, 王强 PT03,
陈静 PT05, none for PT06; 市市场监管局 PT01 PT02, 市财政局 PT03 PT05, 东关街道 PT04.
"""

import io
from datetime import date, datetime

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from cockpit.outputs import exports
from cockpit.store import readers
from cockpit.vocab import points
from tests.browser import ROOT
from tests.conftest import TINY_AS_OF, rows

D = TINY_AS_OF
D2 = date(2026, 6, 12)  # D + 2: I05 (PT02 failed on 06-11) and P21 (PT01, found 06-11) are seen
BASE = {"due_soon_days": 3, "pass_score": 85.0, "point_filters": points.NO_FILTERS}


def run(con, name, **params):
    return rows(readers.run(con, name, **params))


# ---- standing overall, by type, district, street and circle --------------------------------------

def test_point_standing_groups(tiny_con):
    df = readers.run(tiny_con, "point_standing_groups", as_of=D, **BASE)
    assert list(df.columns) == [
        "dimension", "group_name", "district", "count_points", "count_inspected", "count_never_inspected",
        "count_up_to_standard", "count_not_up_to_standard", "up_to_standard_rate", "count_inspected_before",
        "count_up_to_standard_before", "count_not_up_to_standard_before", "up_to_standard_rate_before", "rate_change", "baseline_on",
        "latest_round_label"]
    third = round(1 / 3, 9)
    assert [r[:-2] for r in rows(df)] == [
        # points, inspected, never, up, not up, rate | before: inspected, up, not up, rate | change
        ("overall", "全部点位", None, 6, 5, 1, 3, 2, 0.6, 4, 1, 3, 0.25, 0.35),        # PT01 PT02 PT06 of 5; PT01 of 4
        ("overall", "重点点位圈", None, 5, 4, 1, 2, 2, 0.5, 3, 1, 2, third, round(0.5 - 1 / 3, 9)),  # PT01 PT06 of 4
        ("type", "背街小巷", None, 1, 1, 0, 0, 1, 0.0, 1, 0, 1, 0.0, 0.0),           # PT04: overdue P11 then and now
        ("type", "公园广场", None, 2, 2, 0, 1, 1, 0.5, 1, 0, 1, 0.0, 0.5),           # PT06 now; PT03 alone then
        ("type", "农贸市场", None, 2, 2, 0, 2, 0, 1.0, 2, 1, 1, 0.5, 0.5),           # PT02 passed I04 since
        ("type", "老旧小区", None, 1, 0, 1, 0, 0, None, 0, 0, 0, None, None),        # PT05 never inspected
        ("district", "广陵区", None, 4, 4, 0, 2, 2, 0.5, 4, 1, 3, 0.25, 0.25),       # PT01 PT02 of PT01..PT04
        ("district", "邗江区", None, 2, 1, 1, 1, 0, 1.0, 0, 0, 0, None, None),       # PT06 inspected on 06-09 only
        ("street", "东关街道", "广陵区", 2, 2, 0, 1, 1, 0.5, 2, 1, 1, 0.5, 0.0),     # PT01 up, PT04 not, both times
        ("street", "汶河街道", "广陵区", 2, 2, 0, 1, 1, 0.5, 2, 0, 2, 0.0, 0.5),     # PT02 now up, PT03 not
        ("street", "蒋王街道", "邗江区", 2, 1, 1, 1, 0, 1.0, 0, 0, 0, None, None),   # PT06; PT05 never
        ("circle", "文昌重点点位圈", None, 1, 1, 0, 0, 1, 0.0, 1, 0, 1, 0.0, 0.0),   # PT03
        ("circle", "东关重点点位圈", None, 2, 2, 0, 1, 1, 0.5, 2, 1, 1, 0.5, 0.0),   # PT01 PT04
        ("circle", "蒋王重点点位圈", None, 2, 1, 1, 1, 0, 1.0, 0, 0, 0, None, None), # PT05 PT06
    ]
    assert set(rows(df[["baseline_on", "latest_round_label"]])) == {(date(2026, 6, 7), "模拟测评第二轮")}


def test_point_standing_groups_follow_the_filters(tiny_con):
    chosen = points.make(True, district=["广陵区"])  # PT01 PT03 PT04: the key circle points of 广陵区
    df = readers.run(tiny_con, "point_standing_groups", as_of=D, **{**BASE, "point_filters": chosen})
    overall = df[df["dimension"] == "overall"]
    assert rows(overall[["group_name", "count_points", "count_up_to_standard", "up_to_standard_rate",
                         "up_to_standard_rate_before"]]) == [
        ("全部点位", 3, 1, round(1 / 3, 9), round(1 / 3, 9)),  # PT01 of PT01 PT03 PT04, then and now
        ("重点点位圈", 3, 1, round(1 / 3, 9), round(1 / 3, 9)),
    ]
    # 公园广场 (PT03) and 背街小巷 (PT04) both at 0: by name.
    assert df.loc[df["dimension"] == "type", "group_name"].tolist() == ["公园广场", "背街小巷", "农贸市场"]


def test_before_any_round_there_is_no_change(tiny_con):
    df = readers.run(tiny_con, "point_standing_groups", as_of=date(2026, 5, 1), **BASE)  # before I01 (05-20)
    first = df.iloc[0]
    assert (first["group_name"], first["count_points"], first["count_never_inspected"]) == ("全部点位", 6, 6)
    assert df["baseline_on"].isna().all() and df["rate_change"].isna().all() and df["latest_round_label"].isna().all()
    assert df["count_not_up_to_standard_before"].isna().all()  # no "before" to compare with, not 0


# ---- inspection rounds, each against the one before of the same type -----------------------------

ROUNDS_AT_D = [
    # label, first, last, points, passed, rate, mean, problems | before: label, rate, mean | changes
    ("模拟测评第二轮", date(2026, 6, 8), date(2026, 6, 9), 2, 2, 1.0, 86.5, 0,   # I04 88, I08 85
     "模拟测评第一轮", 0.0, 70.0, 1.0, 16.5),                                      # I03 70
    ("暗访第二轮", date(2026, 6, 6), date(2026, 6, 6), 1, 0, 0.0, 70.0, 0,        # I06 (PT03 by name)
     "暗访第一轮", 0.0, 75.0, 0.0, -5.0),                                          # I01 75
    ("督查第二轮", date(2026, 6, 2), date(2026, 6, 5), 2, 2, 1.0, 86.0, 0,        # I07 90, I02 82 passed by 是否达标
     None, None, None, None, None),                                                # no 督查 before it
    ("模拟测评第一轮", date(2026, 5, 28), date(2026, 5, 28), 1, 0, 0.0, 70.0, 0,
     None, None, None, None, None),
    ("暗访第一轮", date(2026, 5, 20), date(2026, 5, 20), 1, 0, 0.0, 75.0, 1,      # P07 (暗访, found 05-20)
     None, None, None, None, None),
]
ROUND_COLUMNS = ["round_label", "first_on", "last_on", "count_points", "count_passed", "pass_rate", "mean_score",
                 "count_problems", "previous_round_label", "previous_pass_rate", "previous_mean_score",
                 "pass_rate_change", "mean_score_change"]


def test_inspection_rounds(tiny_con):
    df = readers.run(tiny_con, "inspection_rounds", as_of=D, pass_score=85.0, point_filters=points.NO_FILTERS)
    assert rows(df[ROUND_COLUMNS]) == ROUNDS_AT_D  # newest first; I05 (06-11) is after D


def test_inspection_rounds_two_days_later(tiny_con):
    df = readers.run(tiny_con, "inspection_rounds", as_of=D2, pass_score=85.0, point_filters=points.NO_FILTERS)
    assert rows(df[ROUND_COLUMNS]) == [
        ("暗访第三轮", date(2026, 6, 11), date(2026, 6, 11), 1, 0, 0.0, 60.0, 1,  # I05 PT02 60; P21 (暗访 06-11)
         "暗访第二轮", 0.0, 70.0, 0.0, -10.0),
        *ROUNDS_AT_D,
    ]


def test_inspection_rounds_follow_the_filters(tiny_con):
    chosen = points.make(point_type=["农贸市场"])  # PT01 PT02
    df = readers.run(tiny_con, "inspection_rounds", as_of=D, pass_score=85.0, point_filters=chosen)
    assert rows(df[["round_label", "count_points", "count_passed", "mean_score", "previous_round_label",
                    "previous_count_points"]]) == [
        ("模拟测评第二轮", 1, 1, 88.0, "模拟测评第一轮", 1),  # I04 only (I08 is PT06's)
        ("督查第二轮", 1, 1, 82.0, None, None),               # I02 only (I07 is PT04's)
        ("模拟测评第一轮", 1, 0, 70.0, None, None),
        ("暗访第一轮", 1, 0, 75.0, None, None),                # 暗访第二轮 visited PT03 only: not listed
    ]


def test_an_export_without_rounds_has_a_round_a_month(tiny_con):
    # Test-local: two 督查 visits with no 轮次, in July: one round '2026年07月', after 督查第二轮.
    tiny_con.execute("""
        insert into inspections (inspection_id, inspected_at, inspection_type, round_name, point_id, point_name,
                                 score, is_passed, count_problems, inspector, last_import_id) values
            ('T03', '2026-07-02 10:00', '督查', null, 'PT05', '蒋王小区', 90, true,  0, '第二检查组', 5),
            ('T04', '2026-07-09 10:00', '督查', null, 'PT04', '东关街',   80, false, 1, '第二检查组', 5)""")
    df = readers.run(tiny_con, "inspection_rounds", as_of=date(2026, 7, 31), pass_score=85.0,
                point_filters=points.NO_FILTERS)
    assert rows(df[ROUND_COLUMNS].head(1)) == [
        ("督查2026年07月", date(2026, 7, 2), date(2026, 7, 9), 2, 1, 0.5, 85.0, 0,
         "督查第二轮", 1.0, 86.0, -0.5, -1.0)]


def test_round_point_types(tiny_con):
    df = readers.run(tiny_con, "round_point_types", as_of=D, pass_score=85.0, point_filters=points.NO_FILTERS,
                inspection_type="模拟测评", round_name="第二轮")
    assert rows(df) == [
        # type, points, passed, rate, mean | before: points, passed, rate, mean | changes, worse
        ("农贸市场", 1, 1, 1.0, 88.0, 1, 0, 0.0, 70.0, 1.0, 18.0, False),  # PT02: I03 70 failed, I04 88
        ("公园广场", 1, 1, 1.0, 85.0, 0, 0, None, None, None, None, False),  # PT06: not in 第一轮
    ]


def test_a_type_that_got_worse_comes_first(tiny_con):
    # A third mock assessment, test-local: PT02 fails (70), PT06 passes again with a lower score (86 -> 85).
    tiny_con.execute("""
        insert into inspections (inspection_id, inspected_at, inspection_type, round_name, point_id, point_name,
                                 score, is_passed, count_problems, inspector, last_import_id) values
            ('T01', '2026-06-20 10:00', '模拟测评', '第三轮', 'PT02', '汶河农贸市场', 70, null, 2, '测评组', 5),
            ('T02', '2026-06-21 10:00', '模拟测评', '第三轮', 'PT06', '邗江公园',     85, null, 0, '测评组', 5)""")
    df = readers.run(tiny_con, "round_point_types", as_of=date(2026, 6, 30), pass_score=85.0,
                point_filters=points.NO_FILTERS, inspection_type="模拟测评", round_name="第三轮")
    assert rows(df[["point_type", "pass_rate", "previous_pass_rate", "pass_rate_change", "is_worse"]]) == [
        ("农贸市场", 0.0, 1.0, -1.0, True),    # I04 passed, T01 failed
        ("公园广场", 1.0, 1.0, 0.0, False),    # I08 85, T02 85: the same
    ]


def test_a_round_the_date_has_not_reached_has_no_rows(tiny_con):
    assert run(tiny_con, "round_point_types", as_of=D, pass_score=85.0, point_filters=points.NO_FILTERS,
               inspection_type="暗访", round_name="第三轮") == []  # I05 is on 06-11


@pytest.mark.parametrize("as_of,round_name,expected", [
    (D2, "第三轮", [("占道经营", 1, 0, 1)]),   # P21 (暗访, 06-11 at PT01); 第二轮 (06-06) found none
    (D, "第二轮", [("公益广告", 0, 1, -1)]),   # nothing on 06-06; 第一轮 (05-20) found P07 at PT06
    (D, "第一轮", [("公益广告", 1, 0, 1)]),    # P07; no round before
])
def test_round_categories(tiny_con, as_of, round_name, expected):
    assert run(tiny_con, "round_categories", as_of=as_of, point_filters=points.NO_FILTERS, inspection_type="暗访",
               round_name=round_name) == expected


def test_round_categories_follow_the_filters(tiny_con):
    chosen = points.make(street=["汶河街道"])  # PT02 PT03: P07 is at PT06, P21 at PT01
    assert run(tiny_con, "round_categories", as_of=D2, point_filters=chosen, inspection_type="暗访",
               round_name="第三轮") == []


# ---- point lists ---------------------------------------------------------------------------------

LIST_COLUMNS = ["point_id", "standing", "is_last_passed", "days_since_inspected", "count_open", "count_overdue",
                "count_in_list"]


def point_list(con, list_kind, stale_days=60, as_of=D, point_filters=points.NO_FILTERS):
    df = readers.run(con, "point_list", as_of=as_of, due_soon_days=3, pass_score=85.0, point_filters=point_filters,
                list_kind=list_kind, stale_days=stale_days)
    return rows(df[LIST_COLUMNS])


def test_never_inspected_or_not_for_long(tiny_con):
    # With thresholds.inspection_stale_days = 60 only PT05, never inspected, is listed.
    assert point_list(tiny_con, "uninspected") == [("PT05", "never", None, None, 0, 0, 1)]  # P14 closed on D
    # With 5 days: PT04 (I07, 06-02: 8 days) and PT01 (I02, 06-05: 5 days, the threshold itself) too.
    assert point_list(tiny_con, "uninspected", stale_days=5) == [
        ("PT05", "never", None, None, 0, 0, 3),
        ("PT04", "not_up", True, 8, 3, 1, 3),   # P10 P11 P12 open, P11 overdue
        ("PT01", "up", True, 5, 1, 0, 3),       # P16 open
    ]


def test_long_not_inspected_moves_with_the_date(tiny_con):
    # On 2026-08-09 every inspected point but PT02 (I05, 06-11: 59 days) was last inspected 60 days ago or more.
    listed = point_list(tiny_con, "uninspected", as_of=date(2026, 8, 9))
    assert [(r[0], r[3]) for r in listed] == [("PT05", None), ("PT04", 68), ("PT01", 65), ("PT03", 64),
                                              ("PT06", 61)]
    # The next day PT02 reaches the 60 days itself and is listed last.
    assert point_list(tiny_con, "uninspected", as_of=date(2026, 8, 10))[-1][:4] == ("PT02", "not_up", False, 60)


def test_points_not_up_to_standard(tiny_con):
    assert point_list(tiny_con, "not_up_to_standard") == [
        ("PT03", "not_up", False, 4, 1, 1, 2),  # failed I06 and P08 overdue: first
        ("PT04", "not_up", True, 8, 3, 1, 2),   # passed I07 but P11 overdue
    ]


def test_every_point_and_a_filtered_list(tiny_con):
    assert [r[:2] for r in point_list(tiny_con, "all")] == [
        ("PT01", "up"), ("PT02", "up"), ("PT03", "not_up"), ("PT04", "not_up"), ("PT05", "never"), ("PT06", "up")]
    assert [r[0] for r in point_list(tiny_con, "all", point_filters=points.make(street=["蒋王街道"]))] == [
        "PT05", "PT06"]


def test_point_list_refuses_an_unknown_list(tiny_con):
    with pytest.raises(Exception, match=r"\$list_kind must be"):
        point_list(tiny_con, "stale")


# ---- the monthly ranking (点未达标月评排名制) ------------------------------------------------------

RANK_COLUMNS = ["rank", "point_id", "point_chief", "co_unit", "count_failures", "count_overdue", "count_open",
                "count_rebound", "rank_last_month", "rank_change", "is_new"]


def ranking(con, as_of, point_filters=points.NO_FILTERS):
    return readers.run(con, "point_month_ranking", as_of=as_of, due_soon_days=3, pass_score=85.0,
                  point_filters=point_filters)


def test_monthly_ranking_at_d(tiny_con):
    # June up to D: PT03 failed I06; PT04 is not up to standard (P11 overdue). PT01 PT02 PT06 passed.
    # May (as of 05-31): PT01 (I01) and PT02 (I03) failed, nothing open at either: both first.
    df = ranking(tiny_con, D)
    assert rows(df[RANK_COLUMNS]) == [
        (1, "PT03", "王强", "市财政局", 1, 1, 1, 0, None, None, True),  # P08 open and overdue
        (2, "PT04", "张伟", "东关街道", 0, 1, 3, 0, None, None, True),  # P10 P11 P12 open, P11 overdue
    ]
    assert rows(df[["month_from_on", "month_to_on", "last_month_from_on", "last_month_to_on"]])[0] == (
        date(2026, 6, 1), D, date(2026, 5, 1), date(2026, 5, 31))


def test_monthly_ranking_two_days_later(tiny_con):
    # June up to 06-12: I05 fails PT02; P16 (PT01, due D) is now overdue, so PT01 is not up to standard.
    assert rows(ranking(tiny_con, D2)[RANK_COLUMNS]) == [
        (1, "PT03", "王强", "市财政局", 1, 1, 1, 0, None, None, True),
        (2, "PT02", "李娜", "市市场监管局", 1, 0, 1, 0, 1, -1, False),    # I05; P13 open. First in May
        (3, "PT04", "张伟", "东关街道", 0, 1, 3, 0, None, None, True),
        (4, "PT01", "张伟", "市市场监管局", 0, 1, 2, 1, 1, -3, False),    # P16 overdue (and a rebound), P21 open
    ]


def test_monthly_ranking_ties_share_a_rank(tiny_con):
    # May as this month: PT01 and PT02 failed once each with nothing open: both 1st. April had no inspection.
    assert rows(ranking(tiny_con, date(2026, 5, 31))[RANK_COLUMNS]) == [
        (1, "PT01", "张伟", "市市场监管局", 1, 0, 0, 0, None, None, True),
        (1, "PT02", "李娜", "市市场监管局", 1, 0, 0, 0, None, None, True),
    ]


def test_monthly_ranking_follows_the_filters(tiny_con):
    df = ranking(tiny_con, D2, points.make(district=["广陵区"], point_type=["农贸市场"]))  # PT01 PT02
    assert rows(df[["rank", "point_id", "rank_last_month", "rank_change"]]) == [(1, "PT02", 1, 0), (2, "PT01", 1, -1)]


def owners(con, as_of, owner):
    df = readers.run(con, "point_month_owners", as_of=as_of, owner=owner, **BASE)
    return rows(df[["rank", "owner_name", "count_points", "count_points_ranked", "count_failures", "count_overdue",
                    "count_open", "count_rebound", "point_names", "rank_last_month", "rank_change", "is_new"]])


def test_monthly_ranking_per_point_chief(tiny_con):
    assert owners(tiny_con, D, "point_chief") == [
        (1, "王强", 1, 1, 1, 1, 1, 0, "文昌广场", None, None, True),
        (2, "张伟", 2, 1, 0, 1, 3, 0, "东关街", 1, -1, False),           # PT04 only; PT01 (I01) was first in May
    ]
    assert owners(tiny_con, D2, "point_chief") == [
        (1, "王强", 1, 1, 1, 1, 1, 0, "文昌广场", None, None, True),
        (2, "李娜", 1, 1, 1, 0, 1, 0, "汶河农贸市场", 1, -1, False),     # May: 张伟 and 李娜 tie first
        (3, "张伟", 2, 2, 0, 2, 5, 1, "东关街、东关农贸市场", 1, -2, False),  # PT04 (0, 1, 3) + PT01 (0, 1, 2, P16)
    ]


def test_monthly_ranking_per_co_building_unit(tiny_con):
    assert owners(tiny_con, D2, "co_unit") == [
        (1, "市市场监管局", 2, 2, 1, 1, 3, 1, "汶河农贸市场、东关农贸市场", 1, 0, False),  # PT02 + PT01; May: both
        (2, "市财政局", 2, 1, 1, 1, 1, 0, "文昌广场", None, None, True),                   # PT03 (PT05 never inspected)
        (3, "东关街道", 1, 1, 0, 1, 3, 0, "东关街", None, None, True),                     # PT04
    ]


def test_points_without_a_chief_are_summed_as_not_filled_in(tiny_con):
    # PT06 has no chief; on 2026-06-16 its P07 (due 06-15) is overdue and it ranks under '未填写'.
    listed = owners(tiny_con, date(2026, 6, 16), "point_chief")
    assert ("未填写", 1, 1) in [(r[1], r[2], r[3]) for r in listed]


def test_monthly_ranking_refuses_an_unknown_owner(tiny_con):
    with pytest.raises(Exception, match=r"\$owner must be point_chief, co_unit"):
        owners(tiny_con, D, "street")


# ---- one point -----------------------------------------------------------------------------------

def test_point_record_by_id_and_by_name(tiny_con):
    columns = ["point_id", "point_name", "point_chief", "co_unit", "standing", "is_last_passed", "last_score",
               "days_since_inspected", "count_open", "count_overdue", "count_inspections", "count_failures",
               "place_key"]
    record = readers.run(tiny_con, "point_record", as_of=D, due_soon_days=3, pass_score=85.0, point_key="PT04")
    assert rows(record[columns]) == [("PT04", "东关街", "张伟", "东关街道", "not_up", True, 90.0, 8, 3, 1, 1, 0,
                                      "point:PT04")]
    by_name = readers.run(tiny_con, "point_record", as_of=D, due_soon_days=3, pass_score=85.0, point_key="文昌广场")
    assert rows(by_name[columns]) == [("PT03", "文昌广场", "王强", "市财政局", "not_up", False, 70.0, 4, 1, 1, 1, 1,
                                       "point:PT03")]
    assert run(tiny_con, "point_record", as_of=D, due_soon_days=3, pass_score=85.0, point_key="PT99") == []


def test_an_inspection_that_names_its_point_only_by_name_counts_for_that_point(tiny_con):
    # As an inspection whose name two points share stays after the import (write/derive.sql fills
    # the id only from a unique name): point_standing finds a point's inspections by id or by name.
    record = {"as_of": D, "due_soon_days": 3, "pass_score": 85.0, "point_key": "PT05"}
    columns = ["standing", "last_score", "days_since_inspected"]
    assert rows(readers.run(tiny_con, "point_record", **record)[columns]) == [("never", None, None)]
    tiny_con.execute("insert into inspections (inspection_id, inspected_at, inspection_type, round_name, point_name, "
                     "score, is_passed, last_import_id) select 'I09', '2026-06-07 10:00', '暗访', '第二轮', '蒋王小区', "
                     "91, true, last_import_id from inspections where inspection_id = 'I08'")
    assert rows(readers.run(tiny_con, "point_record", **record)[columns]) == [("up", 91.0, 3)]


def test_point_inspections(tiny_con):
    assert run(tiny_con, "point_inspections", as_of=D2, pass_score=85.0, point_id="PT02") == [
        ("I05", datetime(2026, 6, 11, 15, 0), "暗访", "第三轮", 60.0, False, False, 4, "第一检查组"),
        ("I04", datetime(2026, 6, 8, 10, 0), "模拟测评", "第二轮", 88.0, True, True, 0, "测评组"),   # by score
        ("I03", datetime(2026, 5, 28, 10, 0), "模拟测评", "第一轮", 70.0, False, True, 3, "测评组"),  # by score
    ]
    assert run(tiny_con, "point_inspections", as_of=D, pass_score=85.0, point_id="PT05") == []


def test_point_filter_options(tiny_con):
    assert run(tiny_con, "point_filter_options") == [
        ("district", "广陵区", None, 4), ("district", "邗江区", None, 2),
        ("point_type", "公园广场", None, 2), ("point_type", "农贸市场", None, 2), ("point_type", "老旧小区", None, 1),
        ("point_type", "背街小巷", None, 1),
        ("street", "东关街道", "广陵区", 2), ("street", "汶河街道", "广陵区", 2), ("street", "蒋王街道", "邗江区", 2),
    ]


# ---- the export of the monthly ranking ------------------------------------------------------------

def test_the_monthly_ranking_exports_to_excel_with_its_notes(tiny_con):
    frame, columns = points.ranking_export(ranking(tiny_con, D2), "point")
    notes = [("统计日期", D2.isoformat()), ("数据截至", "2026年06月11日"), ("筛选条件", points.describe(points.NO_FILTERS))]
    book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(frame, columns, "2026年6月未达标点位排名", notes)))
    assert book.sheetnames == ["2026年6月未达标点位排名", "说明"]
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]][:6] == ["名次", "较上月", "点位编号", "点位名称", "点位类型", "区县"]
    assert [r[:4] for r in sheet.iter_rows(min_row=2, values_only=True)] == [
        (1, "新上榜", "PT03", "文昌广场"), (2, "好转1", "PT02", "汶河农贸市场"), (3, "新上榜", "PT04", "东关街"),
        (4, "好转3", "PT01", "东关农贸市场")]
    assert dict(book["说明"].iter_rows(values_only=True))["筛选条件"] == "无（全部点位）"


def test_the_owner_ranking_exports_with_the_owner_as_header(tiny_con):
    owners_frame = readers.run(tiny_con, "point_month_owners", as_of=D2, owner="point_chief", **BASE)
    frame, columns = points.ranking_export(owners_frame, "point_chief")
    book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(frame, columns, "排名", [])))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]][:4] == ["名次", "较上月", "点位长", "上榜点位数"]
    assert [r[2] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["王强", "李娜", "张伟"]


def test_filters_in_words():
    assert points.describe(points.make(True, district=["广陵区"], point_type=["农贸市场", "背街小巷"])) == (
        "区县：广陵区；点位类型：农贸市场、背街小巷；只看重点点位圈")
    assert not points.is_filtered(points.make()) and points.is_filtered(points.make(street=["东关街道"]))


# ---- the page through AppTest ------------------------------------------------------------------

pytestmark = pytest.mark.usefixtures("fresh_caches")  # tests/conftest.py


@pytest.fixture
def tiny(tiny_db_dir, monkeypatch):
    monkeypatch.setenv("COCKPIT_DB", str(tiny_db_dir))


def open_points(query: dict | None = None, as_of: str = "2026-06-10") -> AppTest:
    """The points page of the tiny world, opened from a bookmarked URL."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["as_of"] = as_of
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.switch_page("pages/points.py").run()  # straight to the page, as /points?... opens it
    assert not at.exception
    assert not at.error
    return at


def table_with(at: AppTest, *columns: str):
    return [df.value for df in at.dataframe if set(columns) <= set(df.value.columns)][0]


def test_page_headline_on_the_tiny_world(tiny):
    shown = {m.label: (m.value, m.delta) for m in open_points().metric}
    assert shown["点位达标率"] == ("60.0%", "+35.0 个百分点")      # 3/5 against 1/4 on 06-07
    assert shown["重点点位圈达标率"] == ("50.0%", "+16.7 个百分点")  # 2/4 against 1/3
    assert shown["未达标点位"] == ("2", "-1")                       # PT03 PT04 against PT02 PT03 PT04
    assert shown["测评点位"][0] == "6" and shown["从未检查"][0] == "1"
    assert shown["从未或超过 60 天未检查"][0] == "1"                # PT05


def test_page_ranking_lists_and_rounds_on_the_tiny_world(tiny):
    at = open_points(as_of="2026-06-12")
    ranked = table_with(at, "rank", "change", "point_chief")
    assert ranked[["point_id", "change"]].values.tolist() == [
        ["PT03", "新上榜"], ["PT02", "好转1"], ["PT04", "新上榜"], ["PT01", "好转3"]]
    assert "**上榜点位 4 个**" in [m.value for m in at.markdown]
    # Not up to standard at 06-12, most overdue first, failed before passed, then the lower score:
    # PT03 (I06 failed, P08), PT01 (82, P16), PT04 (90, P11), PT02 (I05 failed, nothing overdue).
    assert table_with(at, "standing_text")["point_id"].tolist() == ["PT03", "PT01", "PT04", "PT02"]
    rounds = table_with(at, "round_label", "dates")
    assert rounds["round_label"].tolist()[:2] == ["暗访第三轮", "模拟测评第二轮"]
    assert rounds["dates"].tolist()[1] == "2026-06-08 至 2026-06-09"


def test_the_ranking_per_point_chief_from_the_url(tiny):
    at = open_points({"rank_by": "点位长"}, as_of="2026-06-12")
    chiefs = table_with(at, "owner_name", "point_names")
    assert chiefs[["owner_name", "change"]].values.tolist() == [["王强", "新上榜"], ["李娜", "好转1"], ["张伟", "好转2"]]


def test_the_uninspected_list_from_the_url(tiny):
    at = open_points({"list": "从未检查或长期未检查"})
    assert table_with(at, "standing_text")["point_id"].tolist() == ["PT05"]
    assert any(m.value.startswith("**从未检查或长期未检查 1 个") for m in at.markdown)


def test_filters_from_the_url_narrow_the_page(tiny):
    at = open_points({"street": "汶河街道"})
    shown = {m.label: m.value for m in at.metric}
    assert (shown["测评点位"], shown["点位达标率"]) == ("2", "50.0%")  # PT02 up, PT03 not
    assert "筛选条件：街道/乡镇：汶河街道" in [c.value for c in at.caption]


def test_filters_matching_no_point_say_so(tiny):
    at = open_points({"district": "广陵区", "point_type": "老旧小区"})  # PT05, the only 老旧小区, is in 邗江区
    assert [i.value for i in at.info] == ["没有符合筛选条件的测评点位。可在左侧调整或清除筛选。"]


def test_before_any_inspection_the_page_says_what_is_missing(tiny):
    at = open_points(as_of="2026-05-01")  # P01 is found, no inspection yet (I01 is 05-20)
    shown = {m.label: m.value for m in at.metric}
    assert (shown["点位达标率"], shown["从未检查"]) == ("—", "6")
    assert "本月没有未达标的点位。" in [s.value for s in at.success]
    assert "截至 2026年05月01日，筛选的点位还没有检查记录。" in [i.value for i in at.info]


def test_a_point_record_from_the_url(tiny):
    at = open_points({"point": "PT04"})
    text = "\n".join(m.value for m in at.markdown)
    assert "#### 东关街（PT04）　:red-background[未达标（有逾期问题）]" in text
    assert "**点位长**：张伟" in text and "**包抓共建单位**：东关街道" in text
    history = table_with(at, "inspector", "result")
    assert history[["inspection_id", "score", "result"]].values.tolist() == [["I07", 90.0, "达标"]]
    problems = table_with(at, "problem_id", "state", "days_overdue")
    assert problems["problem_id"].tolist() == ["P11", "P10", "P12", "P01"]  # open (overdue first), then closed
    assert problems["state"].tolist() == ["待整改", "待复核", "整改中", "已销号"]
    [link] = [el.proto for el in at.get("page_link") if "热点地图" in el.proto.label]
    assert (link.page, link.query_string) == ("hotspots", "place=point%3APT04&as_of=2026-06-10")


def test_a_point_record_by_name_and_an_unknown_point(tiny):
    at = open_points({"point": "汶河农贸市场"}, as_of="2026-06-12")
    history = table_with(at, "inspector", "result")
    assert history["result"].tolist() == ["未达标", "达标（按得分）", "未达标（按得分）"]  # I05 I04 I03
    at = open_points({"point": "PT99"})
    assert any("找不到点位“PT99”" in w.value for w in at.warning)


def test_a_point_never_inspected_and_without_coordinates(tiny):
    at = open_points({"point": "PT05"})
    assert "截至 2026年06月10日，这个点位还没有检查记录。" in [i.value for i in at.info]
    assert "该点位没有坐标，无法在地图上显示。" in [c.value for c in at.caption]


def test_the_hotspot_map_centres_on_a_point_off_its_list(tiny):
    # On 2026-05-10 nothing is open at any point, so the map's list is empty; the link still centres.
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["as_of"] = "2026-05-10"
    at.query_params["place"] = "point:PT04"
    at.run()
    at.switch_page("pages/hotspots.py").run()
    assert not at.exception
    assert any(s.value.startswith("东关街的问题（1 个") for s in at.subheader)  # P01, closed 05-01


def test_standing_in_words():
    assert points.standing_text({"standing": "not_up", "is_last_passed": False, "count_overdue": 2}) == (
        "未达标（检查未达标、有逾期问题）")
    assert points.standing_text({"standing": "not_up", "is_last_passed": True, "count_overdue": 1}) == "未达标（有逾期问题）"
    assert points.standing_text({"standing": "never", "is_last_passed": None, "count_overdue": 0}) == "从未检查"
    assert [points.rank_change_text(c, n) for c, n in [(2, False), (-1, False), (0, False), (None, True)]] == [
        "变差2", "好转1", "–", "新上榜"]


def test_the_standing_chart(tiny_con):
    from cockpit.draw import charts

    groups = readers.run(tiny_con, "point_standing_groups", as_of=D, **BASE)
    fig = charts.standing_bar(groups[groups["dimension"] == "type"], "按点位类型")
    bars, before, figures = fig.data
    # Furthest behind on top (plotly draws the first row at the bottom); 老旧小区 has no inspected point.
    assert list(bars.y) == ["农贸市场", "公园广场", "背街小巷"]
    assert list(figures.text) == ["100%（+50.0）", "50%（+50.0）", "0%（+0.0）"]
    assert list(bars.marker.color) == ["#2ca02c", "#2ca02c", "#9e9e9e"]  # rose, rose, unchanged
    assert list(before.x) == [0.5, 0.0, 0.0]
