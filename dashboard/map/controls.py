"""Controls that live in the map frame and need no rerun: reset view, events outside the view with "show all",
attributions without Leaflet's prefix, and the note when online tiles fail (the vector basemap then shows).

Each is an element whose script runs in the browser; texts come in already translated and escaped.
The events layer marks its markers (`options.eventId`, or `options.eventCount` for a grid cell) and
registers them on the map as `map._kdEventMarkers`; the counter reads them after every move and every
layer change.
"""

from __future__ import annotations

from collections.abc import Sequence

from folium.template import Template

from dashboard.html import Markup, escape
from dashboard.map.folium_overrides import RawRender, script_json


class MapControls(RawRender):
    """A "Reset view" button (top left) and the count of events outside the view with "Show all" (bottom left).

    `texts`: reset, outside ("{n} of {total} events outside the view"), show_all. The counter hides
    itself when every event is in view.
    """

    _template = Template("""
        {% macro header(this, kwargs) %}
            <style>
                .kd-control { background: #fff; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.35);
                    font: 12px/1.3 sans-serif; padding: 4px 6px; }
                .kd-control button { font: 12px sans-serif; cursor: pointer; border: 1px solid #888;
                    border-radius: 3px; background: #f6f6f6; padding: 2px 6px; margin-left: 4px; }
                .kd-outside[hidden] { display: none; }
                .leaflet-container .leaflet-control-attribution { font-size: 10px; line-height: 1.3; }
            </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            (function (map, t, view) {
                var Reset = L.Control.extend({options: {position: "topleft"}, onAdd: function () {
                    var box = L.DomUtil.create("div", "kd-control kd-reset");
                    var button = L.DomUtil.create("button", "", box);
                    button.type = "button"; button.textContent = t.reset; button.style.marginLeft = "0";
                    L.DomEvent.disableClickPropagation(box);
                    L.DomEvent.on(button, "click", function () { map.setView(view.center, view.zoom); });
                    return box;
                }});
                var Outside = L.Control.extend({options: {position: "bottomleft"}, onAdd: function () {
                    var box = L.DomUtil.create("div", "kd-control kd-outside");
                    this._text = L.DomUtil.create("span", "kd-outside-text", box);
                    var button = L.DomUtil.create("button", "kd-show-all", box);
                    button.type = "button"; button.textContent = t.show_all;
                    L.DomEvent.disableClickPropagation(box);
                    L.DomEvent.on(button, "click", function () {
                        var points = (map._kdEventMarkers || []).map(function (m) { return m.getLatLng(); });
                        if (points.length) { map.fitBounds(L.latLngBounds(points), {padding: [24, 24], maxZoom: 11}); }
                    });
                    box.hidden = true;
                    return box;
                }});
                var reset = new Reset().addTo(map), outside = new Outside().addTo(map), pending = null;
                function count() {
                    pending = null;
                    var bounds = map.getBounds(), total = 0, out = 0;
                    (map._kdEventMarkers || []).forEach(function (m) {
                        var n = m.options.eventCount || 1;
                        total += n;
                        if (!bounds.contains(m.getLatLng())) { out += n; }
                    });
                    var box = outside.getContainer();
                    box.hidden = out === 0;
                    box.dataset.outside = out; box.dataset.total = total;
                    outside._text.textContent = t.outside.replace("{n}", out).replace("{total}", total);
                }
                function later() { if (!pending) { pending = setTimeout(count, 50); } }
                map.on("moveend zoomend layeradd layerremove", later);
                later();
            })({{ this._parent.get_name() }}, {{ this.texts }}, {{ this.view }});
        {% endmacro %}
    """)

    def __init__(self, texts: dict[str, str], center: Sequence[float], zoom: int):
        super().__init__()
        self._name = "MapControls"
        missing = {"reset", "outside", "show_all"} - set(texts)
        if missing:
            raise ValueError(f"texts lack {', '.join(sorted(missing))}")
        # textContent shows text as it is: the texts stay plain (no entities).
        self.texts = script_json(texts)
        self.view = script_json({"center": [float(c) for c in center], "zoom": int(zoom)})


class Attribution(RawRender):
    """The map's attributions, each an escaped HTML fragment, instead of Leaflet's default prefix."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            (function (control) {
                control.setPrefix(false);
                {{ this.texts }}.forEach(function (text) { control.addAttribution(text); });
            })({{ this._parent.get_name() }}.attributionControl);
        {% endmacro %}
    """)

    def __init__(self, texts: Sequence[Markup | str]):
        super().__init__()
        self._name = "Attribution"
        self.texts = script_json([str(escape(text)) for text in texts])


class TileFallback(RawRender):
    """Added to a tile layer: when a tile fails to load, show the vector basemap group and a note once.

    `vector` is the name of the JavaScript variable holding the vector basemap's group (drawn under the
    tiles' pane only when they fail, since its opaque land fill would hide them).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            (function (tiles, map) {
                var shown = false;
                tiles.on("tileerror", function () {
                    if (shown) { return; }
                    shown = true;
                    if (window[{{ this.vector_ref }}]) { map.addLayer(window[{{ this.vector_ref }}]); }
                    var Note = L.Control.extend({options: {position: "topright"}, onAdd: function () {
                        var box = L.DomUtil.create("div", "kd-control kd-tile-note");
                        box.textContent = {{ this.note }};
                        return box;
                    }});
                    new Note().addTo(map);
                });
            })({{ this._parent.get_name() }}, {{ this._parent._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, note: str, vector_ref: str):
        super().__init__()
        self._name = "TileFallback"
        self.note = script_json(note)
        self.vector_ref = script_json(vector_ref)


class GlobalRef(RawRender):
    """Added to a layer: keeps it in `window[name]`, so a script elsewhere in the frame can reach it."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            window[{{ this.ref }}] = {{ this._parent.get_name() }};
        {% endmacro %}
    """)

    def __init__(self, name: str):
        super().__init__()
        self._name = "GlobalRef"
        self.ref = script_json(name)
