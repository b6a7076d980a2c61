"""cockpit.charts and cockpit.plotly_html: a figure's markup carries it whole and cannot be broken out
of by a label; the charts name their colours (they must not depend on Streamlit's placeholder
template) and tick a unit's rank in whole places; the vendored bundle is the plotly.js that plotly
for Python carries."""

import json
import re
from pathlib import Path

import pandas as pd
import plotly
import plotly.graph_objects as go
import pytest
import streamlit  # noqa: F401  (imported, as in the app: it makes its own template plotly's default)

from cockpit.draw import charts
from cockpit.draw.plotly_html import BOX_CLASS, figure_html
from tests.browser import ROOT

HOSTILE = "</script><script>alert(1)</script>市城管局"


def _parts(markup: str):
    box, spec, script = re.fullmatch(
        r"(<div class='[^']+' style='[^']+'></div>)<script type='application/json'>(.*)</script><script>(.*)</script>",
        markup, re.S).groups()
    return box, json.loads(spec), script


def test_a_label_cannot_end_the_script_and_comes_back_whole():
    fig = go.Figure(go.Bar(x=[HOSTILE], y=[3]), layout={"title": {"text": HOSTILE}, "height": 320})
    markup = figure_html(fig)
    assert markup.count("</script>") == 2 and markup.count("<script") == 2
    box, spec, _ = _parts(markup)
    assert box == f"<div class='{BOX_CLASS}' style='width:100%;height:320px'></div>"
    assert spec["layout"]["title"]["text"] == HOSTILE
    assert spec["data"][0]["x"] == [HOSTILE]


def test_a_figure_without_a_height_gets_plotlys_own():
    box, _, _ = _parts(figure_html(go.Figure()))
    assert "height:450px" in box


def test_the_charts_name_their_colours():
    states = pd.DataFrame({"grouping": ["state"] * 5 + ["light"] * 3,
                           "value": ["pending", "in_progress", "awaiting_check", "returned", "closed",
                                     "red", "yellow", "green"],
                           "count_problems": [4, 5, 2, 1, 8, 3, 3, 6]})
    for fig in (charts.states_bar(states), charts.lights_bar(states)):
        _, spec, _ = _parts(figure_html(fig))
        # Streamlit's template writes #000001.. for colours only st.plotly_chart fills in.
        assert not re.search(r"#0000[0-4]\d", json.dumps(spec)), fig.layout.title.text
        assert spec["layout"]["template"]["layout"]["colorway"][0] == "#636efa"
    assert spec["layout"]["height"] == 260


def test_counts_are_written_with_thousands_separators_as_on_the_cards():
    states = pd.DataFrame({"grouping": ["state"] * 5, "count_problems": [1234, 5, 26668, 0, 1000000],
                           "value": ["pending", "in_progress", "awaiting_check", "returned", "closed"]})
    bars = charts.states_bar(states)
    assert list(bars.data[0].text) == ["1,234", "5", "26,668", "0", "1,000,000"]
    assert bars.layout.yaxis.tickformat == ",~r"  # 25,000 where plotly would write 25k
    # A chart's own axis format stays: percentages, and whole ranks.
    readiness = pd.DataFrame({"group_name": ["农贸市场"], "up_to_standard_rate": [0.5]})
    assert charts.readiness_bar(readiness).layout.xaxis.tickformat == ".0%"
    ranks = pd.DataFrame({"week_as_of": pd.date_range("2026-10-04", periods=2, freq="7D"), "rank": [3, 4],
                          "weeks_back": range(2)})
    assert charts.rank_trend(ranks, "纺织街道").layout.yaxis.tickformat == "d"


def test_a_units_rank_axis_ticks_whole_places_only():
    steady = pd.DataFrame({"week_as_of": pd.date_range("2026-10-04", periods=8, freq="7D"), "rank": [20] * 8,
                           "weeks_back": range(8)})
    assert charts.rank_trend(steady, "纺织街道").layout.yaxis.dtick == 1
    moving = steady.assign(rank=[3, 9, 14, 20, 26, 31, 35, 40])  # 37 places apart: a tick every 8
    assert charts.rank_trend(moving, "纺织街道").layout.yaxis.dtick == 8


def test_the_vendored_bundle_is_the_plotly_js_that_plotly_for_python_carries():
    def version(path: Path) -> str:
        return re.search(r"plotly\.js (?:\(basic - minified\) )?v(\d+\.\d+\.\d+)", path.read_text()[:300]).group(1)

    carried = version(Path(plotly.__file__).parent / "package_data" / "plotly.min.js")
    assert version(ROOT / "static" / "vendor" / "plotly" / "plotly-basic.min.js") == carried


def test_rectification_time_scale_follows_the_usual_weeks():
    # Five usual weeks of 20 closures (90% within 10 days at most), then the week under way with
    # one closure that took 200 days: it runs off the top, with a note, instead of flattening them.
    weeks = pd.DataFrame({"week_on": pd.date_range("2026-05-04", periods=6, freq="7D"),
                          "count_closed": [20, 20, 20, 20, 20, 1],
                          "rectification_days_median": [3.0, 4.0, 3.5, 4.5, 4.0, 200.0],
                          "rectification_days_p90": [8.0, 10.0, 9.0, 7.0, 8.0, 200.0]})
    figure = charts.rectification_time(weeks)
    assert figure.layout.yaxis.range == pytest.approx((0, 11.5))
    assert figure.layout.annotations[0].text == "销号很少的 1 周超出图顶（最高 200 天）"
    assert list(figure.data[1].marker.symbol) == ["circle"] * 5 + ["circle-open"]


def test_rectification_time_keeps_its_own_scale_when_no_week_stands_out():
    weeks = pd.DataFrame({"week_on": pd.date_range("2026-05-04", periods=3, freq="7D"), "count_closed": [20, 2, 20],
                          "rectification_days_median": [3.0, 4.0, 3.5], "rectification_days_p90": [8.0, 9.0, 10.0]})
    figure = charts.rectification_time(weeks)
    assert figure.layout.yaxis.range is None and not figure.layout.annotations
