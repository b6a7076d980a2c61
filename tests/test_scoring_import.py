"""The indicator list, yearly results and key tasks import from .xlsx and GBK .csv like the others."""

from tests.test_import import run_import, store, table, write_csv, write_xlsx  # noqa: F401  (store is a fixture)

INDICATOR_HEADERS = ["指标编号", "指标名称", "测评部分", "分值", "点位类型", "问题类别", "默认扣分"]
TASK_HEADERS = ["任务名称", "牵头单位", "类型", "开始日期", "结束日期", "节点名称", "节点日期", "是否完成", "完成百分比"]


def test_indicators_results_and_tasks_import_from_xlsx_and_gbk_csv(tmp_path, store):  # noqa: F811
    files = [
        write_xlsx(tmp_path / "测评体系.xlsx", INDICATOR_HEADERS, [
            ["2.1", "道路整洁", "实地测评", 5, "主次干道、背街小巷", "市容环境,占道经营", 0.5],
            ["2.2", "公厕卫生", "实地测评", 3, "", "公厕", None],
        ]),
        write_csv(tmp_path / "历年成绩.csv", ["年度", "得分", "全省排名", "参评城市数", "目标名次分数线"],
                  [["2024", "86.2", "5", "12", "84.3"], ["2025", "84.0", "9", "12", ""]], encoding="gbk"),
        write_csv(tmp_path / "重点任务.csv", TASK_HEADERS, [
            ["老旧小区改造", "市住建局", "工程", "2026-03-01", "2026-10-31", "开工", "2026-04-01", "是", ""],
            ["老旧小区改造", "市住建局", "工程", "2026-03-01", "2026-10-31", "主体完工", "2026-07-01", "否", ""],
            ["公厕提升", "市城管局", "专项行动", "2026-04-01", "2026-08-31", "", "", "", "40%"],
        ], encoding="gbk"),
    ]
    result = run_import(files, store)
    assert [o.prepared.dataset for o in result.outcomes] == ["indicators", "results", "tasks"]
    assert table(store, "select * exclude (last_import_id) from indicators order by list_order") == [
        ("2.1", "道路整洁", "实地测评", 5.0, "主次干道、背街小巷", "市容环境,占道经营", 0.5, 1),
        ("2.2", "公厕卫生", "实地测评", 3.0, None, "公厕", None, 2),
    ]
    assert table(store, "select year, score, rank, count_cities, rank_line from results order by 1") == [
        (2024, 86.2, 5, 12, 84.3), (2025, 84.0, 9, 12, None)]
    assert table(store, "select task_name, milestone_name, is_done, percent_done from tasks order by row_order") == [
        ("老旧小区改造", "开工", True, None), ("老旧小区改造", "主体完工", False, None), ("公厕提升", None, None, 0.4)]


def test_a_result_entered_on_settings_is_an_import_by_its_user(tmp_path, store):  # noqa: F811
    from cockpit.vocab import scoring

    folder = tmp_path / "entered"
    folder.mkdir()
    run_import([scoring.write_result_file(folder, 2025, 82.9, 12, 14)], store, imported_by="王科长")
    run_import([scoring.write_result_file(folder, 2025, 83.4, 11, None, 84.6)], store, imported_by="李干事")
    assert table(store, "select year, score, rank, count_cities, rank_line from results") == [(2025, 83.4, 11, None, 84.6)]
    assert table(store, "select dataset, imported_by from imports order by import_id") == [
        ("results", "王科长"), ("results", "李干事")]


def test_the_settings_page_enters_a_years_result_through_the_importer(tmp_path, monkeypatch, fresh_caches):
    from tests.test_settings_page import open_settings_page, submit

    store_dir = tmp_path / "db"
    monkeypatch.setenv("COCKPIT_DB", str(store_dir))
    at = open_settings_page()
    [year] = [n for n in at.number_input if n.label == "年度"]
    year.set_value(2025)
    [score] = [n for n in at.number_input if n.label == "得分"]
    score.set_value(82.9)
    [rank] = [n for n in at.number_input if n.label == "全省排名"]
    rank.set_value(12)
    [cities] = [n for n in at.number_input if n.label == "参评城市数"]
    cities.set_value(14)
    [line] = [n for n in at.number_input if n.label == "目标名次分数线"]
    line.set_value(85.1)
    at = submit(at, "保存这一年的成绩")
    assert [s.value for s in at.success] == ["已保存 2025 年的测评成绩（作为一次导入记录，可在“数据导入”页撤销）。"]
    assert table(store_dir, "select year, score, rank, count_cities, rank_line from results") == [(2025, 82.9, 12, 14, 85.1)]
    assert table(store_dir, "select imported_by from imports") == [("王丽",)]
