"""Contract with folium: our raw-rendering elements render the text folium renders (fails when folium changes)."""

from __future__ import annotations

import re
from importlib.metadata import version

import folium

from dashboard.map.folium_overrides import FOLIUM_VERSION, ControlLastMap, GeoJson
from dashboard.map.geojson import detail_geojson, features_and_bounds
from tests.support.mapdata import three_districts

_RANDOM_ID = re.compile(r"[0-9a-f]{32}")


def rendered(*elements: folium.MacroElement) -> str:
    m = folium.Map(location=[39.5, 46.2], tiles=None)
    for element in elements:
        element.add_to(m)
    return _RANDOM_ID.sub("ID", m.get_root().render())


def collection() -> tuple[dict, list]:
    frame = three_districts()
    return features_and_bounds(
        frame, {"name_en": frame["name_en"], "tooltip": frame["name_hy"], "popup": frame["name_az"]}
    )


def style(_: dict) -> dict:
    return {"color": "#333333", "weight": 1}


def test_raw_geojson_renders_what_folium_renders() -> None:
    frame = three_districts()
    ours = detail_geojson(frame, list(frame["name_hy"]), list(frame["name_az"]), style)  # as the layers make them
    data, _ = features_and_bounds(frame, {"tooltip": frame["name_hy"], "popup": frame["name_az"]})
    theirs = folium.GeoJson(
        data,
        style_function=style,
        control=False,
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False),
    )
    assert rendered(ours) == rendered(theirs)


def test_given_bounds_equal_the_bounds_folium_computes() -> None:
    data, bounds = collection()
    theirs = folium.GeoJson(data).get_bounds()
    assert [[round(v, 6) for v in corner] for corner in GeoJson(data, bounds=bounds).get_bounds()] == [
        [round(v, 6) for v in corner] for corner in theirs
    ]


def test_a_layer_control_added_first_is_rendered_after_the_layers() -> None:
    m = ControlLastMap(tiles=None)
    folium.LayerControl().add_to(m)
    folium.FeatureGroup(name="late").add_to(m)
    page = m.get_root().render()
    assert page.index("L.featureGroup(") < page.index("L.control.layers(")


def test_the_installed_folium_is_the_version_the_overrides_were_written_for() -> None:
    assert version("folium").startswith(FOLIUM_VERSION + ".")


def test_circle_layer_can_cluster_and_open_a_marker_and_registers_its_markers() -> None:
    from dashboard.map.folium_overrides import CircleLayer
    from tests.support.leaflet import circles, render

    columns = {
        "lat": [39.8, 39.8],
        "lng": [46.7, 46.7],
        "radius": [5, 9],
        "fill": ["#000000"] * 2,
        "stroke": ["#000000"] * 2,
        "weight": [1, 3],
        "fillOpacity": [0.7, 0.95],
        "keys": ["a", "b"],
        "tooltip": ["a", "b"],
        "popup": ["a", "b"],
        "popupWidth": 300,
        "open": [False, True],
        "cluster": True,
    }
    page = render(folium.FeatureGroup(name="events").add_child(CircleLayer("eventId", **columns)))
    assert [m["eventId"] for m in circles(page)] == ["a", "b"]
    assert "L.markerClusterGroup(" in page and "spiderfyOnMaxZoom: true" in page
    assert "marker.addTo(bubbles && !open ? bubbles : group)" in page  # the opened one stays out of bubbles
    assert "map._kdEventMarkers = markers" in page and "m.openPopup()" in page
