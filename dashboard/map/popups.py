"""Tooltip, popup and legend HTML of the map, in the chosen language; every value from data escaped (Markup)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dashboard import i18n
from dashboard.control import HOLDERS
from dashboard.html import Markup, escape, join_html, source_html
from dashboard.values import is_na, number

POPUP_SUMMARY_CHARS = 300
_LINES = Markup("<br>\n")  # the newline keeps lines apart in textContent (a popup never shown)


def event_tooltip_html(record: Mapping[str, Any]) -> Markup:
    """An event's title and dates."""
    return Markup("<b>{}</b><br>{}").format(escape(record["title"]), i18n.date_text(record))


def event_popup_html(record: Mapping[str, Any], lang: str) -> Markup:
    """An event's title, dates, place, type, sides, fatalities, summary, source and, last, its id.

    The id comes last so that the popup text streamlit-folium reports for a click ends with "id: <id>".
    """
    summary = "" if is_na(record["summary"]) else str(record["summary"])
    if len(summary) > POPUP_SUMMARY_CHARS:
        summary = summary[:POPUP_SUMMARY_CHARS].rstrip() + "…"
    label = i18n.LABELS[lang]
    sides = join_html(" – ", (record["side_a"], record["side_b"]))
    fatalities = i18n.fatalities_text(
        record["fatalities_low"], record["fatalities_best"], record["fatalities_high"], lang
    )
    disputed = f" ({label['disputed']})" if bool(record["disputed"]) else ""
    parts = [
        Markup("<b>{}</b>").format(escape(record["title"])),
        Markup("{}: {}").format(label["date"], i18n.date_text(record)),
        Markup("{}: {}").format(label["place"], escape(record["place"])),
        Markup("{}: {}").format(label["type"], i18n.type_label(lang, str(record["event_type"]))),
        Markup("{}: {}").format(label["sides"], sides) if sides else "",
        Markup("{}: {}{}").format(label["fatalities"], fatalities, disputed),
        Markup('<span class="event-summary">{}</span>').format(summary) if summary else "",
    ]
    source = source_html(record["source"])
    if source:
        parts.append(Markup("{}: {}").format(label["source"], source))
    parts.append(Markup("<small>id: {}</small>").format(escape(record["id"])))
    return join_html(_LINES, parts)


def cell_tooltip_html(count: int, lang: str) -> Markup:
    """'5 events' for a grid cell."""
    return escape(i18n.events_label(lang, count))


def cell_popup_html(count: int, first_year: str, last_year: str, top: Sequence[tuple[str, int]], lang: str) -> Markup:
    """A grid cell: its event count, years and the most common types with their counts."""
    return cell_popups_html([(count, first_year, last_year, top)], lang)[0]


def cell_popups_html(cells: Sequence[tuple[int, str, str, Sequence[tuple[str, int]]]], lang: str) -> list[Markup]:
    """The popups of many grid cells (count, first year, last year, top types) at once.

    Up to 3,000 cells a slider step: the labels are escaped once and the escaped pieces joined, which is
    what `Markup.format` would produce a cell at a time, ~5x faster. Years and counts are numbers.
    """
    types = {kind for *_, top in cells for kind, _ in top}
    kinds = {kind: str(escape(i18n.type_label(lang, kind))) for kind in types}
    titles = {n: str(escape(i18n.events_label(lang, n))) for n in {cell[0] for cell in cells}}
    out = []
    for count, first, last, top in cells:
        years = escape(first if first == last else f"{first} – {last}")
        listed = "".join(f"<br>{kinds[kind]}: {int(n)}" for kind, n in top)
        out.append(Markup(f"<b>{titles[count]}</b><br>{years}{listed}"))
    return out


def district_popup_html(
    names: Mapping[str, object], area_km2: object, state: str, lang: str, held: Mapping[str, object] | None = None
) -> Markup:
    """A district: its name in `lang`, the three names, area, who controls it and, given `held` (a row of
    Territory.district_shares: <holder>_km2), the km² each holder held at the window's end."""
    km2 = number(area_km2)
    area = "" if km2 is None else Markup("{}: {:,.0f} km²<br>").format(i18n.label(lang, "area"), km2)
    return Markup("<b>{}</b><br>{}<br>{}{}: {}{}").format(
        escape(names[f"name_{lang}"]),
        join_html(" · ", (names["name_en"], names["name_az"], names["name_hy"])),
        area,
        i18n.label(lang, "control"),
        i18n.control_label(lang, state),
        Markup("<br>{}: {}").format(i18n.territory_label(lang, "held"), held_html(held, lang)) if held else "",
    )


def held_html(held: Mapping[str, object], lang: str) -> Markup:
    """'Armenian forces 1,835 km² (100%) · …' for the holders of any ground in a row of
    Territory.district_shares (<holder>_km2, area_km2)."""
    total = number(held.get("area_km2")) or 0.0
    parts = []
    for holder in HOLDERS:
        km2 = number(held.get(f"{holder}_km2")) or 0.0
        if km2 > 0:
            share = f" ({km2 / total:.0%})" if total else ""
            parts.append(f"{i18n.holder_label(lang, holder)} {km2:,.0f} km²{share}")
    return join_html(" · ", parts)


def line_popup_html(title: object, description: object) -> Markup:
    """A static line or area: its title and description."""
    return Markup("<b>{}</b><br>{}").format(escape(title), escape(description))
