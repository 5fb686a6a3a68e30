"""Every control of the page through AppTest: what it changes, and that its value survives a shared link."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import page
from dashboard.filters import Filters, apply
from dashboard.timeline import filter_window
from tests.support.page import APP, map_arguments

WAR = (date(2020, 9, 27), date(2020, 11, 10))


def shown_ids(at: AppTest) -> list[str]:
    return sorted(at.dataframe[-1].value["id"])


def params(at: AppTest) -> dict[str, str]:
    return {key: str(value) for key, value in at.query_params.items()}


def reopened(at: AppTest, monkeypatch) -> AppTest:
    """A fresh session opened on the link the page wrote."""
    again = AppTest.from_file(APP, default_timeout=60)
    for key, value in params(at).items():
        again.query_params[key] = value
    return again.run()


# Each control: how to set it on a page, what the link then says, and how to read it back on a new page.
CONTROLS: dict[str, tuple[Callable[[AppTest], object], dict[str, str], Callable[[AppTest], object]]] = {
    "language": (
        lambda at: at.radio(key="lang").set_value("az"),
        {"lang": "az"},
        lambda at: at.radio(key="lang").value,
    ),
    "search": (
        lambda at: at.text_input(key="q").input("Xocalı"),
        {"q": "Xocalı"},
        lambda at: at.text_input(key="q").value,
    ),
    "types": (
        lambda at: at.multiselect(key="types").set_value(["capture", "shelling"]),
        {"types": "capture,shelling"},
        lambda at: at.multiselect(key="types").value,
    ),
    "actors": (
        lambda at: at.multiselect(key="actors").set_value(["Karabakh Armenian forces"]),
        {"actors": "Karabakh Armenian forces"},
        lambda at: at.multiselect(key="actors").value,
    ),
    "disputed": (
        lambda at: at.radio(key="disputed").set_value("hide"),
        {"disputed": "hide"},
        lambda at: at.radio(key="disputed").value,
    ),
    "verification": (
        lambda at: at.radio(key="evidence").set_value("hide-unverified-claims"),
        {"evidence": "hide-unverified-claims"},
        lambda at: at.radio(key="evidence").value,
    ),
    "deaths": (
        lambda at: at.number_input(key="min_fatalities").set_value(10),
        {"min_fatalities": "10"},
        lambda at: at.number_input(key="min_fatalities").value,
    ),
    "slider": (
        lambda at: at.slider(key="window").set_value(WAR),
        {"start": "2020-09-27", "end": "2020-11-10"},
        lambda at: at.slider(key="window").value,
    ),
    "date inputs": (
        lambda at: at.date_input(key="start_input").set_value(date(1991, 5, 1)),
        {"start": "1991-05-01"},
        lambda at: (at.date_input(key="start_input").value, at.slider(key="window").value[0]),
    ),
    "play by": (
        lambda at: at.selectbox(key="step").set_value("month"),
        {"step": "month"},
        lambda at: at.selectbox(key="step").value,
    ),
    "speed": (
        lambda at: at.selectbox(key="speed").set_value("fast"),
        {"speed": "fast"},
        lambda at: at.selectbox(key="speed").value,
    ),
}


@pytest.mark.parametrize("name", list(CONTROLS))
def test_every_control_goes_into_the_link_and_a_shared_link_restores_it(app, monkeypatch, name):
    change, wanted, read = CONTROLS[name]
    app.run()
    change(app)
    app.run()
    assert not app.exception
    assert wanted.items() <= params(app).items()
    again = reopened(app, monkeypatch)
    assert not again.exception
    assert read(again) == read(app)


def test_filters_narrow_the_table_and_the_map_together(app, all_events):
    app.run()
    app.text_input(key="q").input("Şuşa").run()
    app.radio(key="evidence").set_value("verified").run()
    expected = all_events[all_events["verified"].fillna(False).astype(bool)]
    ids = shown_ids(app)
    assert 0 < len(ids) < len(expected) and set(ids) <= set(expected["id"])
    sent = map_arguments(app)["feature_group"]
    for event_id in ids:
        assert f'"{event_id}"' in sent
    app.button(key="clear_filters").click().run()
    assert len(shown_ids(app)) == len(all_events) and "q" not in params(app) and "evidence" not in params(app)


def test_the_count_says_how_many_filters_hid(app, all_events):
    app.run()
    app.number_input(key="min_fatalities").set_value(100).run()
    kept = apply(all_events, Filters(min_fatalities=100))
    line = next(m.value for m in app.markdown if "Showing" in m.value)
    assert line.startswith(f"**Showing {len(kept)} of {len(all_events)} events**")
    assert f"({len(all_events) - len(kept)} in the window hidden by filters)" in line


def test_place_search_flies_the_map_and_keeps_the_events_around_it(app, all_events, monkeypatch):
    app.run()
    app.text_input(key="place_query").input("Xankəndi").run()
    app.selectbox(key="place_pick").set_value("Stepanakert").run()
    assert params(app)["place"] == "Stepanakert"
    sent = map_arguments(app)
    assert sent["zoom"] == 12 and sent["center"] == pytest.approx([39.8177, 46.7528], abs=0.01)
    near = len(shown_ids(app))
    assert 0 < near < len(all_events)
    app.slider(key="km").set_value(30.0).run()
    assert params(app)["km"] == "30" and len(shown_ids(app)) > near
    assert reopened(app, monkeypatch).slider(key="km").value == 30.0


def test_quick_range_resets_so_it_can_be_chosen_again(app):
    app.run()
    app.selectbox(key="quick_range").set_value("2020 war").run()
    assert app.slider(key="window").value == WAR and app.selectbox(key="quick_range").value is None
    app.slider(key="window").set_value((date(2000, 1, 1), date(2001, 1, 1))).run()
    app.selectbox(key="quick_range").set_value("2020 war").run()
    assert app.slider(key="window").value == WAR
    assert (app.date_input(key="start_input").value, app.date_input(key="end_input").value) == WAR


def test_day_steps_move_the_window_and_the_inputs(app):
    app.query_params.update(start="2020-09-27", end="2020-11-10")
    app.run()
    next(b for b in app.button if b.label == "+1 day").click().run()
    assert app.slider(key="window").value == (date(2020, 9, 28), date(2020, 11, 11))
    next(b for b in app.button if b.label == "−1 day").click().run()
    assert app.slider(key="window").value == WAR and app.date_input(key="end_input").value == WAR[1]


def test_previous_and_next_event_select_and_keep_the_window_on_them(app, all_events):
    app.query_params.update(start="2020-09-27", end="2020-11-10")
    app.run()
    next(b for b in app.button if b.label == "Next event").click().run()
    first = params(app)["event"]
    in_war = filter_window(all_events, *WAR).sort_values(["date_start", "id"])
    assert first == in_war[in_war["date_start"] >= "2020-09-27"]["id"].iloc[0]
    next(b for b in app.button if b.label == "Next event").click().run()
    assert params(app)["event"] != first
    next(b for b in app.button if b.label == "Previous event").click().run()
    assert params(app)["event"] == first


def test_play_moves_a_one_day_window_and_stop_restores_the_range(app):
    app.query_params.update(start="2020-09-27", end="2020-11-10")
    app.run()
    app.button(key="play").click().run()
    assert app.session_state["playing"] and app.slider(key="window").value == (date(2020, 9, 27),) * 2
    assert app.button(key="play").label == "Pause"
    app.button(key="stop").click().run()
    assert not app.session_state["playing"] and app.slider(key="window").value == WAR


def tick(at: AppTest, rows: list[int]) -> None:
    """Tick (or, with no rows, untick) rows of the table as drawn last run, as the browser reports it."""
    key = page.table_key(at.session_state["table_generation"])
    at.session_state[key] = {"selection": {"rows": rows, "columns": [], "cells": []}}


def test_unticking_the_table_row_clears_the_selection(app):
    app.run()
    target = app.dataframe[-1].value["id"].iloc[2]
    tick(app, [2])
    app.run()
    assert params(app)["event"] == target
    tick(app, [])
    app.run()
    assert "event" not in params(app)


def test_a_ticked_row_keeps_its_event_when_the_window_moves(app):
    """Streamlit keeps a tick by row index: once the rows move under it, the tick goes, the event stays."""
    app.query_params.update(start="2020-09-27", end="2020-11-10")
    app.run()
    target = app.dataframe[-1].value["id"].iloc[2]
    tick(app, [2])
    app.run()
    generation = app.session_state["table_generation"]
    app.slider(key="window").set_value((date(2020, 9, 29), date(2020, 11, 10))).run()
    rows = app.dataframe[-1].value["id"]
    assert rows.iloc[2] != target  # the old index now names another event …
    assert params(app)["event"] == target  # … which is not selected: the ticked event still is
    assert app.session_state["table_generation"] == generation + 1  # a fresh table, with no tick
    app.slider(key="window").set_value((date(2020, 9, 30), date(2020, 11, 10))).run()
    assert params(app)["event"] == target


def test_clearing_the_selection_drops_the_tick(app):
    app.run()
    tick(app, [1])
    app.run()
    generation = app.session_state["table_generation"]
    app.button(key="unselect").click().run()
    assert "event" not in params(app) and app.session_state["table_generation"] == generation + 1
    app.run()  # and the next run picks nothing up from the old table
    assert "event" not in params(app)


def test_the_basemap_choice_adds_online_tiles_only_when_not_offline(monkeypatch):
    monkeypatch.delenv("DASHBOARD_OFFLINE", raising=False)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert "L.tileLayer" not in map_arguments(at)["script"]  # the default basemap is the bundled one
    at.radio(key="basemap").set_value("osm").run()
    script = map_arguments(at)["script"]
    assert "tile.openstreetmap.org" in script and "tileerror" in script and params(at)["basemap"] == "osm"
    assert all(not url.startswith("http") for url in map_arguments(at)["js_links"])  # Leaflet stays local


def test_a_selected_district_is_outlined_on_the_map(app):
    from dashboard.map import palette
    from tests.support.leaflet import geojson_features

    app.run()
    app.session_state["selected_district"] = "Lachin"
    app.run()
    outlined = [
        f
        for f in geojson_features(map_arguments(app)["feature_group"])
        if f["style"] == palette.SELECTED_DISTRICT_STYLE
    ]
    assert [f["properties"]["name_en"] for f in outlined] == ["Lachin"]
    app.button(key="unselect").click().run()
    assert not [
        f
        for f in geojson_features(map_arguments(app)["feature_group"])
        if f["style"] == palette.SELECTED_DISTRICT_STYLE
    ]
