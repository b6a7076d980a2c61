"""A plotly figure as HTML that draws itself with the vendored plotly.js basic bundle.

Why not st.plotly_chart: it loads Streamlit's full plotly.js (4.7 MB of script) into the tab, and
parsing and starting it took about a second of each chart page's first draw on a 2-core office PC
(docs/PERFORMANCE.md). The basic bundle (1.1 MB; bar, scatter and pie, all our charts need) is
loaded once per tab, from static/vendor, and the browser caches it.

The figure travels as JSON in a script of type application/json, every '<' in it escaped, so no
label can end the script; plotly.js draws it into the box before that script (st.html runs the
scripts in the page, not in a frame). Pure: figure in, markup out.
"""

from __future__ import annotations

import json

import plotly.io as pio

from cockpit.draw.charts import TEMPLATE_JSON
from cockpit.draw.vendor import PLOTLY_JS

BOX_CLASS = "cockpit-chart"  # bench/browser.py waits for plotly's SVG in every such box
DEFAULT_HEIGHT = 450         # plotly's own, for a figure that sets none
CONFIG = {"displayModeBar": False}
UNLOADED = "图表脚本未能加载，请刷新页面；仍不行请联系管理员检查 static/vendor/plotly。"

# Run by each chart's last script: the box and the figure are the two elements before it. The
# loader is shared by every chart of the tab (a promise on window), so the bundle is fetched once;
# a ResizeObserver redraws the chart when its column changes width (the sidebar opened or closed),
# not when it first reports the width the chart was just drawn at.
_DRAW_JS = """(function (me) {
  var spec = JSON.parse(me.previousElementSibling.textContent);
  var box = me.previousElementSibling.previousElementSibling;
  if (!window.cockpitPlotly) {
    window.cockpitPlotly = new Promise(function (ok, fail) {
      var script = document.createElement('script');
      script.src = %(src)s;
      script.onload = function () { ok(window.Plotly); };
      script.onerror = function () { window.cockpitPlotly = null; fail(); };
      document.head.appendChild(script);
    });
  }
  window.cockpitPlotly.then(function (Plotly) {
    return Plotly.newPlot(box, spec.data, spec.layout, %(config)s).then(function () {
      var drawnWidth = box.offsetWidth;
      new ResizeObserver(function () {
        var width = box.offsetWidth;
        if (!box.isConnected || !width || width === drawnWidth) return;
        drawnWidth = width;
        Plotly.Plots.resize(box).catch(function () {});
      }).observe(box);
    });
  }, function () { box.textContent = %(unloaded)s; });
})(document.currentScript);""" % {"src": json.dumps(PLOTLY_JS), "config": json.dumps(CONFIG),
                                  "unloaded": json.dumps(UNLOADED, ensure_ascii=False)}


def figure_html(fig) -> str:
    """The figure's box, its JSON and the script that draws it, in the cockpit's template
    (charts.TEMPLATE, whatever the figure's own); the box is as tall as the figure."""
    figure = fig.to_plotly_json()
    figure["layout"]["template"] = TEMPLATE_JSON
    spec = pio.to_json(figure, validate=False).replace("<", "\\u003c")  # plotly's encoder: dates, numpy
    height = int(fig.layout.height or DEFAULT_HEIGHT)
    return (f"<div class='{BOX_CLASS}' style='width:100%;height:{height}px'></div>"
            f"<script type='application/json'>{spec}</script><script>{_DRAW_JS}</script>")
