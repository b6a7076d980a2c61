"""口径说明: every figure of every page, its definition in plain Chinese, and the settings it depends on
with their current values (the text lives in cockpit/vocab/definitions.py)."""

import streamlit as st

from cockpit.vocab import definitions, ranking
from cockpit.web import cached

settings = cached.settings()

st.header("口径说明")
st.caption("各页面上每个数字是怎么算的，以及它取决于哪些设置（括号内是设置文件中的键，等号后是现在的值）。"
           "所有数字都“截至统计日”：默认今天，网址中的 as_of=YYYY-MM-DD 可换一天。设置可在“设置”页修改（需工作人员登录）。")
search = st.text_input("查找", placeholder="输入指标名称或关键词，如 逾期、达标", key="definitions_search").strip()

for page in definitions.PAGES:
    figures = [f for f in definitions.FIGURES if page == f.page]
    if search:
        figures = [f for f in figures if search in f.label or search in f.definition]
    if not figures:
        continue
    st.subheader(page)
    lines = []
    for figure in figures:
        depends = definitions.settings_text(settings, figure)
        lines.append(f"- **{figure.label}**：{figure.definition}" + (f"  \n  相关设置：{depends}" if depends else ""))
    st.markdown("\n".join(lines))
    if page == "单位排名" and not search:
        with st.expander("排名计分规则（按当前设置）"):
            st.markdown(ranking.rules_text(settings))
