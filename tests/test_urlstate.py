"""The view to and from query parameters: round trips, short links, tolerant reading."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard import schema
from dashboard.filters import Filters, Near
from dashboard.urlstate import ViewState, from_params, to_params, with_filters

FULL = ViewState(
    start=date(2020, 9, 27),
    end=date(2020, 11, 10),
    event="2020-11-08-capture-of-shusha",
    district="Lachin",
    lang="hy",
    q="Şuşa capture",
    types=("capture", "shelling"),
    actors=("Azerbaijani armed forces", "Karabakh Armenian forces"),
    disputed="hide",
    evidence="hide-unverified-claims",
    min_fatalities=5,
    place="Shusha",
    km=25.0,
    step="week",
    speed="fast",
    basemap="osm",
)


@pytest.mark.parametrize("state", [ViewState(), FULL, ViewState(lang="az", q="Xocalı"), ViewState(types=("battle",))])
def test_every_field_round_trips(state):
    assert from_params(to_params(state)) == state


def test_defaults_stay_out_of_the_link():
    assert to_params(ViewState()) == {"start": "1988-01-01", "end": "2024-12-31"}


def test_a_full_view_writes_readable_parameters():
    params = to_params(FULL)
    assert params["types"] == "capture,shelling"
    assert params["actors"] == "Azerbaijani armed forces;Karabakh Armenian forces"
    assert params["km"] == "25" and params["lang"] == "hy" and params["q"] == "Şuşa capture"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ViewState()),
        ({"start": "2021-13-01", "end": "nonsense"}, ViewState()),
        ({"start": "2000-01-01", "end": "1999-01-01"}, ViewState(start=date(1999, 1, 1), end=date(2000, 1, 1))),
        ({"lang": "fr", "disputed": "sometimes", "evidence": "?", "step": "hour", "speed": "warp"}, ViewState()),
        ({"types": "capture,raid,,capture"}, ViewState(types=("capture",))),
        ({"min_fatalities": "-3"}, ViewState()),
        ({"min_fatalities": "many"}, ViewState()),
        ({"km": "0"}, ViewState(km=1.0)),
        ({"km": "inf"}, ViewState()),
        ({"district": "Atlantis"}, ViewState()),
        ({"q": "  Shusha  ", "place": " "}, ViewState(q="Shusha")),
        ({"lang": ["en", "az"]}, ViewState(lang="az")),  # a repeated key: the last one, as st.query_params does
    ],
)
def test_unreadable_values_fall_back_to_defaults(params, expected):
    assert from_params(params) == expected


def test_the_window_is_clamped_to_the_timeline():
    state = from_params({"start": "1900-01-01", "end": "2099-01-01"})
    assert state.window == (schema.TIMELINE_START, schema.TIMELINE_END)


def test_filters_go_to_and_from_the_view():
    filters = FULL.filters(Near("Shusha", 39.76, 46.75, km=25.0))
    assert filters.types == FULL.types and filters.query == FULL.q and filters.min_fatalities == 5
    assert with_filters(FULL, filters) == FULL
    assert with_filters(FULL, Filters()).filters() == Filters()
    assert with_filters(FULL, Filters()).place is None
