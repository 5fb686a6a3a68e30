"""A map click in the theatre: the settlement it names, its control timeline with linked events, the district's
held ground; every value from data escaped."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.control import Assertion, Holding
from dashboard.details import district_html, settlement_html
from dashboard.gazetteer import Place
from dashboard.page import clicked_place, linked_event_choices
from dashboard.territory import Territory, load_territory
from tests.support.leaflet import parse_fragment
from tests.support.mapdata import HOSTILE, event, events_frame

VILLAGE = Place("Talish", "Talış", "Թալիշ", (), "village", 40.17, 46.5, "test")


def change(earliest: date, latest: date, holder: str, **fields: str) -> Assertion:
    values = {"event_id": "ev-1", "source": "A source", "source_url": "", "note": "", "claimed_by": "", **fields}
    return Assertion(
        "change",
        "Talish",
        earliest,
        latest,
        holder,
        values["event_id"],
        values["source"],
        values["source_url"],
        values["note"],
        "control_changes.csv",
        7,
        values["claimed_by"],
    )


def timeline() -> list[Holding]:
    start = Assertion("rule", "Martakert", date(1988, 1, 1), date(1988, 1, 1), "armenian", "", "", "", "", "r", 2)
    taken = change(
        date(2016, 4, 2),
        date(2016, 4, 4),
        "azerbaijan",
        claimed_by="azerbaijan",
        source_url="https://example.org/talish",
    )
    return [
        Holding(date(1988, 1, 1), date(2016, 4, 2), "armenian", start),
        Holding(date(2016, 4, 2), date(2016, 4, 4), "contested", taken),
        Holding(date(2016, 4, 4), None, "azerbaijan", taken),
    ]


def linked_events(**fields: object) -> pd.DataFrame:
    values = {"id": "ev-1", "title": "Four-day war", "place": "Talış", **fields}
    return events_frame([event(date_start=pd.Timestamp("2016-04-02"), date_end=pd.Timestamp("2016-04-05"), **values)])


def text_of(fragment: object) -> str:
    return "".join(parse_fragment(str(fragment)).text)


def test_the_timeline_gives_each_period_and_what_each_change_rests_on() -> None:
    html = str(settlement_html(VILLAGE, timeline(), linked_events(), "az", date(2016, 4, 3)))
    text = text_of(html)
    assert "Talış" in text and "EN: Talish · AZ: Talış · HY: Թալիշ" in text
    assert "1988-01-01 – 2016-04-02: Erməni qüvvələri" in text and "2016-04-04 – : Azərbaycan qüvvələri" in text
    assert "area rule for Martakert" in text
    assert "changed between 2016-04-02 and 2016-04-04" in text and "claimed by azerbaijan" in text
    assert "event: Four-day war (2016-04-02 – 2016-04-05, Talış)" in text
    assert text.count("claimed by") == 1  # the contested period and the holding after it share one change
    assert "On 2016-04-03: mübahisəli" in text
    assert html.count("kd-current") == 1 and 'data-holder="contested"' in html.split("kd-current")[1][:40]


def test_the_source_link_of_a_change_opens_in_a_new_tab() -> None:
    fragment = parse_fragment(str(settlement_html(VILLAGE, timeline(), linked_events(), "en", date(2020, 1, 1))))
    (link,) = [a for a in fragment.anchors if a["href"] == "https://example.org/talish"]
    assert link["target"] == "_blank" and link["rel"] == "noopener noreferrer"


def test_an_unknown_event_id_is_shown_as_written() -> None:
    text = text_of(settlement_html(VILLAGE, timeline(), linked_events(id="other"), "en", date(2020, 1, 1)))
    assert "event: ev-1" in text


def test_hostile_text_in_names_events_and_sources_stays_text() -> None:
    place = Place(HOSTILE, HOSTILE, HOSTILE, (), "village", 40.17, 46.5, "test")
    holdings = [
        Holding(
            date(2016, 4, 4),
            None,
            "azerbaijan",
            change(date(2016, 4, 4), date(2016, 4, 4), "azerbaijan", source=HOSTILE, note=HOSTILE),
        )
    ]
    html = str(settlement_html(place, holdings, linked_events(title=HOSTILE, place=HOSTILE), "en", date(2020, 1, 1)))
    assert "<script" not in html and "&lt;script&gt;" in html


def test_a_place_without_records_says_so() -> None:
    assert "On 2020-01-01: not recorded" in text_of(
        settlement_html(VILLAGE, [], linked_events(), "en", date(2020, 1, 1))
    )


def test_district_details_give_the_ground_held_at_the_window_end() -> None:
    held = {"area_km2": 1000.0, "armenian_km2": 770.0, "azerbaijan_km2": 230.0, "contested_km2": 0.0}
    empty = pd.DataFrame({"date_start": pd.Series([], dtype="datetime64[ns]"), "title": []})
    text = text_of(district_html({"name_en": "Aghdam"}, [], empty, {}, held, date(2005, 1, 1), "en"))
    assert "Held on 2005-01-01: Armenian forces 770 km² (77%) · Azerbaijani forces 230 km² (23%)" in text


@pytest.fixture(scope="module")
def territory() -> Territory:
    return load_territory()[0]


def click(lat: float, lng: float, popup: str = "") -> dict[str, object]:
    return {"last_object_clicked": {"lat": lat, "lng": lng}, "last_object_clicked_popup": popup}


def test_a_click_on_the_ground_of_a_settlement_names_it(territory: Territory) -> None:
    shusha = territory.place("Shusha")
    no_events = linked_events().iloc[0:0]
    found = clicked_place(click(shusha.lat + 0.002, shusha.lon + 0.002), no_events, territory, date(2021, 1, 1))
    assert found == shusha


def test_a_click_on_an_event_or_far_from_the_theatre_names_no_settlement(territory: Territory) -> None:
    events = linked_events(latitude=39.76, longitude=46.75)
    assert clicked_place(click(39.76, 46.75, "Four-day war\nid: ev-1"), events, territory, date(2021, 1, 1)) is None
    assert clicked_place(click(40.18, 44.51), events, territory, date(2021, 1, 1)) is None  # Yerevan
    assert clicked_place(None, events, territory, date(2021, 1, 1)) is None
    assert clicked_place({"last_object_clicked": None}, events, territory, date(2021, 1, 1)) is None


def test_the_events_behind_a_settlements_changes_are_offered_in_order() -> None:
    assert linked_event_choices(timeline(), linked_events()) == {"ev-1": "2016-04-02 · Four-day war"}
    assert linked_event_choices(timeline(), linked_events(id="other")) == {}
