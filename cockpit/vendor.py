"""Where the browser finds the scripts kept in static/vendor: the intranet has no CDN."""

# Streamlit serves ./static/* at /app/static/* when server.enableStaticServing = true.
# Under server.baseUrlPath or a proxy prefix these need that prefix (maps.use_local_assets takes one).
VENDOR_URL = "/app/static/vendor"
# plotly.js's basic bundle (bar, scatter, pie): a quarter of the full plotly.js that st.plotly_chart
# loads into the tab, which was most of a chart page's time to drawn (docs/PERFORMANCE.md).
PLOTLY_JS = f"{VENDOR_URL}/plotly/plotly-basic.min.js"
