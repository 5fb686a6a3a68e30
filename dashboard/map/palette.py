"""Colours, marker sizes and line styles of the map and its legend (no side is given a colour of its own)."""

from __future__ import annotations

import math
from typing import Any

from dashboard.values import is_na

# Event colours: Paul Tol's colour-blind-safe "muted" scheme plus Okabe–Ito blue and orange and greys;
# related types share a hue family (fighting wine/rose/purple/pink, strikes indigo/cyan/periwinkle,
# atrocities greys, talks teal/green/olive) so that confusions under colour-vision deficiency stay
# within a family. No colour carries a side.
EVENT_COLORS: dict[str, str] = {
    "battle": "#882255",
    "offensive": "#cc6677",
    "capture": "#aa4499",
    "handover": "#dd99bb",
    "shelling": "#332288",
    "airstrike": "#88ccee",
    "incident": "#7777cc",
    "massacre": "#1a1a1a",
    "pogrom": "#6b6b6b",
    "ceasefire": "#44aa99",
    "diplomacy": "#117733",
    "political": "#999933",
    "protest": "#ddcc77",
    "blockade": "#e69f00",
    "displacement": "#0072b2",
}
UNKNOWN_EVENT_COLOR = "#bbbbbb"

# Control colours: the ends of ColorBrewer's colour-blind-safe PRGn/BrBG schemes, purple and brown,
# which lie on the blue–yellow axis that all common colour-vision deficiencies keep. Neither flag
# uses them (Armenia: red, blue, apricot; Azerbaijan: light blue, red, green). Partial control is a
# mid grey, unknown a pale grey drawn with a dashed outline.
CONTROL_COLORS: dict[str, str] = {
    "armenian": "#762a83",
    "azerbaijan": "#a6611a",
    "partial": "#8c8c8c",
    "unknown": "#e0e0e0",
}

RADIUS_UNKNOWN = 5.0  # px, events without a fatality estimate
RADIUS_MIN = 4.0  # px, events with 0 fatalities
RADIUS_MAX = 18.0
SELECTED_EXTRA_RADIUS = 4.0
SELECTED_STROKE = "#000000"

COUNTRY_STYLE = {"color": "#9a9a9a", "weight": 1, "fillColor": "#f4f1ea", "fillOpacity": 1.0}
NKAO_STYLE = {"color": "#222222", "weight": 2.5, "fill": False}
CORRIDOR_AREA_STYLE = {"color": "#555555", "weight": 1, "dashArray": "4 4", "fillColor": "#777777", "fillOpacity": 0.15}
CORRIDOR_ROAD_STYLE = {"color": "#333333", "weight": 3, "opacity": 0.9}
CONTACT_LINE_STYLE = {"color": "#1a1a1a", "weight": 2.5, "dashArray": "8 6", "opacity": 0.9}


def event_color(event_type: object) -> str:
    """The fill colour of an event type; a pale grey for a type the palette does not know."""
    return EVENT_COLORS.get(str(event_type), UNKNOWN_EVENT_COLOR)


def marker_radius(fatalities_best: object) -> float:
    """Circle radius in px: grows with log10(1 + fatalities), RADIUS_UNKNOWN when there is no estimate."""
    if is_na(fatalities_best):
        return RADIUS_UNKNOWN
    return min(RADIUS_MAX, RADIUS_MIN + 3.0 * math.log10(1.0 + max(0.0, float(fatalities_best))))  # type: ignore[arg-type]


def cell_radius(count: int) -> float:
    """Circle radius in px of a grid cell holding `count` events."""
    return min(2 * RADIUS_MAX, RADIUS_MIN + 4.0 * math.log10(max(1, count)))


def district_style(feature: dict[str, Any]) -> dict[str, Any]:
    """Leaflet style of a district polygon by its `status` property; unknown control is dashed."""
    status = feature["properties"]["status"]
    return {
        "color": "#333333" if status != "unknown" else "#777777",
        "weight": 1.5,
        "dashArray": "5 4" if status == "unknown" else None,
        "fillColor": CONTROL_COLORS[status],
        "fillOpacity": 0.45,
    }
