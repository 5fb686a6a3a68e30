"""Session state and the view, stepping by days and events, playback as a moving window, summary lines."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard import schema, state
from dashboard.filters import Near
from dashboard.gazetteer import Gazetteer, Place
from dashboard.state import (
    Playback,
    adjacent_event,
    count_line,
    fatalities_line,
    near,
    seconds,
    session_from_view,
    shift_window,
    view_from_session,
    window_summary,
)
from dashboard.urlstate import ViewState
from tests.support.mapdata import event, events_frame

WAR = (date(2020, 9, 27), date(2020, 11, 10))


def test_a_view_survives_the_trip_through_the_session():
    view = ViewState(
        *WAR,
        event="e1",
        lang="az",
        q="Şuşa",
        types=("capture",),
        actors=("X",),
        evidence="verified",
        min_fatalities=3,
        place="Shusha",
        km=20.0,
        step="week",
        speed="fast",
        basemap="osm",
    )
    session = session_from_view(view)
    assert session["window"] == WAR and session["playing"] is False and session["types"] == ["capture"]
    assert view_from_session(session) == view
    assert view_from_session({}) == ViewState()


def test_the_place_filter_resolves_through_the_gazetteer():
    gazetteer = Gazetteer([Place("Shusha", "Şuşa", "Շուշի", (), "town", 39.76, 46.75, "test")])
    assert near(ViewState(place="Şuşa", km=5.0), gazetteer) == Near("Şuşa", 39.76, 46.75, 5.0)
    assert near(ViewState(place="Atlantis"), gazetteer) is None and near(ViewState(), gazetteer) is None


@pytest.mark.parametrize(
    ("window", "days", "expected"),
    [
        (WAR, 1, (date(2020, 9, 28), date(2020, 11, 11))),
        (WAR, -1, (date(2020, 9, 26), date(2020, 11, 9))),
        ((schema.TIMELINE_START, date(1988, 1, 10)), -1, (schema.TIMELINE_START, date(1988, 1, 10))),
        ((date(2024, 12, 1), schema.TIMELINE_END), 5, (date(2024, 12, 1), schema.TIMELINE_END)),
    ],
)
def test_day_steps_move_the_window_and_keep_its_length(window, days, expected):
    assert shift_window(window, days) == expected


@pytest.fixture
def events() -> pd.DataFrame:
    days = ["2020-09-27", "2020-10-04", "2020-10-04", "2020-11-20", "1992-05-08"]
    ids = ["a", "c", "b", "d", "z"]
    return events_frame([event(id=i, date_start=pd.Timestamp(d), date_end=pd.Timestamp(d)) for i, d in zip(ids, days)])


@pytest.mark.parametrize(
    ("current", "direction", "expected"),
    [
        (None, 1, ("a", WAR)),  # the first event from the window's start
        (None, -1, ("c", WAR)),  # the last event up to the window's end (ties by id)
        ("a", 1, ("b", WAR)),
        ("b", 1, ("c", WAR)),
        ("c", 1, ("d", (date(2020, 11, 20), date(2021, 1, 3)))),  # outside: the window moves to start there
        ("a", -1, ("z", (date(1992, 3, 25), date(1992, 5, 8)))),  # backwards: the window ends on it
        ("d", 1, None),
    ],
)
def test_previous_and_next_event_step_in_date_order(events, current, direction, expected):
    assert adjacent_event(events, WAR, current, direction) == expected


def test_play_runs_a_day_window_across_the_range_pauses_resumes_and_stops():
    playback = Playback(False, None, WAR).toggled("day")
    assert playback == Playback(True, WAR, (date(2020, 9, 27),) * 2)
    playback = playback.advanced("day").advanced("day")
    assert playback.window == (date(2020, 9, 29),) * 2
    paused = playback.toggled("day")
    assert not paused.playing and paused.advanced("day") == paused
    resumed = paused.toggled("day")
    assert resumed.playing and resumed.window == (date(2020, 9, 29),) * 2
    for _ in range(60):
        resumed = resumed.advanced("day")
    assert not resumed.playing and resumed.window == (date(2020, 11, 10),) * 2  # paused at the range's end
    assert resumed.stopped() == Playback(False, None, WAR)


def test_playing_again_after_moving_the_window_plays_the_new_window():
    moved = Playback(False, WAR, (date(1992, 1, 1), date(1992, 12, 31))).toggled("month")
    assert moved.range == (date(1992, 1, 1), date(1992, 12, 31)) and moved.window == (
        date(1992, 1, 1),
        date(1992, 1, 31),
    )


def test_speeds_are_seconds_per_step():
    assert seconds("fast") < seconds("normal") < seconds("slow") and seconds("warp") == seconds("normal")


def test_count_and_fatality_lines():
    assert count_line(40, 40, 463) == "**Showing 40 of 463 events**"
    assert count_line(3, 40, 463) == "**Showing 3 of 463 events** (37 in the window hidden by filters)"
    frame = events_frame(
        [
            event(id="a", fatalities_low=10, fatalities_high=20, fatalities_of="armenian"),
            event(id="b", fatalities_best=5, fatalities_of="azerbaijani"),
            event(id="c"),
        ]
    )
    line = fatalities_line(frame)
    assert "Armenian side 10–20" in line and "Azerbaijani side 5" in line and "incomplete" in line
    assert "both sides" not in line and fatalities_line(frame.iloc[2:]) == ""
    assert window_summary(frame, 3, 463) == f"**Showing 3 of 463 events**  \n:small[:gray[{line}]]"
    assert window_summary(frame.iloc[2:], 1, 463) == "**Showing 1 of 463 events**"


# --- callbacks, on a dict standing in for Streamlit's session state ----------------------------------------


@pytest.fixture
def session() -> dict:
    session: dict = {}
    state.start_session(session, {"start": "2020-09-27", "end": "2020-11-10", "step": "day", "types": "capture"})
    return session


def test_a_session_starts_from_the_url_once(session):
    assert session["window"] == WAR and (session["start_input"], session["end_input"]) == WAR
    assert session["types"] == ["capture"] and session["playing"] is False
    state.start_session(session, {"start": "1990-01-01"})
    assert session["window"] == WAR  # a later run does not reseed


def test_slider_date_inputs_and_quick_ranges_keep_one_window(session):
    session["start_input"], session["end_input"] = date(2020, 10, 1), date(2020, 10, 2)
    state.on_dates(session)
    assert session["window"] == (date(2020, 10, 1), date(2020, 10, 2))
    session["window"] = (date(2000, 1, 1), date(2001, 1, 1))
    state.on_slider(session)
    assert (session["start_input"], session["end_input"]) == (date(2000, 1, 1), date(2001, 1, 1))
    session["quick_range"] = "2020 war"
    state.on_quick_range(session)
    assert session["window"] == WAR and session["quick_range"] is None  # choosable again


def test_a_brush_on_a_chart_sets_the_window_and_is_counted(session):
    brushes = session["brushes"]
    session["overview"] = {"selection": {"brush": {"bin": ["1992-05-01", "1992-05-31T12:00"]}}}
    state.on_brush(session, "overview")
    assert session["window"] == (date(1992, 5, 1), date(1992, 5, 31)) and session["end_input"] == date(1992, 5, 31)
    assert session["brushes"] == brushes + 1  # the charts are drawn anew, the dragged range cleared
    session["overview"] = {"selection": {"brush": {}}}  # a cleared brush leaves window and count alone
    state.on_brush(session, "overview")
    assert session["window"] == (date(1992, 5, 1), date(1992, 5, 31)) and session["brushes"] == brushes + 1


def test_day_and_event_steps(session, events):
    state.on_step_days(session, 1)
    assert session["window"] == (date(2020, 9, 28), date(2020, 11, 11))
    state.on_step_event(session, events, 1)
    assert session["selected_event"] == "b"  # the first event from the window's start (a is on 27 Sep)


def test_play_pause_and_ticks(session):
    state.on_play(session, "toggle")
    assert session["playing"] and session["window"] == (date(2020, 9, 27),) * 2
    assert not state.tick(session, now=999.0)  # the rerun right after pressing play shows the first day
    assert session["window"] == (date(2020, 9, 27),) * 2
    assert not state.tick(session, now=1000.0)
    assert session["window"] == (date(2020, 9, 28),) * 2
    state.tick(session, now=1000.2)  # too soon: another rerun of the page, not a step
    assert session["window"] == (date(2020, 9, 28),) * 2
    state.on_play(session, "toggle")
    state.tick(session, now=2000.0)
    assert not session["playing"] and session["window"] == (date(2020, 9, 28),) * 2
    state.on_play(session, "stop")
    assert session["window"] == WAR and session["play_range"] is None


def test_the_tick_that_reaches_the_range_end_ends_playback(session):
    state.on_play(session, "toggle")  # plays WAR a day at a time
    session.update(window=(date(2020, 11, 9),) * 2, last_tick=0.0)  # played on to the day before its last
    assert not state.tick(session, now=1000.0) and session["window"] == (date(2020, 11, 10),) * 2
    assert state.tick(session, now=2000.0)  # no later day: playback ends here, the page must rerun whole
    assert not session["playing"] and session["window"] == (date(2020, 11, 10),) * 2
    assert not state.tick(session, now=3000.0)  # and stays ended


def test_clearing_filters_and_selecting(session):
    session.update(q="x", actors=["A"], evidence="verified", min_fatalities=3, place="Shusha", disputed="hide")
    state.on_clear_filters(session)
    assert state.view_from_session(session).filters() == state.ViewState().filters()
    state.select(session, "e1", None)
    assert (session["selected_event"], session["selected_district"], session["selected_place"]) == ("e1", None, None)
