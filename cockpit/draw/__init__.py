"""Drawing: pure functions from query results to figures (plotly, folium, SVG for the wall), no SQL, no Streamlit."""
