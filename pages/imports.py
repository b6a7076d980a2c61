"""数据导入: drop exports, see what each would do before anything is written, confirm or cancel;
the import history with undo of the last import; a mapping for a platform the cockpit does not know."""

import logging
import math
from datetime import datetime

import pandas as pd
import streamlit as st

from cockpit.ingest import staging
from cockpit.ingest.fields import DATASET_LABELS, DATASETS
from cockpit.ingest.mapping import (COORDINATE_LABELS, COORDINATE_SYSTEMS, MappingDraft, MappingError, add_to_mapping,
                                    available_mappings, save_mapping, user_mappings_dir)
from cockpit.ingest.parse import DATE_ORDER_LABELS, DATE_ORDERS
from cockpit.ingest.preparing import not_rechecked_note
from cockpit.ingest.reading import ImportRefused
from cockpit.store import versions
from cockpit.web import access, cached, fmt

PREVIEW_KEY = "import_preview"      # {"key": what it was made from, "folder": staging, "files": [FilePreview]}
UPLOAD_ROUND = "import_upload_round"  # bumped to empty the uploader after a confirm or cancel
OUTCOME_KEY = "import_outcome"      # (kind, lines) shown once by the run after a confirm, cancel or undo
UNDO_ASKED = "import_undo_asked"
NO_HEADER = "（文件中没有）"
LOG = logging.getLogger("cockpit.imports")

settings = cached.settings()
directory = versions.db_dir()

st.header("数据导入")
staff_name = access.require_staff("导入数据和撤销导入需要工作人员登录。")


def show_outcome() -> None:
    kind, lines = st.session_state.pop(OUTCOME_KEY, (None, []))
    if kind:
        getattr(st, kind)("  \n".join(lines))


def mappings_stamp() -> tuple:
    """Saved mappings by name and time: a new one makes the preview run again."""
    folder = user_mappings_dir()
    return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob("*.toml"))) if folder.is_dir() else ()


def current_preview(uploads) -> dict | None:
    """The preview of these uploads against the published data, made once and kept for the session."""
    key = (tuple((f.file_id, f.name, f.size) for f in uploads), cached.data_version(), mappings_stamp())
    kept = st.session_state.get(PREVIEW_KEY)
    if kept and kept["key"] == key:
        return kept
    if kept:
        staging.discard(kept["folder"])
    folder = staging.staging_folder()
    bar = st.progress(0.0, text="正在读取文件…")
    try:
        staged = staging.stage_uploads([(f.name, f.getvalue()) for f in uploads], folder, settings)
        files = staging.preview_files(staged, cached.reader_connection(), available_mappings(), settings,
                                      progress=lambda share, text: bar.progress(share, text=text))
    except (ImportRefused, MappingError) as err:
        staging.discard(folder)
        st.error(f"无法读取上传的文件：{err}")
        return None
    finally:
        bar.empty()
    paths = [i.prepared.path for i in files if i.will_import]
    st.session_state[PREVIEW_KEY] = {"key": key, "folder": folder, "paths": paths, "files": files}
    return st.session_state[PREVIEW_KEY]


def file_summary(item: staging.FilePreview) -> None:
    prepared = item.prepared
    title = f"**{item.name}**"
    if prepared.dataset:
        title += f" · {prepared.label} · 表头映射：{prepared.mapping_name}"
    st.markdown(title)
    if item.already_imported:
        st.info("与已导入的文件内容相同，将跳过（不会改变任何数据）。")
    elif item.same_as:
        st.info(f"与本次上传的“{item.same_as}”内容相同，将跳过。")
    if prepared.refused and not item.needs_mapping:  # the mapping form says why, in one message
        st.error(f"不能导入：{prepared.refused}")
    for note in prepared.notes:  # merged cells filled (the header names come from the file)
        st.info(fmt.md(note))
    if prepared.count_rows_not_rechecked and not prepared.refused:  # a checklist partly filled: not an error
        st.info(not_rechecked_note(prepared.count_rows_not_rechecked) + "；复查后填好再导入即可。")
    if prepared.dataset:
        row = st.columns(4)
        row[0].metric("读取行数", fmt.num(prepared.count_rows_read))
        row[1].metric("可导入", fmt.num(item.count_good))
        row[2].metric("有误未导入", fmt.num(prepared.count_rows_rejected))
        if "lng" in DATASETS[prepared.dataset]:  # only datasets with coordinates can lack a location
            row[3].metric("无位置（照常导入）", fmt.num(prepared.count_rows_without_location))
        for line in staging.change_lines(item):
            st.markdown(f"- {line}")
        with st.expander("表头对应"):
            st.dataframe(item.mapped, hide_index=True, width="stretch")
            if item.missing_fields:
                st.caption("文件中没有的字段（导入时留空）：" + "、".join(item.missing_fields))


def mapping_form(item: staging.FilePreview) -> None:
    """Map an unrecognised file's headers to the cockpit's fields and save them for its platform."""
    tag = item.prepared.file_hash[:12]
    if item.needs_date_order:
        refused = f"不能导入：{item.prepared.refused}。" if item.prepared.refused else ""
        st.warning(f"{refused}这个文件的日期把月、日写在年前面，驾驶舱不猜月和日哪个在前："
                   "请为该平台建立表头映射并选择日期写法；保存后，同一平台以后导出的文件会自动识别。")
    else:
        st.warning("驾驶舱不认识这个文件的表头，还不能导入。请选择它是哪一类数据，并为每个字段选择文件中对应的表头"
                   "（已按表头名称和各列内容预先选好，请逐个核对）；保存后，同一平台以后导出的文件会自动识别。")
    guessed = item.prepared.dataset or staging.suggested_dataset(item.headers)
    dataset = st.selectbox("这是哪一类数据", list(DATASETS), format_func=DATASET_LABELS.get,
                           index=list(DATASETS).index(guessed), key=f"map_dataset_{tag}")
    suggested = staging.suggested_columns(item.headers, dataset, item.values)
    if item.sample is not None and not item.sample.empty:
        st.caption("文件的前几行（帮助判断每一列是什么）：")
        st.dataframe(item.sample, hide_index=True, width="stretch")
    options = [NO_HEADER, *item.headers]
    # Plain widgets, not a form: the word choices below follow the column picked for each field.
    with st.container(border=True):
        name = st.text_input("平台名称", placeholder="例如：区数字城管平台", key=f"map_name_{tag}")
        system = COORDINATE_SYSTEMS[0]
        if "lng" in DATASETS[dataset]:
            system = st.selectbox("经纬度坐标系", COORDINATE_SYSTEMS, format_func=COORDINATE_LABELS.get,
                                  key=f"map_system_{tag}")
        order = date_order_choice(item, tag)
        chosen = {}
        columns = st.columns(3)
        for i, (field_name, spec) in enumerate(DATASETS[dataset].items()):
            label = f"{spec.label}（必填）" if spec.required else spec.label
            default = options.index(suggested[field_name]) if field_name in suggested else 0
            chosen[field_name] = columns[i % 3].selectbox(label, options, index=default,
                                                          key=f"map_{tag}_{dataset}_{field_name}")
        headers = {f: h for f, h in chosen.items() if h != NO_HEADER}
        words = word_choices(item, dataset, headers, tag)
        submitted = st.button("保存映射并重新检查", type="primary", key=f"map_save_{tag}")
    if submitted:
        draft = MappingDraft(name=name, dataset=dataset, coordinate_system=system, columns=headers, values=words,
                             date_order=order)
        try:
            path = save_mapping(draft)
        except MappingError as err:
            st.error(f"映射没有保存。{err}")
            return
        st.session_state[OUTCOME_KEY] = ("success", [f"已保存“{draft.name.strip()}”的表头映射（{path.name}），"
                                                     "下面是按新映射重新检查的结果。"])
        st.rerun()


def date_order_choice(item: staging.FilePreview, tag: str) -> str | None:
    """How the platform writes dates: preselected where the file's values prove it, else left for the
    clerk (01/05/2015 could be either; a wrong guess would move every date)."""
    guess = staging.suggested_date_order(item.values)
    order = st.selectbox("日期写法", DATE_ORDERS, format_func=DATE_ORDER_LABELS.get, key=f"map_order_{tag}",
                         index=DATE_ORDERS.index(guess) if guess else None, placeholder="请选择月、日哪个在前")
    if guess is None:
        st.caption("文件中的日期月、日写在年前面，且看不出哪个在前（如 01/05/2015）：请按平台的说明选择。")
    return order


def teach_form(item: staging.FilePreview) -> None:
    """A file a mapping recognised, carrying words the mapping lacks (or, under a saved mapping, dates
    not year-first without date_order): map them here. A saved mapping gets them in its own file; a
    file the built-in headers recognised gets a mapping of its own platform (the built-in one is the
    same for every office and is not edited), chosen for that platform's files from then on."""
    mapping = item.prepared.mapping
    found = staging.new_words(item)
    order_needed = item.saved_mapping is not None and staging.order_needed(item.prepared)
    if mapping is None or not (found or order_needed):
        return
    tag = item.prepared.file_hash[:12]
    name = ""
    with st.container(border=True):
        if mapping.is_builtin:
            st.markdown("**为该平台保存映射**：这个文件按内置表头识别，但有驾驶舱不认识的用语。填写平台名称、选好对应后保存，"
                        "驾驶舱为该平台保存一份映射（表头照这个文件的），这些行重新检查，以后同一平台的文件也会照此识别。")
            name = st.text_input("平台名称", placeholder="例如：城西区城管平台", key=f"teach_name_{tag}")
        else:
            st.markdown(f"**补充映射“{mapping.name}”**（{mapping.path.name}）：在这里选好后保存，这些行重新检查，"
                        "以后同一平台的文件也会照此识别。")
        order = None
        if order_needed:
            order = st.selectbox("日期写法", DATE_ORDERS[1:], format_func=DATE_ORDER_LABELS.get, index=None,
                                 placeholder="请选择月、日哪个在前", key=f"teach_order_{tag}")
        words: dict[str, dict[str, list[str]]] = {}
        for new in found:
            ours = staging.VOCABULARY_LABELS[new.vocabulary]
            label = DATASETS[item.prepared.dataset][new.field_name].label
            st.markdown(f"“{new.header}”列有映射不认识的{label}，请选择各自对应的{label}（不选的行仍不导入）：")
            columns = st.columns(3)
            for i, word in enumerate(new.words[:MAX_WORDS]):
                pick = columns[i % 3].selectbox(f"“{word}”", [None, *ours], format_func=lambda w: ours.get(w, "（不对应）"),
                                                key=f"teach_{tag}_{new.field_name}_{i}")
                if pick:
                    words.setdefault(new.vocabulary, {}).setdefault(pick, []).append(word)
        if not st.button("保存到映射并重新检查", type="primary", key=f"teach_save_{tag}"):
            return
    if not words and order is None:
        st.error("没有选择任何对应，映射没有修改。")
        return
    try:
        if mapping.is_builtin:
            path = save_mapping(staging.platform_draft(item, name, words))
            saved = f"已保存“{name.strip()}”的映射（{path.name}）"
        else:
            path = add_to_mapping(mapping, words, order)
            saved = f"已把选择保存到“{mapping.name}”的映射（{mapping.path.name}）"
    except (MappingError, OSError) as err:
        st.error(f"映射没有保存。{err}")
        return
    st.session_state[OUTCOME_KEY] = ("success", [f"{saved}，下面是按新映射重新检查的结果。"])
    st.rerun()


MAX_WORDS = 20  # more distinct values than this: the column chosen is not a status column


def word_choices(item: staging.FilePreview, dataset: str, headers: dict, tag: str) -> dict:
    """For each status-like field, the file's words the cockpit does not know, each mapped by the clerk."""
    values: dict[str, dict[str, list[str]]] = {}
    for field_name, header in headers.items():
        unknown = staging.unknown_words(item, dataset, field_name, header)
        if not unknown:
            continue
        label = DATASETS[dataset][field_name].label
        if len(unknown) > MAX_WORDS:
            st.warning(f"“{header}”列有 {len(unknown)} 种驾驶舱不认识的取值，不像是{label}；请检查为{label}选择的表头。")
            continue
        vocabulary = DATASETS[dataset][field_name].kind.split(":", 1)[1]
        ours = staging.VOCABULARY_LABELS[vocabulary]
        st.markdown(f"**“{header}”列的用语**：驾驶舱不认识下面这些{label}，请选择各自对应的{label}"
                    f"（不选的行会作为有误行，不导入）。")
        columns = st.columns(3)
        for i, word in enumerate(unknown):
            pick = columns[i % 3].selectbox(f"“{word}”", [None, *ours], format_func=lambda w: ours.get(w, "（不对应）"),
                                            key=f"map_{tag}_{dataset}_{field_name}_word_{i}")
            if pick:
                values.setdefault(vocabulary, {}).setdefault(pick, []).append(word)
    return values


def finish(folder, kind: str, lines: list[str]) -> None:
    """Leave the preview: staged files removed, uploader emptied, the outcome shown by the next run."""
    staging.discard(folder)
    st.session_state.pop(PREVIEW_KEY, None)
    st.session_state[UPLOAD_ROUND] = st.session_state.get(UPLOAD_ROUND, 0) + 1
    st.session_state[OUTCOME_KEY] = (kind, lines)
    st.rerun()


def confirm(preview: dict) -> None:
    bar = st.progress(0.0, text="正在导入…")
    try:
        result = staging.import_staged(preview["paths"], directory, settings, staff_name,
                                       progress=lambda share, text: bar.progress(share, text=text))
    except versions.ImportBusy:
        bar.empty()
        st.error("另一个导入正在进行（可能是同事在另一台电脑上，或命令行导入），这次没有写入任何数据。请等它完成后再点“确认导入”。")
        return
    except (ImportRefused, MappingError) as err:
        bar.empty()
        st.error(f"没有导入：{err}")
        return
    except Exception:  # a fault of ours: the store is as it was (versions.new_version), the log has the details
        bar.empty()
        LOG.exception("import from the page failed")
        st.error("导入时出现程序错误，没有写入任何数据。请把文件和时间告诉管理员（服务器日志中有详细信息）。")
        return
    bar.progress(1.0, text="导入完成")
    lines = [o.message for o in result.outcomes]
    if result.published is None:
        finish(preview["folder"], "warning", [*lines, "数据没有变化。"])
    else:
        finish(preview["folder"], "success" if result.ok else "warning",
               [*lines, "所有页面已按新数据显示。如有错误，可在“导入记录”中撤销这次导入。"])


def preview_section() -> None:
    uploads = st.file_uploader("选择或拖入任务平台导出的文件（可多选）", type=list(staging.UPLOAD_TYPES),
                               accept_multiple_files=True, key=f"uploads_{st.session_state.get(UPLOAD_ROUND, 0)}",
                               # the box states (and enforces) the cockpit's own limit, not Streamlit's 200 MB
                               max_upload_size=max(1, math.ceil(settings.max_file_mb)),
                               help="问题台账、检查记录、测评点位清单、责任单位清单、网申材料任务、问卷调查结果；"
                                    ".xlsx、.xls 或 .csv（UTF-8 或 GBK）")
    if not uploads:
        st.caption("选择文件后先显示检查结果，确认后才写入数据；取消则什么也不写入。")
        return
    preview = current_preview(uploads)
    if preview is None:
        return
    files = preview["files"]
    st.subheader("导入前检查")
    for item in files:
        with st.container(border=True):
            file_summary(item)
            if item.needs_mapping:
                mapping_form(item)
            else:
                teach_form(item)
    issues = staging.issues_frame(files)
    if not issues.empty:
        st.markdown(f"**有问题的行（{len(issues):,} 处）**：整行未导入的行请在原表中改正后重新导出、导入。")
        st.dataframe(issues, hide_index=True, width="stretch", height=min(35 * (len(issues) + 1) + 3, 400))
        notes = [("文件", "、".join(i.name for i in files)), ("检查时间", f"{datetime.now():%Y-%m-%d %H:%M}"),
                 ("说明", "行号即 Excel 中的行号；“整行未导入”的行需改正后重新导出")]
        st.download_button("下载问题行（Excel）", lambda: staging.issues_xlsx(issues, notes),
                           file_name=f"问题行-{datetime.now():%Y-%m-%d}.xlsx", on_click="ignore",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    ready = [i for i in files if i.will_import]
    buttons = st.container(horizontal=True)
    go = buttons.button(f"确认导入（{len(ready)} 个文件）", type="primary", disabled=not ready, key="import_confirm")
    stop = buttons.button("取消", key="import_cancel")
    if not ready:
        st.caption("没有可以导入的文件。")
    if stop:
        finish(preview["folder"], "info", ["已取消，没有写入任何数据。"])
    if go:
        confirm(preview)


def undo_section(log: pd.DataFrame) -> None:
    last = log[log["is_last_batch"]].sort_values("import_id")
    blocker = staging.undo_blocker(directory)
    if last.empty:
        return
    first = last.iloc[0]
    who = first["imported_by"] or "未记录"
    described = (f"第 {int(first['batch_id'])} 批，{first['imported_at']:%Y-%m-%d %H:%M} 由 {who} 导入："
                 + "、".join(last["file_name"]))
    st.markdown(f"**最近一次导入**：{described}")
    if blocker:
        st.caption(f"不能撤销：{blocker}")
        return
    if not st.session_state.get(UNDO_ASKED):
        if st.button("撤销最近一次导入", key="undo_ask"):
            st.session_state[UNDO_ASKED] = True
            st.rerun()
        return
    st.warning("撤销后，数据回到这次导入之前的状态（上面列出的文件全部撤销），各页面立即按撤销后的数据显示。确定撤销吗？")
    row = st.container(horizontal=True)
    yes = row.button("确定撤销", type="primary", key="undo_yes")
    no = row.button("不撤销", key="undo_no")
    if no or yes:
        st.session_state.pop(UNDO_ASKED, None)
    if no:
        st.rerun()
    if yes:
        try:
            undone = staging.undo_last_import(directory, staff_name, settings.keep_versions)
        except versions.ImportBusy:
            st.error("另一个导入正在进行，现在不能撤销。请等它完成后再试。")
            return
        except staging.NothingToUndo as reason:
            st.error(f"没有撤销：{reason}")
            return
        except Exception:  # a fault of ours; CURRENT moves in one os.replace, so it is wholly before or after
            LOG.exception("undo from the page failed")
            st.error("撤销时出现程序错误。请刷新页面查看“导入记录”确认当前数据，并告诉管理员（服务器日志中有详细信息）。")
            return
        files = "、".join(undone.undone.sort_values("import_id")["file_name"])
        st.session_state[OUTCOME_KEY] = ("success", [f"已撤销导入：{files}。数据已回到这次导入之前的状态。"])
        st.rerun()


HISTORY_COLUMNS = {
    "imported_at": st.column_config.DatetimeColumn("导入时间", format=fmt.DATETIME_FORMAT),
    "batch_id": st.column_config.NumberColumn("批次", format="%d"),
    "file_name": "文件",
    "dataset_label": "数据类别",
    "imported_by": "导入人",
    "count_rows_read": st.column_config.NumberColumn("读取行数", format="%d"),
    "count_rows_imported": st.column_config.NumberColumn("导入行数", format="%d"),
    "count_rows_rejected": st.column_config.NumberColumn("有误行数", format="%d"),
    "count_rows_without_location": st.column_config.NumberColumn("无位置行数", format="%d"),
    "export_on": st.column_config.DateColumn("导出日期", format=fmt.DATE_FORMAT),
    "mapping_name": "表头映射",
}


def history_section() -> None:
    log = cached.query("import_history")
    if log.empty:
        st.info("还没有导入过数据。")
    else:
        log = log.assign(dataset_label=log["dataset"].map(DATASET_LABELS).fillna("未识别"))
        undo_section(log)
        st.dataframe(log[list(HISTORY_COLUMNS)], column_config=HISTORY_COLUMNS, hide_index=True, width="stretch",
                     key="import_history")
        st.caption(f"一次“确认导入”（或一次命令行导入）为一批。撤销只能撤销最近一批，可连续撤销；"
                   f"保留最近 {settings.keep_versions} 个数据版本（设置 import.keep_versions）。")
    undos = staging.undo_notes(directory)
    if not undos.empty:
        st.markdown("**撤销记录**")
        st.dataframe(undos, hide_index=True, width="stretch")


show_outcome()
# Keyed and tracked, so a rerun (a button, a message appearing above) keeps the tab the clerk is on.
upload_tab, history_tab = st.tabs(["导入文件", "导入记录"], key="import_tab", on_change="rerun")
with upload_tab:
    preview_section()
with history_tab:
    history_section()
