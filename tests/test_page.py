"""The page's decisions, without Streamlit: settings, URL state, table rows, selection, playback."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from dashboard import page, schema
from dashboard.gazetteer import Gazetteer, Place
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


def test_url_parameters_seed_the_state_and_bad_ones_fall_back() -> None:
    state = page.initial_state({"start": "2020-09-27", "end": "2020-11-10", "event": "e1"})
    assert state == {
        "window": (date(2020, 9, 27), date(2020, 11, 10)),
        "selected_event": "e1",
        "selected_district": None,
        "playing": False,
    }
    assert page.initial_state({"start": "x", "end": "2099-01-01"})["window"] == (schema.TIMELINE_START, END)


def test_query_parameters_round_trip_through_the_initial_state() -> None:
    window = (date(1992, 1, 1), date(1993, 12, 31))
    params = page.query_params(window, "e9")
    assert params == {"start": "1992-01-01", "end": "1993-12-31", "event": "e9"}
    assert page.initial_state(params)["window"] == window
    assert "event" not in page.query_params(window, None)


def test_place_names_follow_the_language_and_unknown_places_stay_as_written() -> None:
    gazetteer = Gazetteer([Place("Shusha", "Şuşa", "Շուշի", ("Shushi",), "town", 39.76, 46.75, "test")])
    frame = events_frame([event(location="Shushi"), event(id="b", location="Atlantis")])
    assert list(page.with_place_names(frame, gazetteer, "hy")["place"]) == ["Շուշի", "Atlantis"]


def test_table_rows_take_the_best_fatality_figure_there_is() -> None:
    frame = events_frame(
        [
            event(id="a", fatalities_best=5),
            event(id="b", fatalities_low=3),
            event(id="c", fatalities_high=7),
            event(id="d"),
        ]
    )
    table = page.table_frame(frame)
    assert list(table.columns) == list(page.TABLE_COLUMNS)
    assert table["fatalities"].tolist()[:3] == [5, 3, 7] and pd.isna(table["fatalities"].iloc[3])
    assert table["date"].iloc[0] == date(1992, 5, 8)


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


def test_play_starts_and_stops_and_rewinds_at_the_end() -> None:
    window = (date(1992, 1, 1), date(1993, 1, 1))
    assert page.toggle_play(False, window) == (True, window)
    assert page.toggle_play(True, window) == (False, window)
    assert page.toggle_play(False, (date(1992, 1, 1), END)) == (True, (date(1992, 1, 1), date(1992, 1, 1)))


def test_a_tick_advances_the_window_only_once_an_interval_has_passed() -> None:
    window = (date(1992, 1, 1), date(1992, 2, 1))
    assert page.play_tick(window, now=10.0, last_tick=9.5) == (False, window)
    tick, after = page.play_tick(window, now=10.0, last_tick=8.0)
    assert tick and after is not None and after[0] == window[0] and after[1] > window[1]
    assert page.play_tick((date(1992, 1, 1), END), now=10.0, last_tick=0.0) == (True, None)


def test_status_keys_ignore_order() -> None:
    assert page.status_key({"b": "armenian", "a": "partial"}) == page.status_key({"a": "partial", "b": "armenian"})
