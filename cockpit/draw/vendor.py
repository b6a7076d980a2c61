"""Where the browser finds the scripts kept in static/vendor: the intranet has no CDN."""

# Streamlit serves ./static/* at /app/static/* when server.enableStaticServing = true.
# Under server.baseUrlPath or a proxy prefix these need that prefix (maps.use_local_assets takes one).
VENDOR_URL = "/app/static/vendor"
# plotly.js's basic bundle (bar, scatter, pie), which draws every chart (cockpit/draw/plotly_html.py says why).
PLOTLY_JS = f"{VENDOR_URL}/plotly/plotly-basic.min.js"
