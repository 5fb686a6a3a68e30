"""The page's decisions, without Streamlit: settings, URL state, table rows, selection, playback."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dashboard import page, schema
from dashboard.filters import Near
from dashboard.gazetteer import Gazetteer, Place
from dashboard.table import table_frame
from tests.support.mapdata import event, events_frame, three_districts

END = schema.TIMELINE_END


def test_settings_come_from_the_environment() -> None:
    default = page.Settings.from_environ({})
    assert default == page.Settings(False, schema.EVENTS_PATH, schema.GEODATA_DIR)
    chosen = page.Settings.from_environ(
        {"DASHBOARD_OFFLINE": "1", "DASHBOARD_EVENTS": "/x/e.csv", "DASHBOARD_GEODATA": "/g"}
    )
    assert chosen.offline and chosen.events_path == Path("/x/e.csv") and chosen.control_path == Path("/g/control.csv")
    assert not page.Settings.from_environ({"DASHBOARD_OFFLINE": "0"}).offline


def test_missing_file_has_no_mtime(tmp_path: Path) -> None:
    assert page.mtime(tmp_path / "nothing.csv") == 0.0
    (tmp_path / "x.csv").write_text("x")
    assert page.mtime(tmp_path / "x.csv") > 0


def test_place_names_follow_the_language_and_unknown_places_stay_as_written() -> None:
    gazetteer = Gazetteer([Place("Shusha", "Şuşa", "Շուշի", ("Shushi",), "town", 39.76, 46.75, "test")])
    frame = events_frame([event(location="Shushi"), event(id="b", location="Atlantis")])
    assert list(page.with_place_names(frame, gazetteer, "hy")["place"]) == ["Շուշի", "Atlantis"]


def test_problems_become_table_rows_and_a_heading() -> None:
    from dashboard.data import Problem

    frame = page.problems_frame([Problem("e.csv", 3, "date_start", "not a date")])
    assert frame.to_dict("records") == [{"file": "e.csv", "line": 3, "column": "date_start", "reason": "not a date"}]
    assert list(page.problems_frame([]).columns) == ["file", "line", "column", "reason"]
    assert page.problems_label(2, 3) == "⚠ 2 row(s) rejected, 3 problem(s) in the data"


def test_the_selected_row_is_marked_only_inside_the_window() -> None:
    frame = events_frame([event(id="a"), event(id="b", latitude=float("nan"), longitude=float("nan"))])
    chosen = page.selected_row(frame, "a")
    assert chosen is not None and chosen["id"] == "a"
    assert page.selected_row(frame, "gone") is None and page.selected_row(frame, None) is None
    assert page.shown_on_map(chosen, frame) is chosen
    assert page.shown_on_map(chosen, frame[frame["id"] == "b"]) is None
    assert page.map_center(chosen) == (39.76, 46.75)
    assert page.map_center(page.selected_row(frame, "b")) is None


@pytest.mark.parametrize(
    "selection, expected",
    [
        ({"selection": {"rows": [1]}}, "b"),
        ({"selection": {"rows": []}}, None),
        ({"selection": {"rows": [5]}}, None),
        (None, None),
        ({}, None),
    ],
)
def test_a_table_pick_names_the_row_drawn_last(selection, expected) -> None:
    assert page.table_pick(selection, ["a", "b"]) == expected


@pytest.mark.parametrize(
    "ticked, selected, shown, stale",
    [
        (None, None, ["c", "a"], False),  # nothing ticked: rows may change freely
        ("b", "b", ["a", "b"], False),  # same rows, the ticked event still the selection: keep the tick
        ("b", "b", ["a", "c", "b"], True),  # rows moved: index 1 would now name "c"
        ("b", "a", ["a", "b"], True),  # the map or a list chose another event
        ("b", None, ["a", "b"], True),  # "Clear selection"
    ],
)
def test_a_tick_goes_when_its_row_would_name_another_event(ticked, selected, shown, stale) -> None:
    assert page.table_tick_stale(ticked, selected, ["a", "b"], shown) is stale
    assert page.table_key(3) != page.table_key(4)


def test_a_map_click_selects_an_event_or_a_district_or_nothing() -> None:
    frame = events_frame([event(id="a", latitude=39.55, longitude=46.05)])
    districts = three_districts()
    assert page.click_selection({"last_object_clicked": {"lat": 39.55, "lng": 46.05}}, frame, districts) == ("a", None)
    assert page.click_selection({"last_object_clicked": {"lat": 39.55, "lng": 46.45}}, frame, districts) == (
        None,
        "Kalbajar",
    )
    assert page.click_selection({"last_object_clicked": {"lat": 0, "lng": 0}}, frame, districts) is None


def test_events_at_the_same_point_are_offered_with_date_and_title() -> None:
    others = events_frame([event(id="b", title="Second")])
    assert page.same_place_choices(others) == {"b": "1992-05-08 · Second"}


def test_the_map_flies_to_the_selected_event_else_to_the_searched_place() -> None:
    chosen = page.selected_row(events_frame([event(id="a")]), "a")
    shusha = Near("Shusha", 39.76, 46.75)
    assert page.map_view(chosen, shusha) == ((39.76, 46.75), None)
    assert page.map_view(None, Near("Stepanakert", 39.82, 46.75)) == ((39.82, 46.75), page.PLACE_ZOOM)
    assert page.map_view(None, None) == (None, None)


@pytest.mark.parametrize(
    ("selection", "last", "change"),
    [
        ({"selection": {"rows": [1]}}, None, "pick"),
        ({"selection": {"rows": [1]}}, "a", "pick"),
        ({"selection": {"rows": [1]}}, "b", None),  # the same row as before: nothing new
        ({"selection": {"rows": []}}, "b", "clear"),  # unticked: the selection goes
        ({"selection": {"rows": []}}, None, None),
    ],
)
def test_unticking_the_table_row_clears_the_selection(selection, last, change) -> None:
    assert page.table_change(selection, ["a", "b"], last) == change


@pytest.mark.parametrize(
    ("when", "contact_line", "peacekeeping"),
    [(date(1990, 1, 1), False, False), (date(2000, 1, 1), True, False), (date(2021, 1, 1), False, True)],
)
def test_the_legend_lists_the_dated_layers_of_the_day(when, contact_line, peacekeeping) -> None:
    flags = page.dated_legend("blockaded", when)
    assert flags == {"contact_line": contact_line, "corridor_status": "blockaded", "peacekeeping": peacekeeping}


def test_the_table_rows_of_a_window_are_those_of_the_whole_file() -> None:
    gazetteer = Gazetteer([Place("Shusha", "Şuşa", "Շուշի", (), "town", 39.76, 46.75, "test")])
    frame = events_frame([event(id=f"e{i}", fatalities_best=i * 600, event_type="battle") for i in range(6)])
    view = page.EventsView(frame, gazetteer, "hy")
    shown = view.frame.iloc[[4, 1, 3]]
    rows = view.table_rows(shown)
    assert rows.to_pylist() == table_frame(shown, "hy").to_dict("records")
    assert rows.column("id").to_pylist() == ["e4", "e1", "e3"]
