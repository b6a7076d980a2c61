"""The meeting loop (SPEC "The meeting loop") on the tiny world: meeting items done and overdue, the
follow-up at the next meeting, 回头看 re-checks that reopen problems, 整改到位率, talks, and staff
writes through the versioned store (a restart keeps them, undo takes them back).

D is 2026-06-10. The items and re-checks below are added to tests/fixtures/tiny.sql's world; each
row's comment gives its role at D.
"""

from datetime import date

import pandas as pd
import pytest

from cockpit.ingest import staff_writes, staging
from cockpit.store import queries, readers, versions
from cockpit.vocab.filters import NO_FILTERS
from tests.conftest import TINY_AS_OF, load_tiny, rows
from tests.demo_world import demo_exports, demo_store  # noqa: F401 (fixtures)
from tests.test_calendar_edit import settings_file  # noqa: F401 (fixture)

D = TINY_AS_OF
MEETING = (date(2026, 6, 3), "第一次调度会")

LOOP_SQL = """
insert into assignments values
    ('A1', '2026-06-03', '第一次调度会', 'P06', null, null, '2026-06-08', null, 0),            -- 汶河街道: P06 closed by D: done
    ('A2', '2026-06-03', '第一次调度会', 'P08', null, '汶河街道', '2026-06-06', null, 0),      -- open, due 06-06: overdue 4 days
    ('A3', '2026-06-03', '第一次调度会', 'P12', null, '东关街道', '2026-06-10', null, 0),      -- open, due D: not overdue
    ('A4', '2026-06-03', '第一次调度会', null, '清理东关街小广告', '东关街道', '2026-06-05', '2026-06-05', 0),  -- a matter marked done: done
    ('A5', '2026-06-03', '第一次调度会', null, '蒋王小区飞线整治', '蒋王街道', '2026-06-08', '2026-06-12', 0),  -- marked done after D: overdue 2 days
    ('A6', '2026-06-03', '第一次调度会', 'P02', null, '东关街道', '2026-06-05', null, 0),      -- P02 closed, reopened by a 未到位 re-check: overdue 5 days
    ('B1', '2026-06-10', '第二次调度会', 'P11', null, '东关街道', '2026-06-17', null, 0);      -- a meeting held on D: not the last one before D
insert into rechecks values
    ('P02', '2026-06-08 09:00', 'not_done', '督查组', '摊贩回潮', '第一轮回头看', 0),   -- 东关街道: 假性整改, P02 open again from 06-08
    ('P01', '2026-06-08 10:00', 'done',     '督查组', null,       '第一轮回头看', 0),   -- 东关街道: 到位
    ('P05', '2026-06-08 11:00', 'done',     '督查组', null,       '第一轮回头看', 0),   -- 汶河街道: 到位
    ('P06', '2026-06-11 09:00', 'rebound',  '督查组', null,       '第二轮回头看', 0);   -- after D: not seen at D
insert into talks values
    ('2026-05-20', '汶河街道', '分管副市长', '连续两周黑榜', 0),
    ('2026-06-09', '汶河街道', '市委组织部', '连续三周黑榜', 0),
    ('2026-06-12', '东关街道', '分管副市长', '黑榜', 0);   -- after D
"""


@pytest.fixture
def loop_con():
    con = queries.connect_memory()
    load_tiny(con)
    for statement in queries.statements(LOOP_SQL):
        con.execute(statement)
    yield con
    con.close()


def test_meeting_items_done_and_overdue(loop_con):
    items = readers.run(loop_con, "meeting_items", as_of=D, meeting_on=MEETING[0], meeting_name=MEETING[1])
    got = rows(items[["item_id", "unit_name", "is_done", "done_on", "is_overdue", "days_overdue"]])
    assert got == [
        ("A6", "东关街道", False, None, True, 5),
        ("A3", "东关街道", False, None, False, None),
        ("A4", "东关街道", True, date(2026, 6, 5), False, None),
        ("A2", "汶河街道", False, None, True, 4),
        ("A1", "汶河街道", True, date(2026, 5, 20), False, None),
        ("A5", "蒋王街道", False, None, True, 2),
    ]


def test_a_units_unfinished_items(loop_con):
    items = readers.run(loop_con, "unit_items", as_of=D, unit_name="东关街道")
    assert rows(items[["item_id", "is_overdue", "days_overdue"]]) == [
        ("A6", True, 5), ("A3", False, None), ("B1", False, None)]
    assert items["count_unit_overdue"].tolist() == [1, 1, 1]  # the scorecard's 其中逾期: A6 of the three


def test_next_brief_follow_up_counts(loop_con):
    meetings = readers.run(loop_con, "meeting_list", as_of=D)
    assert rows(meetings[["meeting_on", "meeting_name", "count_items", "count_done", "count_overdue"]]) == [
        (date(2026, 6, 10), "第二次调度会", 1, 0, 0),
        (date(2026, 6, 3), "第一次调度会", 6, 2, 3),
    ]
    units = readers.run(loop_con, "meeting_units", as_of=D, meeting_on=MEETING[0], meeting_name=MEETING[1])
    assert rows(units[["unit_name", "count_items", "count_done", "count_overdue", "count_unfinished"]]) == [
        ("东关街道", 3, 1, 1, 2),
        ("汶河街道", 2, 1, 1, 1),
        ("蒋王街道", 1, 0, 1, 1),
        ("合计", 6, 2, 3, 4),
    ]
    # A week later the matter A5 is done, P12 is overdue, and P06 is open again (反弹 on 06-11): A1
    # is no longer done and is overdue.
    later = readers.run(loop_con, "meeting_units", as_of=date(2026, 6, 17), meeting_on=MEETING[0],
                   meeting_name=MEETING[1])
    assert rows(later[["unit_name", "count_done", "count_overdue"]])[-1] == ("合计", 2, 4)


def test_failed_recheck_reopens_the_problem_in_every_figure(tiny_con, loop_con):
    before = readers.run(tiny_con, "progress_summary", as_of=D, due_soon_days=3, filters=NO_FILTERS).iloc[0]
    after = readers.run(loop_con, "progress_summary", as_of=D, due_soon_days=3, filters=NO_FILTERS).iloc[0]
    counts = ["count_closed", "count_open", "count_overdue", "count_returned", "count_reported_done"]
    assert [int(before[c]) for c in counts] == [8, 12, 3, 3, 12]
    # P02 (closed 05-06, due 05-08) is open again at D: one fewer closed, one more open and overdue,
    # and it now counts as returned (it was already reported done): rework 4 of 12.
    assert [int(after[c]) for c in counts] == [7, 13, 4, 4, 12]
    record = readers.run(loop_con, "problem_record", as_of=D, due_soon_days=3, problem_id="P02").iloc[0]
    assert record["state"] == "returned"
    # Before the re-check it was closed; a later passing re-check closes it again.
    assert readers.run(loop_con, "problem_record", as_of=date(2026, 6, 7), due_soon_days=3,
                  problem_id="P02").iloc[0]["state"] == "closed"
    loop_con.execute("insert into rechecks values ('P02', '2026-06-12 09:00', 'done', '督查组', null, '第二轮回头看', 0)")
    assert readers.run(loop_con, "problem_record", as_of=date(2026, 6, 12), due_soon_days=3,
                  problem_id="P02").iloc[0]["state"] == "closed"
    # P06's 反弹 on 06-11 reopens it from then; a later export closing it again (close time after
    # the re-check) closes it.
    assert readers.run(loop_con, "problem_record", as_of=date(2026, 6, 11), due_soon_days=3,
                  problem_id="P06").iloc[0]["state"] == "returned"
    loop_con.execute("update problems set closed_at = '2026-06-13 10:00' where problem_id = 'P06'")
    assert readers.run(loop_con, "problem_record", as_of=date(2026, 6, 13), due_soon_days=3,
                  problem_id="P06").iloc[0]["state"] == "closed"


def test_a_problems_meeting_items_and_rechecks(loop_con):
    events = readers.run(loop_con, "problem_rechecks", problem_id="P02")
    assert rows(events[["event_on", "event_kind", "result", "title"]]) == [
        (date(2026, 6, 3), "assignment", None, "第一次调度会"),
        (date(2026, 6, 8), "recheck", "not_done", "第一轮回头看")]


def test_recheck_rates_per_unit_and_round(loop_con):
    rates = readers.run(loop_con, "recheck_rates", as_of=D)
    assert rows(rates[["round_name", "unit_name", "count_rechecked", "count_done", "count_not_done", "done_rate"]]) == [
        ("第一轮回头看", "东关街道", 2, 1, 1, 0.5),
        ("第一轮回头看", "汶河街道", 1, 1, 0, 1.0),
        ("第一轮回头看", "全部单位", 3, 2, 1, round(2 / 3, 9)),
    ]
    failures = readers.run(loop_con, "recheck_failures", as_of=date(2026, 6, 11), due_soon_days=3)
    assert rows(failures[["problem_id", "result", "unit_name", "is_open"]]) == [
        ("P06", "rebound", "汶河街道", True),
        ("P02", "not_done", "东关街道", True),
    ]


def test_closed_problems_never_rechecked(loop_con):
    coverage = readers.run(loop_con, "recheck_coverage", as_of=D)
    assert rows(coverage[["unit_name", "count_closed", "count_rechecked", "count_never_rechecked"]]) == [
        ("汶河街道", 3, 1, 2),
        ("蒋王街道", 2, 0, 2),
        ("市城管局", 1, 0, 1),
        ("东关街道", 1, 1, 0),
        ("合计", 7, 2, 5),
    ]


def test_recheck_candidates_filters_and_sample(loop_con):
    def chosen(**overrides):
        params = {"as_of": D, "closed_from": None, "closed_to": None, "sources": [], "units": [],
                  "per_unit": 0, "only_unchecked": False, **overrides}
        return readers.run(loop_con, "recheck_candidates", **params)["problem_id"].tolist()

    assert chosen() == ["P01", "P04", "P06", "P05", "P19", "P03", "P14"]
    assert chosen(only_unchecked=True) == ["P04", "P06", "P19", "P03", "P14"]
    assert chosen(units=["汶河街道"], closed_from=date(2026, 5, 20), closed_to=date(2026, 6, 9)) == ["P06", "P05"]
    assert chosen(sources=["市民投诉"]) == ["P06", "P05", "P03"]
    sample = chosen(per_unit=1)
    assert len(sample) == 4 and sample == chosen(per_unit=1)  # one per unit, the same every time


def test_talks_with_counts(loop_con):
    talks = readers.run(loop_con, "unit_talks", as_of=D)
    assert rows(talks[["talked_on", "unit_name", "talked_by", "count_unit_talks"]]) == [
        (date(2026, 6, 9), "汶河街道", "市委组织部", 2),
        (date(2026, 5, 20), "汶河街道", "分管副市长", 2),
    ]


def test_staff_write_survives_restart_and_is_undone(tiny_db_dir):
    items = pd.DataFrame({"item_id": ["M1-001", "M1-002"], "meeting_on": [date(2026, 6, 3)] * 2,
                          "meeting_name": ["第一次调度会"] * 2, "problem_id": ["P08", None],
                          "matter": [None, "清理小广告"], "unit_name": ["汶河街道", "东关街道"],
                          "due_on": [date(2026, 6, 6), date(2026, 6, 20)]})
    staff_writes.write_rows(tiny_db_dir, "assignments", items, written_by="张三", action="第一次调度会交办 2 项")
    reader = readers.open_reader(versions.current_file(tiny_db_dir))  # a new process would open the same file
    try:
        assert rows(readers.run(reader, "meeting_list", as_of=D)[["meeting_name", "count_items", "count_overdue"]]) == [
            ("第一次调度会", 2, 1)]
        log = readers.run(reader, "import_history")
        last = log[log["is_last_batch"]].iloc[0]
        assert (last["file_name"], last["imported_by"], last["dataset"]) == (
            "【录入】第一次调度会交办 2 项", "张三", "assignments")
    finally:
        reader.close()
    staging.undo_last_import(tiny_db_dir, "李四", keep_versions=5)
    reader = readers.open_reader(versions.current_file(tiny_db_dir))
    try:
        assert readers.run(reader, "meeting_list", as_of=D).empty
    finally:
        reader.close()


def test_staff_write_refuses_missing_fields(tiny_db_dir):
    with pytest.raises(staff_writes.StaffWriteRefused, match="约谈时间"):
        staff_writes.write_rows(tiny_db_dir, "talks", pd.DataFrame({"unit_name": ["东关街道"]}),
                                written_by="张三", action="约谈")


def test_old_store_without_loop_tables_reads_them_empty(tmp_path):
    import duckdb

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path), config=queries.CONFIG)
    queries.execute(con, "schema")
    load_tiny(con)
    con.execute("drop table assignments; drop table rechecks; drop table talks")
    con.close()
    reader = readers.open_reader(path)
    try:
        assert readers.run(reader, "meeting_list", as_of=D).empty
        assert int(readers.run(reader, "progress_summary", as_of=D, due_soon_days=3,
                          filters=NO_FILTERS).iloc[0]["count_closed"]) == 8
    finally:
        reader.close()
    scoped = readers.open_reader(path, "广陵区")  # a district login on such a store too
    try:
        assert readers.run(scoped, "meeting_list", as_of=D).empty
    finally:
        scoped.close()


def test_loop_datasets_import_from_files(tiny_db_dir, tmp_path):
    from cockpit.ingest import writing

    rechecks = tmp_path / "回头看结果20260611.csv"
    rechecks.write_bytes("问题编号,复查时间,复查结果,复查人,备注,复查轮次\n"
                         "P02,2026/6/8 9:00,未到位,督查组,摊贩回潮,第一轮回头看\n"
                         "P01,2026-06-08 10:00,整改到位,督查组,,第一轮回头看\n".encode("gbk"))
    talks = tmp_path / "约谈记录.xlsx"
    pd.DataFrame({"约谈日期": ["2026-06-09"], "被约谈单位": ["汶河街道"], "约谈领导": ["分管副市长"],
                  "约谈事由": ["连续两周黑榜"]}).to_excel(talks, index=False)
    sheet = tmp_path / "交办单.xlsx"
    pd.DataFrame({"交办编号": ["A1"], "会议日期": ["2026-06-03"], "会议名称": ["第一次调度会"],
                  "问题编号": ["P02"], "责任单位": ["东关街道"], "办结时限": ["2026-06-05"]}).to_excel(sheet, index=False)
    result = writing.import_files([rechecks, talks, sheet], db_directory=tiny_db_dir, imported_by="张三")
    assert [o.status for o in result.outcomes] == ["imported"] * 3
    assert sorted(o.prepared.dataset for o in result.outcomes) == ["assignments", "rechecks", "talks"]
    reader = readers.open_reader(versions.current_file(tiny_db_dir))
    try:
        assert rows(readers.run(reader, "meeting_units", as_of=D, meeting_on=MEETING[0], meeting_name=MEETING[1])[
            ["unit_name", "count_items", "count_overdue"]]) == [("东关街道", 1, 1), ("合计", 1, 1)]
        assert rows(readers.run(reader, "recheck_rates", as_of=D)[["unit_name", "count_rechecked", "count_done"]]) == [
            ("东关街道", 2, 1), ("全部单位", 2, 1)]
        assert len(readers.run(reader, "unit_talks", as_of=D)) == 1
    finally:
        reader.close()


def test_escalation_ladder_is_a_setting_saved_from_the_settings_rules(tmp_path):
    from cockpit import settings_edit
    from cockpit.settings import DEFAULT_SETTINGS_PATH, SettingsError, load_settings
    from cockpit.vocab import escalation

    path = tmp_path / "settings.toml"
    path.write_bytes(DEFAULT_SETTINGS_PATH.read_bytes())
    ladder = load_settings(path).escalation_ladder
    assert ladder == escalation.DEFAULT_LADDER
    assert [escalation.action(w, ladder) for w in (0, 1, 2, 3, 5)] == [
        None, "由分管领导予以约谈", "由组织部门予以约谈", "按规定启动问责程序", "按规定启动问责程序"]
    settings_edit.save_values(path, {"escalation.talk_weeks": 0, "escalation.organisation_text": "由市委组织部约谈"},
                              who="王丽")
    ladder = load_settings(path).escalation_ladder
    assert [escalation.action(w, ladder) for w in (1, 2, 3)] == [None, "由市委组织部约谈", "按规定启动问责程序"]
    with pytest.raises(SettingsError, match="逐级增加"):
        settings_edit.save_values(path, {"escalation.accountability_weeks": 2}, who="王丽")


def test_the_demo_city_shows_the_loop(demo_store):
    from tests.demo_world import DEMO_END

    reader = readers.open_reader(versions.current_file(demo_store))
    try:
        meetings = readers.run(reader, "meeting_list", as_of=DEMO_END)
        assert len(meetings) == 2
        assert (meetings["count_done"] > 0).all() and (meetings["count_overdue"] > 0).all()
        items = reader.execute("select count(*) filter (where problem_id is null), count(*) filter (where matter is null) "
                           "from assignments").fetchone()
        assert items == (5, 26)  # the five matters of demo_loop.MATTERS, and the problems without a matter
        failures = readers.run(reader, "recheck_failures", as_of=DEMO_END, due_soon_days=3)
        assert sorted(failures["result"].value_counts().items()) == [("not_done", 5), ("rebound", 2)]
        assert failures["is_open"].all()
        assert len(readers.run(reader, "unit_talks", as_of=DEMO_END)) == 3
    finally:
        reader.close()


def test_assignment_rate_is_a_ranking_component_weighted_zero_by_default(loop_con, tmp_path):
    from cockpit import settings_edit
    from cockpit.settings import DEFAULT_SETTINGS_PATH, load_settings

    path = tmp_path / "settings.toml"
    path.write_bytes(DEFAULT_SETTINGS_PATH.read_bytes())
    rules = load_settings(path).ranking_rules
    assert rules["w_assignment_rate"] == 0.0

    def streets(rules):
        ranked = readers.run(loop_con, "unit_ranking", as_of=D, due_soon_days=3, weeks=1, rules=rules)
        ranked = ranked[ranked["pool"] == "street"]
        return rows(ranked[["unit_name", "count_assigned", "count_assigned_done", "pts_assignment_rate"]])

    # Items of meetings held by D: 东关街道 A3 A4 A6 B1 (A4 done), 汶河街道 A1 A2 (A1 done), 蒋王街道 A5.
    assert streets(rules) == [("汶河街道", 2, 1, None), ("东关街道", 4, 1, None), ("蒋王街道", 1, 0, None)]
    assert settings_edit.save_values(path, {"ranking.weights.assignment_rate": 10}, who="王丽")
    weighted = streets(load_settings(path).ranking_rules)
    # 汶河 1/2 and 东关 1/4 are scored (蒋王 has too few problems): 汶河 the best gets 100 * 10 / 110
    # of the weights it has data for, 东关 the worst none.
    assert [(u, round(p, 2) if p is not None else None) for u, _, _, p in weighted] == [
        ("汶河街道", 9.09), ("东关街道", 0.0), ("蒋王街道", None)]


def test_meeting_documents_and_their_round_trip(loop_con, tiny_db_dir, tmp_path):
    import io

    import docx
    import openpyxl

    from cockpit.ingest import writing
    from cockpit.outputs import meeting_docs

    items = readers.run(loop_con, "meeting_items", as_of=D, meeting_on=MEETING[0], meeting_name=MEETING[1])
    units = readers.run(loop_con, "meeting_units", as_of=D, meeting_on=MEETING[0], meeting_name=MEETING[1])
    document = docx.Document(io.BytesIO(meeting_docs.sheet_docx("示范市", *MEETING, items)))
    paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
    assert [p for p in paragraphs if p.endswith("：")] == ["东关街道：", "汶河街道：", "蒋王街道："]  # one page each
    assert "2026年6月3日第一次调度会向你单位交办以下3项问题（事项），请按时限整改到位，并将整改情况报市创城办。" in paragraphs
    assert [len(t.rows) for t in document.tables] == [4, 3, 2]
    lines = meeting_docs.minutes_lines(*MEETING, D, units, items)
    assert lines[:2] == ["2026年6月3日第一次调度会共交办6项，截至2026年6月10日已完成2项，逾期未完成3项，完成率33.3%。",
                         "东关街道：交办3项，完成1项，逾期1项。"]
    assert "未完成：蒋王街道　蒋王小区飞线整治，时限2026-06-08，逾期2天。" in lines

    # The 交办单 workbook imports again as the same items; the filled-in checklist as re-checks.
    sheet = tmp_path / "交办单.xlsx"
    sheet.write_bytes(meeting_docs.items_xlsx(items, [("统计日期", "2026-06-10")]))
    candidates = readers.run(loop_con, "recheck_candidates", as_of=D, closed_from=None, closed_to=None, sources=[],
                        units=["蒋王街道"], per_unit=0, only_unchecked=True)
    checklist = tmp_path / "回头看清单.xlsx"
    checklist.write_bytes(meeting_docs.checklist_xlsx(candidates, "第二轮回头看", []))
    book = openpyxl.load_workbook(checklist)
    rows_ = book["回头看清单"]
    headers = [c.value for c in rows_[1]]
    assert headers == list(meeting_docs.CHECKLIST_COLUMNS.values())
    rows_.cell(2, headers.index("复查时间") + 1, "2026-06-09 10:00")
    rows_.cell(2, headers.index("复查结果") + 1, "未到位")  # P03
    rows_.cell(3, headers.index("复查时间") + 1, "2026/6/9 11:00")
    rows_.cell(3, headers.index("复查结果") + 1, "到位")  # P14
    book.save(checklist)
    result = writing.import_files([sheet, checklist], db_directory=tiny_db_dir, imported_by="王丽")
    assert [(o.status, o.prepared.dataset) for o in result.outcomes] == [  # noqa
        print([o.message for o in result.outcomes]) or
        ("imported", "assignments"), ("imported", "rechecks")]
    reader = readers.open_reader(versions.current_file(tiny_db_dir))
    try:
        assert rows(readers.run(reader, "meeting_list", as_of=D)[["meeting_name", "count_items"]]) == [("第一次调度会", 6)]
        failures = readers.run(reader, "recheck_failures", as_of=D, due_soon_days=3)
        assert rows(failures[["problem_id", "round_name", "is_open"]]) == [("P03", "第二轮回头看", True)]
    finally:
        reader.close()


def test_the_settings_page_saves_the_escalation_ladder_and_the_assignment_weight(settings_file):
    from tests.test_settings_page import changed_lines, open_settings_page, submit

    before = settings_file.read_bytes()
    at = open_settings_page()
    at.number_input(key="setting:escalation.talk_weeks").set_value(2)
    at.number_input(key="setting:escalation.organisation_weeks").set_value(3)
    at.number_input(key="setting:escalation.accountability_weeks").set_value(4)
    submit(at, "保存升级规则")
    assert changed_lines(before, settings_file.read_bytes()) == [
        ("talk_weeks = 1", "talk_weeks = 2"), ("organisation_weeks = 2", "organisation_weeks = 3"),
        ("accountability_weeks = 3", "accountability_weeks = 4")]
    at.number_input(key="setting:escalation.talk_weeks").set_value(5)  # above the next step: refused
    submit(at, "保存升级规则")
    assert any("逐级增加" in e.value for e in at.error)
    at = open_settings_page()
    at.number_input(key="setting:ranking.weights.assignment_rate").set_value(10.0)
    submit(at, "保存排名规则")
    assert "assignment_rate = 10" in settings_file.read_text(encoding="utf-8")


def test_a_district_connection_reads_only_its_districts_loop(tmp_path):
    import duckdb

    path = tmp_path / "loop.duckdb"
    con = duckdb.connect(str(path), config=queries.CONFIG)
    queries.execute(con, "schema")
    load_tiny(con)
    for statement in queries.statements(LOOP_SQL):
        con.execute(statement)
    con.close()
    scoped = readers.open_reader(path, "邗江区")  # 蒋王街道's district: the matter A5, no problem item, no talk
    try:
        assert rows(readers.run(scoped, "meeting_list", as_of=D)[["meeting_name", "count_items"]]) == [("第一次调度会", 1)]
        assert readers.run(scoped, "recheck_rates", as_of=D).empty
        assert readers.run(scoped, "unit_talks", as_of=D).empty
    finally:
        scoped.close()


def partly_filled_checklist(store, filled: dict) -> bytes:
    """The cockpit's own 回头看 checklist of every unit's closed problems in the tiny store (P01 P02 P04
    P06 P05 P19 P03 P14 on rows 2-9), with {row: (复查时间, 复查结果)} filled in as a unit would."""
    import io

    import openpyxl

    from cockpit.outputs import meeting_docs

    reader = readers.open_reader(versions.current_file(store))
    try:
        candidates = readers.run(reader, "recheck_candidates", as_of=D, closed_from=None, closed_to=None, sources=[],
                                 units=[], per_unit=0, only_unchecked=True)
    finally:
        reader.close()
    assert list(candidates["problem_id"]) == ["P01", "P02", "P04", "P06", "P05", "P19", "P03", "P14"]
    book = openpyxl.load_workbook(io.BytesIO(meeting_docs.checklist_xlsx(candidates, "第一轮回头看", [])))
    sheet = book["回头看清单"]
    headers = [c.value for c in sheet[1]]
    for row, (at, result) in filled.items():
        sheet.cell(row, headers.index("复查时间") + 1, at)
        sheet.cell(row, headers.index("复查结果") + 1, result)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_partly_filled_checklist_imports_the_rows_rechecked_and_skips_the_blank_ones(tiny_db_dir, tmp_path):
    """The checklist goes out with a blank result column and comes back partly filled: rows with both
    复查时间 and 复查结果 blank are not re-checked yet (left out, not bad rows); one of the two alone
    is a bad row naming its row and column."""
    import dataclasses

    from cockpit.ingest import writing
    from cockpit.settings import load_settings

    def problems():
        reader = readers.open_reader(versions.current_file(tiny_db_dir))
        try:
            return rows(reader.execute("select * exclude (last_import_id, changed_import_id) from problems "
                                       "order by problem_id").df())
        finally:
            reader.close()

    problems_before = problems()
    checklist = tmp_path / "回头看清单_全部单位.xlsx"
    checklist.write_bytes(partly_filled_checklist(tiny_db_dir, {
        2: ("2026-06-09 10:00", "到位"), 3: ("2026-06-09 11:00", "未到位"), 4: ("2026-06-09 12:00", "到位"),
        5: (None, "到位"),                  # P06: a result without its time
        6: ("2026-06-09 14:00", None)}))    # P05: a time without its result; rows 7-9 left blank
    settings = dataclasses.replace(load_settings(), bad_row_share=0.5)  # 2 bad rows of the 5 filled in
    result = writing.import_files([checklist], db_directory=tiny_db_dir, settings=settings, imported_by="王丽")
    [outcome] = result.outcomes
    assert outcome.status == "imported"
    assert outcome.message == ("回头看清单_全部单位.xlsx：回头看复查结果，导入 3 行，2 行有误未导入，"
                               "未填写复查结果的 3 行未导入（尚未复查）；未使用的列：责任单位、地点、问题类别、问题描述、销号时间")
    assert [(i.row_number, i.column_name, i.reason) for i in outcome.prepared.issues] == [
        (5, "复查时间", "必填项为空"), (6, "复查结果", "必填项为空")]
    report = result.report_path.read_text(encoding="utf-8").splitlines()
    assert outcome.message in report

    assert problems() == problems_before  # the re-checks reopen problems in the queries, not in the ledger
    reader = readers.open_reader(versions.current_file(tiny_db_dir))
    try:
        assert rows(reader.execute("select problem_id, rechecked_at::varchar, result, round_name from rechecks "
                                   "order by problem_id").df()) == [
            ("P01", "2026-06-09 10:00:00", "done", "第一轮回头看"),
            ("P02", "2026-06-09 11:00:00", "not_done", "第一轮回头看"),
            ("P04", "2026-06-09 12:00:00", "done", "第一轮回头看")]
        assert rows(reader.execute("select count_rows_read, count_rows_imported, count_rows_rejected from imports "
                                   "where dataset = 'rechecks'").df()) == [(8, 3, 2)]
        assert rows(reader.execute("select row_number, column_name from import_rejects order by 1").df()) == [
            (5, "复查时间"), (6, "复查结果")]
        failures = readers.run(reader, "recheck_failures", as_of=D, due_soon_days=3)
        assert rows(failures[["problem_id", "is_open"]]) == [("P02", True)]
        still = readers.run(reader, "recheck_candidates", as_of=D, closed_from=None, closed_to=None, sources=[],
                            units=[], per_unit=0, only_unchecked=True)
        assert list(still["problem_id"]) == ["P06", "P05", "P19", "P03", "P14"]  # the skipped and bad rows: unchecked
    finally:
        reader.close()


def test_a_checklist_with_nothing_filled_in_is_refused_saying_so(tiny_db_dir, tmp_path):
    from cockpit.ingest import writing

    checklist = tmp_path / "回头看清单_全部单位.xlsx"
    checklist.write_bytes(partly_filled_checklist(tiny_db_dir, {}))
    [outcome] = writing.import_files([checklist], db_directory=tiny_db_dir, imported_by="王丽").outcomes
    assert (outcome.status, outcome.message) == ("refused", "回头看清单_全部单位.xlsx：未导入。全部 8 行都未填写复查时间和复查结果"
                                                            "（尚未复查），没有可导入的行；复查后填好再导入")


def test_the_import_page_says_how_many_checklist_rows_were_not_rechecked(tiny_db_dir, monkeypatch, fresh_caches):
    from tests.test_import_page import XLSX_MIME, click, metrics, open_imports, upload

    monkeypatch.setenv("COCKPIT_DB", str(tiny_db_dir))
    filled = {row: (f"2026-06-09 {row + 8}:00", "到位") for row in (2, 3, 4, 5)}
    filled[6] = (None, "未到位")  # one bad row of the five filled in: within the 20% allowed
    at = upload(open_imports(), ("回头看清单.xlsx", partly_filled_checklist(tiny_db_dir, filled), XLSX_MIME))
    assert metrics(at) == [("读取行数", "8"), ("可导入", "4"), ("有误未导入", "1")]
    assert "未填写复查结果的 3 行未导入（尚未复查）；复查后填好再导入即可。" in [i.value for i in at.info]
    at = click(at, "import_confirm")
    assert at.success[0].value.splitlines()[0] == (
        "回头看清单.xlsx：回头看复查结果，导入 4 行，1 行有误未导入，未填写复查结果的 3 行未导入（尚未复查）；"
        "未使用的列：责任单位、地点、问题类别、问题描述、销号时间  ")


def test_the_scorecard_counts_the_units_unfinished_items_and_talks(tiny_app):
    from tests.test_pages import open_rankings

    items = pd.DataFrame({"item_id": ["M1-001", "M1-002"], "meeting_on": [date(2026, 6, 3)] * 2,
                          "meeting_name": ["第一次调度会"] * 2, "problem_id": ["P08", None],
                          "matter": [None, "清理小广告"], "unit_name": ["汶河街道", "汶河街道"],
                          "due_on": [date(2026, 6, 6), date(2026, 6, 20)]})  # P08 open past 06-06; the matter not due
    staff_writes.write_rows(tiny_app, "assignments", items, written_by="张三", action="第一次调度会交办 2 项")
    talk = pd.DataFrame({"talked_on": [date(2026, 6, 1)], "unit_name": ["汶河街道"], "talked_by": ["分管副市长"],
                         "reason": ["连续两周列入黑榜"]})
    staff_writes.write_rows(tiny_app, "talks", talk, written_by="张三", action="约谈记录")
    said = [m.value for m in open_rankings({"card": "汶河街道"}).markdown]
    assert "**调度会交办未完成（2 项，其中逾期 1 项）**" in said
    assert "**约谈记录（已约谈 1 次）**" in said
