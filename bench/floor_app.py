"""The floor of a Streamlit page in the browser: what any page costs before the cockpit adds anything.

    streamlit run bench/floor_app.py   (?page=text; ?page=chart: one small chart by st.plotly_chart
                                        and a table; ?page=basic: the same chart drawn as the cockpit
                                        draws them, with the plotly.js basic bundle from static/)

bench/browser.py opens it beside the cockpit's pages, on the same machine and browser, so a page's
time to drawn can be read against what Streamlit and plotly.js alone take there.
"""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cockpit.draw import plotly_html

st.title("基准页")
st.write("Streamlit 的一页，只有标题和这行字。")
page = st.query_params.get("page")
if page in ("chart", "basic"):
    figure = go.Figure(go.Bar(x=["甲", "乙", "丙"], y=[3, 1, 2]))
    if page == "chart":
        st.plotly_chart(figure)
    else:
        st.html(plotly_html.figure_html(figure), unsafe_allow_javascript=True)
    st.dataframe(pd.DataFrame({"单位": ["甲", "乙", "丙"], "在办": [3, 1, 2]}), hide_index=True)
