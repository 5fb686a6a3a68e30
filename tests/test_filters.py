"""Filters applied together to one frame: types, text, place, actors, disputed, verification, fatalities."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.filters import Filters, Near, actors, apply, best_fatalities, within_km
from dashboard.gazetteer import Gazetteer, Place
from dashboard.search import SearchIndex
from tests.support.mapdata import event, events_frame

SHUSHA = (39.7601, 46.7499)


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return events_frame(
        [
            event(
                id="a",
                event_type="capture",
                title="Capture of Shusha",
                side_a="Army X",
                side_b="Militia Y; Army Z",
                disputed=True,
                claimed_by="",
                verified=True,
                fatalities_best=20,
            ),
            event(
                id="b",
                event_type="shelling",
                title="Shelling",
                location="Stepanakert",
                latitude=39.8177,
                longitude=46.7528,
                side_a="Army Z",
                side_b="Civilians",
                disputed=False,
                claimed_by="Army Z ministry",
                verified=False,
                fatalities_low=1,
                fatalities_high=3,
            ),
            event(
                id="c",
                event_type="diplomacy",
                title="Talks",
                location="Moscow",
                latitude=55.75,
                longitude=37.62,
                side_a="Government X",
                side_b="Government Z",
                disputed=False,
                claimed_by="",
                verified=False,
            ),
            event(
                id="d",
                event_type="massacre",
                title="Killings",
                latitude=None,
                longitude=None,
                side_a="Militia Y",
                side_b="",
                disputed=True,
                claimed_by="Army X ministry",
                verified=True,
                fatalities_high=100,
            ),
        ]
    )


@pytest.fixture(scope="module")
def index(events) -> SearchIndex:
    shusha = Place("Shusha", "Şuşa", "Շուշի", (), "town", *SHUSHA, "test")
    return SearchIndex.build(events, Gazetteer([shusha]))


def ids(frame: pd.DataFrame) -> list[str]:
    return list(frame["id"])


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), ["a", "b", "c", "d"]),
        (Filters(types=("capture", "massacre")), ["a", "d"]),
        (Filters(query="Şuşa"), ["a", "d"]),  # d is located at Shusha too
        (Filters(near=Near("Shusha", *SHUSHA, km=10)), ["a", "b"]),  # d has no coordinates
        (Filters(near=Near("Shusha", *SHUSHA, km=5)), ["a"]),
        (Filters(actors=("Army Z",)), ["a", "b"]),  # either side, one of several names in a cell
        (Filters(actors=("Militia Y", "Government Z")), ["a", "c", "d"]),
        (Filters(disputed="only"), ["a", "d"]),
        (Filters(disputed="hide"), ["b", "c"]),
        (Filters(evidence="hide-unverified-claims"), ["a", "c", "d"]),  # b is one side's claim, unconfirmed
        (Filters(evidence="verified"), ["a", "d"]),
        (Filters(min_fatalities=3), ["a", "d"]),  # b's best figure is its low one, 1
        (Filters(min_fatalities=1), ["a", "b", "d"]),
        (Filters(types=("capture", "shelling"), disputed="hide", evidence="hide-unverified-claims"), []),
        (Filters(query="shusha", actors=("Militia Y",), min_fatalities=50), ["d"]),
    ],
)
def test_filters_narrow_one_frame_together(events, index, filters, expected):
    assert ids(apply(events, filters, index)) == expected


def test_active_counts_the_filters_that_narrow_and_cleared_resets_them():
    filters = Filters(types=("battle",), query="x", evidence="verified")
    assert filters.active == 3
    assert filters.cleared() == Filters() and Filters().active == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"types": ("raid",)}, "raid"),
        ({"disputed": "maybe"}, "maybe"),
        ({"evidence": "yes"}, "yes"),
        ({"min_fatalities": -1}, "-1"),
    ],
)
def test_bad_filter_values_are_named(changes, message):
    with pytest.raises(ValueError, match=message):
        Filters(**changes)


def test_a_query_needs_an_index_of_the_same_rows(events, index):
    with pytest.raises(ValueError, match="SearchIndex"):
        apply(events, Filters(query="x"))
    with pytest.raises(ValueError, match="SearchIndex"):
        apply(events.iloc[:2], Filters(query="x"), index)


def test_actors_are_listed_most_frequent_first(events):
    assert actors(events)[:3] == ["Army Z", "Militia Y", "Army X"]


def test_the_best_figure_falls_back_to_low_then_high(events):
    assert best_fatalities(events).tolist() == [20, 1, pd.NA, 100]


def test_distance_is_great_circle(events):
    # Shusha to Stepanakert is about 6.6 km.
    assert within_km(events, Near("x", *SHUSHA, km=6.8)).tolist() == [True, True, False, False]
    assert within_km(events, Near("x", *SHUSHA, km=6.4)).tolist() == [True, False, False, False]
