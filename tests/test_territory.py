"""Control history: status inside, at and between changes; file checks; events inside a district."""

from __future__ import annotations

from datetime import date, timedelta

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from dashboard import schema
from dashboard.data import load_events
from dashboard.territory import (ControlError, event_link_problems, events_in_territory, history, load_control,
                                 period_at, status_at)

HEADER = "territory,date_start,date_end,controlled_by,event_id,note\n"


def control_file(tmp_path, body: str):
    path = tmp_path / "control.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def real_periods():
    periods, problems = load_control()
    assert problems == [], problems
    return periods


def test_real_history_covers_every_territory_without_gaps(real_periods):
    for territory in schema.TERRITORY_NAMES:
        own = history(real_periods, territory)
        assert own[0].start == schema.TIMELINE_START and own[-1].end == schema.TIMELINE_END
        assert all(a.end == b.start for a, b in zip(own, own[1:]))


@pytest.mark.parametrize(
    "when, expected",
    [
        (date(1990, 6, 1), {"Lachin": "azerbaijan", "Kalbajar": "azerbaijan", "Aghdam": "azerbaijan"}),
        (date(2000, 6, 1), {"Lachin": "armenian", "Kalbajar": "armenian", "Qubadli": "armenian",
                            "Jabrayil": "armenian", "Zangilan": "armenian", "Aghdam": "partial",
                            "Fuzuli": "partial", "NKAO": "armenian"}),
        (date(2021, 6, 1), {"Kalbajar": "azerbaijan", "Aghdam": "azerbaijan", "Jabrayil": "azerbaijan"}),
        (date(2024, 6, 1), {name: "azerbaijan" for name in schema.TERRITORY_NAMES}),
        (schema.TIMELINE_END, {name: "azerbaijan" for name in schema.TERRITORY_NAMES}),
    ],
)
def test_status_inside_periods(real_periods, when, expected):
    status = status_at(real_periods, when)
    assert set(status) == set(schema.TERRITORY_NAMES)
    assert {k: status[k] for k in expected} == expected


def test_status_flips_exactly_at_the_change(real_periods):
    for territory in schema.TERRITORY_NAMES:
        own = history(real_periods, territory)
        for before, after in zip(own, own[1:]):
            change = after.start
            assert status_at(real_periods, change - timedelta(days=1))[territory] == before.controlled_by
            assert status_at(real_periods, change)[territory] == after.controlled_by


def test_kalbajar_fell_in_april_1993_and_returned_in_november_2020(real_periods):
    assert status_at(real_periods, date(1993, 3, 1))["Kalbajar"] == "azerbaijan"
    assert status_at(real_periods, date(1993, 5, 1))["Kalbajar"] == "armenian"
    assert status_at(real_periods, date(2020, 11, 1))["Kalbajar"] == "armenian"
    assert status_at(real_periods, date(2020, 12, 1))["Kalbajar"] == "azerbaijan"


def test_every_change_links_an_existing_event(real_periods):
    events = load_events(schema.EVENTS_PATH).events
    assert event_link_problems(real_periods, events["id"], "control.csv") == []
    assert all(p.event_id for p in real_periods if p.start != schema.TIMELINE_START)


def test_unknown_event_link_is_reported(tmp_path):
    body = "Lachin,1988-01-01,2024-12-31,azerbaijan,ghost-event,\n"
    periods, _ = load_control(control_file(tmp_path, body))
    (problem,) = event_link_problems(periods, ["real-event"], "control.csv")
    assert "ghost-event" in problem.message


def test_bad_rows_and_gaps_are_reported(tmp_path):
    body = ("Lachin,1988-01-01,1992-05-18,azerbaijan,,\n"
            "Lachin,1992-06-01,2024-12-31,armenian,e,\n"
            "Atlantis,1988-01-01,2024-12-31,armenian,e,\n"
            "Kalbajar,1988-01-01,2024-12-31,occupied,e,\n")
    periods, problems = load_control(control_file(tmp_path, body))
    messages = " | ".join(str(p) for p in problems)
    assert "control.csv:4: territory: 'Atlantis'" in messages
    assert "control.csv:5: controlled_by: 'occupied'" in messages
    assert "Lachin: gap or overlap" in messages
    assert "no control history for Qubadli" in messages


def test_unreadable_control_file_names_it(tmp_path):
    with pytest.raises(ControlError, match="missing.csv"):
        load_control(tmp_path / "missing.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("just,some\nother,columns\n")
    with pytest.raises(ControlError, match="bad.csv:1: header lacks"):
        load_control(bad)


def test_period_at_returns_the_containing_period(tmp_path):
    body = "Lachin,1988-01-01,1992-05-18,azerbaijan,,\nLachin,1992-05-18,2024-12-31,armenian,cap,n\n"
    periods, _ = load_control(control_file(tmp_path, body))
    assert period_at(periods, "Lachin", date(1992, 5, 18)).event_id == "cap"
    assert period_at(periods, "Lachin", date(1992, 5, 17)).controlled_by == "azerbaijan"


def test_events_in_territory_is_a_spatial_join():
    # Two 1°-squares; events inside, outside and on another square.
    squares = gpd.GeoDataFrame({"name_en": ["A", "B"]}, geometry=[box(46, 39, 47, 40), box(47, 39, 48, 40)],
                               crs="EPSG:4326")
    events = pd.DataFrame({"id": ["in-a", "in-b", "nowhere"], "latitude": [39.5, 39.5, 41.0],
                           "longitude": [46.5, 47.5, 46.5]})
    assert list(events_in_territory(events, squares, "A")["id"]) == ["in-a"]
    assert list(events_in_territory(events, squares, "C")["id"]) == []
