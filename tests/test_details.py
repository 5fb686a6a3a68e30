"""The details panel: every fact of an event or district, each value escaped, the schema v2 columns when present."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.details import district_html, event_html, place_names_html
from dashboard.gazetteer import Place
from dashboard.territory import ControlPeriod
from tests.support.leaflet import parse_fragment
from tests.support.mapdata import HOSTILE, event

SHUSHA = Place("Shusha", "Şuşa", "Շուշի", (), "town", 39.76, 46.75, "test")


def text_of(fragment: str) -> str:
    return "".join(parse_fragment(fragment).text)


def test_event_details_show_every_fact() -> None:
    html = str(event_html(event(fatalities_low=1, fatalities_best=2, fatalities_high=9, disputed=True), SHUSHA))
    text = text_of(html)
    assert 'data-event-id="ev-1"' in html
    for fact in (
        "A battle",
        "1992-05-08 – 1992-05-09",
        "precision: day",
        "EN: Shusha · AZ: Şuşa · HY: Շուշի",
        "(exact)",
        "Side A vs Side B",
        "1–9 (best estimate 2)",
        "Disputed:",
        "id: ev-1",
    ):
        assert fact in text, fact
    (anchor,) = parse_fragment(html).anchors
    assert anchor["href"] == "https://example.org/report"


def test_hostile_text_in_any_field_stays_text() -> None:
    row = event(
        title=HOSTILE,
        summary=HOSTILE,
        side_a=HOSTILE,
        location=HOSTILE,
        source=HOSTILE,
        id="x",
        claimed_by=HOSTILE,
        fatalities_of=HOSTILE,
        source_url=HOSTILE,
    )
    html = str(event_html(row, None))
    assert "<script" not in html and parse_fragment(html).anchors == []
    assert text_of(html).count(HOSTILE) >= 6


def test_claim_verification_whose_deaths_and_every_source_url_show_when_present() -> None:
    row = event(
        claimed_by="Azerbaijan MoD",
        verified=False,
        fatalities_of="both",
        source_url="https://a.example/1 | https://b.example/2",
    )
    html = str(event_html(row, SHUSHA))
    text = text_of(html)
    assert "claim by Azerbaijan MoD" in text
    assert "Verifiedno" in text  # <th>Verified</th><td>no</td>
    assert "Fatalities ofboth sides" in text
    assert [a["href"] for a in parse_fragment(html).anchors] == [
        "https://example.org/report",
        "https://a.example/1",
        "https://b.example/2",
    ]


def test_files_without_the_v2_columns_show_no_empty_rows() -> None:
    text = text_of(str(event_html(event(), SHUSHA)))
    assert "claim by" not in text and "Verified" not in text and "Fatalities of" not in text and "Links" not in text


def test_missing_sides_show_a_dash() -> None:
    assert "Sides—" in text_of(str(event_html(event(side_a=pd.NA, side_b=""), None)))


def test_unknown_place_shows_the_name_as_written() -> None:
    assert place_names_html(None, "<b>Nowhere</b>") == "&lt;b&gt;Nowhere&lt;/b&gt;"


def test_district_details_list_names_area_history_and_events() -> None:
    district = {"name_en": "Lachin", "name_az": "Laçın", "name_hy": "Բերձոր", "area_km2": 1835.0, "occupied_share": 1.0}
    periods = [
        ControlPeriod("Lachin", date(1988, 1, 1), date(1992, 5, 18), "azerbaijan", "", ""),
        ControlPeriod("Lachin", date(1992, 5, 18), date(2020, 12, 1), "armenian", "cap", "<b>note</b>"),
    ]
    events = pd.DataFrame({"date_start": pd.to_datetime(["1992-05-18"] * 60), "title": [f"e{i}" for i in range(60)]})
    text = text_of(str(district_html(district, periods, events, {"cap": "Capture of <Lachin>"})))
    for fact in (
        "Lachin",
        "EN: Lachin · AZ: Laçın · HY: Բերձոր",
        "Area: 1,835 km²",
        "18 May 1992",
        "armenian — <b>note</b>",
        "(event: Capture of <Lachin>)",
        "Events inside (60)",
        "… and 10 more",
    ):
        assert fact in text, fact
    assert "Share held" not in text  # held whole


def test_a_partly_held_district_shows_its_share() -> None:
    text = text_of(
        str(
            district_html(
                {"name_en": "Aghdam", "occupied_share": 0.77},
                [],
                pd.DataFrame({"date_start": pd.Series([], dtype="datetime64[ns]"), "title": []}),
                {},
            )
        )
    )
    assert "about 77%" in text and "Events inside (0)" in text
