"""The groups that follow the window's end date: what each shows on known dates, and keys that let the page
render each group once for all the dates that show the same thing."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any

import pytest

from dashboard import geodata, schema
from dashboard.map import boundary
from dashboard.map.base import (
    DYNAMIC_LAYERS,
    LAYER_CONTACT_LINE,
    LAYER_CORRIDOR,
    LAYER_DISTRICTS,
    LAYER_EVENTS,
    LAYER_PEACEKEEPING,
    LAYER_TERRITORY,
)
from dashboard.map.dated import CONTACT_LINE_END, CONTACT_LINE_START, DATED_LAYERS, DatedLayers, contact_line_shown
from dashboard.territory import load_territory
from tests.support.leaflet import geojson_features, render


@pytest.fixture(scope="module")
def dated() -> DatedLayers:
    territory, _ = load_territory()
    return DatedLayers(territory, geodata.load_contact_line(), geodata.load_districts())


def features(dated: DatedLayers, name: str, when: date) -> list[dict[str, Any]]:
    return geojson_features(render(dated.group(name, when, "en")))


def test_dated_groups_come_in_the_page_order_under_the_events() -> None:
    assert DATED_LAYERS == DYNAMIC_LAYERS[:-1] and DYNAMIC_LAYERS[-1] == LAYER_EVENTS
    assert DATED_LAYERS[0] == LAYER_TERRITORY  # drawn first: every other group lies on top of it


@pytest.mark.parametrize("when", [date(1990, 1, 1), date(1994, 5, 11), date(2020, 11, 10), date(2021, 6, 1)])
def test_the_line_of_contact_is_absent_outside_1994_2020(dated: DatedLayers, when: date) -> None:
    assert not contact_line_shown(when)
    assert features(dated, LAYER_CONTACT_LINE, when) == []


@pytest.mark.parametrize("when", [date(1994, 5, 12), date(2005, 1, 1), date(2020, 11, 9)])
def test_the_line_of_contact_is_drawn_from_the_ceasefire_to_the_2020_statement(dated: DatedLayers, when: date) -> None:
    (line,) = features(dated, LAYER_CONTACT_LINE, when)
    assert line["geometry"]["type"] in ("LineString", "MultiLineString") and line["style"]["dashArray"]


def test_the_line_of_contact_dates_are_those_of_the_control_rules(dated: DatedLayers) -> None:
    (rule,) = [r for r in dated.territory.model.rules if r.kind == "line_of_contact"]
    assert rule.latest == CONTACT_LINE_START == dated.territory.frontline.loc_start
    assert CONTACT_LINE_END == date(2020, 11, 10)


def test_no_corridor_and_no_peacekeeping_zone_in_1990(dated: DatedLayers) -> None:
    for name in (LAYER_CORRIDOR, LAYER_PEACEKEEPING):
        assert features(dated, name, date(1990, 1, 1)) == []
        assert dated.key(name, date(1990, 1, 1)) is None


def test_the_territory_group_is_never_empty_inside_the_timeline(dated: DatedLayers) -> None:
    day = schema.TIMELINE_START + timedelta(days=60)
    while day <= schema.TIMELINE_END:
        drawn = [f for f in features(dated, LAYER_TERRITORY, day) if f["properties"].get("kind") == "territory"]
        assert drawn, f"the territory layer is empty on {day}"
        day += timedelta(days=365)


def test_districts_carry_their_status_and_held_ground_of_the_date(dated: DatedLayers) -> None:
    late = {f["properties"]["name_en"]: f for f in features(dated, LAYER_DISTRICTS, schema.TIMELINE_END)}
    assert sorted(late) == sorted(schema.DISTRICT_NAMES)
    assert {f["properties"]["status"] for f in late.values()} == {"azerbaijan"}
    held_2005 = {f["properties"]["name_en"]: f for f in features(dated, LAYER_DISTRICTS, date(2005, 1, 1))}
    assert held_2005["Kalbajar"]["properties"]["status"] == "armenian"
    assert "Armenian forces" in held_2005["Aghdam"]["properties"]["popup"]


def test_dates_with_one_key_render_the_same_script(dated: DatedLayers) -> None:
    first, second = date(2005, 1, 1), date(2005, 6, 1)  # no change of control in between
    for index, name in enumerate(DATED_LAYERS):
        assert dated.key(name, first) == dated.key(name, second), name
        scripts = {boundary.group_script(dated.group(name, day, "en"), index) for day in (first, second)}
        assert len({_without_ids(s) for s in scripts}) == 1, name


def test_keys_change_where_the_map_changes(dated: DatedLayers) -> None:
    assert dated.key(LAYER_TERRITORY, date(2020, 11, 7)) != dated.key(LAYER_TERRITORY, date(2020, 11, 9))
    assert dated.key(LAYER_CORRIDOR, date(2022, 12, 11)) != dated.key(LAYER_CORRIDOR, date(2022, 12, 12))
    assert dated.key(LAYER_CONTACT_LINE, date(2020, 11, 9)) != dated.key(LAYER_CONTACT_LINE, date(2020, 11, 10))


def test_few_keys_over_the_whole_timeline(dated: DatedLayers) -> None:
    days = [schema.TIMELINE_START + timedelta(days=n) for n in range(0, 13515, 3)]
    for name in DATED_LAYERS:
        assert len({dated.key(name, d) for d in days}) < 200, name  # renderings cached per key stay few


def test_unknown_group_names_are_rejected(dated: DatedLayers) -> None:
    with pytest.raises(ValueError, match="no dated layer 'Events'"):
        dated.key(LAYER_EVENTS, date(2000, 1, 1))
    with pytest.raises(ValueError, match="one of Territory"):
        dated.group("Rivers", date(2000, 1, 1), "en")


def _without_ids(script: str) -> str:
    """A script with folium's random element ids blanked."""
    return re.sub(r"[0-9a-f]{32}", "ID", script)


def test_groups_rendered_on_two_threads_at_once_come_out_as_rendered_alone(dated: DatedLayers) -> None:
    # Streamlit runs each session's script on its own thread: two sessions may render a group at the same moment.
    jobs = [(name, when) for name in DATED_LAYERS for when in (date(1993, 8, 1), date(2020, 10, 20), date(2021, 5, 1))]

    def script(job: tuple[str, date]) -> str:
        name, when = job
        return _without_ids(boundary.group_script(dated.group(name, when, "en"), DATED_LAYERS.index(name)))

    alone = [script(job) for job in jobs]
    with ThreadPoolExecutor(max_workers=2) as pool:
        for _ in range(3):
            assert list(pool.map(script, jobs * 2)) == alone * 2
