"""HTML for the details panel (events and districts); every value from data is escaped."""

from __future__ import annotations

from typing import Iterable, Mapping

import pandas as pd

from dashboard.gazetteer import Place
from dashboard.mapbuild import date_text, escape_html as escape, fatalities_text, source_html
from dashboard.territory import ControlPeriod

LANGUAGE_LABELS = {"en": "EN", "az": "AZ", "hy": "HY"}


def place_names_html(place: Place | None, location: str) -> str:
    """The place in English / Azerbaijani / Armenian, or the name as written when unknown."""
    if place is None:
        return escape(location)
    parts = [f"{LANGUAGE_LABELS[lang]}: {escape(place.name(lang))}" for lang in ("en", "az", "hy")]
    return " · ".join(parts)


def event_html(event: Mapping[str, object], place: Place | None) -> str:
    """The full description of one event for the details panel."""
    rows = [
        ("Dates", escape(date_text(event)) + f" <small>(precision: {escape(str(event['date_precision']))})</small>"),
        ("Type", escape(str(event["event_type"]))),
        ("Place", place_names_html(place, str(event["location"]))
         + f" <small>({escape(str(event['geo_precision']))})</small>"),
        ("Sides", " vs ".join(escape(str(s)) for s in (event["side_a"], event["side_b"]) if s) or "—"),
        ("Fatalities", escape(fatalities_text(event["fatalities_low"], event["fatalities_best"],
                                              event["fatalities_high"], "en"))),
        ("Source", source_html(event["source"])),
    ]
    disputed = ('<p class="kd-disputed"><strong>Disputed:</strong> the sides’ accounts differ; see the summary.</p>'
                if event.get("disputed") else "")
    table = "".join(f"<tr><th>{label}</th><td>{value}</td></tr>" for label, value in rows)
    return (f'<div class="kd-details" data-event-id="{escape(event["id"])}">'
            f"<h3>{escape(str(event['title']))}</h3>{disputed}"
            f"<p>{escape(str(event['summary']))}</p><table>{table}</table>"
            f"<p><small>id: {escape(str(event['id']))}</small></p></div>")


def district_html(district: Mapping[str, object], periods: Iterable[ControlPeriod], events: pd.DataFrame,
                  titles: Mapping[str, str]) -> str:
    """A district's names, area, control timeline and the events inside it."""
    names = " · ".join(f"{LANGUAGE_LABELS[lang]}: {escape(str(district.get(f'name_{lang}', '')))}"
                       for lang in ("en", "az", "hy"))
    area = district.get("area_km2")
    share = district.get("occupied_share")
    facts = [f"Area: {float(area):,.0f} km²" if area is not None and not pd.isna(area) else ""]
    if share is not None and not pd.isna(share) and float(share) < 1:
        facts.append(f"Share held by Armenian forces 1993–2020: about {float(share):.0%} (approximate line)")
    timeline = "".join(
        f"<li><strong>{p.start:%d %b %Y}</strong> – {p.end:%d %b %Y}: {escape(p.controlled_by)}"
        f"{' — ' + escape(p.note) if p.note else ''}"
        f"{' <small>(event: ' + escape(titles.get(p.event_id, p.event_id)) + ')</small>' if p.event_id else ''}</li>"
        for p in periods
    )
    listed = "".join(f"<li>{escape(str(r.date_start.date()))}: {escape(str(r.title))}</li>"
                     for r in events.head(50).itertuples())
    more = f"<li>… and {len(events) - 50} more</li>" if len(events) > 50 else ""
    return (f'<div class="kd-details kd-district"><h3>{escape(str(district.get("name_en", "")))}</h3>'
            f"<p>{names}</p><p>{escape(' · '.join(f for f in facts if f))}</p>"
            f"<h4>Control history</h4><ol>{timeline}</ol>"
            f"<h4>Events inside ({len(events)})</h4><ul>{listed}{more}</ul></div>")
