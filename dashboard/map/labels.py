"""Place names on the map: settlements by size as the map zooms in, and the district names, in the chosen language.

Labels are permanent Leaflet tooltips (visible without hovering), drawn in one loop from columns of
data. Each carries the class `kd-min-<zoom>`, the first zoom at which it shows; a small script puts
`kd-z<zoom>` on the map's container at every zoom and the CSS here hides the labels whose first zoom
is higher. So the largest places show first and more appear as you zoom in, without a rerun.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import folium
import geopandas as gpd
from folium.template import Template

from dashboard import i18n, schema
from dashboard.gazetteer import Place
from dashboard.html import escape
from dashboard.map.folium_overrides import RawRender, script_json
from dashboard.map.geojson import wgs84

LAYER_LABELS = "Place names"
SETTLEMENT_KINDS: frozenset[str] = frozenset({"city", "town", "village"})
# (population at least, first zoom): the bigger a place, the earlier its name shows.
ZOOM_STEPS: tuple[tuple[int, int], ...] = ((50_000, 6), (10_000, 8), (2_000, 9), (500, 10), (0, 11))
# A place without a population figure ranks by its kind.
KIND_POPULATION: dict[str, int] = {"city": 50_000, "town": 10_000, "village": 300}
DISTRICT_MIN_ZOOM = 8
MIN_ZOOM, MAX_ZOOM = 5, 13  # the zoom classes the CSS covers; below the first every label hides


@dataclass(frozen=True)
class Label:
    """A name at a point, shown from `min_zoom` on, with a CSS class for its kind."""

    text: str
    lat: float
    lon: float
    min_zoom: int
    kind: str = "settlement"  # settlement | district


def min_zoom(place: Place) -> int:
    """The first zoom at which a settlement's name shows: its population (or kind) against ZOOM_STEPS."""
    people = place.population if place.population is not None else KIND_POPULATION.get(place.kind, 0)
    return next(zoom for floor, zoom in ZOOM_STEPS if people >= floor)


def settlement_labels(
    places: Iterable[Place], lang: str, bounds: dict[str, float] = schema.REGION_BOUNDS
) -> list[Label]:
    """Labels of the settlements inside `bounds`, in `lang`, smallest first (so the largest are drawn on top).

    Two rows at one point (a town and its namesake) give one label.
    """
    i18n.check_lang(lang)
    seen: set[tuple[float, float]] = set()
    labels = []
    for place in places:
        point = (round(place.lat, 3), round(place.lon, 3))
        inside = bounds["south"] <= place.lat <= bounds["north"] and bounds["west"] <= place.lon <= bounds["east"]
        if place.kind in SETTLEMENT_KINDS and inside and point not in seen:
            seen.add(point)
            labels.append(Label(place.name(lang), place.lat, place.lon, min_zoom(place)))
    return sorted(labels, key=lambda label: (-label.min_zoom, label.text))


def district_labels(districts: gpd.GeoDataFrame, lang: str) -> list[Label]:
    """A label per district (and the former NKAO when given) at a point inside it, in `lang`."""
    i18n.check_lang(lang)
    frame = wgs84(districts, "districts", ("name_en", "name_az", "name_hy"))
    points = frame.geometry.representative_point()
    return [
        Label(str(row[f"name_{lang}"] or row["name_en"]), point.y, point.x, DISTRICT_MIN_ZOOM, "district")
        for (_, row), point in zip(frame.iterrows(), points)
    ]


class LabelLayer(RawRender):
    """Permanent, non-interactive tooltips from columns of data, added to the parent group; names escaped here."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            (function (group, d) {
                for (var i = 0; i < d.text.length; i++) {
                    var district = d.kind[i] === "district";
                    L.tooltip({permanent: true, interactive: false, direction: district ? "center" : "right",
                               offset: district ? [0, 0] : [4, 0],
                               className: "kd-label kd-" + d.kind[i] + " kd-min-" + d.minZoom[i]})
                        .setLatLng([d.lat[i], d.lng[i]]).setContent(d.text[i]).addTo(group);
                }
            })({{ this._parent.get_name() }}, {{ this.payload }});
        {% endmacro %}
    """)

    def __init__(self, labels: Sequence[Label]):
        super().__init__()
        self._name = "LabelLayer"
        self.payload = script_json(
            {
                "text": [str(escape(label.text)) for label in labels],
                "lat": [round(label.lat, 5) for label in labels],
                "lng": [round(label.lon, 5) for label in labels],
                "minZoom": [label.min_zoom for label in labels],
                "kind": [label.kind for label in labels],
            }
        )


class ZoomClasses(RawRender):
    """`kd-z<zoom>` on the map's container at every zoom, and the CSS that hides labels not yet due."""

    _template = Template("""
        {% macro header(this, kwargs) %}
            <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            (function (map) {
                function mark() {
                    var box = map.getContainer();
                    var rest = box.className.replace(/\\bkd-z\\d+\\b/g, "").trim();
                    box.className = rest + " kd-z" + Math.round(map.getZoom());
                }
                map.on("zoomend", mark);
                mark();
            })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "ZoomClasses"
        self.css = label_css()


def label_css() -> str:
    """The labels' look and, for each zoom class, the rule hiding labels whose first zoom is higher."""
    hidden = [
        f".kd-z{zoom} .kd-min-{first}"
        for zoom in range(0, MAX_ZOOM + 1)
        for first in sorted({z for _, z in ZOOM_STEPS} | {DISTRICT_MIN_ZOOM})
        if first > zoom
    ]
    return (
        # position and nowrap repeat Leaflet's CSS, which may load after the labels are placed (a centred
        # label is placed by its width)
        ".leaflet-tooltip.kd-label { position: absolute; white-space: nowrap; background: transparent;"
        " border: none; box-shadow: none; padding: 0 2px;"
        " color: #222; font: 12px/1.2 sans-serif; text-shadow: 0 0 2px #fff, 0 0 3px #fff; pointer-events: none; }"
        " .leaflet-tooltip.kd-label::before { border: none; left: -4px; top: 50%; width: 4px; height: 4px;"
        " margin: -2px 0 0 0; border-radius: 50%; background: #333; }"
        " .leaflet-tooltip.kd-district { font: italic 600 12px/1.2 sans-serif; letter-spacing: 0.06em; color: #555;"
        " text-transform: uppercase; }"
        " .leaflet-tooltip.kd-district::before { display: none; }"
        " .leaflet-tooltip.kd-min-6 { font-weight: 700; font-size: 13px; }"
        f" {', '.join(hidden)} {{ display: none; }}"
    )


def labels_layer(places: Iterable[Place], districts: gpd.GeoDataFrame | None, lang: str) -> folium.FeatureGroup:
    """The place-name group: district names (when given) and settlement names by zoom, in `lang`.

    The map needs `ZoomClasses` for the names to follow the zoom.
    """
    group = folium.FeatureGroup(name=LAYER_LABELS)
    named = district_labels(districts, lang) if districts is not None else []
    LabelLayer([*named, *settlement_labels(places, lang)]).add_to(group)
    return group
