"""Clicks: a marker's popup text names its event; a point names its district; overlapping markers are found."""

from __future__ import annotations

from dashboard.map.layers import events_layer
from dashboard.selection import click_target, district_at, event_id_from_click, events_at_same_place
from tests.support.leaflet import circles, parse_fragment, popup_text, render
from tests.support.mapdata import event, events_frame, three_districts


def test_click_on_a_marker_maps_back_to_its_event() -> None:
    frame = events_frame([event(id="a", summary="Not this one. id: b"), event(id="b", latitude=40.0)])
    markers = {m["eventId"]: m for m in circles(render(events_layer(frame, "en")))}
    clicked = {"last_object_clicked": {"lat": 1.0, "lng": 2.0}, "last_object_clicked_popup": popup_text(markers["a"])}
    assert event_id_from_click(clicked, frame) == "a"


def test_popup_never_shown_still_gives_its_event() -> None:
    # innerText of a popup that was never in the page is its textContent: no line breaks from <br>.
    (marker,) = circles(render(events_layer(events_frame([event(id="a", source="x")]), "en")))
    text_content = "".join(parse_fragment(str(marker["popup"])).text)
    assert text_content.endswith("Source: x\nid: a")
    assert event_id_from_click({"last_object_clicked_popup": text_content}, events_frame([event(id="a")])) == "a"


def test_click_without_popup_text_falls_back_to_exact_coordinates() -> None:
    frame = events_frame([event(id="a"), event(id="b", latitude=40.0), event(id="c", latitude=40.0)])
    assert event_id_from_click({"last_object_clicked": {"lat": 39.76, "lng": 46.75}}, frame) == "a"
    assert event_id_from_click({"last_object_clicked": {"lat": 40.0, "lng": 46.75}}, frame) is None


def test_clicks_on_cells_districts_or_nothing_give_no_event() -> None:
    frame = events_frame([event(id="a")])
    assert event_id_from_click(None, frame) is None
    assert event_id_from_click({"last_object_clicked": None}, frame) is None
    assert (
        event_id_from_click(
            {"last_object_clicked_popup": "5 events\n1992", "last_object_clicked": {"lat": 1.0, "lng": 1.0}}, frame
        )
        is None
    )
    assert event_id_from_click({"last_object_clicked_popup": "id: gone"}, frame) is None


def test_a_point_inside_a_district_names_it() -> None:
    districts = three_districts()  # 10 km squares from lon 46.0, 46.2, 46.4 at lat 39.5
    assert district_at(39.55, 46.25, districts) == "Lachin"
    assert district_at(38.0, 46.25, districts) is None


def test_click_target_prefers_the_event_then_the_district() -> None:
    frame = events_frame([event(id="a", latitude=39.55, longitude=46.05)])
    districts = three_districts()
    on_marker = {"last_object_clicked": {"lat": 39.55, "lng": 46.05}}
    on_district = {"last_object_clicked": {"lat": 39.55, "lng": 46.45}}
    assert click_target(on_marker, frame, districts) == ("event", "a")
    assert click_target(on_district, frame, districts) == ("district", "Kalbajar")
    assert click_target({"last_object_clicked": {"lat": 0.0, "lng": 0.0}}, frame, districts) == (None, None)
    assert click_target(None, frame, districts) == (None, None)


def test_events_at_the_same_point_are_the_others_there() -> None:
    frame = events_frame([event(id="a"), event(id="b"), event(id="c", latitude=40.0)])
    assert list(events_at_same_place(frame, "a")["id"]) == ["b"]
    assert events_at_same_place(frame, "gone").empty
