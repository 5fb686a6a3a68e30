"""The layers bound to dates, built from the real control model and read back from the rendered Leaflet script."""

from __future__ import annotations

import html
import re
from datetime import date
from typing import Any

import geopandas as gpd
import pytest
from shapely.geometry import Point, shape

from dashboard.map import palette
from dashboard.map.popups import district_popup_html
from dashboard.map.territory_layers import (
    PATTERN_PANE,
    corridor_layer,
    peacekeeping_layer,
    territory_layer,
)
from dashboard.territory import Territory, load_territory
from tests.support.leaflet import geojson_features, render
from tests.support.mapdata import HOSTILE


@pytest.fixture(scope="module")
def territory() -> Territory:
    model, problems = load_territory()
    assert problems == [], problems[:3]
    return model


def territory_features(territory: Territory, when: date, lang: str = "en") -> list[dict[str, Any]]:
    layer = territory_layer(territory.front(when), territory.changed_since(when), territory.front_line(when), lang)
    return geojson_features(render(layer))


def holder_at(features: list[dict[str, Any]], lon: float, lat: float) -> str:
    """The holder of the territory feature covering the point (exactly one must)."""
    point = Point(lon, lat)
    (holder,) = [
        f["properties"]["controlled_by"]
        for f in features
        if f["properties"].get("kind") == "territory" and shape(f["geometry"]).covers(point)
    ]
    return str(holder)


def test_shusha_changes_holder_between_7_and_9_november_2020(territory: Territory) -> None:
    shusha = territory.place("Shusha")
    before = holder_at(territory_features(territory, date(2020, 11, 7)), shusha.lon, shusha.lat)
    after = holder_at(territory_features(territory, date(2020, 11, 9)), shusha.lon, shusha.lat)
    assert (before, after) == ("armenian", "azerbaijan")


def test_shusha_is_contested_and_hatched_on_8_november_2020(territory: Territory) -> None:
    shusha = territory.place("Shusha")
    features = territory_features(territory, date(2020, 11, 8))
    assert holder_at(features, shusha.lon, shusha.lat) == "contested"
    hatched = [f for f in features if f["properties"].get("pattern") == palette.CONTESTED_PATTERN]
    assert any(shape(f["geometry"]).covers(Point(shusha.lon, shusha.lat)) for f in hatched)


def is_contested(feature: dict[str, Any]) -> bool:
    return bool(feature["properties"]["controlled_by"] == "contested")


@pytest.mark.parametrize("when", [date(1992, 5, 9), date(2020, 11, 8)])
def test_contested_ground_carries_the_hatch_and_lets_it_show(territory: Territory, when: date) -> None:
    features = territory_features(territory, when)
    contested = [f for f in features if f["properties"].get("kind") == "territory" and is_contested(f)]
    hatches = [f for f in features if f["properties"].get("pattern") == palette.CONTESTED_PATTERN]
    assert contested and len(hatches) == len(contested)
    assert all(f["style"]["fillColor"] == f"url(#{palette.CONTESTED_PATTERN})" for f in hatches)
    assert all(f["style"]["fillOpacity"] == 0 for f in contested)  # the canvas fill is clear over the hatch


def test_patterns_are_drawn_by_an_svg_renderer_in_a_pane_that_takes_no_clicks(territory: Territory) -> None:
    when = date(2020, 11, 8)
    page = render(
        territory_layer(territory.front(when), territory.changed_since(when), territory.front_line(when), "en")
    )
    (pane,) = re.findall(r"var (pattern_pane_\w+) = \(function", page)
    assert f'"renderer": {pane},' in page and '"interactive": false' in page
    assert f'createPane("{PATTERN_PANE}")' in page and 'pointerEvents = "none"' in page
    assert 'id=\\"kd-contested\\"' in page and "patternUnits" in page
    assert "http" not in re.sub(r"https?://www\.w3\.org/\S*", "", page[page.index(pane) :])  # nothing fetched


@pytest.mark.parametrize("when", [date(1990, 1, 1), date(1993, 6, 1), date(2005, 1, 1), date(2021, 6, 1)])
def test_held_ground_fills_the_theatre_at_every_date(territory: Territory, when: date) -> None:
    held = [f for f in territory_features(territory, when) if f["properties"].get("kind") == "territory"]
    assert held, f"no territory features on {when}"
    area = sum(float(f["properties"]["area_km2"]) for f in held)
    assert area > 15_000  # the NKAO, the seven districts and the belt: ~19,000 km²


def test_the_front_line_is_a_line_between_the_holders_and_absent_without_one(territory: Territory) -> None:
    fronts = [f for f in territory_features(territory, date(2005, 1, 1)) if f["properties"].get("kind") == "front_line"]
    assert [f["geometry"]["type"] for f in fronts] in (["LineString"], ["MultiLineString"])
    assert fronts[0]["style"] == palette.FRONT_LINE_STYLE
    late = territory_features(territory, date(2024, 6, 1))
    assert not [f for f in late if f["properties"].get("kind") == "front_line"]  # nothing left to divide


def test_ground_taken_in_the_last_30_days_is_marked(territory: Territory) -> None:
    shusha = territory.place("Shusha")
    features = territory_features(territory, date(2020, 11, 20))
    changed = [f for f in features if f["properties"].get("kind") == "changed"]
    assert any(shape(f["geometry"]).covers(Point(shusha.lon, shusha.lat)) for f in changed)
    assert all(f["style"] == palette.RECENT_OUTLINE_STYLE for f in changed)
    assert [f for f in features if f["properties"].get("pattern") == palette.RECENT_PATTERN]
    calm = territory_features(territory, date(2005, 1, 1))
    assert not [f for f in calm if f["properties"].get("kind") == "changed"]


def test_territory_text_follows_the_language(territory: Territory) -> None:
    features = territory_features(territory, date(2005, 1, 1), "az")
    held = {f["properties"]["controlled_by"]: f["properties"]["tooltip"] for f in features if "kind" in f["properties"]}
    assert "Erməni qüvvələri" in held["armenian"] and "km²" in held["armenian"]


def corridor_features(territory: Territory, when: date, lang: str = "en") -> list[dict[str, Any]]:
    return geojson_features(render(corridor_layer(territory.corridor_at(when), lang)))


def test_no_corridor_feature_before_18_may_1992(territory: Territory) -> None:
    assert corridor_features(territory, date(1992, 5, 17)) == []
    assert corridor_features(territory, date(1990, 1, 1)) == []
    kinds = sorted(f["properties"]["kind"] for f in corridor_features(territory, date(1992, 5, 18)))
    assert kinds == ["corridor", "road"]


@pytest.mark.parametrize(
    "when, status",
    [
        (date(2000, 1, 1), "armenian-held"),
        (date(2021, 6, 1), "peacekeepers"),
        (date(2023, 1, 15), "blockaded"),
        (date(2023, 5, 1), "checkpoint"),
        (date(2023, 7, 1), "closed"),
        (date(2023, 9, 28), "exodus"),
        (date(2024, 6, 1), "closed"),
    ],
)
def test_the_corridor_is_styled_by_its_status(territory: Territory, when: date, status: str) -> None:
    features = corridor_features(territory, when)
    (road,) = [f for f in features if f["properties"]["kind"] == "road"]
    assert road["properties"]["corridor_status"] == status
    expected = palette.CORRIDOR_STATUS_STYLES[status]
    assert (road["style"]["color"], road["style"]["dashArray"]) == (expected["color"], expected["dashArray"])
    assert features[-1]["properties"]["kind"] == "road"  # drawn over its strip


def test_each_corridor_status_looks_different_without_colour() -> None:
    dashes = [style["dashArray"] for style in palette.CORRIDOR_STATUS_STYLES.values()]
    assert len(set(dashes)) == len(dashes) - 1  # the two solid ones differ by colour only: held vs peacekeepers


def test_corridor_text_is_in_the_language_and_escaped(territory: Territory) -> None:
    frame = territory.corridor_at(date(2021, 6, 1)).assign(source=HOSTILE)
    page = render(corridor_layer(frame, "hy"))
    assert HOSTILE not in page
    assert "ռուս խաղաղապահների" in geojson_features(page)[0]["properties"]["tooltip"]


def test_the_peacekeeping_zone_exists_from_november_2020_to_june_2024(territory: Territory) -> None:
    def zone(when: date) -> list[dict[str, Any]]:
        return geojson_features(render(peacekeeping_layer(territory.peacekeeping_zone(when), "en")))

    assert zone(date(2020, 11, 9)) == [] and zone(date(2024, 6, 12)) == []
    (feature,) = zone(date(2021, 6, 1))
    assert feature["style"] == palette.PEACEKEEPING_STYLE
    stepanakert = territory.place("Stepanakert")
    assert shape(feature["geometry"]).covers(Point(stepanakert.lon, stepanakert.lat))


def test_layers_reject_frames_without_a_crs(territory: Territory) -> None:
    front = territory.front(date(2005, 1, 1))
    bare = gpd.GeoDataFrame(front.drop(columns="geometry"), geometry=list(front.geometry))
    with pytest.raises(ValueError, match="front has no CRS"):
        territory_layer(bare, territory.changed_since(date(2005, 1, 1)), front.geometry.iloc[0].boundary, "en")


def test_a_district_popup_gives_the_ground_each_side_held(territory: Territory) -> None:
    (aghdam,) = [r for r in territory.district_shares(date(2005, 1, 1)) if r["territory"] == "Aghdam"]
    names = {"name_en": "Aghdam", "name_az": "Ağdam", "name_hy": "Աղդամ"}
    text = html.unescape(str(district_popup_html(names, aghdam["area_km2"], "partial", "en", held=aghdam)))
    armenian, azerbaijan = (float(aghdam[f"{h}_km2"]) for h in ("armenian", "azerbaijan"))  # type: ignore[arg-type]
    assert f"Armenian forces {armenian:,.0f} km²" in text and f"Azerbaijani forces {azerbaijan:,.0f} km²" in text
    assert "At the window's end: Armenian forces" in text and f"({armenian / float(aghdam['area_km2']):.0%})" in text
