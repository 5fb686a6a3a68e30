"""The legend: one entry per colour, line and area style the map draws, built from a list other layers can add to.

Each entry is a swatch (dot, ring, fill, line or pattern) and a label in the chosen language. The base
entries come from the palette; a layer that draws more styles (the territory layers) passes its own
entries, and `legend_html` renders them all in sections, in order:

>>> extra = LegendEntry("lines", "a new line", "line", line_css(style))                # doctest: +SKIP
>>> legend_html([*legend_entries("en", corridor_status="blockaded"), extra], "en")   # doctest: +SKIP

The fragment is styled inline: the page shows it outside the map frame, where the map's CSS does not apply.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dashboard import i18n, schema
from dashboard.html import Markup, escape
from dashboard.map import palette

SECTIONS: tuple[str, ...] = ("events", "territory", "districts", "lines")
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


def legend_entries(
    lang: str, *, contact_line: bool = True, corridor_status: str | None = None, peacekeeping: bool = False
) -> list[LegendEntry]:
    """Every entry of what the map draws on a date: events, territory, districts, and the lines of that date.

    The flags say which dated layers are on the map (the line of contact 1994–2020, the corridor with its
    status, the peacekeeping zone 2020–2024), so the legend lists only what is drawn.
    """
    return [
        *event_entries(lang),
        *territory_entries(lang),
        *district_entries(lang),
        *line_entries(lang, contact_line=contact_line, corridor_status=corridor_status, peacekeeping=peacekeeping),
    ]


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


def territory_entries(lang: str) -> list[LegendEntry]:
    """Ground by holder on the window's last day, contested ground, ground changed lately, the front line."""
    i18n.check_lang(lang)
    held = [
        LegendEntry.area(
            "territory",
            i18n.control_label(lang, holder),
            {
                "fillColor": palette.CONTROL_COLORS[holder],
                "color": palette.CONTROL_COLORS[holder],
                "fillOpacity": palette.TERRITORY_FILL_OPACITY,
            },
        )
        for holder in ("armenian", "azerbaijan")
    ]
    patterns = [
        LegendEntry("territory", i18n.territory_label(lang, key), "pattern", {"background": palette.PATTERN_CSS[name]})
        for key, name in (("contested", palette.CONTESTED_PATTERN), ("changed", palette.RECENT_PATTERN))
    ]
    front = LegendEntry.line("territory", i18n.territory_label(lang, "front_line"), palette.FRONT_LINE_STYLE)
    return [*held, *patterns, front]


def district_entries(lang: str) -> list[LegendEntry]:
    """District boundaries (what 'partly each' means in the note), unknown control, the selected district."""
    i18n.check_lang(lang)
    outline = palette.district_outline_style(_status("partial"))
    unknown = palette.district_outline_style(_status("unknown"))
    note = f"{i18n.control_label(lang, 'partial')}: {i18n.map_label(lang, 'partial_note')}"
    return [
        LegendEntry.line("districts", i18n.territory_label(lang, "district_outline"), outline, note),
        LegendEntry.line("districts", i18n.control_label(lang, "unknown"), unknown),
        LegendEntry.line("districts", i18n.map_label(lang, "selected_district"), palette.SELECTED_DISTRICT_STYLE),
    ]


def line_entries(
    lang: str, *, contact_line: bool = True, corridor_status: str | None = None, peacekeeping: bool = False
) -> list[LegendEntry]:
    """The former NKAO, and the lines and areas of the date: line of contact, corridor by status, peacekeeping."""
    i18n.check_lang(lang)
    entries = [LegendEntry.line("lines", i18n.map_label(lang, "nkao"), palette.NKAO_STYLE)]
    if contact_line:
        entries.append(
            LegendEntry.line(
                "lines",
                i18n.map_label(lang, "contact_line"),
                palette.CONTACT_LINE_STYLE,
                i18n.map_label(lang, "contact_line_note"),
            )
        )
    if corridor_status in palette.CORRIDOR_STATUS_STYLES:
        road = _corridor_feature(corridor_status, "road")
        label = f"{i18n.territory_label(lang, 'corridor')}: {i18n.territory_label(lang, corridor_status)}"
        entries.append(LegendEntry.line("lines", label, palette.corridor_style(road)))
        entries.append(
            LegendEntry.area(
                "lines",
                i18n.map_label(lang, "corridor_area"),
                palette.corridor_style(_corridor_feature(corridor_status, "area")),
            )
        )
    if peacekeeping:
        entries.append(
            LegendEntry.area("lines", i18n.territory_label(lang, "peacekeeping_zone"), palette.PEACEKEEPING_STYLE)
        )
    return entries


def _corridor_feature(status: str, kind: str) -> dict[str, Any]:
    return {"properties": {"corridor_status": status, "kind": kind}}


def _status(state: str) -> dict[str, Any]:
    return {"properties": {"status": state}}


def legend_html(entries: Iterable[LegendEntry], lang: str = "en") -> Markup:
    """The legend's HTML, open under its title (a <details> the reader may fold): a section per kind of entry,
    each entry a swatch and its label (escaped)."""
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
    return Markup(
        '<details open class="map-legend"><summary style="cursor:pointer;font-weight:600">{}</summary>'
        '<div class="map-legend-body" style="font-size:0.85em;line-height:1.7">{}</div></details>'
    ).format(i18n.map_label(lang, "legend"), Markup("").join(parts))


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
