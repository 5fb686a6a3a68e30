"""Contract with folium: our raw-rendering elements render the text folium renders (fails when folium changes)."""

from __future__ import annotations

import re
from importlib.metadata import version

import folium

from dashboard.map.folium_overrides import FOLIUM_VERSION, ControlLastMap, GeoJson, GeoJsonPopup, GeoJsonTooltip
from dashboard.map.geojson import features_and_bounds
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
    data, bounds = collection()
    ours = GeoJson(
        data,
        bounds=bounds,
        style_function=style,
        control=False,
        tooltip=GeoJsonTooltip(fields=["tooltip"], labels=False),
        popup=GeoJsonPopup(fields=["popup"], labels=False),
    )
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
