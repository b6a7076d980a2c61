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
        write_csv(tmp_path / "历年成绩.csv", ["年度", "得分", "全省排名", "参评城市数"],
                  [["2024", "86.2", "5", "12"], ["2025", "84.0", "9", "12"]], encoding="gbk"),
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
    assert table(store, "select year, score, rank, count_cities from results order by 1") == [
        (2024, 86.2, 5, 12), (2025, 84.0, 9, 12)]
    assert table(store, "select task_name, milestone_name, is_done, percent_done from tasks order by row_order") == [
        ("老旧小区改造", "开工", True, None), ("老旧小区改造", "主体完工", False, None), ("公厕提升", None, None, 0.4)]
