"""The legend: one entry per colour, line and area style the map draws, built from a list other layers can add to.

Each entry is a swatch (dot, ring, fill, line or pattern) and a label in the chosen language. The base
entries come from the palette; a layer that draws more styles (the territory layers) passes its own
entries, and `legend_html` renders them all in sections, in order:

>>> contested = LegendEntry("territory", "contested", "pattern", {"background": css})     # doctest: +SKIP
>>> legend_html([*event_entries("en"), *district_entries("en"), contested], "en")   # doctest: +SKIP

The fragment is styled inline: the page shows it outside the map frame, where the map's CSS does not apply.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dashboard import i18n, schema
from dashboard.html import Markup, escape
from dashboard.map import palette

SECTIONS: tuple[str, ...] = ("events", "districts", "territory", "lines")
SWATCHES: tuple[str, ...] = ("dot", "ring", "fill", "line", "pattern")


@dataclass(frozen=True)
class LegendEntry:
    """One legend row: its section, its text (already in the page's language) and how its swatch looks.

    `style` holds CSS-ready values by swatch: dot/ring `color`; fill `color` and `border`; line `color`,
    `weight` (px) and `dash` ("solid" | "dashed" | "dotted"); pattern `background` (a CSS background).
    """

    section: str
    label: str
    swatch: str
    style: Mapping[str, Any] = field(default_factory=dict)
    note: str = ""

    def __post_init__(self) -> None:
        if self.section not in SECTIONS:
            raise ValueError(f"section must be one of {', '.join(SECTIONS)}, got {self.section!r}")
        if self.swatch not in SWATCHES:
            raise ValueError(f"swatch must be one of {', '.join(SWATCHES)}, got {self.swatch!r}")

    @classmethod
    def line(cls, section: str, label: str, style: Mapping[str, Any], note: str = "") -> LegendEntry:
        """An entry for a Leaflet path style (color, weight, dashArray): a line swatch drawn the same way."""
        return cls(section, label, "line", line_css(style), note)

    @classmethod
    def area(cls, section: str, label: str, style: Mapping[str, Any], note: str = "") -> LegendEntry:
        """An entry for a Leaflet polygon style (fillColor, color, dashArray): a filled square."""
        fill = style.get("fillColor", style.get("color", "#888888"))
        dashed = "dashed" if style.get("dashArray") else "solid"
        border = f"1px {dashed} {style.get('color', '#555555')}"
        return cls(
            section, label, "fill", {"color": fill, "border": border, "opacity": style.get("fillOpacity", 1)}, note
        )


def line_css(style: Mapping[str, Any]) -> dict[str, Any]:
    """The swatch style of a Leaflet path style: colour, width (at least 1 px) and solid or dashed."""
    dash = style.get("dashArray")
    kind = "solid" if not dash else "dotted" if str(dash).split()[0] in ("1", "2") else "dashed"
    return {
        "color": style.get("color", "#333333"),
        "weight": max(1, round(float(style.get("weight", 2)))),
        "dash": kind,
    }


def base_entries(lang: str) -> list[LegendEntry]:
    """The entries of what the page always draws: events, districts by control, and the static lines."""
    return [*event_entries(lang), *district_entries(lang), *line_entries(lang)]


def event_entries(lang: str) -> list[LegendEntry]:
    """A dot per event family (its types as the note), marker size, the selected event, stacked events."""
    i18n.check_lang(lang)
    families = [
        LegendEntry(
            "events",
            i18n.family_label(lang, family),
            "dot",
            {"color": palette.FAMILY_COLORS[family]},
            ", ".join(i18n.type_label(lang, t) for t in types),
        )
        for family, types in schema.EVENT_FAMILIES.items()
    ]
    return [
        *families,
        LegendEntry("events", i18n.map_label(lang, "marker_size"), "dot", {"color": "#999999", "size": 8}),
        LegendEntry("events", i18n.map_label(lang, "selected_event"), "ring", {"color": palette.SELECTED_STROKE}),
        LegendEntry(
            "events", i18n.map_label(lang, "stacked_events"), "ring", {"color": palette.CLUSTER_STROKE, "label": "3"}
        ),
    ]


def district_entries(lang: str) -> list[LegendEntry]:
    """A fill per control state (what 'partly each' means in its note) and the selected district's outline."""
    i18n.check_lang(lang)
    entries = [
        LegendEntry.area(
            "districts",
            i18n.control_label(lang, state),
            palette.district_style(_status(state)),
            i18n.map_label(lang, "partial_note") if state == "partial" else "",
        )
        for state in (*schema.CONTROL_STATES, "unknown")
    ]
    return [
        *entries,
        LegendEntry.line("districts", i18n.map_label(lang, "selected_district"), palette.SELECTED_DISTRICT_STYLE),
    ]


def line_entries(lang: str) -> list[LegendEntry]:
    """The static lines and areas of the base map: the former NKAO, the line of contact, the corridor."""
    i18n.check_lang(lang)
    words = {
        key: i18n.map_label(lang, key)
        for key in ("nkao", "contact_line", "contact_line_note", "corridor_road", "corridor_area")
    }
    return [
        LegendEntry.line("lines", words["nkao"], palette.NKAO_STYLE),
        LegendEntry.line("lines", words["contact_line"], palette.CONTACT_LINE_STYLE, words["contact_line_note"]),
        LegendEntry.line("lines", words["corridor_road"], palette.CORRIDOR_ROAD_STYLE),
        LegendEntry.area("lines", words["corridor_area"], palette.CORRIDOR_AREA_STYLE),
    ]


def _status(state: str) -> dict[str, Any]:
    return {"properties": {"status": state}}


def legend_html(entries: Iterable[LegendEntry], lang: str = "en") -> Markup:
    """The legend's HTML: a section per kind of entry, each entry a swatch and its label (escaped)."""
    i18n.check_lang(lang)
    by_section: dict[str, list[LegendEntry]] = {}
    for entry in entries:
        by_section.setdefault(entry.section, []).append(entry)
    parts = [
        Markup('<div class="legend-section"><b>{}:</b> {}</div>').format(
            i18n.map_label(lang, f"section_{section}"), Markup("").join(_row_html(e) for e in by_section[section])
        )
        for section in SECTIONS
        if section in by_section
    ]
    return Markup('<div class="map-legend-body" style="font-size:0.85em;line-height:1.7">{}</div>').format(
        Markup("").join(parts)
    )


def _row_html(entry: LegendEntry) -> Markup:
    note = Markup(' <small style="color:#666">({})</small>').format(entry.note) if entry.note else ""
    return Markup('<span class="legend-row" style="display:inline-block;margin-right:14px">{}{}{}</span>').format(
        swatch_html(entry), escape(entry.label), note
    )


def swatch_html(entry: LegendEntry) -> Markup:
    """The entry's swatch as an inline-styled span (its values come from the palette, never from data)."""
    s = entry.style
    common = "display:inline-block;margin-right:5px;vertical-align:middle;box-sizing:border-box;"
    if entry.swatch == "dot":
        size = int(s.get("size", 11))
        css = f"width:{size}px;height:{size}px;border-radius:50%;background:{s['color']};border:1px solid #333;"
    elif entry.swatch == "ring":
        css = (
            f"width:14px;height:14px;border-radius:50%;border:2.5px solid {s['color']};background:#fff;"
            "font:bold 8px/9px sans-serif;text-align:center;color:#222;"
        )
    elif entry.swatch == "fill":
        css = f"width:14px;height:11px;background:{s['color']};border:{s['border']};opacity:{s.get('opacity', 1)};"
    elif entry.swatch == "line":
        css = f"width:24px;height:0;border-top:{s['weight']}px {s['dash']} {s['color']};"
    else:
        css = f"width:14px;height:11px;background:{s['background']};border:1px solid #555;"
    return Markup('<span class="legend-swatch legend-{}" style="{}">{}</span>').format(
        entry.swatch, Markup(common + css), s.get("label", "")
    )
