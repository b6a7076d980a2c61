"""The floor of a Streamlit page in the browser: what any page costs before the cockpit adds anything.

    streamlit run bench/floor_app.py   (?page=text, or ?page=chart: one small plotly chart and a table)

bench/browser.py opens it beside the cockpit's pages, on the same machine and browser, so a page's
time to drawn can be read against what Streamlit and plotly.js alone take there.
"""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

st.title("基准页")
st.write("Streamlit 的一页，只有标题和这行字。")
if st.query_params.get("page") == "chart":
    st.plotly_chart(go.Figure(go.Bar(x=["甲", "乙", "丙"], y=[3, 1, 2])))
    st.dataframe(pd.DataFrame({"单位": ["甲", "乙", "丙"], "在办": [3, 1, 2]}), hide_index=True)
