"""The layers bound to dates: territory per holder (contested hatched), the front line, ground that changed hands
lately, the line of contact, the Lachin corridor by status and the Russian peacekeeping zone.

Each builder takes the frames the control model gives for one date (dashboard.territory) and returns a
FeatureGroup; none of them reads the model itself, so each is tested on the real geometry of a date.
"""

from __future__ import annotations

from typing import Any

import folium
import geopandas as gpd
import shapely
from folium.template import Template
from folium.utilities import JsCode
from shapely.geometry.base import BaseGeometry

from dashboard import i18n
from dashboard.html import Markup, join_html, source_urls_html
from dashboard.map import palette
from dashboard.map.base import (
    LAYER_CONTACT_LINE,
    LAYER_CORRIDOR,
    LAYER_PEACEKEEPING,
    LAYER_TERRITORY,
    contact_line_layer,
)
from dashboard.map.folium_overrides import GeoJson, RawRender
from dashboard.map.geojson import detail_geojson, fixed_style, inert_geojson, wgs84

# The pane of the patterned fills: above the basemap (tiles 200, countries), under the overlay pane (400)
# whose canvas draws every interactive layer and catches the clicks.
PATTERN_PANE = "kdPatterns"
PATTERN_PANE_Z_INDEX = 390
PATTERNS_ID = "kd-patterns"  # the hidden <svg> holding the pattern definitions, added to the document once
FRONT_COLUMNS = ("controlled_by", "area_km2")
CHANGED_COLUMNS = ("controlled_by", "previously", "area_km2")


class PatternPane(RawRender):
    """The SVG renderer of the patterned fills, in a pane of its own under the interactive layers.

    The map draws on one canvas (prefer_canvas), which cannot fill with an SVG pattern and catches every
    click over the map; the patterns are drawn by an SVG renderer in a pane beneath it that takes no pointer
    events, so clicks reach the canvas layers and the hatch shows through their transparent fill. The
    pattern definitions are added to the document once, the renderer made once per map (kept on the map).
    The variable named like this element holds the renderer; pass it to GeoJson as `renderer`.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = (function (map) {
                if (!map.getPane({{ this.pane|tojson }})) {
                    var pane = map.createPane({{ this.pane|tojson }});
                    pane.style.zIndex = {{ this.z_index }};
                    pane.style.pointerEvents = "none";
                }
                if (!document.getElementById({{ this.defs_id|tojson }})) {
                    var holder = document.createElement("div");
                    holder.innerHTML = {{ this.defs|tojson }};
                    document.body.appendChild(holder.firstChild);
                }
                map._kdPatternRenderer = map._kdPatternRenderer || L.svg({pane: {{ this.pane|tojson }}});
                return map._kdPatternRenderer;
            })({{ this._parent._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "PatternPane"
        self.pane = PATTERN_PANE
        self.z_index = PATTERN_PANE_Z_INDEX
        self.defs_id = PATTERNS_ID
        self.defs = (
            f'<svg id="{PATTERNS_ID}" width="0" height="0" style="position:absolute" aria-hidden="true"><defs>'
            + "".join(palette.PATTERNS_SVG.values())
            + "</defs></svg>"
        )


def territory_layer(
    front: gpd.GeoDataFrame, changed: gpd.GeoDataFrame, front_line: BaseGeometry, lang: str
) -> folium.FeatureGroup:
    """Held ground in its holder's colour, contested ground hatched, ground that changed hands in the last
    30 days of the window cross-hatched and outlined, and the front line.

    For a window ending on `when`: `front` is Territory.front(when) (controlled_by, area_km2), `changed`
    Territory.changed_since(when) (controlled_by, previously, area_km2), `front_line` Territory.front_line(when)
    (lon/lat lines). The canvas features carry `kind` (territory, changed, front_line), `controlled_by` and
    `area_km2`; their text names no date, so one rendering serves every date up to the next change.
    """
    i18n.check_lang(lang)
    front = wgs84(front, "front", FRONT_COLUMNS)
    changed = wgs84(changed, "changed", CHANGED_COLUMNS)
    group = folium.FeatureGroup(name=LAYER_TERRITORY)
    contested = (front["controlled_by"] == "contested").to_numpy()
    patterns = [palette.CONTESTED_PATTERN] * int(contested.sum()) + [palette.RECENT_PATTERN] * len(changed)
    if patterns:
        pane = PatternPane()
        pane.add_to(group)
        shapes = [*front.geometry.to_numpy()[contested], *changed.geometry.to_numpy()]
        patterned = gpd.GeoDataFrame({"pattern": patterns}, geometry=shapes, crs=front.crs)
        _pattern_geojson(patterned, pane).add_to(group)
    rows = [
        *(("territory", r.controlled_by, r.area_km2, "", r.geometry) for r in front.itertuples()),
        *(("changed", r.controlled_by, r.area_km2, r.previously, r.geometry) for r in changed.itertuples()),
        *(("front_line", "", None, "", line) for line in _lines(front_line)),
    ]
    if rows:
        frame = gpd.GeoDataFrame(
            rows, columns=["kind", "controlled_by", "area_km2", "previously", "geometry"], crs=front.crs
        )
        texts = [_territory_text(kind, holder, km2, before, lang) for kind, holder, km2, before, _ in rows]
        extra = {c: list(frame[c]) for c in ("kind", "controlled_by", "area_km2", "previously")}
        detail_geojson(frame, texts, texts, palette.territory_style, extra=extra).add_to(group)
    return group


def _pattern_geojson(frame: gpd.GeoDataFrame, pane: PatternPane) -> GeoJson:
    """The patterned fills, drawn by the pane's SVG renderer, taking no clicks."""
    return inert_geojson(
        frame,
        {"pattern": list(frame["pattern"])},
        lambda feature: palette.PATTERN_STYLES[feature["properties"]["pattern"]],
        renderer=JsCode(pane.get_name()),
    )


def _territory_text(kind: str, holder: str, km2: object, before: str, lang: str) -> Markup:
    """Tooltip and popup of a territory feature: who holds it (or what changed) and its area. No date: the
    same features are drawn for every date up to the next change, and rendered once for all of them."""
    area = "" if km2 is None else f"{float(km2):,.0f} km²"  # type: ignore[arg-type]
    if kind == "front_line":
        return Markup("<b>{}</b>").format(i18n.territory_label(lang, "front_line"))
    if kind == "changed":
        previous = i18n.holder_label(lang, before) if before != "unknown" else i18n.control_label(lang, "unknown")
        lines = [f"{previous} → {i18n.holder_label(lang, holder)}", area]
        return Markup("<b>{}</b><br>{}").format(i18n.territory_label(lang, "changed"), join_html(" · ", lines))
    return Markup("<b>{}</b><br>{}").format(i18n.holder_label(lang, holder), area)


def _lines(geometry: BaseGeometry | None) -> list[BaseGeometry]:
    """The line parts of a geometry as one (multi)line, drawn as one feature; none when it has no lines."""
    if geometry is None or geometry.is_empty:
        return []
    if geometry.geom_type in ("LineString", "MultiLineString"):
        return [geometry]
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in ("LineString", "MultiLineString")]
    return [shapely.line_merge(shapely.union_all(parts))] if parts else []


def dated_contact_line_layer(contact_line: gpd.GeoDataFrame, shown: bool) -> folium.FeatureGroup:
    """The 1994–2020 line of contact while it existed (`shown`), else an empty group of the same name."""
    return contact_line_layer(contact_line) if shown else folium.FeatureGroup(name=LAYER_CONTACT_LINE)


def corridor_layer(corridor: gpd.GeoDataFrame, lang: str) -> folium.FeatureGroup:
    """The Lachin corridor in force on a date (Territory.corridor_at): its strip and road styled by `status`;
    an empty group before it existed. Features keep `kind`, `corridor_status` and `route`."""
    i18n.check_lang(lang)
    group = folium.FeatureGroup(name=LAYER_CORRIDOR)
    frame = wgs84(corridor, "corridor", ("kind", "status", "since", "until", "source"))
    if len(frame):
        frame = frame.sort_values("kind", key=lambda kinds: kinds == "road")  # the road drawn over its strip
        texts = [_corridor_text(row, lang) for row in frame.to_dict("records")]
        # `corridor_status`, not `status`: a feature with `status` is a district to the page and its tests.
        extra = {"kind": list(frame["kind"]), "corridor_status": list(frame["status"]), "route": list(frame["route"])}
        detail_geojson(frame, texts, texts, palette.corridor_style, extra=extra).add_to(group)
    return group


def _corridor_text(row: dict[str, Any], lang: str) -> Markup:
    """The corridor's status in `lang`, its period and its source."""
    status = i18n.territory_label(lang, row["status"]) if row["status"] in palette.CORRIDOR_STATUS_STYLES else ""
    period = f"{row['since']} – {row['until']}"
    return Markup("<b>{}</b>: {}<br>{}<br><small>{}</small>").format(
        i18n.territory_label(lang, "corridor"), status, period, source_urls_html(row.get("source"))
    )


def peacekeeping_layer(zone: gpd.GeoDataFrame, lang: str) -> folium.FeatureGroup:
    """The Russian peacekeeping zone on a date (Territory.peacekeeping_zone): outlined, lightly filled, taking
    no clicks (the ground under it answers them); an empty group outside 2020-11-10 .. June 2024."""
    i18n.check_lang(lang)
    group = folium.FeatureGroup(name=LAYER_PEACEKEEPING)
    frame = wgs84(zone, "peacekeeping zone", ("kind",))
    if len(frame):
        inert_geojson(frame, {"kind": list(frame["kind"])}, fixed_style(palette.PEACEKEEPING_STYLE)).add_to(group)
    return group
