"""口径说明: every figure of every page, its definition in plain Chinese, and the settings it depends on."""

import streamlit as st

st.header("口径说明")
