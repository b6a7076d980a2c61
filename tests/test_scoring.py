"""Points at risk, yearly results and task lights on a small world built here (D = 2026-06-10).

Indicators, in list order:
  2.1 道路 (2 points): 背街小巷、主次干道; 乱堆乱放, 占道经营; 0.5 a problem by default
  2.2 市场 (5 points): every point type; 占道经营; 1 by default
  3.1 公厕 (3 points): every point type; 公厕卫生; no default
Open problems: A 乱堆乱放/背街小巷 扣分 1 -> 2.1; B 占道经营/主次干道 no 扣分 -> 2.1 at 0.5;
C 市容环境 小类 乱堆乱放/主次干道 扣分 1 -> 2.1; D 占道经营/农贸市场 -> 2.2 (not 2.1: point type) at 1;
E 乱堆乱放/农贸市场 -> none; F 公厕卫生 扣分 2 -> 3.1; I no category -> none.
G (closed) and H (found after D) count nowhere.
2.1: 1 + 0.5 + 1 = 2.5, capped at 2 (each of its problems counts 0.8 of its deduction by street and
department); 2.2: 1; 3.1: 2. Total 5.
"""

from datetime import date

import pytest

from cockpit.store import queries, readers
from tests.conftest import rows
from tests.demo_world import demo_exports, demo_store  # noqa: F401 (fixtures)

D = date(2026, 6, 10)


def world():
    con = queries.connect_memory()
    con.execute("""
        insert into indicators values
            ('2.1', '道路', '实地测评', 2, '背街小巷、主次干道', '乱堆乱放,占道经营', 0.5, 1, 1),
            ('2.2', '市场', '实地测评', 5, null, '占道经营', 1, 2, 1),
            ('3.1', '公厕', '实地测评', 3, '', '公厕卫生', null, 3, 1);
        insert into points (point_id, point_name, point_type, owner_department, last_import_id) values
            ('PT9', '文昌公厕', '公厕', '市城管局', 1);
        insert into units (unit_name, unit_kind, last_import_id) values ('市场监管局', 'department', 1);
        insert into problems (problem_id, found_at, category, subcategory, point_id, point_type, street,
            unit_name, status, deduction, closed_at, first_import_id, last_import_id, changed_import_id) values
            ('A', '2026-06-01 09:00', '乱堆乱放', null, null, '背街小巷', '东关街道', '东关街道', 'pending', 1, null, 1, 1, 1),
            ('B', '2026-06-02 09:00', '占道经营', null, null, '主次干道', '东关街道', '市城管局', 'pending', null, null, 1, 1, 1),
            ('C', '2026-06-03 09:00', '市容环境', '乱堆乱放', null, '主次干道', '汶河街道', '汶河街道', 'returned', 1, null, 1, 1, 1),
            ('D', '2026-06-04 09:00', '占道经营', null, null, '农贸市场', '汶河街道', '市场监管局', 'pending', null, null, 1, 1, 1),
            ('E', '2026-06-05 09:00', '乱堆乱放', null, null, '农贸市场', '汶河街道', '汶河街道', 'pending', 4, null, 1, 1, 1),
            ('F', '2026-06-06 09:00', '公厕卫生', null, 'PT9', '公厕', '东关街道', '东关街道', 'in_progress', 2, null, 1, 1, 1),
            ('G', '2026-06-01 09:00', '乱堆乱放', null, null, '背街小巷', '东关街道', '东关街道', 'closed', 3, '2026-06-05 10:00', 1, 1, 1),
            ('H', '2026-06-11 09:00', '公厕卫生', null, null, '公厕', '东关街道', '东关街道', 'pending', 2, null, 1, 1, 1),
            ('I', '2026-06-07 09:00', null, null, null, '背街小巷', '东关街道', '东关街道', 'pending', 1, null, 1, 1, 1);
    """)
    return con


@pytest.fixture
def con():
    c = world()
    yield c
    c.close()


def run(con, name, **params):
    return rows(readers.run(con, name, as_of=D, due_soon_days=3, **params))


def test_points_at_risk_per_indicator_capped_losing_most_first(con):
    assert run(con, "points_at_risk") == [
        ("2.1", "道路", "实地测评", 2.0, 3, 2.5, 2.0, True),
        ("3.1", "公厕", "实地测评", 3.0, 1, 2.0, 2.0, False),
        ("2.2", "市场", "实地测评", 5.0, 1, 1.0, 1.0, False),
    ]


def test_points_at_risk_summary_counts_uncovered_problems_apart(con):
    # (indicators, points, at risk, open covered, indicators losing, open uncovered E and I)
    assert run(con, "points_at_risk_summary") == [(3, 10.0, 5.0, 5, 3, 2)]


def test_points_at_risk_by_street_and_department_add_up_to_the_capped_total(con):
    assert run(con, "points_at_risk_by_unit") == [
        # 东关街道: A 0.8 + B 0.4 + F 2; 汶河街道: C 0.8 + D 1
        ("street", "东关街道", 3, 3.2), ("street", "汶河街道", 2, 1.8),
        # F by its point's 行业主管部门, B by its unit; A and C have a street as unit
        ("department", "市城管局", 2, 2.4), ("department", "未填", 2, 1.6), ("department", "市场监管局", 1, 1.0),
    ]


def test_the_problems_behind_an_indicator_and_the_uncovered_ones(con):
    behind = [r[0] for r in run(con, "points_at_risk_problems", indicator_code="2.1")]
    assert behind == ["A", "C", "B"]
    assert [r[0] for r in run(con, "points_at_risk_problems", indicator_code=None)] == ["E", "I"]


def test_an_empty_database_has_no_points_at_risk():
    con = queries.connect_memory()
    assert run(con, "points_at_risk") == []
    assert run(con, "points_at_risk_summary") == [(0, 0.0, 0.0, 0, 0, 0)]
    assert run(con, "points_at_risk_by_unit") == []
    assert rows(readers.run(con, "task_lights", as_of=D)) == []
    assert rows(results(con)) == [
        (2024, 0.2, None, None, None, None, False, 0.0, 170.0, False, None, None, None),
        (2025, 0.3, None, None, None, None, False, 0.0, 170.0, False, None, None, None),
        (2026, 0.5, None, None, None, None, False, 0.0, 170.0, True, None, None, None),
    ]


# ---- yearly results ------------------------------------------------------------------------

def results(con, target_rank=0):
    return readers.run(con, "assessment_results", as_of=D, year_weights=[0.2, 0.3, 0.5], target_total=85.0,
                       target_rank=target_rank)


def add_results(con, *years):
    con.executemany("insert or replace into results (year, score, rank, count_cities, rank_line, last_import_id) "
                    "values (?, ?, ?, ?, ?, 1)", list(years))


def test_three_year_total_required_score_and_the_danger_sign():
    con = queries.connect_memory()
    add_results(con, (2023, 90, 3, 12, None), (2024, 80, 9, 12, None), (2025, 84, 10, 12, None))
    got = rows(results(con))
    # total so far 80 * 0.2 + 84 * 0.3 = 41.2; this year needs (85 - 41.2) / 0.5 = 87.6
    assert got == [
        (2023, None, 90.0, 3, 12, None, False, 41.2, 87.6, False, None, None, None),
        (2024, 0.2, 80.0, 9, 12, 16.0, False, 41.2, 87.6, False, None, None, None),   # 9th of 12: not among the last three
        (2025, 0.3, 84.0, 10, 12, 25.2, True, 41.2, 87.6, False, None, None, None),   # 10th of 12: the danger sign
        (2026, 0.5, None, None, None, None, False, 41.2, 87.6, True, None, None, None),
    ]
    add_results(con, (2026, 86, 11, 12, None))
    assert rows(results(con))[-1] == (2026, 0.5, 86.0, 11, 12, 43.0, True, 84.2, None, True, None, None, None)


def test_the_score_for_the_target_rank_is_the_newest_rank_line():
    con = queries.connect_memory()
    # the 10th city scored 83.1 in 2023 and 85.4 in 2024; 2025's line is not known
    add_results(con, (2023, 90, 3, 12, 83.1), (2024, 80, 9, 12, 85.4), (2025, 84, 10, 12, None))
    got = rows(results(con, target_rank=10)[["year", "rank_line", "required_score", "required_for_rank", "line_year"]])
    assert got == [(2023, 83.1, 87.6, 85.4, 2024), (2024, 85.4, 87.6, 85.4, 2024), (2025, None, 87.6, 85.4, 2024),
                   (2026, None, 87.6, 85.4, 2024)]
    add_results(con, (2025, 84, 10, 12, 84.0))  # last year's line now known: it is the estimate
    assert {r[0] for r in rows(results(con, target_rank=10)[["required_for_rank"]])} == {84.0}
    # no target rank: nothing estimated
    assert {r for r in rows(results(con, target_rank=0)[["required_for_rank", "line_year"]])} == {(None, None)}
    add_results(con, (2026, 86, 9, 12, 85.0))  # this year scored: nothing left to reach
    assert {r[0] for r in rows(results(con, target_rank=10)[["required_for_rank"]])} == {None}


def test_without_a_rank_line_the_target_rank_has_no_estimate():
    con = queries.connect_memory()
    add_results(con, (2024, 80, 9, 12, None), (2025, 84, 10, 12, None))
    got = rows(results(con, target_rank=10)[["year", "required_score", "required_for_rank", "line_year"]])
    assert got == [(2024, 87.6, None, None), (2025, 87.6, None, None), (2026, 87.6, None, None)]


def test_a_store_kept_before_the_rank_line_reads_it_as_unknown(tmp_path):
    import duckdb

    path = tmp_path / "old.duckdb"
    old = duckdb.connect(str(path), config=queries.CONFIG)
    queries.execute(old, "schema")
    old.execute("alter table results drop column rank_line")
    old.execute("insert into results values (2025, 84, 10, 12, 1)")
    old.close()
    reader = readers.open_reader(path)
    try:
        got = rows(results(reader, target_rank=10)[["year", "score", "rank_line", "required_for_rank"]])
    finally:
        reader.close()
    assert got == [(2024, None, None, None), (2025, 84.0, None, None), (2026, None, None, None)]


# ---- task lights ---------------------------------------------------------------------------

def light(task_rows):
    con = queries.connect_memory()
    for i, (milestone_on, is_done, start_on, end_on, percent) in enumerate(task_rows, start=1):
        con.execute("insert into tasks values ('任务', '市住建局', '工程', ?, ?, ?, ?, ?, ?, ?, 1)",
                    [start_on, end_on, None if milestone_on is None else f"节点{i}", milestone_on, is_done,
                     percent, i])
    (result,) = rows(readers.run(con, "task_lights", as_of=D))
    return result[-1]


@pytest.mark.parametrize("milestones,expected", [
    ([(date(2026, 6, 9), False)], "red"),       # the day before D, not done: late
    ([(date(2026, 6, 9), True)], "green"),      # done
    ([(date(2026, 6, 10), False)], "yellow"),   # due on D: not yet late, within 7 days
    ([(date(2026, 6, 17), False)], "yellow"),   # D + 7
    ([(date(2026, 6, 18), False)], "green"),    # D + 8
    ([(date(2026, 6, 1), True), (date(2026, 6, 18), False), (date(2026, 6, 12), True)], "green"),
    ([(date(2026, 6, 9), False), (date(2026, 6, 12), False)], "red"),
])
def test_task_light_by_milestones(milestones, expected):
    assert light([(on, done, None, None, None) for on, done in milestones]) == expected


@pytest.mark.parametrize("percent,expected", [
    (0.7, "green"),    # 06-01 to 06-11: 90% expected at D; 20 points behind is not more than 20
    (0.69, "red"),     # 21 points behind
])
def test_task_light_by_percentage_against_the_straight_line(percent, expected):
    assert light([(None, None, date(2026, 6, 1), date(2026, 6, 11), percent)]) == expected


def test_tasks_red_first_then_by_lead_unit_with_milestones():
    con = queries.connect_memory()
    con.execute("""insert into tasks values
        ('公厕提升', '市城管局', '工程', '2026-03-01', '2026-09-30', '完工', '2026-09-30', false, null, 1, 1),
        ('老旧小区', '市住建局', '工程', '2026-03-01', '2026-09-30', '开工', '2026-04-01', true, null, 2, 1),
        ('老旧小区', '市住建局', '工程', '2026-03-01', '2026-09-30', '主体', '2026-06-01', false, null, 3, 1),
        ('背街整治', '东关街道', '专项行动', '2026-03-01', '2026-09-30', '验收', '2026-06-15', false, null, 4, 1)""")
    got = rows(readers.run(con, "task_lights", as_of=D))
    assert [(r[0], r[5], r[6], r[7], r[-1]) for r in got] == [
        ("老旧小区", 2, 1, 1, "red"), ("背街整治", 1, 0, 0, "yellow"), ("公厕提升", 1, 0, 0, "green")]
    assert rows(readers.run(con, "task_milestones", as_of=D, task_name="老旧小区")) == [
        ("开工", date(2026, 4, 1), True, "done"), ("主体", date(2026, 6, 1), False, "late")]
    # count_tasks, count_red, count_yellow, count_green: the lights just listed
    assert rows(readers.run(con, "task_light_counts", as_of=D)) == [(3, 1, 1, 1)]
    # 06-20: 背街整治's 验收 (06-15) is late too; 公厕提升 still more than 7 days off
    assert rows(readers.run(con, "task_light_counts", as_of=date(2026, 6, 20))) == [(3, 2, 0, 1)]


def test_no_tasks_no_lights():
    assert rows(readers.run(queries.connect_memory(), "task_light_counts", as_of=D)) == [(0, 0, 0, 0)]


def test_uncovered_open_problems_are_a_data_quality_check(con):
    from cockpit.vocab import filters

    counts = dict(readers.run(con, "quality_checks", as_of=D, due_soon_days=3, filters=filters.NO_FILTERS).values.tolist())
    assert counts["no_indicator"] == 2
    listed = readers.run(con, "quality_rows", as_of=D, due_soon_days=3, filters=filters.NO_FILTERS, check_key="no_indicator")
    assert listed["problem_id"].tolist() == ["E", "I"]
    assert listed["detail"].iloc[0] == "问题类别 乱堆乱放、小类 （空）、点位类型 农贸市场 对不上测评体系中的任何指标"


def test_the_bulletin_names_the_indicators_losing_most_and_the_red_tasks(con):
    from cockpit.vocab import scoring

    con.execute("""insert into tasks values
        ('老旧小区', '市住建局', '工程', '2026-03-01', '2026-09-30', '主体', '2026-06-01', false, null, 1, 1),
        ('公厕提升', '市城管局', '工程', '2026-06-01', '2026-06-11', null, null, null, 0.5, 2, 1)""")
    sentences = scoring.scoring_sentences(readers.run(con, "points_at_risk", as_of=D, due_soon_days=3),
                                          readers.run(con, "task_lights", as_of=D))
    assert sentences == [
        "按测评体系测算，目前在办问题预计失分5.0分，失分最多的指标是：2.1 道路，预计失分 2.0（分值 2，在办问题 3 个）；"
        "3.1 公厕，预计失分 2.0（分值 3，在办问题 1 个）；2.2 市场，预计失分 1.0（分值 5，在办问题 1 个）。",
        "重点任务中亮红灯2项：老旧小区（牵头单位 市住建局，1 个节点过期未完成）；"
        "公厕提升（牵头单位 市城管局，完成 50%，按时间应完成 90%）。请牵头单位加快推进。",
    ]


def test_the_bulletin_draft_carries_the_scoring_paragraph(tiny_con):
    from tests.test_bulletin import inputs, open_doc

    from cockpit.outputs import bulletin

    summary, this_week, overdue = inputs(tiny_con)
    said = ["按测评体系测算，目前在办问题预计失分5.0分。", "重点任务均未亮红灯。"]
    texts = [p.text for p in open_doc(bulletin.bulletin_docx("示范市", D, summary, this_week, overdue, scoring_sentences=said)).paragraphs]
    at = texts.index("四、测评失分与重点任务")
    assert texts[at + 1:at + 3] == said
    plain = [p.text for p in open_doc(bulletin.bulletin_docx("示范市", D, summary, this_week, overdue)).paragraphs]
    assert "四、测评失分与重点任务" not in plain


# ---- 测评倒计时 through AppTest -------------------------------------------------------------------

def test_the_countdown_shows_scoring_on_the_demo_and_empty_states_without_data(demo_store, tmp_path, monkeypatch,
                                                                                 fresh_caches):
    from streamlit.testing.v1 import AppTest

    from tests.browser import ROOT
    from tests.test_pages import D as D_DEMO
    from tests.test_pages import metrics, open_page

    monkeypatch.setenv("COCKPIT_DB", str(demo_store))
    at = open_page("pages/countdown.py")
    assert not at.exception and not at.error
    headers = [h.value for h in at.subheader]
    assert any(h.startswith("预计失分：") for h in headers) and "历年测评成绩" in headers and "重点任务" in headers
    shown = metrics(at)
    assert shown["全省倒数三名"].endswith("年")  # the demo's last year is 12th of 14
    assert shown["进前 10 名今年约需"] == "85.2 分"  # the 10th city's score last year
    assert int(shown["红灯"]) > 0
    st_fresh()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["as_of"], at.query_params["task"] = D_DEMO, "老旧小区改造（第一批）"
    at.run()
    at.switch_page("pages/countdown.py").run()
    assert not at.exception
    assert at.selectbox(key="task_pick").value == "老旧小区改造（第一批）"

    monkeypatch.setenv("COCKPIT_DB", str(tmp_path / "nothing-yet"))
    st_fresh()
    at = open_page("pages/countdown.py")
    assert not at.exception
    infos = [i.value for i in at.info]
    assert any("历年测评成绩" in i for i in infos) and any("重点任务清单" in i for i in infos)
    assert "失分风险（估算）" in [h.value for h in at.subheader]  # no indicator list: the estimate stays


def countdown_with_results(tmp_path, monkeypatch, lines, target_rank):
    """测评倒计时 at D on a store holding two years of results (with these rank lines) and a copy of the
    test settings with this target rank: its metrics and captions."""
    from cockpit.ingest import writing
    from tests.conftest import TEST_SETTINGS
    from tests.test_import import write_csv
    from tests.test_pages import metrics, open_page

    store = tmp_path / "db"
    results_file = write_csv(tmp_path / "历年成绩.csv", ["年度", "得分", "全省排名", "参评城市数", "目标名次分数线"],
                             [["2024", "80", "9", "12", lines[0]], ["2025", "84", "10", "12", lines[1]]])
    assert [o.status for o in writing.import_files([results_file], db_directory=store).outcomes] == ["imported"]
    settings = tmp_path / "settings.toml"
    text = TEST_SETTINGS.read_text(encoding="utf-8")
    assert "target_rank = 10\n" in text
    settings.write_text(text.replace("target_rank = 10\n", f"target_rank = {target_rank}\n"), encoding="utf-8")
    monkeypatch.setenv("COCKPIT_DB", str(store))
    monkeypatch.setenv("COCKPIT_SETTINGS", str(settings))
    st_fresh()
    at = open_page("pages/countdown.py", as_of=D.isoformat())
    assert not at.exception
    return metrics(at), [c.value for c in at.caption]


def test_the_countdown_estimates_the_score_for_the_target_rank_from_last_years_line(tmp_path, monkeypatch, fresh_caches):
    shown, captions = countdown_with_results(tmp_path, monkeypatch, ["83.0", "84.5"], 10)
    # 2024 80 * 0.2 + 2025 84 * 0.3 = 41.2: the total needs (85 - 41.2) / 0.5 = 87.6; 2025's 10th scored 84.5
    assert {k: v for k, v in shown.items() if "总评" in k or "今年" in k} == {
        "3 年总评（已有年度）": "41.20 分", "总评达标今年需得": "87.6 分", "进前 10 名今年约需": "84.5 分"}
    assert "3 年总评目标 85 分：今年至少要得这么多。" in captions
    assert "进入全省前 10 名：按 2025 年全省第 10 名的得分估计，今年的分数线会有变化。" in captions


def test_the_countdown_says_when_no_rank_line_is_known(tmp_path, monkeypatch, fresh_caches):
    shown, captions = countdown_with_results(tmp_path, monkeypatch, ["", ""], 10)
    assert shown["进前 10 名今年约需"] == "—"
    assert ("还不知道全省第 10 名的得分：在历年测评成绩中填写“目标名次分数线”后，这里估计今年约需多少分。"
            in captions)


def test_the_countdown_shows_no_rank_estimate_without_a_target_rank(tmp_path, monkeypatch, fresh_caches):
    shown, _ = countdown_with_results(tmp_path, monkeypatch, ["83.0", "84.5"], 0)
    assert [k for k in shown if "今年" in k or "倒数" in k] == ["总评达标今年需得", "全省倒数三名"]


def st_fresh():
    """Streamlit's process-wide caches emptied, so the next AppTest reads its own store."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
