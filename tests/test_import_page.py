"""The 数据导入 page through AppTest on a copy of the tiny world: real .xlsx and GBK .csv uploads, the
preview before anything is written, confirm, cancel, undo, and a new platform's header mapping."""

import hashlib
import io
import os
import time
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from streamlit.testing.v1 import AppTest

from cockpit.ingest import staging
from cockpit.ingest.fields import DATASETS
from cockpit.ingest.mapping import MappingDraft, available_mappings, check_draft, load_mapping, mapping_file_name
from cockpit.settings import load_settings
from cockpit.store import readers, versions
from cockpit.web import access
from tests.browser import ROOT
from tests.conftest import TEST_SETTINGS, TINY_STORE_FILE

STAFF = access.User(name="王芳", role="staff", district=None)
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROBLEM_HEADERS = ["问题编号", "问题来源", "发现时间", "问题类别", "区县", "街道", "责任单位", "整改时限", "整改状态",
                   "复核时间"]
# The export of 2026-06-15: two problems closed, one unchanged, two new, one with a status no
# platform uses (row 7 in Excel: the header is row 1).
PROBLEM_ROWS = [
    ["P08", "暗访", datetime(2026, 5, 26, 9), "乱堆乱放", "广陵区", "汶河街道", "汶河街道", "2026-06-02", "已销号",
     datetime(2026, 6, 14, 10)],                                                   # returned -> closed
    ["P11", "暗访", datetime(2026, 5, 31, 9), "乱堆乱放", "广陵区", "东关街道", "东关街道", "2026-06-05", "已销号",
     datetime(2026, 6, 14, 11)],                                                   # pending -> closed
    ["P20", "自查", datetime(2026, 6, 10, 15), "占道经营", "广陵区", "东关街道", "市城管局", "2026-06-20", "待整改",
     None],                                                                        # unchanged
    ["P30", "督查", datetime(2026, 6, 14, 9), "垃圾暴露", "广陵区", "东关街道", "东关街道", "2026-06-20", "待整改",
     None],                                                                        # new
    ["P31", "督查", datetime(2026, 6, 14, 9, 30), "垃圾暴露", "广陵区", "汶河街道", "汶河街道", "2026-06-21",
     "待整改", None],                                                              # new
    ["P32", "督查", datetime(2026, 6, 14, 10), "垃圾暴露", "广陵区", "汶河街道", "汶河街道", "2026-06-21",
     "不知道", None],                                                              # bad: unknown status
]
INSPECTION_CSV = ("检查编号,检查时间,检查类型,轮次,点位编号,点位名称,得分,是否达标\n"
                  "I05,2026-06-11 15:00,暗访,第三轮,PT02,汶河农贸市场,60,否\n"       # already there: updated
                  "I09,2026/6/14 10:00,督查,第三轮,PT03,文昌广场,90,是\n")           # new
# A platform the cockpit does not know: only 上报时间 is a built-in header, and 已归档 no known status.
CITY_HEADERS = "案件号,上报时间,案件状态,处置部门,所在区,所在街道\n"
CITY_ROWS_1 = "A001,2026-06-14 08:00,待处理,东关街道,广陵区,东关街道\nA002,2026-06-14 09:00,已归档,汶河街道,广陵区,汶河街道\n"
CITY_ROWS_2 = "A001,2026-06-14 08:00,已归档,东关街道,广陵区,东关街道\nA003,2026-06-15 08:00,待处理,蒋王街道,邗江区,蒋王街道\n"
TABLES = ["imports", "import_rejects", "problems", "problem_history", "inspections", "points", "units", "materials",
          "surveys"]


def problems_xlsx(rows=PROBLEM_ROWS) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "default_date_format": "yyyy-mm-dd hh:mm"})
    sheet = book.add_worksheet("问题台账")
    sheet.write_row(0, 0, PROBLEM_HEADERS)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write_datetime(r, c, value)
            elif value is not None:
                sheet.write_string(r, c, value)
    book.close()
    return buffer.getvalue()


PROBLEMS_FILE = ("问题台账20260615.xlsx", problems_xlsx(), XLSX_MIME)
INSPECTIONS_FILE = ("检查记录20260615.csv", INSPECTION_CSV.encode("gbk"), "text/csv")
CITY_FILE_1 = ("数字城管案件20260615.csv", (CITY_HEADERS + CITY_ROWS_1).encode("gbk"), "text/csv")
CITY_FILE_2 = ("数字城管案件20260616.csv", (CITY_HEADERS + CITY_ROWS_2).encode("gbk"), "text/csv")


pytestmark = pytest.mark.usefixtures("fresh_caches")  # tests/conftest.py


@pytest.fixture
def store(tiny_db_dir, monkeypatch):
    monkeypatch.setenv("COCKPIT_DB", str(tiny_db_dir))
    return tiny_db_dir


def open_imports(user=STAFF) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    if user:
        at.session_state[access.SESSION_KEY] = user
    at.run()
    at.switch_page("pages/imports.py").run()
    assert not at.exception
    return at


def upload(at: AppTest, *files) -> AppTest:
    at.file_uploader[0].set_value(list(files)).run()
    assert not at.exception
    return at


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception
    return at


def metrics(at: AppTest) -> list[tuple[str, str]]:
    """The page's own metrics (the frame's countdown metric comes first)."""
    return [(m.label, m.value) for m in at.metric if m.label in ("读取行数", "可导入", "有误未导入", "无位置（照常导入）")]


def snapshot(store: Path) -> dict:
    """Every table of the live database, row by row."""
    con = readers.open_reader(versions.current_file(store))  # the same configuration as the page's reader
    try:
        return {t: con.execute(f"select * from {t} order by all").fetchall() for t in TABLES}
    finally:
        con.close()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def store_state(store: Path) -> tuple:
    """The pointer, the version files and the live file's bytes: what 'nothing written' means."""
    return ((store / versions.POINTER).read_text(), [p.name for p in versions.versions(store)], sha(versions.current_file(store)))


def markdown(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def test_the_page_needs_a_staff_login(store, monkeypatch):
    monkeypatch.setenv(access.USERS_ENV, access.account_entry("王芳", "正确的密码") + access.account_entry(
        "李四", "查看密码", role="viewer"))
    at = open_imports(user=None)
    assert [h.value for h in at.header] == ["数据导入"]
    assert len(at.file_uploader) == 0
    assert "导入数据和撤销导入需要工作人员登录。" in [c.value for c in at.caption]
    at.text_input(key="login_name").input("王芳")
    at.text_input(key="login_password").input("正确的密码")
    at.button[0].click().run()
    assert not at.exception
    assert len(at.file_uploader) == 1
    viewer = open_imports(user=access.User(name="李四", role="viewer", district=None))
    assert len(viewer.file_uploader) == 0
    assert viewer.warning[0].value.startswith("当前登录的 李四（查看） 不是工作人员账号")


def test_preview_shows_dataset_mapping_counts_bad_rows_and_changes_and_writes_nothing(store):
    before = store_state(store)
    at = upload(open_imports(), PROBLEMS_FILE, INSPECTIONS_FILE)
    assert metrics(at) == [
        ("读取行数", "6"), ("可导入", "5"), ("有误未导入", "1"), ("无位置（照常导入）", "5"),
        ("读取行数", "2"), ("可导入", "2"), ("有误未导入", "0"),  # inspections carry no coordinates
    ]
    shown = markdown(at)
    assert "**问题台账20260615.xlsx** · 问题台账 · 表头映射：内置映射" in shown
    assert "**检查记录20260615.csv** · 检查记录 · 表头映射：内置映射" in shown
    assert "- 新问题 2 个（待整改）：P30、P31" in shown
    assert "- 状态变化 1 个（退回 → 已销号）：P08" in shown
    assert "- 状态变化 1 个（待整改 → 已销号）：P11" in shown
    assert "- 状态不变 1 个" in shown
    assert "- 新增 1 条，更新已有的 1 条" in shown
    mapped = at.dataframe[0].value
    assert list(zip(mapped["文件中的表头"], mapped["驾驶舱字段"]))[:3] == [
        ("问题编号", "问题编号"), ("问题来源", "问题来源"), ("发现时间", "发现时间")]
    issues = at.dataframe[2].value
    assert issues[["文件", "行号", "列", "原值", "处理"]].values.tolist() == [
        ["问题台账20260615.xlsx", 7, "整改状态", "不知道", "整行未导入"]]
    assert "不知道" in issues["原因"].iloc[0] or "状态" in issues["原因"].iloc[0]
    assert at.button(key="import_confirm").label == "确认导入（2 个文件）"
    assert store_state(store) == before  # the preview wrote nothing


def test_bad_rows_download_as_excel_with_exactly_the_bad_rows(store):
    at = upload(open_imports(), PROBLEMS_FILE, INSPECTIONS_FILE)
    assert [b.label for b in at.get("download_button")] == ["下载问题行（Excel）"]
    preview = at.session_state["import_preview"]
    data = staging.issues_xlsx(staging.issues_frame(preview["files"]), [("文件", "问题台账20260615.xlsx")])
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["问题行", "说明"]
    rows = list(book["问题行"].iter_rows(values_only=True))
    assert rows[0] == ("文件", "行号", "列", "原值", "原因", "处理")
    assert [r[:4] + r[5:] for r in rows[1:]] == [("问题台账20260615.xlsx", 7, "整改状态", "不知道", "整行未导入")]


def test_cancel_writes_nothing_and_empties_the_page(store):
    before, tables = store_state(store), snapshot(store)
    at = click(upload(open_imports(), PROBLEMS_FILE, INSPECTIONS_FILE), "import_cancel")
    assert [i.value for i in at.info] == ["已取消，没有写入任何数据。"]
    assert len(at.file_uploader[0].value or []) == 0
    assert metrics(at) == []
    assert store_state(store) == before
    assert snapshot(store) == tables


def test_confirm_imports_through_the_importer_and_every_page_sees_it(store):
    before = store_state(store)
    at = open_imports()
    at.switch_page("pages/progress.py").run()
    assert dict((m.label, m.value) for m in at.metric)["问题总数"] == "21"
    at.switch_page("pages/imports.py").run()
    at = click(upload(at, PROBLEMS_FILE, INSPECTIONS_FILE), "import_confirm")
    assert at.success[0].value.splitlines()[:2] == [
        "检查记录20260615.csv：检查记录，导入 2 行  ",
        "问题台账20260615.xlsx：问题台账，导入 5 行，1 行有误未导入  ",
    ]
    assert store_state(store)[0] != before[0]
    after = snapshot(store)
    problems = {r[0]: r for r in after["problems"]}
    assert (problems["P08"][16], problems["P11"][16], problems["P30"][16]) == ("closed", "closed", "pending")
    assert "P32" not in problems
    new_imports = [r for r in after["imports"] if r[0] > 6]
    assert [(r[1], r[2], r[12], r[7], r[8], r[9]) for r in new_imports] == [
        (4, "检查记录20260615.csv", "王芳", 2, 2, 0), (4, "问题台账20260615.xlsx", "王芳", 6, 5, 1)]
    history = at.dataframe[0].value  # the history tab's table, newest first
    assert history[["batch_id", "file_name", "imported_by"]].values.tolist()[:3] == [
        [4, "问题台账20260615.xlsx", "王芳"], [4, "检查记录20260615.csv", "王芳"], [3, "问题台账20260612.xlsx", "办公室"]]
    at.switch_page("pages/progress.py").run()  # the same session: its cached figures must follow
    assert not at.exception
    assert dict((m.label, m.value) for m in at.metric)["问题总数"] == "23"  # 21 + P30 + P31


def test_undo_restores_every_table_byte_for_byte(store):
    before, tables = store_state(store), snapshot(store)
    at = click(upload(open_imports(), PROBLEMS_FILE, INSPECTIONS_FILE), "import_confirm")
    assert snapshot(store) != tables
    assert any(m.startswith("**最近一次导入**：第 4 批") for m in markdown(at))
    click(at, "undo_ask")
    assert at.warning[0].value.startswith("撤销后，数据回到这次导入之前的状态")
    click(at, "undo_yes")
    assert at.success[0].value == "已撤销导入：检查记录20260615.csv、问题台账20260615.xlsx。数据已回到这次导入之前的状态。"
    assert snapshot(store) == tables
    pointer, _versions, live_sha = store_state(store)
    assert (pointer, live_sha) == (before[0], before[2])  # the very file that was live before
    assert (store / staging.UNDO_LOG_NAME).read_text(encoding="utf-8").count("王芳\t撤销第 4 批导入") == 1
    # The tiny world was not made by an import: there is nothing before it to go back to.
    assert "不能撤销：找不到最近一次导入之前的数据版本" in " ".join(c.value for c in at.caption)
    assert not [b for b in at.button if b.key == "undo_ask"]
    # The undone files can be imported again (their hashes left the log with them).
    at = click(upload(at, PROBLEMS_FILE), "import_confirm")
    assert at.success[0].value.startswith("问题台账20260615.xlsx：问题台账，导入 5 行")


def test_two_imports_undo_one_at_a_time(store):
    first = snapshot(store)
    at = click(upload(open_imports(), INSPECTIONS_FILE), "import_confirm")
    second = snapshot(store)
    at = click(upload(at, PROBLEMS_FILE), "import_confirm")
    click(click(at, "undo_ask"), "undo_yes")
    assert snapshot(store) == second
    click(click(at, "undo_ask"), "undo_yes")
    assert snapshot(store) == first


def test_undo_and_import_refused_while_another_import_runs(store):
    at = click(upload(open_imports(), INSPECTIONS_FILE), "import_confirm")
    click(at, "undo_ask")
    upload(at, PROBLEMS_FILE)
    state = store_state(store)
    with versions.import_lock(store):
        click(at, "undo_yes")
        assert [e.value for e in at.error] == ["另一个导入正在进行，现在不能撤销。请等它完成后再试。"]
        click(at, "import_confirm")
        assert at.error[0].value.startswith("另一个导入正在进行（可能是同事在另一台电脑上，或命令行导入），这次没有写入任何数据。")
    assert store_state(store) == state


def test_no_undo_before_any_import(tmp_path, monkeypatch):
    monkeypatch.setenv("COCKPIT_DB", str(tmp_path / "empty"))
    at = open_imports()
    assert "还没有导入过数据。" in [i.value for i in at.info]
    with pytest.raises(staging.NothingToUndo, match="还没有导入过数据"):
        staging.undo_last_import(tmp_path / "empty", "王芳", 5)
    # The first import has no version before it: it is listed, and the page says why it cannot be undone.
    at = click(upload(at, INSPECTIONS_FILE), "import_confirm")
    assert at.success[0].value.startswith("检查记录20260615.csv：检查记录，导入 2 行")
    assert "不能撤销：找不到最近一次导入之前的数据版本（这是第一次导入，" in " ".join(c.value for c in at.caption)
    with pytest.raises(staging.NothingToUndo, match="这是第一次导入"):
        staging.undo_last_import(tmp_path / "empty", "王芳", 5)


def test_a_new_platform_is_mapped_in_the_browser_and_the_next_file_imports_without_asking(store):
    at = upload(open_imports(), CITY_FILE_1)
    # One message for the file: why it cannot be imported yet, and what to do.
    assert [w.value[:20] for w in at.warning] == ["驾驶舱不认识这个文件的表头，还不能导入。"]
    assert not at.error
    assert at.button(key="import_confirm").disabled
    tag = at.session_state["import_preview"]["files"][0].prepared.file_hash[:12]
    assert at.selectbox(key=f"map_dataset_{tag}").value == "problems"
    guessed = {f: at.selectbox(key=f"map_{tag}_problems_{f}").value for f in DATASETS["problems"]}
    assert {f: h for f, h in guessed.items() if h != "（文件中没有）"} == {
        "found_at": "上报时间",      # a built-in header
        "status": "案件状态",        # holds the built-in 状态
        "street": "所在街道",        # much like 所属街道
        "problem_id": "案件号",      # a column of distinct codes
    }
    assert at.selectbox(key=f"map_order_{tag}").value == "ymd"  # every date starts with its year
    sample = at.dataframe[0].value  # the file's first rows, to tell the columns apart
    assert list(sample.columns) == ["案件号", "上报时间", "案件状态", "处置部门", "所在区", "所在街道"]
    assert sample["案件状态"].tolist() == ["待处理", "已归档"]

    # Required 整改状态 left unmapped, and one header chosen for two fields: nothing is saved.
    at.selectbox(key=f"map_{tag}_problems_status").select("（文件中没有）")
    at.selectbox(key=f"map_{tag}_problems_unit_name").select("所在区")
    at.selectbox(key=f"map_{tag}_problems_district").select("所在区")
    click(at, f"map_save_{tag}")
    assert [e.value for e in at.error][-1] == (
        "映射没有保存。请填写平台名称（例如“区数字城管平台”），保存后以后同一平台的文件会自动识别。 "
        "必填字段“整改状态”没有选择对应的表头。 表头“所在区”同时选给了“区县”、“责任单位”，一个表头只能对应一个字段。")
    assert not (store / "mappings").exists()

    at.text_input(key=f"map_name_{tag}").input("区数字城管平台")
    at.selectbox(key=f"map_{tag}_problems_status").select("案件状态").run()
    # The status column holds a word no platform mapping knows: the clerk says what it means.
    assert any(m.startswith("**“案件状态”列的用语**：驾驶舱不认识下面这些整改状态") for m in markdown(at))
    assert at.selectbox(key=f"map_{tag}_problems_status_word_0").label == "“已归档”"
    at.selectbox(key=f"map_{tag}_problems_status_word_0").select("closed")
    at.selectbox(key=f"map_{tag}_problems_unit_name").select("处置部门")
    at.selectbox(key=f"map_{tag}_problems_street").select("所在街道")
    click(at, f"map_save_{tag}")
    saved = store / "mappings" / "区数字城管平台.toml"
    assert load_mapping(saved).headers["problems"] == {
        "problem_id": ["案件号"], "found_at": ["上报时间"], "district": ["所在区"], "street": ["所在街道"],
        "unit_name": ["处置部门"], "status": ["案件状态"]}
    assert load_mapping(saved).values == {"problem_status": {"closed": ["已归档"]}}
    assert at.success[0].value.startswith("已保存“区数字城管平台”的表头映射（区数字城管平台.toml）")
    assert "**数字城管案件20260615.csv** · 问题台账 · 表头映射：区数字城管平台" in markdown(at)
    assert metrics(at) == [("读取行数", "2"), ("可导入", "2"), ("有误未导入", "0"), ("无位置（照常导入）", "2")]
    click(at, "import_confirm")

    # The next export of that platform: recognised at once, nothing to map.
    at = upload(at, CITY_FILE_2)
    assert not at.warning and not at.error
    assert "**数字城管案件20260616.csv** · 问题台账 · 表头映射：区数字城管平台" in markdown(at)
    assert "- 新问题 1 个（待整改）：A003" in markdown(at)
    assert "- 状态变化 1 个（待整改 → 已销号）：A001" in markdown(at)
    click(at, "import_confirm")
    problems = {r[0]: r for r in snapshot(store)["problems"]}
    assert (problems["A001"][16], problems["A002"][16], problems["A003"][16]) == ("closed", "closed", "pending")


def test_a_mapping_is_checked_before_it_is_saved(tmp_path):
    fields = {"problem_id": "编号", "found_at": "时间", "status": "状态"}
    assert check_draft(MappingDraft("甲平台", "problems", fields), [], tmp_path) == []
    assert check_draft(MappingDraft("甲平台", "inspections", {"inspected_at": "时间", "score": "得分"}), [], tmp_path) == [
        "检查记录至少要为检查编号、点位编号、点位名称之一选择表头。"]
    assert check_draft(MappingDraft("甲平台", "units", {"unit_name": "名称"}), [], tmp_path) == [
        "请至少为 2 个字段选择表头，驾驶舱才能在文件中找到表头行。"]
    (tmp_path / mapping_file_name("甲平台")).write_text('name = "别的名字"\n', encoding="utf-8")
    assert check_draft(MappingDraft("甲平台", "problems", fields), [], tmp_path) == [
        "已有名为“甲平台”的映射，请换一个平台名称。"]
    assert mapping_file_name(' 区/县:平台 "2" ') == "区_县_平台_2.toml"
    assert set(DATASETS["problems"]) >= set(fields)


def test_pruning_keeps_the_live_version_and_the_one_undo_needs(store):
    at = open_imports()
    states = [snapshot(store)]
    for name in ("a", "b", "c"):
        csv = f"检查编号,检查时间,点位编号\nX{name},2026-06-14 10:00,PT01\n".encode("gbk")
        at = click(upload(at, (f"检查{name}.csv", csv, "text/csv")), "import_confirm")
        states.append(snapshot(store))
    v0, v1, v2, v3 = versions.versions(store)
    assert v0.name == TINY_STORE_FILE and versions.current_file(store) == v3
    for _ in range(2):
        at = click(click(at, "undo_ask"), "undo_yes")
    assert versions.current_file(store) == v1 and snapshot(store) == states[1]
    versions.prune(store, keep_versions=2)  # the newest two, and also the live one and its parent
    assert versions.versions(store) == [v0, v1, v2, v3]
    at = click(upload(at, INSPECTIONS_FILE), "import_confirm")
    v4 = versions.current_file(store)
    versions.prune(store, keep_versions=2)
    assert versions.versions(store) == [v1, v3, v4]
    click(click(at, "undo_ask"), "undo_yes")
    assert versions.current_file(store) == v1 and snapshot(store) == states[1]


def test_a_file_too_big_is_refused_and_the_others_still_preview(store, tmp_path, monkeypatch):
    settings_file = tmp_path / "settings.toml"
    text = TEST_SETTINGS.read_text(encoding="utf-8")
    settings_file.write_text(text.replace("max_file_mb = 200", "max_file_mb = 1"), encoding="utf-8")
    monkeypatch.setenv("COCKPIT_SETTINGS", str(settings_file))
    big = ("问题台账_大.csv", ("问题编号,发现时间,整改状态\n" + "P99,2026-06-14,待整改\n" * 60_000).encode("gbk"),
           "text/csv")
    at = upload(open_imports(), big, INSPECTIONS_FILE)
    assert [e.value for e in at.error] == [
        "不能导入：文件大小 1 MB，超过设置的上限 1 MB；请按月份或区县分成几个文件导出"]
    assert metrics(at) == [("读取行数", "2"), ("可导入", "2"), ("有误未导入", "0")]
    assert at.button(key="import_confirm").label == "确认导入（1 个文件）"


def test_an_upload_name_cannot_leave_the_staging_folder(store):
    name, data, mime = INSPECTIONS_FILE
    at = upload(open_imports(), (f"../../{name}", data, mime))
    preview = at.session_state["import_preview"]
    assert [p.name for p in preview["paths"]] == [name]
    assert preview["paths"][0].parent.parent == preview["folder"]
    assert f"**{name}** · 检查记录 · 表头映射：内置映射" in markdown(at)


def test_preview_of_other_datasets_and_of_a_file_given_twice(tiny_db_dir):
    units = "单位名称,单位类型,上级单位\n东关街道,街道,广陵区\n新城街道,街道,邗江区\n".encode("gbk")
    surveys = "调查时间,轮次,指标,区县,数值\n2026-05-20,第二轮问卷,知晓率,广陵区,99%\n2026-06-25,第四轮问卷,知晓率,,0.93\n"
    staged = []
    for name, data in (("责任单位清单.csv", units), ("问卷调查结果.csv", surveys.encode("utf-8-sig")),
                       ("责任单位清单-副本.csv", units)):
        staged.append(tiny_db_dir / name)
        staged[-1].write_bytes(data)
    con = readers.open_reader(versions.current_file(tiny_db_dir))
    try:
        items = staging.preview_files(staged, con, available_mappings(user_dir=tiny_db_dir / "none"), load_settings())
    finally:
        con.close()
    assert [staging.change_lines(i) for i in items] == [
        ["新增 1 条，更新已有的 1 条"],   # 东关街道 is in the unit list
        ["新增 1 条，更新已有的 1 条"],   # round 2's 广陵区 awareness is there; round 4 (全市) is new
        [],
    ]
    assert [(i.will_import, i.same_as) for i in items] == [(True, None), (True, None), (False, "责任单位清单.csv")]


def test_staging_folders_left_behind_are_cleared_after_a_day():
    left = staging.staging_folder()
    (left / "0").mkdir()
    (left / "0" / "问题台账.xlsx").write_bytes(b"x")
    recent = staging.staging_folder()
    day_old = time.time() - staging.STAGING_MAX_AGE_SECONDS - 60
    os.utime(left, (day_old, day_old))
    fresh = staging.staging_folder()
    assert not left.exists() and recent.exists() and fresh.exists()
    for folder in (recent, fresh):
        staging.discard(folder)


CITY_MAPPING = """# 区数字城管平台：手工写的映射，注释要保留。
name = "区数字城管平台"
coordinate_system = "wgs84"

[problems.headers]
problem_id = ["案件号"]
found_at = ["上报时间"]
status = ["案件状态"]
unit_name = ["处置部门"]
district = ["所在区"]
street = ["所在街道"]

[values.problem_status]
pending = ["待处理"]  # 平台的叫法
closed = ["已归档"]
"""
CITY_ROWS_SUSPENDED = "".join(f"A00{i},2026-06-14 08:00,待处理,东关街道,广陵区,东关街道\n" for i in range(1, 6)) + (
    "A009,2026-06-14 09:00,已挂起,汶河街道,广陵区,汶河街道\n")


def test_a_known_platforms_new_status_word_is_mapped_on_the_page_and_remembered(store):
    saved = store / "mappings" / "区数字城管平台.toml"
    saved.parent.mkdir()
    saved.write_text(CITY_MAPPING, encoding="utf-8")
    at = upload(open_imports(), ("数字城管案件20260615.csv", (CITY_HEADERS + CITY_ROWS_SUSPENDED).encode("gbk"), "text/csv"))
    assert "**数字城管案件20260615.csv** · 问题台账 · 表头映射：区数字城管平台" in markdown(at)
    assert metrics(at) == [("读取行数", "6"), ("可导入", "5"), ("有误未导入", "1"), ("无位置（照常导入）", "5")]
    tag = at.session_state["import_preview"]["files"][0].prepared.file_hash[:12]
    assert any(m.startswith("**补充映射“区数字城管平台”**（区数字城管平台.toml）") for m in markdown(at))
    word = at.selectbox(key=f"teach_{tag}_status_0")
    assert word.label == "“已挂起”"
    word.select("pending")
    click(at, f"teach_save_{tag}")
    assert at.success[0].value.startswith("已把选择保存到“区数字城管平台”的映射（区数字城管平台.toml）")
    assert load_mapping(saved).values["problem_status"] == {"pending": ["已挂起", "待处理"], "closed": ["已归档"]}
    assert "# 区数字城管平台：手工写的映射，注释要保留。" in saved.read_text(encoding="utf-8")
    assert metrics(at) == [("读取行数", "6"), ("可导入", "6"), ("有误未导入", "0"), ("无位置（照常导入）", "6")]
    click(at, "import_confirm")
    problems = {r[0]: r[16] for r in snapshot(store)["problems"]}
    assert (problems["A001"], problems["A009"]) == ("pending", "pending")

    # The next export with that word: nothing to map, nothing refused.
    later = ("数字城管案件20260616.csv", (CITY_HEADERS + "A005,2026-06-15 09:00,已挂起,汶河街道,广陵区,汶河街道\n")
             .encode("gbk"), "text/csv")
    at = upload(at, later)
    assert not at.warning and not at.error
    assert not any(m.startswith("**补充映射") for m in markdown(at))
    assert metrics(at) == [("读取行数", "1"), ("可导入", "1"), ("有误未导入", "0"), ("无位置（照常导入）", "1")]


def test_month_first_dates_under_built_in_headers_are_mapped_with_their_date_order(store):
    csv = ("问题编号,发现时间,整改状态,责任单位\n"
           "M1,06/01/2026 09:30 AM,待整改,东关街道\nM2,06/02/2026 02:15 PM,已销号,汶河街道\n")
    at = upload(open_imports(), ("外省平台20260615.csv", csv.encode("utf-8"), "text/csv"))
    tag = at.session_state["import_preview"]["files"][0].prepared.file_hash[:12]
    assert [w.value.split("。")[0] for w in at.warning] == ["不能导入：坏行 2 行，占 100%，超过设置的 20%，整个文件未导入"]
    assert not at.error
    order = at.selectbox(key=f"map_order_{tag}")
    assert order.value is None  # 06/01/2026 could be either: the clerk says
    assert at.selectbox(key=f"map_{tag}_problems_found_at").value == "发现时间"
    at.text_input(key=f"map_name_{tag}").input("外省平台")
    order.select("mdy")
    click(at, f"map_save_{tag}")
    saved = load_mapping(store / "mappings" / "外省平台.toml")
    assert saved.date_order == "mdy"
    assert metrics(at) == [("读取行数", "2"), ("可导入", "2"), ("有误未导入", "0"), ("无位置（照常导入）", "2")]
    click(at, "import_confirm")
    con = readers.open_reader(versions.current_file(store))
    try:
        found = con.execute("select problem_id, found_at from problems where problem_id like 'M%' order by 1").fetchall()
    finally:
        con.close()
    assert found == [("M1", datetime(2026, 6, 1, 9, 30)), ("M2", datetime(2026, 6, 2, 14, 15))]
