"""Our folium elements and the folium/branca internals they override, written for folium 0.20 and branca 0.8.

Why: branca compiles every script an element renders as a new Jinja template; for the events payload
and the static GeoJSON that was most of a rerun. The classes here paste their output instead
(`RawRender`), with the same text folium renders (tests/test_folium_overrides.py compares them and
fails when folium changes), give GeoJSON bounds instead of walking every coordinate, and render a
map's LayerControl after layers added later. The private names used (`_children`, `_parent`,
`_template.module`, `_get_self_bounds`) are confined to this module; pyproject.toml pins folium to
the version below.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import branca.element
import folium
from folium.template import Template

FOLIUM_VERSION = "0.20"  # the minor version these overrides were written and tested against


def walk(element: branca.element.Element) -> Iterator[branca.element.Element]:
    """The element and all its descendants, depth first in insertion order."""
    yield element
    for child in element._children.values():
        yield from walk(child)


def script_json(value: Any) -> str:
    """JSON to paste into a <script>: UTF-8 kept (Armenian text stays 2 bytes a letter), '<' and '>' escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


class RawText(branca.element.Element):
    """Text that renders as itself (branca's Element would compile it as a Jinja template first)."""

    def __init__(self, text: str):
        super().__init__()
        self._text = text

    def render(self, **kwargs: Any) -> str:
        """The text as given."""
        return self._text


class RawRender(branca.element.MacroElement):
    """MacroElement.render without compiling each rendered macro as a new Jinja template.

    branca wraps the header/html/script a MacroElement renders in Element(text), which compiles the
    text as a template (and would read any "{{" in data as Jinja). The text goes into the page as it is.
    """

    # branca annotates Element.render as returning the text; a MacroElement's render returns nothing.
    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Add the element's header, html and script macros to its Figure, then render its children."""
        figure = self.get_root()
        if not isinstance(figure, branca.element.Figure):
            raise TypeError(f"{type(self).__name__} can only be rendered inside a Figure (add it to a Map)")
        for part, target in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
            macro = self._template.module.__dict__.get(part)
            if macro is not None:
                target.add_child(RawText(macro(self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


class GeoJson(folium.GeoJson, RawRender):
    """folium.GeoJson rendered with RawRender (its GeoJSON pasted, not compiled), bounds given.

    folium would walk every coordinate for the bounds st_folium asks for on each rerun.
    """

    def __init__(self, data: dict[str, Any], *, bounds: list[list[float | None]], **kwargs: Any):
        super().__init__(data, **kwargs)
        self._bounds = bounds

    def _get_self_bounds(self) -> list[list[float | None]]:
        return self._bounds


# folium's GeoJsonDetail.render compiles this for every tooltip and popup it renders; compiled once here.
_DETAIL_STYLE = Template("""
                    <style>
                        .{{ this.class_name }} {
                            {{ this.style }}
                        }
                       .{{ this.class_name }} table{
                            margin: auto;
                        }
                        .{{ this.class_name }} tr{
                            text-align: left;
                        }
                        .{{ this.class_name }} th{
                            padding: 2px; padding-right: 8px;
                        }
                    </style>
            """)


class _RawDetail(RawRender):
    """GeoJsonTooltip/GeoJsonPopup rendered as folium does, without compiling templates on each render.

    folium's render also checks that the fields exist in the features; the layers always give them.
    """

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # as RawRender.render
        """The detail's style into the header, then its script."""
        figure = self.get_root()
        if not isinstance(figure, branca.element.Figure):
            raise TypeError(f"{type(self).__name__} can only be rendered inside a Figure (add it to a Map)")
        figure.header.add_child(RawText(_DETAIL_STYLE.render(this=self)), name=self.get_name() + "tablestyle")
        RawRender.render(self, **kwargs)


class GeoJsonTooltip(_RawDetail, folium.GeoJsonTooltip):
    """folium.GeoJsonTooltip with RawRender's render."""


class GeoJsonPopup(_RawDetail, folium.GeoJsonPopup):
    """folium.GeoJsonPopup with RawRender's render."""


class CircleLayer(RawRender):
    """Leaflet circle markers drawn in one loop from columns of data, added to the parent feature group.

    folium's CircleMarker with Tooltip and Popup costs ~1.4 kB of script and ~1 ms of rendering per
    marker; this costs the data only. Columns (equal-length lists): lat, lng, radius, fill, stroke,
    weight, fillOpacity, keys (put into each marker's option named `key`), tooltip (HTML string) and
    popup (HTML, bound as a DOM element: streamlit-folium reads a popup's text with innerText and a
    tooltip's with innerHTML). All HTML must be escaped already.

    Optional: `open` (one flag per marker: drawn outside any cluster, its popup opened once on the map)
    and `cluster` (a bool: markers that overlap on screen gather in a Leaflet.markercluster bubble showing
    their count, spread out on click; needs the plugin's script, see dashboard.map.assets). While the
    group is on the map its markers are `map._kdEventMarkers` (dashboard.map.controls counts them).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = {{ this.payload }};
            (function (group, d) {
                var markers = [], opened = [], bubbles = null;
                if (d.cluster && L.markerClusterGroup) {
                    bubbles = L.markerClusterGroup({maxClusterRadius: 10, showCoverageOnHover: false,
                        spiderfyOnMaxZoom: true, spiderfyDistanceMultiplier: 1.6,
                        iconCreateFunction: function (c) {
                            return L.divIcon({html: "<span>" + c.getChildCount() + "</span>",
                                className: "kd-bubble", iconSize: [26, 26]});
                        }});
                    bubbles.addTo(group);
                }
                for (var i = 0; i < d.lat.length; i++) {
                    var options = {radius: d.radius[i], color: d.stroke[i], weight: d.weight[i], opacity: 1,
                                   fill: true, fillColor: d.fill[i], fillOpacity: d.fillOpacity[i]};
                    options[d.key] = d.keys[i];
                    var marker = L.circleMarker([d.lat[i], d.lng[i]], options);
                    marker.bindTooltip(d.tooltip[i], {sticky: true});
                    var content = document.createElement("div");
                    content.innerHTML = d.popup[i];
                    marker.bindPopup(content, {maxWidth: d.popupWidth, maxHeight: 220, autoPan: false});
                    var open = d.open && d.open[i];
                    marker.addTo(bubbles && !open ? bubbles : group);
                    markers.push(marker);
                    if (open) { opened.push(marker); }
                }
                var map = null;
                group.on("add", function () {
                    map = group._map;
                    map._kdEventMarkers = markers;
                    opened.forEach(function (m) { m.openPopup(); });
                });
                group.on("remove", function () {
                    if (map && map._kdEventMarkers === markers) { map._kdEventMarkers = []; }
                });
            })({{ this._parent.get_name() }}, {{ this.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, key: str, **columns: Any):
        super().__init__()
        self._name = "CircleLayer"
        self.payload = script_json({"key": key, **columns})


class ControlLastMap(folium.Map):
    """A folium Map that renders its LayerControl after every layer, even layers added after the control.

    folium renders children in the order they were added; a control rendered before a feature group
    refers to a variable not yet assigned and the error stops the rest of the map's script.
    """

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # as RawRender.render
        """Move any LayerControl to the end, then render as folium does."""
        for name, child in list(self._children.items()):
            if isinstance(child, folium.LayerControl):
                self._children.move_to_end(name)
        super().render(**kwargs)


class ControlScript(branca.element.MacroElement):
    """A line of script rendered right after its parent LayerControl (a Jinja template over `this`)."""

    def __init__(self, source: str):
        super().__init__()
        self._name = "ControlScript"
        self._template = Template("{% macro script(this, kwargs) %}" + source + "{% endmacro %}")


class MapStyle(branca.element.MacroElement):
    """CSS for country labels, and a water-coloured background where there are no tiles."""

    _template = Template("""
        {% macro header(this, kwargs) %}
            <style>
                .leaflet-tooltip.country-label { position: absolute; white-space: nowrap; background: transparent;
                    border: none; box-shadow: none;
                    color: #5a5a5a; font: 600 13px sans-serif; text-shadow: 0 0 3px #fff; }
                .leaflet-tooltip.country-label::before { display: none; }
                {% if this.offline %}.leaflet-container { background: #dce8f0; }{% endif %}
            </style>
        {% endmacro %}
    """)

    def __init__(self, offline: bool):
        super().__init__()
        self._name = "MapStyle"
        self.offline = offline
