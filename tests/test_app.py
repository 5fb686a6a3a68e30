"""The Streamlit page driven in-process with AppTest: window, count, query parameters, selection, bad files."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import page, schema, state
from dashboard.timeline import filter_window
from tests.conftest import row
from tests.support.leaflet import geojson_features
from tests.support.page import APP, map_arguments


def count_line(at: AppTest) -> str:
    """The count line of the window's summary (its first line; the reported deaths, when any, follow)."""
    lines = [m.value for m in at.markdown if "Showing" in m.value]
    assert len(lines) == 1, [m.value for m in at.markdown]
    return lines[0].split("  \n")[0]


def details_html(at: AppTest) -> str:
    return " ".join(h.proto.body for h in at.get("html"))


def drawn_event_ids(at: AppTest) -> list[str]:
    """The event ids of the markers in the dynamic layers the page sent."""
    found = re.findall(r'"key":"eventId".*?"keys":(\[[^\]]*\])', map_arguments(at)["feature_group"])
    return sorted(event_id for keys in found for event_id in json.loads(keys))


def district_states(at: AppTest) -> dict[str, str]:
    """District name -> control status in the districts layer the page sent."""
    features = geojson_features(map_arguments(at)["feature_group"])
    return {f["properties"]["name_en"]: f["properties"]["status"] for f in features if "status" in f["properties"]}


def test_page_loads_with_every_event(app, all_events):
    app.run()
    assert not app.exception
    assert count_line(app) == f"**Showing {len(all_events)} of {len(all_events)} events**"
    assert len(app.dataframe[-1].value) == len(all_events)


def test_slider_window_changes_table_and_count(app, all_events):
    app.run()
    window = (date(2020, 9, 27), date(2020, 11, 10))
    app.slider(key="window").set_value(window).run()
    expected = filter_window(all_events, *window)
    assert 0 < len(expected) < len(all_events)
    assert count_line(app) == f"**Showing {len(expected)} of {len(all_events)} events**"
    assert sorted(app.dataframe[-1].value["id"]) == sorted(expected["id"])


def test_the_count_line_carries_the_windows_reported_deaths(app, all_events):
    app.run()
    window = (date(2020, 9, 27), date(2020, 11, 10))
    app.slider(key="window").set_value(window).run()
    summary = next(m.value for m in app.markdown if "Showing" in m.value)
    deaths = state.fatalities_line(filter_window(all_events, *window))
    assert deaths.startswith("Reported deaths") and summary.endswith(f":small[:gray[{deaths}]]")


def test_downloads_and_the_about_text_are_drawn_only_when_opened(app):
    app.run()
    assert not app.get("download_button") and not [m for m in app.markdown if "What is shown" in m.value]
    app.session_state["downloads_open"] = True
    app.session_state["about_open"] = True
    app.run()
    assert [b.proto.label for b in app.get("download_button")] == ["CSV", "GeoJSON"]
    assert [m for m in app.markdown if "What is shown" in m.value]


def test_the_map_receives_the_window_events_and_district_colours(app, all_events):
    window = (date(1993, 1, 1), date(1999, 12, 31))
    app.run()
    app.slider(key="window").set_value(window).run()
    expected = filter_window(all_events, *window)
    located = expected[expected["latitude"].notna()]
    assert 0 < len(located) < len(all_events)
    assert drawn_event_ids(app) == sorted(located["id"])
    states = district_states(app)
    assert sorted(states) == sorted(schema.DISTRICT_NAMES)
    assert states["Kalbajar"] == "armenian"  # held from April 1993 to November 2020


def test_a_window_without_events_sends_no_markers_but_the_districts(app):
    app.run()
    app.slider(key="window").set_value((date(2001, 6, 1), date(2001, 6, 2))).run()
    assert count_line(app).startswith("**Showing 0 of")
    assert drawn_event_ids(app) == []
    assert len(district_states(app)) == len(schema.DISTRICT_NAMES)


def test_the_map_frame_stays_while_the_window_moves(app):
    app.run()
    first = map_arguments(app)
    app.slider(key="window").set_value((date(1992, 1, 1), date(1993, 12, 31))).run()
    second = map_arguments(app)
    assert first["key"] == second["key"] and first["script"] == second["script"]
    assert first["feature_group"] != second["feature_group"]


def test_quick_range_sets_the_window(app):
    app.run()
    app.selectbox(key="quick_range").set_value("First war 1988–94").run()
    assert app.slider(key="window").value == (date(1988, 2, 1), date(1994, 5, 12))


def test_query_parameters_set_window_and_selection(app, all_events):
    chosen = all_events.iloc[len(all_events) // 2]
    start, end = chosen["date_start"].date(), chosen["date_end"].date()
    app.query_params["start"] = start.isoformat()
    app.query_params["end"] = end.isoformat()
    app.query_params["event"] = chosen["id"]
    app.run()
    assert app.slider(key="window").value == (start, end)
    assert f'data-event-id="{chosen["id"]}"' in details_html(app)


def test_changing_the_window_updates_the_query_parameters(app):
    app.run()
    app.slider(key="window").set_value((date(1992, 1, 1), date(1993, 12, 31))).run()
    assert app.query_params["start"] == "1992-01-01" and app.query_params["end"] == "1993-12-31"


def test_bad_query_parameters_fall_back_to_the_whole_timeline(app):
    app.query_params["start"] = "not-a-date"
    app.query_params["end"] = "2099-01-01"
    app.query_params["event"] = "<script>x</script>"
    app.run()
    assert not app.exception
    assert app.slider(key="window").value == (schema.TIMELINE_START, schema.TIMELINE_END)


def test_table_row_selection_shows_details(app, all_events):
    app.run()
    table = app.dataframe[-1].value
    target = table["id"].iloc[3]
    app.session_state[page.table_key(0)] = {"selection": {"rows": [3], "columns": [], "cells": []}}
    app.run()
    assert f'data-event-id="{target}"' in details_html(app)


def test_language_toggle_switches_place_names(app):
    app.run()
    app.radio(key="lang").set_value("hy").run()
    locations = set(app.dataframe[-1].value["location"])
    assert "Շուշի" in locations or "Ստեփանակերտ" in locations


def test_bad_events_file_shows_errors_and_good_rows(monkeypatch, tmp_path, write_events):
    path = write_events(
        [row(id="good-one"), row(id="bad-date", date_start="1992-13-45"), row(id="bad-type", event_type="rumour")]
    )
    monkeypatch.setenv("DASHBOARD_OFFLINE", "1")
    monkeypatch.setenv("DASHBOARD_EVENTS", str(path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert count_line(at) == "**Showing 1 of 1 events**"
    assert any("2 row(s) rejected" in e.label for e in at.expander)
    problems = at.dataframe[0].value
    assert set(problems["line"]) == {3, 4}


def test_missing_events_file_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("DASHBOARD_OFFLINE", "1")
    monkeypatch.setenv("DASHBOARD_EVENTS", str(tmp_path / "missing.csv"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "missing.csv" in at.error[0].value


@pytest.mark.parametrize("name", ["districts.geojson", "nkao.geojson", "countries.geojson", "control_rules.csv"])
@pytest.mark.parametrize("damage", ["missing", "corrupt"])
def test_missing_or_corrupt_geodata_file_is_named_not_a_traceback(monkeypatch, tmp_path, name, damage):
    folder = tmp_path / "geodata"
    shutil.copytree(schema.GEODATA_DIR, folder)
    if damage == "missing":
        (folder / name).unlink()
    else:
        (folder / name).write_bytes(b'{"type": "FeatureCollection", "features": [oops')
    monkeypatch.setenv("DASHBOARD_OFFLINE", "1")
    monkeypatch.setenv("DASHBOARD_GEODATA", str(folder))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.error and name in at.error[0].value
