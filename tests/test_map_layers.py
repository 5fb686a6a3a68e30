"""The dynamic layers: events as markers or grid cells, districts coloured by control; rendered and read back."""

from __future__ import annotations

import re

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from dashboard.map import palette
from dashboard.map.layers import districts_layer, events_layer, grid_cells
from tests.support.leaflet import circles, geojson_features, render
from tests.support.mapdata import event, events_frame, spread_events, three_districts


@pytest.fixture
def districts() -> gpd.GeoDataFrame:
    return three_districts()


# --- events -------------------------------------------------------------------------------------------


def test_markers_are_coloured_by_event_type() -> None:
    frame = events_frame(
        [
            event(id="a", event_type="battle"),
            event(id="b", event_type="protest"),
            event(id="c", event_type="not-a-type"),
        ]
    )
    colours = {m["eventId"]: m["fill"] for m in circles(render(events_layer(frame, "en")))}
    assert colours == {
        "a": palette.EVENT_COLORS["battle"],
        "b": palette.EVENT_COLORS["protest"],
        "c": palette.UNKNOWN_EVENT_COLOR,
    }


def test_rendered_radius_follows_fatalities_best() -> None:
    frame = events_frame([event(id="none"), event(id="few", fatalities_best=3), event(id="many", fatalities_best=3000)])
    radius = {m["eventId"]: m["radius"] for m in circles(render(events_layer(frame, "en")))}
    assert radius["none"] == palette.RADIUS_UNKNOWN
    assert radius["few"] < radius["many"]
    assert radius["many"] == pytest.approx(palette.marker_radius(3000), abs=0.01)


def test_selected_event_is_bigger_outlined_and_drawn_last() -> None:
    frame = events_frame([event(id="a"), event(id="b"), event(id="c")])
    markers = circles(render(events_layer(frame, "en", selected_id="b")))
    assert [m["eventId"] for m in markers][-1] == "b"
    by_id = {m["eventId"]: m for m in markers}
    assert by_id["b"]["radius"] == by_id["a"]["radius"] + palette.SELECTED_EXTRA_RADIUS
    assert (by_id["b"]["stroke"], by_id["b"]["weight"]) == ("#000000", 3)
    assert by_id["a"]["stroke"] == by_id["a"]["fill"] and by_id["a"]["weight"] == 1


def test_rows_without_coordinates_are_skipped() -> None:
    frame = events_frame([event(id="here"), event(id="nowhere", latitude=np.nan, longitude=np.nan)])
    assert [m["eventId"] for m in circles(render(events_layer(frame, "en")))] == ["here"]


def test_marker_html_is_kept_in_the_cache_and_reused() -> None:
    cache: dict[str, tuple[str, str]] = {}
    events_layer(events_frame([event(id="a", title="First")]), "en", html_cache=cache)
    assert "First" in cache["a"][0]
    (marker,) = circles(render(events_layer(events_frame([event(id="a", title="Changed")]), "en", html_cache=cache)))
    assert "First" in marker["tooltip"]  # the cache belongs to one file and language


def test_events_frame_without_place_is_rejected_by_name() -> None:
    with pytest.raises(ValueError, match="place"):
        events_layer(events_frame([event()]).drop(columns="place"), "en")


def test_max_markers_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_markers"):
        events_layer(events_frame([event()]), "en", max_markers=0)


# --- aggregation --------------------------------------------------------------------------------------


def test_events_above_max_markers_are_drawn_as_grid_cells() -> None:
    frame = spread_events(500)
    markers = circles(render(events_layer(frame, "en", max_markers=50)))
    cells_of_005 = len(
        {(int(np.floor(a / 0.05)), int(np.floor(b / 0.05))) for a, b in zip(frame["latitude"], frame["longitude"])}
    )
    assert all("eventCount" in m and "eventId" not in m for m in markers)
    assert len(markers) <= 50 and len(markers) <= cells_of_005
    assert sum(m["eventCount"] for m in markers) == 500
    assert all(re.fullmatch(r"\d+ events?", m["tooltip"]) for m in markers)


def test_grid_keeps_the_selected_event_as_its_own_marker_on_top() -> None:
    markers = circles(render(events_layer(spread_events(500), "en", selected_id="e7", max_markers=50)))
    assert markers[-1]["eventId"] == "e7" and markers[-1]["stroke"] == "#000000"
    assert sum(m.get("eventCount", 0) for m in markers) == 500


def test_events_up_to_max_markers_are_drawn_one_by_one() -> None:
    markers = circles(render(events_layer(spread_events(50), "en", max_markers=50)))
    assert sorted(m["eventId"] for m in markers) == sorted(f"e{i}" for i in range(50))


def test_events_of_one_grid_cell_share_one_circle() -> None:
    frame = events_frame([event(id=str(i), latitude=39.71 + i * 0.001, longitude=46.71) for i in range(5)])
    (cell,) = circles(render(events_layer(frame, "en", max_markers=2)))
    assert cell["eventCount"] == 5 and cell["tooltip"] == "5 events"


def test_grid_cells_list_the_most_common_types_first() -> None:
    kinds = ["battle", "battle", "shelling", "protest", "protest", "protest", "ceasefire"]
    frame = events_frame([event(id=str(i), event_type=k, latitude=39.71, longitude=46.71) for i, k in enumerate(kinds)])
    cells, size = grid_cells(frame, max_cells=5)
    assert size == 0.05 and cells["top"].iloc[0] == [("protest", 3), ("battle", 2), ("ceasefire", 1)]


def test_grid_doubles_its_cells_until_few_enough() -> None:
    cells, size = grid_cells(spread_events(2000), max_cells=10)
    assert len(cells) <= 10 and size > 0.05 and cells["count"].sum() == 2000


def test_hundred_thousand_events_make_a_small_page() -> None:
    page = render(events_layer(spread_events(100_000), "en"))
    assert len(circles(page)) <= 3000
    assert len(page.encode()) < 1_000_000


# --- districts ----------------------------------------------------------------------------------------


def test_districts_are_outlines_over_the_territory_with_their_status(districts: gpd.GeoDataFrame) -> None:
    status = {"Shusha": "azerbaijan", "Lachin": "armenian", "Kalbajar": "nonsense"}
    features = geojson_features(render(districts_layer(districts, status, "en")))
    assert {f["properties"]["name_en"]: f["properties"]["status"] for f in features} == {
        "Shusha": "azerbaijan",
        "Lachin": "armenian",
        "Kalbajar": "unknown",
    }
    assert all(f["style"]["fill"] is False and "fillColor" not in f["style"] for f in features)


def test_district_missing_from_status_is_unknown_and_dashed(districts: gpd.GeoDataFrame) -> None:
    features = geojson_features(render(districts_layer(districts, {"Lachin": "partial"}, "en")))
    by_name = {f["properties"]["name_en"]: f for f in features}
    assert by_name["Lachin"]["properties"]["status"] == "partial" and not by_name["Lachin"]["style"]["dashArray"]
    assert by_name["Shusha"]["properties"]["status"] == "unknown"
    assert by_name["Shusha"]["style"]["dashArray"]


def test_district_popup_gives_the_ground_each_side_held(districts: gpd.GeoDataFrame) -> None:
    held = {"Lachin": {"area_km2": 100.0, "armenian_km2": 75.0, "azerbaijan_km2": 25.0, "contested_km2": 0.0}}
    features = geojson_features(render(districts_layer(districts, {"Lachin": "partial"}, "en", held=held)))
    popups = {f["properties"]["name_en"]: f["properties"]["popup"] for f in features}
    assert "Armenian forces 75 km² (75%) · Azerbaijani forces 25 km² (25%)" in popups["Lachin"]
    assert "km² (" not in popups["Shusha"]


def test_every_district_polygon_is_identifiable(districts: gpd.GeoDataFrame) -> None:
    features = geojson_features(render(districts_layer(districts, {}, "en")))
    assert sorted(f["properties"]["name_en"] for f in features) == ["Kalbajar", "Lachin", "Shusha"]


def test_district_popup_shows_area_and_control_in_the_language(districts: gpd.GeoDataFrame) -> None:
    features = geojson_features(render(districts_layer(districts, {"Lachin": "armenian"}, "az")))
    lachin = next(f for f in features if f["properties"]["name_en"] == "Lachin")
    assert "Sahə: 100 km²" in lachin["properties"]["popup"]
    assert "Nəzarət: Erməni qüvvələri" in lachin["properties"]["popup"]


def test_districts_in_a_metric_crs_are_drawn_in_degrees(districts: gpd.GeoDataFrame) -> None:
    features = geojson_features(render(districts_layer(districts.to_crs(32638), {}, "en")))
    lon, lat = features[0]["geometry"]["coordinates"][0][0]
    assert 45 < lon < 48 and 39 < lat < 40


def test_districts_must_be_a_geodataframe_with_a_crs(districts: gpd.GeoDataFrame) -> None:
    with pytest.raises(TypeError, match="DataFrame"):
        districts_layer(pd.DataFrame(districts.drop(columns="geometry")), {}, "en")
    with pytest.raises(ValueError, match="no CRS"):
        districts_layer(districts.set_crs(None, allow_override=True), {}, "en")


def test_unknown_language_is_rejected(districts: gpd.GeoDataFrame) -> None:
    with pytest.raises(ValueError, match="lang"):
        districts_layer(districts, {}, "ru")


def test_markers_cluster_when_they_overlap_and_the_selected_one_opens_its_popup() -> None:
    events = events_frame([event(id="a"), event(id="b"), event(id="c")])
    page = render(events_layer(events, "en", selected_id="b"))
    markers = {m["eventId"]: m for m in circles(page)}
    assert [markers[i]["open"] for i in ("a", "c", "b")] == [False, False, True]
    assert '"cluster":true' in page


def test_a_selected_district_is_outlined_and_takes_no_clicks() -> None:
    from dashboard.map.layers import selected_district_outline

    outline = selected_district_outline(three_districts(), "Lachin")
    features = geojson_features(render(folium.FeatureGroup(name="x").add_child(outline)))
    assert [f["properties"]["name_en"] for f in features] == ["Lachin"]
    assert features[0]["style"] == palette.SELECTED_DISTRICT_STYLE
    assert selected_district_outline(three_districts(), None) is None
    assert selected_district_outline(three_districts(), "Atlantis") is None
