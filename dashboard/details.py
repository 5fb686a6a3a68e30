"""The details panel: the selected event or district as HTML (Markup; every value from data escaped)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd

from dashboard import i18n
from dashboard.control import Assertion, Holding
from dashboard.gazetteer import Place
from dashboard.html import Markup, escape, join_html, source_html, source_urls_html
from dashboard.map.popups import held_html
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
    district: Mapping[str, Any],
    periods: Iterable[ControlPeriod],
    events: pd.DataFrame,
    titles: Mapping[str, str],
    held: Mapping[str, object] | None = None,
    when: date | None = None,
    lang: str = "en",
) -> Markup:
    """A district's names, area, the ground each side held on `when` (`held`: its row of
    Territory.district_shares), control timeline and the events inside it."""
    names = join_html(
        " · ", (f"{LANGUAGE_TAGS[lang]}: {text(district.get(f'name_{lang}'))}" for lang in i18n.LANGUAGES)
    )
    area, share = number(district.get("area_km2")), number(district.get("occupied_share"))
    facts: list[str | Markup] = [
        f"Area: {area:,.0f} km²" if area is not None else "",
        f"Share held by Armenian forces 1993–2020: about {share:.0%} (approximate line)"
        if share is not None and share < 1
        else "",
    ]
    if held and when:
        facts.append(Markup("<b>Held on {}</b>: {}").format(when.isoformat(), held_html(held, lang)))
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


# What a control period rests on, by the kind of assertion that began it (dashboard.control).
BASIS = {
    "rule": "area rule for {}",
    "line_of_contact": "its side of the 1994 line of contact",
    "change": "change recorded for this settlement",
}


def settlement_html(place: Place, holdings: Sequence[Holding], events: pd.DataFrame, lang: str, when: date) -> Markup:
    """A settlement's names and control timeline, the period holding on `when` marked.

    Each period: its dates and holder (in `lang`); each change: what it rests on (area rule, line of contact,
    settlement change), the window in which it happened (contested inside it), who claimed it, the linked
    event (title, date and place in `lang`, from `events`: id, title, date_start, place) and its sources.
    """
    i18n.check_lang(lang)
    linked = events[events["id"].isin({h.cause.event_id for h in holdings})]
    by_id = {str(r["id"]): r for r in linked.to_dict("records")}
    items, previous = [], None
    for holding in holdings:
        cause = None if holding.cause is previous else _cause_html(holding.cause, by_id)
        previous = holding.cause
        items.append(
            Markup('<li class="kd-period{}" data-holder="{}"><strong>{} – {}</strong>: {}{}</li>').format(
                " kd-current" if holding.covers(when) else "",
                holding.controlled_by,
                holding.start.isoformat(),
                holding.end.isoformat() if holding.end else "",
                i18n.holder_label(lang, holding.controlled_by),
                Markup("<br><small>{}</small>").format(cause) if cause else "",
            )
        )
    now = next((h for h in holdings if h.covers(when)), None)
    state = (
        Markup("<b>{}</b> since {}").format(i18n.holder_label(lang, now.controlled_by), now.start.isoformat())
        if now
        else escape("not recorded")
    )
    names = join_html(" · ", (f"{LANGUAGE_TAGS[code]}: {place.name(code)}" for code in i18n.LANGUAGES))
    return Markup(
        '<div class="kd-details kd-settlement" data-place="{}"><h3>{}</h3><p>{}</p><p class="kd-now">On {}: {}</p>'
        "<h4>Control history</h4><ol>{}</ol></div>"
    ).format(place.name_en, place.name(lang), names, when.isoformat(), state, Markup("").join(items))


def _cause_html(cause: Assertion, events: Mapping[str, Mapping[str, Any]]) -> Markup:
    """What began a period: basis, window, claim, linked event and sources."""
    window = f"on {cause.latest}" if cause.earliest == cause.latest else f"between {cause.earliest} and {cause.latest}"
    parts: list[str | Markup] = [BASIS.get(cause.kind, cause.kind).format(cause.target), f"changed {window}"]
    if cause.claimed_by:
        parts.append(f"claimed by {cause.claimed_by}")
    event = events.get(cause.event_id)
    if event is not None:
        parts.append(
            Markup('event: <span class="kd-linked-event" data-event-id="{}">{}</span> ({}, {})').format(
                cause.event_id, event["title"], i18n.date_text(event), text(event.get("place"))
            )
        )
    elif cause.event_id:
        parts.append(f"event: {cause.event_id}")
    sources = join_html(" · ", [source_urls_html(cause.source), source_urls_html(cause.source_url)])
    if sources:
        parts.append(Markup("source: {}").format(sources))
    if cause.note:
        parts.append(cause.note)
    return join_html("; ", parts)
