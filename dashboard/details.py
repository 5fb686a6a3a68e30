"""The details panel: the selected event or district as HTML (Markup; every value from data escaped)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from dashboard import i18n
from dashboard.gazetteer import Place
from dashboard.html import Markup, escape, join_html, source_html, source_urls_html
from dashboard.territory import ControlPeriod
from dashboard.values import is_na, number, text

LANGUAGE_TAGS = {"en": "EN", "az": "AZ", "hy": "HY"}
FATALITIES_OF = {
    "armenian": "the Armenian side",
    "azerbaijani": "the Azerbaijani side",
    "both": "both sides",
    "other": "others",
}
DISTRICT_EVENTS_LISTED = 50


def place_names_html(place: Place | None, location: str) -> Markup:
    """The place in English / Azerbaijani / Armenian, or the name as written when unknown."""
    if place is None:
        return escape(location)
    return join_html(" · ", (f"{LANGUAGE_TAGS[lang]}: {place.name(lang)}" for lang in i18n.LANGUAGES))


def event_html(event: Mapping[str, Any], place: Place | None) -> Markup:
    """The full description of one event: title, claim, disputed note, summary, facts table, id."""
    rows = [
        (
            "Dates",
            Markup("{} <small>(precision: {})</small>").format(i18n.date_text(event), text(event["date_precision"])),
        ),
        ("Type", escape(event["event_type"])),
        (
            "Place",
            Markup("{} <small>({})</small>").format(
                place_names_html(place, text(event["location"])), text(event["geo_precision"])
            ),
        ),
        ("Sides", join_html(" vs ", (event["side_a"], event["side_b"])) or escape("—")),
        (
            "Fatalities",
            escape(
                i18n.fatalities_text(event["fatalities_low"], event["fatalities_best"], event["fatalities_high"], "en")
            ),
        ),
    ]
    rows += _optional_rows(event)
    rows.append(("Source", source_html(event["source"])))
    links = source_urls_html(event.get("source_url"))
    if links:
        rows.append(("Links", links))
    table = Markup("").join(Markup("<tr><th>{}</th><td>{}</td></tr>").format(k, v) for k, v in rows)
    claim = text(event.get("claimed_by")).strip()
    return Markup(
        '<div class="kd-details" data-event-id="{id}"><h3>{title}</h3>{claim}{disputed}<p>{summary}</p>'
        "<table>{table}</table><p><small>id: {id}</small></p></div>"
    ).format(
        id=escape(event["id"]),
        title=escape(event["title"]),
        summary=escape(event["summary"]),
        table=table,
        claim=Markup('<p class="kd-claim"><em>claim by {}</em></p>').format(claim) if claim else "",
        disputed=Markup(
            '<p class="kd-disputed"><strong>Disputed:</strong> the sides’ accounts differ; see the summary.</p>'
        )
        if _flag(event.get("disputed"))
        else "",
    )


def _optional_rows(event: Mapping[str, Any]) -> list[tuple[str, Markup]]:
    """Rows of the columns a file may lack: whose deaths are counted, and whether the event is verified."""
    rows = []
    whose = text(event.get("fatalities_of")).strip()
    if whose:
        rows.append(("Fatalities of", escape(FATALITIES_OF.get(whose, whose))))
    if "verified" in event and not is_na(event["verified"]):
        rows.append(("Verified", escape("yes" if _flag(event["verified"]) else "no")))
    return rows


def _flag(value: object) -> bool:
    """A flag cell as a bool: the loader gives booleans; text spellings of true are accepted too."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "1")
    return not is_na(value) and bool(value)


def district_html(
    district: Mapping[str, Any], periods: Iterable[ControlPeriod], events: pd.DataFrame, titles: Mapping[str, str]
) -> Markup:
    """A district's names, area, control timeline and the events inside it."""
    names = join_html(
        " · ", (f"{LANGUAGE_TAGS[lang]}: {text(district.get(f'name_{lang}'))}" for lang in i18n.LANGUAGES)
    )
    area, share = number(district.get("area_km2")), number(district.get("occupied_share"))
    facts = [
        f"Area: {area:,.0f} km²" if area is not None else "",
        f"Share held by Armenian forces 1993–2020: about {share:.0%} (approximate line)"
        if share is not None and share < 1
        else "",
    ]
    timeline = Markup("").join(_period_html(p, titles) for p in periods)
    listed = Markup("").join(
        Markup("<li>{}: {}</li>").format(str(r.date_start.date()), r.title)
        for r in events.head(DISTRICT_EVENTS_LISTED).itertuples()
    )
    if len(events) > DISTRICT_EVENTS_LISTED:
        listed += Markup("<li>… and {} more</li>").format(len(events) - DISTRICT_EVENTS_LISTED)
    return Markup(
        '<div class="kd-details kd-district"><h3>{}</h3><p>{}</p><p>{}</p>'
        "<h4>Control history</h4><ol>{}</ol><h4>Events inside ({})</h4><ul>{}</ul></div>"
    ).format(text(district.get("name_en")), names, join_html(" · ", facts), timeline, len(events), listed)


def _period_html(period: ControlPeriod, titles: Mapping[str, str]) -> Markup:
    note = Markup(" — {}").format(period.note) if period.note else ""
    event = (
        Markup(" <small>(event: {})</small>").format(titles.get(period.event_id, period.event_id))
        if period.event_id
        else ""
    )
    return Markup("<li><strong>{:%d %b %Y}</strong> – {:%d %b %Y}: {}{}{}</li>").format(
        period.start, period.end, period.controlled_by, note, event
    )
