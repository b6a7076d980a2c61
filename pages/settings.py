"""设置: the assessment calendar, edited here and saved into settings.toml (the other pages follow at once)."""

import pandas as pd
import streamlit as st

from cockpit import access, ui
from cockpit.settings import MILESTONE_KINDS, SettingsError, save_milestones

EDITOR_KEY = "calendar_editor"
SAVED_KEY = "calendar_saved"  # set by a save, shown (and cleared) by the rerun that follows it
SHOWN_KEY = "calendar_shown"  # the calendar this session's table was drawn from

settings = ui.settings()
as_of = ui.as_of()

st.header("设置")
staff_name = access.require_staff("修改设置需要工作人员登录。")
st.subheader("测评日程")
st.caption("在表中直接修改；在表格下方空白行添加节点，勾选行首后删除。点“保存”后写入设置文件，"
           "各页面（包括上方的倒计时）立即按新日程显示。")
just_saved = st.session_state.pop(SAVED_KEY, False)
# Saved elsewhere since this table was drawn: the table now shows that version, and any edit made
# here meanwhile is gone (a save now would quietly undo the other one or lose these edits).
changed_elsewhere = st.session_state.get(SHOWN_KEY, settings.milestones) != settings.milestones and not just_saved
st.session_state[SHOWN_KEY] = settings.milestones
if just_saved:
    st.success(f"已保存测评日程（{len(settings.milestones)} 个节点），各页面已按新日程显示。")
if changed_elsewhere:
    st.warning("测评日程刚被他人修改并保存，表格已换成最新的内容，你在此之前的修改没有保存。请核对后重新修改、保存。")

calendar = ui.query("milestone_countdown", **ui.milestone_params(settings, as_of))
table = pd.DataFrame({
    "name": calendar["name"].astype(object),
    "date": calendar["on_date"].dt.date.astype(object),
    "kind": calendar["kind"].astype(object),
    "note": calendar["note"].astype(object),
    "status": calendar["is_done"].map({True: "已完成", False: "未到"}).where(~calendar["is_next"], "下一个"),
})
edited = st.data_editor(
    table,
    key=EDITOR_KEY,
    num_rows="dynamic",
    hide_index=True,
    width="stretch",
    placeholder="",
    alt="测评日程",
    column_config={
        "name": st.column_config.TextColumn("节点名称", width="medium"),
        "date": st.column_config.DateColumn("日期", format="YYYY-MM-DD"),
        "kind": st.column_config.SelectboxColumn("类型", options=MILESTONE_KINDS),
        "note": st.column_config.TextColumn("说明", width="large"),
        "status": st.column_config.TextColumn(
            "状态", disabled=True, help=f"按 {ui.cn_date(as_of)} 计算；修改的日期保存后才更新"),
    },
)
st.caption(f"状态按 {ui.cn_date(as_of)} 计算：日期在此之前的节点为“已完成”，之后最近的为“下一个”（即倒计时的节点）。"
           f"设置文件：{settings.path.name}；每次保存记入同一文件夹的 settings-changes.log。")

if st.button("保存", type="primary") and not changed_elsewhere:
    rows = [{"name": r["name"], "date": r["date"], "kind": r["kind"], "note": r["note"]}
            for r in edited.to_dict("records")]
    try:
        save_milestones(settings.path, rows, who=staff_name)
    except SettingsError as err:
        st.error(f"未保存。{err}")
    else:
        st.session_state.pop(EDITOR_KEY, None)
        st.session_state[SAVED_KEY] = True
        st.rerun()
