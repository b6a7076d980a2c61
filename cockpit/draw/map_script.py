"""The hotspot map's own JavaScript and CSS: the functions that draw a layer's compact rows in the
browser, the light badges and cluster icons, the layer controls, and the labels' and legend's style."""

from __future__ import annotations

import json

from folium.elements import MacroElement
from folium.template import Template

RED, GREEN, GREY = "#d62728", "#2ca02c", "#7f7f7f"
PURPLE, BLUE, YELLOW = "#9467bd", "#1f77b4", "#f0b400"


# ---------------------------------------------------------------------------------------------
# Static JavaScript. No data is ever pasted into it: the rows of a layer go in as one JSON
# literal whose strings were HTML-escaped in Python, and texts are built by `fill`, which puts
# row fields into a fixed template ("{3}" → row[3]) in one pass, so braces, "$" or "${…}" inside a
# field are inserted as they are and never expanded or run.
FILL_JS = r"function (t, r) { return t.replace(/\{(\d+)\}/g, function (_, i) { return r[+i]; }); }"

# A round badge with the number of open problems, coloured by the worst light among them; s is its
# size and f its font size in px.
LIGHT_ICON_JS = (
    "function (n, red, yellow, s, f) {"
    " var bg = red > 0 ? '" + RED + "' : yellow > 0 ? '" + YELLOW + "' : '" + GREEN + "';"
    " var fg = red > 0 || !(yellow > 0) ? '#fff' : '#222';"
    " return L.divIcon({className: 'cockpit-light', iconSize: [s, s], html:"
    " '<div style=\"width:' + s + 'px;height:' + s + 'px;border-radius:50%;text-align:center;"
    "font:bold ' + f + 'px/' + s + 'px sans-serif;background:' + bg + ';color:' + fg +"
    " ';box-shadow:0 0 0 4px ' + bg + '66\">' + n + '</div>'}); }"
)


# Badge sizes and fonts (px): a cell, a cluster. On the wall every number is at least 20 px.
BADGES = {False: {"cell": (26, 12), "cluster": (36, 14)}, True: {"cell": (40, 20), "cluster": (52, 24)}}


def _cluster_icon_js(size: int, font: int) -> str:
    """Leaflet.markercluster's iconCreateFunction: a cluster shows the sum of its cells' open
    problems (not the number of cells) and the colour of the worst light among them."""
    return (
        "function (cluster) { var n = 0, red = 0, yellow = 0;"
        " cluster.getAllChildMarkers().forEach(function (m) {"
        " n += m.options.count; red += m.options.red; yellow += m.options.yellow; });"
        f" return ({LIGHT_ICON_JS})(n, red, yellow, {int(size)}, {int(font)}); }}"
    )


CLUSTER_ICON_JS = _cluster_icon_js(*BADGES[False]["cluster"])

_CELLS_JS = (
    "function (group, o, rows) { var fill = " + FILL_JS + ", icon = " + LIGHT_ICON_JS + ";"
    " group.addLayers(rows.map(function (r) { var text = fill(o.text, r);"
    " return L.marker([r[0], r[1]], {count: r[2], red: r[3], yellow: r[4],"
    " icon: icon(r[2], r[3], r[4], o.size, o.font)})"
    ".bindTooltip(text, {sticky: true}).bindPopup(text, {maxWidth: 320}); })); }"
)

_POINTS_JS = (
    "function (group, o, rows) { var fill = " + FILL_JS + ";"
    " rows.forEach(function (r) {"
    " L.circleMarker([r[0], r[1]], {pane: o.pane, radius: 6, color: '#333333', weight: 1,"
    " fillColor: o.colours[r[2]] || o.grey, fillOpacity: 0.9})"
    ".bindTooltip(fill(o.tip, r), {sticky: true}).bindPopup(fill(o.popup, r), {maxWidth: 320})"
    ".addTo(group); }); }"
)

_REBOUNDS_JS = (
    "function (group, o, rows) { var fill = " + FILL_JS + ";"
    " rows.forEach(function (r) { var text = fill(o.text, r);"
    " L.circleMarker([r[0], r[1]], {pane: o.pane, radius: r[2], color: o.colour, weight: 3,"
    " fillColor: o.colour, fillOpacity: 0.12})"
    ".bindTooltip(text, {sticky: true}).bindPopup(text, {maxWidth: 320}).addTo(group); }); }"
)


class _Rows(MacroElement):
    """Draws a layer's items in the browser from compact rows with a static JS function.

    One folium object per item costs about 1.3 KB of page (circle marker, escaped tooltip and
    popup; measured for 4,000 点位: 5.2 MB), a row here about 140 bytes (0.59 MB), so thousands of items stay small. The rows are JSON with
    `<`/`>` escaped, so no string can close the script element.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            ({{ this.js }})({{ this._parent.get_name() }}, {{ this.options|tojavascript }},
            /* cockpit-rows:{{ this.kind }} */ {{ this.rows_json }});
        {% endmacro %}
        """
    )

    def __init__(self, kind: str, js: str, options: dict, rows: list[list]):
        super().__init__()
        self._name = "Rows"
        self.kind = kind
        self.js = js
        self.options = options
        self.rows = rows
        self.rows_json = (
            json.dumps(rows, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
            .replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
        )


_LABELS_JS = (
    "function (group, o, rows) { rows.forEach(function (r) {"
    " L.marker([r[0], r[1]], {pane: o.pane, interactive: false, keyboard: false,"
    " icon: L.divIcon({className: 'cockpit-area-label ' + (r[3] ? 'cockpit-district' : 'cockpit-street'),"
    " iconSize: null, html: '<span>' + r[2] + '</span>'})}).addTo(group); }); }"
)


# Names of areas written on the map (the wall is read from across the room), the legend and scale.
def _style_css(wall: bool) -> str:
    district, street, legend = (30, 20, 20) if wall else (16, 12, 13)
    halo = "-1px -1px 0 #fff, 1px -1px 0 #fff, -1px 1px 0 #fff, 1px 1px 0 #fff, 0 0 4px #fff"
    return (
        "<style>"
        ".cockpit-area-label span {position: absolute; transform: translate(-50%, -50%); white-space: nowrap;"
        f" color: #1f4e79; text-shadow: {halo}; font-family: sans-serif;}}"
        f".cockpit-district span {{font-size: {district}px; font-weight: bold;}}"
        f".cockpit-street span {{font-size: {street}px; color: #2e5f8a;}}"
        f".cockpit-legend {{width: max-content; background: rgba(255,255,255,0.92); padding: 6px 10px; border-radius: 4px;"
        f" font: {legend}px/1.5 sans-serif; color: #222; box-shadow: 0 1px 4px rgba(0,0,0,0.3);}}"
        ".cockpit-legend b {display: block; margin-top: 4px;}"
        ".cockpit-legend i {display: inline-block; vertical-align: middle; margin-right: 6px;}"
        f".leaflet-control-scale-line {{font-size: {legend}px;}}"
        f".leaflet-control-attribution {{font-size: {legend if wall else 11}px;}}"
        # The folded layer switch says what it is: Leaflet's icon alone is not known to every clerk.
        ".leaflet-control-layers-toggle {width: auto !important; padding: 0 10px 0 40px; background-position: 8px center;"
        " font: 14px/36px sans-serif; color: #222 !important; text-decoration: none;}"
        ".leaflet-control-layers-toggle::after {content: '图层';}"
        "</style>"
    )


# Moves each area name off the badges under it: a badge is drawn where its problems are, and a
# street's problems gather near its middle, where its name is written, so one would hide the other.
# Districts choose first, then streets, each taking the nearest spot straight above or below that
# covers no badge and no name already placed (or, failing that, the one that covers least).
DODGE_JS = r"""function (map) {
    var rects = function (selector) {
        return [].map.call(map.getContainer().querySelectorAll(selector), function (e) {
            return e.getBoundingClientRect(); });
    };
    var overlap = function (a, b) {
        return Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left)) *
               Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
    };
    var place = function () {
        var badges = rects('.cockpit-light'), placed = [];
        var spans = [].slice.call(map.getContainer().querySelectorAll('.cockpit-district span'))
            .concat([].slice.call(map.getContainer().querySelectorAll('.cockpit-street span')));
        spans.forEach(function (span) {
            span.style.transform = '';
            var home = span.getBoundingClientRect(), step = home.height * 0.8, best = null;
            [0, -1, 1, -2, 2, -3, 3].some(function (k) {
                var r = {left: home.left, right: home.right, top: home.top + k * step, bottom: home.bottom + k * step};
                var covered = badges.concat(placed).reduce(function (sum, b) { return sum + overlap(r, b); }, 0);
                if (best === null || covered < best.covered) { best = {k: k, r: r, covered: covered}; }
                return covered === 0;
            });
            span.style.transform = 'translate(-50%, calc(-50% + ' + (best.k * step) + 'px))';
            placed.push(best.r);
        });
    };
    // After markercluster's own animations (0.3 s), so the badges are measured where they end up.
    var timer = null;
    var later = function () { clearTimeout(timer); timer = setTimeout(place, 400); };
    map.on('zoomend moveend layeradd layerremove', later);
    later();
}"""


class _Controls(MacroElement):
    """The scale in metres only (in Chinese), the attribution without Leaflet's prefix (a link and a national
    flag), the legend, the area names moved off the badges, and the view: the city's outlines
    fitted to whatever screen shows the map, and zooming out stopped a little beyond them (past
    that there is nothing to see)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            (function (map, o) {
                if (map.attributionControl) { map.attributionControl.setPrefix(false); }
                ({{ this.dodge }})(map);
                map.getContainer().querySelectorAll('.leaflet-control-layers-toggle').forEach(function (a) {
                    a.title = '图层'; });  // Leaflet's own tooltip says "Layers"
                var scale = L.control.scale({metric: true, imperial: false, maxWidth: o.scalewidth});
                scale._updateMetric = function (maxMeters) {  // Leaflet writes "5 km" and "500 m"
                    var meters = this._getRoundNum(maxMeters);
                    this._updateScale(this._mScale, meters < 1000 ? meters + ' 米' : meters / 1000 + ' 公里', meters / maxMeters);
                };
                scale.addTo(map);
                var aside = 0;
                if (o.legend) {
                    var legend = L.control({position: o.legendposition});
                    legend.onAdd = function () {
                        var div = L.DomUtil.create('div', 'cockpit-legend');
                        div.innerHTML = o.legend;
                        L.DomEvent.disableClickPropagation(div);
                        return div;
                    };
                    legend.addTo(map);
                    aside = legend.getContainer().offsetWidth + 10;
                    var toggle = function (e, on) {
                        legend.getContainer().querySelectorAll('.cockpit-legend-entry').forEach(function (el) {
                            if (el.getAttribute('data-layer') === e.name) { el.style.display = on ? '' : 'none'; }
                        });
                    };
                    map.on('overlayadd', function (e) { toggle(e, true); });
                    map.on('overlayremove', function (e) { toggle(e, false); });
                }
                if (o.bounds) {
                    map.invalidateSize(false);
                    var city = L.latLngBounds(o.bounds), size = map.getSize();
                    // Beside the legend when the screen is wide enough for the city to keep most
                    // of its size there, over it otherwise.
                    var fits = function (right) {
                        return map.getBoundsZoom(city, false, L.point(2 * o.padding + right, 2 * o.padding));
                    };
                    var roomy = size.x > 2 * aside && fits(aside) >= fits(0) - 0.25;
                    var right = roomy ? aside : 0;
                    var whole = fits(right);
                    if (o.focusarea) {
                        map.fitBounds(L.latLngBounds(o.focusarea).extend(o.focus),
                                      {padding: [o.padding, o.padding], animate: false});
                    } else if (o.focus) {
                        map.setView(o.focus, Math.min(o.focuszoom, map.getMaxZoom()), {animate: false});
                    } else {
                        map.fitBounds(city, {paddingTopLeft: [o.padding, o.padding],
                                             paddingBottomRight: [o.padding + right, o.padding], animate: false});
                    }
                    map.setMinZoom(Math.max(whole - 1, 1));
                    var limit = city.pad(0.5);
                    if (o.focus) { limit.extend(o.focus); }  // a place outside the outlines stays in view
                    map.setMaxBounds(limit);
                }
            })({{ this._parent.get_name() }}, {{ this.options|tojavascript }});
        {% endmacro %}
        """
    )

    def __init__(self, options: dict):
        super().__init__()
        self._name = "Controls"
        self.options = options
        self.dodge = DODGE_JS
