"""Facts of the bundled event table checked against sources we read (each test names its source)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import schema
from dashboard.data import load_events
from dashboard.gazetteer import default_gazetteer


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    result = load_events(schema.EVENTS_PATH, default_gazetteer())
    assert result.problems == []
    return result.events


def one(events: pd.DataFrame, day: str, location: str, event_type: str) -> pd.Series:
    """The single event of that type at that place starting that day."""
    found = events[
        (events["date_start"] == pd.Timestamp(day))
        & (events["location"] == location)
        & (events["event_type"] == event_type)
    ]
    assert len(found) == 1, found[["id", "title"]]
    return found.iloc[0]


def test_barda_strike_of_28_october_2020_killed_at_least_21_azerbaijani_civilians(events):
    # HRW, "Armenia: Cluster Munitions Kill Civilians in Azerbaijan", 2020-10-30
    # (https://www.tolerance.ca/ArticleExt.aspx?ID=480806&L=en): at least 21 civilians killed, 70 wounded.
    event = one(events, "2020-10-28", "Barda", "shelling")
    assert event["fatalities_high"] >= 21 and event["fatalities_of"] == "azerbaijani"
    assert event["side_b"] == "Azerbaijani civilians" and bool(event["verified"])


def test_ganja_strike_of_17_october_2020_is_a_range_from_the_first_official_count_to_amnestys(events):
    # Azerbaijan MFA via Trend, 2020-10-17 (https://en.trend.az/azerbaijan/politics/3318508.html): 12 killed;
    # Amnesty report of 2021-01-13 via today.az (http://www.today.az/news/politics/202482.html): 21 killed.
    event = one(events, "2020-10-17", "Ganja", "shelling")
    assert event["fatalities_low"] <= 13 and event["fatalities_high"] >= 21


def test_ganja_strike_of_11_october_2020_killed_ten_civilians(events):
    # HRW findings as quoted by https://44days.info/ganja/: a Scud-B at about 01:50 on 11 October killed 10.
    event = one(events, "2020-10-11", "Ganja", "shelling")
    assert event["fatalities_high"] == 10 and event["side_a"] == "Armenian armed forces"


def test_fuel_depot_explosion_of_25_september_2023_counts_the_final_toll(events):
    # RFE/RL, 2023-09-26 (https://www.azatutyun.am/a/32612477.html): 68 confirmed dead at first; Armenia's
    # Investigative Committee later (https://nashvernisazh.com/ar/news/3461): 218 dead.
    event = events[events["id"] == "2023-09-25-fuel-depot-explosion"].iloc[0]
    assert event["date_start"] == pd.Timestamp("2023-09-25") and event["event_type"] == "incident"
    assert event["fatalities_high"] >= 218 and event["fatalities_of"] == "armenian"


def test_strikes_on_stepanakert_and_on_ganja_name_the_sides_the_same_way(events):
    strikes = events[events["event_type"].isin(["shelling", "airstrike"])]
    on_stepanakert = strikes[strikes["location"] == "Stepanakert"]["side_b"]
    on_ganja = strikes[strikes["location"] == "Ganja"]["side_b"]
    assert (on_stepanakert.str.endswith("civilians") | on_stepanakert.str.contains("forces")).all()
    assert set(on_ganja) == {"Azerbaijani civilians"}
    assert "Armenian civilians" in set(on_stepanakert)


def test_every_event_links_a_source_and_events_abroad_sit_where_they_happened(events):
    assert (events["source_url"].str.match(r"https?://")).all()
    abroad = events[events["outside_region"]]
    assert {"Moscow", "Bishkek", "New York"} <= set(abroad["location"])
    assert not (abroad["location"] == "Nagorno-Karabakh region").any()
