"""设置 (staff only): the assessment calendar, ranking rules, thresholds and map tiles, edited here and saved
into settings.toml (the other pages follow at once). Every value is checked by cockpit/settings.py's rules."""

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from cockpit import settings_edit
from cockpit.ingest import staging
from cockpit.settings import MILESTONE_KINDS, RANKING_COMPONENTS, SettingsError
from cockpit.settings_edit import save_milestones
from cockpit.store import versions
from cockpit.vocab import scoring
from cockpit.web import access, cached, fmt

EDITOR_KEY = "calendar_editor"
SAVED_KEY = "calendar_saved"  # set by a save, shown (and cleared) by the rerun that follows it
SHOWN_KEY = "calendar_shown"  # the calendar this session's table was drawn from
VALUES_SAVED_KEY = "settings_values_saved"  # what the last save of a form changed, shown after the rerun
WIDGET_PREFIX = "setting:"

settings = cached.settings()
as_of = cached.as_of()

st.header("设置")
staff_name = access.require_staff("修改设置需要工作人员登录。")
if described := st.session_state.pop(VALUES_SAVED_KEY, None):
    st.success("已保存，各页面已按新设置显示：" + "；".join(described))
calendar_tab, ranking_tab, thresholds_tab, map_tab, target_tab = st.tabs(["测评日程", "排名规则", "阈值", "地图底图", "总评目标"])

# ---- the calendar --------------------------------------------------------------------------------

with calendar_tab:
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

    calendar = cached.query("milestone_countdown", **cached.milestone_params(settings, as_of))
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
            "date": st.column_config.DateColumn("日期", format=fmt.DATE_FORMAT),
            "kind": st.column_config.SelectboxColumn("类型", options=MILESTONE_KINDS),
            "note": st.column_config.TextColumn("说明", width="large"),
            "status": st.column_config.TextColumn(
                "状态", disabled=True, help=f"按 {fmt.cn_date(as_of)} 计算；修改的日期保存后才更新"),
        },
    )
    st.caption(f"状态按 {fmt.cn_date(as_of)} 计算：日期在此之前的节点为“已完成”，之后最近的为“下一个”（即倒计时的节点）。")

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

# ---- ranking rules, thresholds, map tiles: one form each, saved key by key ----------------------


def number(container, key: str, value, *, integer: bool, help: str | None = None):
    """A number box with no bounds of its own: the settings rules judge the value, with their message."""
    return container.number_input(settings_edit.label(key), value=int(value) if integer else float(value),
                                  step=1 if integer else 0.01, format=None if integer else "%g",
                                  key=WIDGET_PREFIX + key, help=help)


def save(changes: dict) -> None:
    try:
        changed = settings_edit.save_values(settings.path, changes, who=staff_name)
    except SettingsError as err:
        st.error(f"未保存。{err}")
        return
    if not changed:
        st.info("没有修改，未保存。")
        return
    for key in list(st.session_state):
        if str(key).startswith(WIDGET_PREFIX):
            del st.session_state[key]  # redrawn from the saved file
    st.session_state[VALUES_SAVED_KEY] = changed
    st.rerun()


with ranking_tab.form("ranking_form"):
    st.caption("各项权重之和不必为 100，得分按比例折算到 100；某项权重为 0 即不计该项。单位排名页的“口径说明”随之更新。")
    weight_cols = st.columns(len(RANKING_COMPONENTS))
    weights = {f"ranking.weights.{name}": number(col, f"ranking.weights.{name}", settings.ranking_weights.get(name, 0),
                                                 integer=False)
               for col, name in zip(weight_cols, RANKING_COMPONENTS)}
    rule_cols = st.columns(3)
    rules = {
        "ranking.list_rule": rule_cols[0].radio(
            settings_edit.label("ranking.list_rule"), ["top_n", "threshold"],
            index=["top_n", "threshold"].index(settings.list_rule), key=WIDGET_PREFIX + "ranking.list_rule",
            format_func={"top_n": "前后 N 名", "threshold": "按销号率门槛"}.get),
        "ranking.red_n": number(rule_cols[1], "ranking.red_n", settings.red_n, integer=True),
        "ranking.black_n": number(rule_cols[2], "ranking.black_n", settings.black_n, integer=True),
        "ranking.red_closure_rate": number(rule_cols[1], "ranking.red_closure_rate", settings.red_closure_rate,
                                           integer=False, help="0 到 1 之间，如 0.9 表示 90%"),
        "ranking.black_closure_rate": number(rule_cols[2], "ranking.black_closure_rate", settings.black_closure_rate,
                                             integer=False, help="0 到 1 之间，不高于红榜门槛"),
        "ranking.inspection_days": number(rule_cols[0], "ranking.inspection_days", settings.inspection_days,
                                          integer=True),
        "thresholds.min_sample": number(rule_cols[0], "thresholds.min_sample", settings.min_sample, integer=True),
        "ranking.townships_apart": rule_cols[1].checkbox(
            settings_edit.label("ranking.townships_apart"), value=settings.townships_apart,
            key=WIDGET_PREFIX + "ranking.townships_apart", help="不勾选：街道和乡镇一起排名（一个“街道乡镇”组）"),
    }
    if st.form_submit_button("保存排名规则", type="primary"):
        save({**weights, **rules})

with ranking_tab.form("escalation_form"):
    st.markdown("**黑榜升级规则**")
    st.caption("单位连续列入黑榜的周数（第一次列入为 1）达到某一级时，周通报写上这一级的处理措施；三级周数应逐级增加，"
               "不用的一级周数填 0。")
    ladder_cols = st.columns(3)
    escalation = {}
    for col, step, (weeks, text) in zip(ladder_cols, ("talk", "organisation", "accountability"),
                                        settings.escalation_ladder):
        escalation[f"escalation.{step}_weeks"] = number(col, f"escalation.{step}_weeks", weeks, integer=True)
        escalation[f"escalation.{step}_text"] = col.text_input(settings_edit.label(f"escalation.{step}_text"), text,
                                                               key=WIDGET_PREFIX + f"escalation.{step}_text")
    if st.form_submit_button("保存升级规则", type="primary"):
        save(escalation)

THRESHOLDS = {  # key: (an integer?, help)
    "thresholds.due_soon_days": (True, "截止日期在这么多天以内的在办问题亮黄灯"),
    "thresholds.stale_days": (True, "在办问题这么多天没有任何变化，列入“长期未更新”"),
    "thresholds.inspection_stale_days": (True, "测评点位这么多天没有检查，列入“长期未检查”"),
    "thresholds.pace_days": (True, "倒计时页的销号速度取最近这么多天"),
    "thresholds.pass_score": (False, "导出没有“是否达标”列时，得分达到此分算达标"),
    "thresholds.rebound_days": (True, "下次导入时生效：销号后这么多天内同一地点再发现同类问题算反弹"),
    "thresholds.rebound_radius_m": (False, "下次导入时生效：没有点位时，这么多米以内算同一地点"),
    "thresholds.bad_row_share": (False, "导入时坏行占比超过此值（0 到 1）整个文件不导入"),
}
with thresholds_tab.form("thresholds_form"):
    cols = st.columns(4)
    thresholds = {key: number(cols[i % 4], key, getattr(settings, key.split(".")[1]), integer=integer, help=help)
                  for i, (key, (integer, help)) in enumerate(THRESHOLDS.items())}
    if st.form_submit_button("保存阈值", type="primary"):
        save(thresholds)

with map_tab.form("map_form"):
    st.caption("底图填 none 时只画区县、街道边界和名称（不需要任何网络）；填 local 时由驾驶舱自己提供 settings.toml 中 "
               "map.tiles_package 所指的本地瓦片包（不需要任何网络）；也可填内网瓦片服务（只需内网）或天地图、高德的地址模板"
               "（需要外网），如 http://tiles.intranet/{z}/{x}/{y}.png。高德瓦片的坐标系选 gcj02。")
    map_values = {"map.tiles": st.text_input(settings_edit.label("map.tiles"), settings.map_tiles,
                                             key=WIDGET_PREFIX + "map.tiles").strip()}
    cols = st.columns(4)
    map_values["map.tiles_attribution"] = cols[0].text_input(
        settings_edit.label("map.tiles_attribution"), settings.map_tiles_attribution,
        key=WIDGET_PREFIX + "map.tiles_attribution")
    map_values["map.tiles_subdomains"] = cols[1].text_input(
        settings_edit.label("map.tiles_subdomains"), settings.map_tiles_subdomains,
        key=WIDGET_PREFIX + "map.tiles_subdomains")
    map_values["map.tiles_crs"] = cols[2].selectbox(
        settings_edit.label("map.tiles_crs"), ["wgs84", "gcj02"], index=["wgs84", "gcj02"].index(settings.map_tiles_crs),
        key=WIDGET_PREFIX + "map.tiles_crs")
    map_values["map.zoom"] = number(cols[3], "map.zoom", settings.map_zoom, integer=True)
    map_values["map.center"] = [
        cols[0].number_input("地图中心纬度", value=settings.map_center[0], format="%.5f",
                             key=WIDGET_PREFIX + "map.center.lat"),
        cols[1].number_input("地图中心经度", value=settings.map_center[1], format="%.5f",
                             key=WIDGET_PREFIX + "map.center.lng")]
    if st.form_submit_button("保存地图设置", type="primary"):
        save(map_values)

with target_tab.form("target_form"):
    st.caption("测评倒计时页据此算出今年至少要得多少分：总评目标分按各年权重折算；目标名次按历年测评成绩中最近一年的"
               "“目标名次分数线”（那一年全省第 N 名的得分）估计。目标名次填 0 即不设。")
    cols = st.columns(2)
    targets = {
        "assessment.target_total": number(cols[0], "assessment.target_total", settings.target_total, integer=False),
        "assessment.target_rank": number(cols[1], "assessment.target_rank", settings.target_rank, integer=True,
                                         help="进入全省前几名；0 为不设"),
    }
    if st.form_submit_button("保存总评目标", type="primary"):
        save(targets)

# One year's assessment result, entered here and imported as a 历年测评成绩 file (cockpit/vocab/scoring.py).
with st.expander("录入历年测评成绩（年度得分、全省排名）"):
    with st.form("results_form"):
        cols = st.columns(5)
        year = cols[0].number_input("年度", min_value=1990, max_value=2100, value=cached.as_of().year - 1, step=1)
        score = cols[1].number_input("得分", min_value=0.0, max_value=1000.0, value=None, format="%.2f")
        rank = cols[2].number_input("全省排名", min_value=1, max_value=1000, value=None, step=1)
        cities = cols[3].number_input("参评城市数", min_value=1, max_value=1000, value=None, step=1)
        line = cols[4].number_input(
            "目标名次分数线", min_value=0.0, max_value=1000.0, value=None, format="%.2f",
            help=(f"这一年全省第 {settings.target_rank} 名（设置的目标名次）城市的得分，按省里公布的；可不填"
                  if settings.target_rank else "这一年全省目标名次上城市的得分，按省里公布的；可不填（目标名次在“总评目标”中设置）"))
        if st.form_submit_button("保存这一年的成绩", type="primary"):
            if score is None:
                st.error("请填写得分。")
            elif rank is not None and cities is not None and rank > cities:
                st.error("全省排名不能大于参评城市数。")
            else:
                with tempfile.TemporaryDirectory() as folder:
                    try:
                        staging.import_staged(
                            [scoring.write_result_file(Path(folder), int(year), float(score),
                                                       None if rank is None else int(rank),
                                                       None if cities is None else int(cities),
                                                       None if line is None else float(line))],
                            versions.db_dir(), settings, staff_name)
                    except versions.ImportBusy:
                        st.error("另一个导入正在进行，这次没有写入。请稍后再保存。")
                    else:
                        st.success(f"已保存 {int(year)} 年的测评成绩（作为一次导入记录，可在“数据导入”页撤销）。")
                        st.cache_data.clear()
    st.caption("同一年度再次保存即覆盖。也可以在“数据导入”页导入含 年度、得分、全省排名、参评城市数（可加目标名次分数线）"
               "的表格。")

st.caption(f"设置文件：{settings.path.name}。每次保存只改写修改过的那几行，文件中的注释和其他内容原样保留；"
           "保存前按与启动时相同的规则检查，有误时提示是哪一项、不写入任何内容；"
           "每次保存在同一文件夹的 settings-changes.log 记一行（时间、改了什么、操作人）。")
