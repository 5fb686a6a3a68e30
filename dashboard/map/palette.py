"""Colours, marker sizes and line styles of the map and its legend (no side is given a colour of its own)."""

from __future__ import annotations

import math
from typing import Any

from dashboard import schema
from dashboard.values import is_na

# Event colours, one per family of schema.EVENT_FAMILIES, the same on the map, in the legend and in the
# chart: Okabe–Ito vermillion, Tol's indigo and green, and black. Chosen so that under simulated protan,
# deutan and tritan vision (Machado et al. 2009) every two families stay apart (CIELAB ΔE ≥ 15) and every
# family stays apart from every territory fill as drawn (ΔE ≥ 25): the fills are light and purple/brown/
# grey, the markers dark. tests/test_palette.py measures both. No colour carries a side; the type of an
# event is in its tooltip and popup.
FAMILY_COLORS: dict[str, str] = {
    "fighting": "#d55e00",
    "strikes": "#332288",
    "violence against civilians": "#000000",
    "politics": "#117733",
}
EVENT_COLORS: dict[str, str] = {kind: FAMILY_COLORS[family] for kind, family in schema.EVENT_FAMILY.items()}
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
SELECTED_DISTRICT_STYLE = {"color": "#000000", "weight": 4, "opacity": 1.0, "fill": False}
CLUSTER_STROKE = "#333333"  # the ring of a bubble holding several events at one place

COUNTRY_STYLE = {"color": "#9a9a9a", "weight": 1, "fillColor": "#f4f1ea", "fillOpacity": 1.0}
NKAO_STYLE = {"color": "#222222", "weight": 2.5, "fill": False}
CORRIDOR_AREA_STYLE = {"color": "#555555", "weight": 1, "dashArray": "4 4", "fillColor": "#777777", "fillOpacity": 0.15}
CORRIDOR_ROAD_STYLE = {"color": "#333333", "weight": 3, "opacity": 0.9}
DISTRICT_OUTLINE_STYLE = {"color": "#333333", "weight": 1.5, "opacity": 0.8, "fill": False}
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


def district_outline_style(feature: dict[str, Any]) -> dict[str, Any]:
    """Leaflet style of a district drawn for reference over the territory layer (which shows who held what):
    an outline, dashed when its control is unknown."""
    status = feature["properties"]["status"]
    return {**DISTRICT_OUTLINE_STYLE, "dashArray": "5 4" if status == "unknown" else None}


# --- Territory and the layers bound to dates ---------------------------------------------------------------
# Held ground is filled with the control colours above. Contested ground (a change under way, its day not
# known) and ground that changed hands in the last 30 days of the window are SVG patterns: stripes of both
# holders' colours, and a fine black cross-hatch. The map draws them in a pane under the interactive layers
# (dashboard.map.territory_layers); the legend shows the same patterns as CSS gradients.
TERRITORY_FILL_OPACITY = 0.35
CONTESTED_PATTERN = "kd-contested"
RECENT_PATTERN = "kd-recent"
PATTERNS_SVG: dict[str, str] = {
    CONTESTED_PATTERN: (
        f'<pattern id="{CONTESTED_PATTERN}" width="10" height="10" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        f'<rect width="5" height="10" fill="{CONTROL_COLORS["armenian"]}"/>'
        f'<rect x="5" width="5" height="10" fill="{CONTROL_COLORS["azerbaijan"]}"/></pattern>'
    ),
    RECENT_PATTERN: (
        f'<pattern id="{RECENT_PATTERN}" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<path d="M0,0 L6,6 M6,0 L0,6" stroke="#111111" stroke-width="0.8"/></pattern>'
    ),
}
PATTERN_CSS: dict[str, str] = {
    CONTESTED_PATTERN: (
        f"repeating-linear-gradient(45deg, {CONTROL_COLORS['armenian']} 0 4px, {CONTROL_COLORS['azerbaijan']} 4px 8px)"
    ),
    RECENT_PATTERN: (
        "repeating-linear-gradient(45deg, #111 0 1px, transparent 1px 4px), "
        "repeating-linear-gradient(-45deg, #111 0 1px, transparent 1px 4px)"
    ),
}
PATTERN_STYLES: dict[str, dict[str, Any]] = {
    CONTESTED_PATTERN: {"stroke": False, "fillColor": f"url(#{CONTESTED_PATTERN})", "fillOpacity": 0.6},
    RECENT_PATTERN: {"stroke": False, "fillColor": f"url(#{RECENT_PATTERN})", "fillOpacity": 0.7},
}
CONTESTED_OUTLINE_STYLE = {"color": "#444444", "weight": 1, "dashArray": "3 3", "fillOpacity": 0.0}
RECENT_OUTLINE_STYLE = {"color": "#111111", "weight": 2, "dashArray": "5 3", "fillOpacity": 0.0}
FRONT_LINE_STYLE = {"color": "#111111", "weight": 3, "opacity": 0.95}
# The corridor by status: the dash pattern tells the statuses apart without colour, the colour helps.
CORRIDOR_STATUS_STYLES: dict[str, dict[str, Any]] = {
    "armenian-held": {"color": "#40004b", "weight": 4, "dashArray": None},
    "peacekeepers": {"color": "#01665e", "weight": 4, "dashArray": None},
    "blockaded": {"color": "#b2182b", "weight": 4, "dashArray": "10 6"},
    "checkpoint": {"color": "#e08214", "weight": 4, "dashArray": "2 6"},
    "exodus": {"color": "#4d4d4d", "weight": 4, "dashArray": "12 4 2 4"},
    "closed": {"color": "#8c8c8c", "weight": 3, "dashArray": "1 7"},
}
PEACEKEEPING_STYLE = {
    "color": "#01665e",
    "weight": 2,
    "dashArray": "6 4",
    "fillColor": "#01665e",
    "fillOpacity": 0.06,
}


def territory_style(feature: dict[str, Any]) -> dict[str, Any]:
    """Leaflet style of a territory feature by its `kind` and `controlled_by`: held ground filled, contested
    ground and recent changes outlined (their patterns lie underneath), the front line a solid line."""
    properties = feature["properties"]
    if properties["kind"] == "front_line":
        return FRONT_LINE_STYLE
    if properties["kind"] == "changed":
        return RECENT_OUTLINE_STYLE
    if properties["controlled_by"] == "contested":
        return CONTESTED_OUTLINE_STYLE
    color = CONTROL_COLORS.get(properties["controlled_by"], CONTROL_COLORS["unknown"])
    return {"color": color, "weight": 0.5, "fillColor": color, "fillOpacity": TERRITORY_FILL_OPACITY}


def corridor_style(feature: dict[str, Any]) -> dict[str, Any]:
    """Leaflet style of a corridor feature by its `corridor_status`: the road as a line, the strip a light band."""
    status = CORRIDOR_STATUS_STYLES.get(feature["properties"]["corridor_status"], CORRIDOR_STATUS_STYLES["closed"])
    if feature["properties"]["kind"] == "road":
        return {**status, "opacity": 0.95}
    color = status["color"]
    return {"color": color, "weight": 1, "dashArray": "4 4", "fillColor": color, "fillOpacity": 0.12}
