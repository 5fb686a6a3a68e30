"""The static map: base layers, labels, tiles online, the layer control; offline nothing leaves the machine."""

from __future__ import annotations

import html
import json
import re

import folium
import geopandas as gpd
import pytest

from dashboard import schema
from dashboard.gazetteer import Place
from dashboard.map import assets
from dashboard.map.base import (
    BASEMAP_PANE,
    BASEMAP_PANE_Z_INDEX,
    DYNAMIC_LAYERS,
    LAYER_CONTACT_LINE,
    LAYER_CORRIDOR,
    LAYER_COUNTRIES,
    LAYER_DISTRICTS,
    LAYER_EVENTS,
    LAYER_NKAO,
    VECTOR_BASEMAP,
    StaticLayers,
    base_map,
    contact_line_layer,
    dynamic_layer_control,
    feature_group_names,
)
from dashboard.map.layers import districts_layer, events_layer
from dashboard.map.territory_layers import PATTERN_PANE_Z_INDEX
from tests.support.leaflet import decode_data_url, geojson_features, render, resource_references
from tests.support.mapdata import event, events_frame, static_layers, three_districts


@pytest.fixture
def layers() -> StaticLayers:
    return static_layers()


def full_map(layers: StaticLayers, tiles: bool) -> folium.Map:
    """The base map with every dynamic group: districts and events drawn, the dated ones empty."""
    m = base_map(layers, tiles=tiles)
    drawn = {
        LAYER_DISTRICTS: districts_layer(three_districts(), {"Lachin": "armenian"}, "en"),
        LAYER_EVENTS: events_layer(events_frame([event()]), "en"),
    }
    for name in DYNAMIC_LAYERS:
        (drawn.get(name) or folium.FeatureGroup(name=name)).add_to(m)
    return m


def test_offline_map_references_nothing_off_localhost(layers) -> None:
    page = full_map(layers, tiles=False).get_root().render()
    refs = resource_references(page)
    assert refs, "the page must still load Leaflet"
    assert [r for r in refs if not r.startswith(("data:", "#"))] == []
    assert "L.tileLayer" not in page
    for ref in refs:
        if ref.startswith("data:text/css"):
            assert not re.search(r"url\(\s*[\"']?(https?:)?//", decode_data_url(ref))


@pytest.mark.parametrize("tiles", [False, True])
def test_assets_are_leaflet_jquery_and_markercluster_from_folium_offline(layers, tiles) -> None:
    urls = assets.resource_urls(base_map(layers, tiles=tiles))
    assert urls and all(u.startswith("data:") for u in urls)
    contents = [decode_data_url(u) for u in urls]
    assert any("Leaflet 1.9.3" in c for c in contents)
    assert any("jQuery v3.7.1" in c for c in contents)
    assert any(".leaflet-container" in c for c in contents)
    assert any("markerClusterGroup" in c for c in contents) and any(".leaflet-cluster-anim" in c for c in contents)


def test_offline_assets_can_be_served_files_instead_of_data_urls(layers, tmp_path) -> None:
    written = assets.install_offline_assets(tmp_path)
    urls = assets.resource_urls(base_map(layers, tiles=False, asset_url="static/offline"))
    assert sorted(u.rsplit("/", 1)[1] for u in urls) == sorted(p.name for p in written)
    assert all(u.startswith("static/offline/") for u in urls)
    assert any("Leaflet 1.9.3" in p.read_text(encoding="utf-8") for p in written)


def test_installing_the_assets_twice_leaves_the_files_alone(tmp_path) -> None:
    first = assets.install_offline_assets(tmp_path)
    stamps = [p.stat().st_mtime_ns for p in first]
    assert [p.stat().st_mtime_ns for p in assets.install_offline_assets(tmp_path)] == stamps


def test_unknown_cdn_file_raises_instead_of_loading_from_the_internet() -> None:
    m = folium.Map(tiles=None)
    m.default_js = [("mystery", "https://cdn.example.org/mystery.js")]
    with pytest.raises(assets.OfflineAssetError, match="mystery.js"):
        assets.use_offline_assets(m)


def test_local_urls_are_left_alone() -> None:
    m = folium.Map(tiles=None)
    m.default_js = [("a", "http://localhost:8501/app/static/a.js"), ("b", "static/b.js")]
    m.default_css = []
    assets.use_offline_assets(m)
    assert m.default_js == [("a", "http://localhost:8501/app/static/a.js"), ("b", "static/b.js")]


def test_base_map_does_not_change_other_folium_maps(layers) -> None:
    base_map(layers, tiles=False)
    assert all(url.startswith("https://") for _, url in folium.Map(tiles=None).default_js)


def test_online_tiles_load_leaflet_locally_too_and_fall_back_to_the_vector_basemap(layers) -> None:
    page = full_map(layers, tiles=True).get_root().render()
    assert re.search(r'L\.tileLayer\(\s*"https://tile\.openstreetmap\.org/\{z\}/\{x\}/\{y\}\.png"', page)
    attribution = json.loads(re.search(r'"attribution": ("(?:[^"\\]|\\.)*")', page).group(1))
    assert re.sub(r"<[^>]+>", "", html.unescape(attribution)) == "© OpenStreetMap contributors"
    # No CDN in any mode: the only request leaving the machine is for tiles.
    assert [r for r in resource_references(page) if not r.startswith(("data:", "#"))] == []
    assert 'on("tileerror"' in page
    assert f'window["{VECTOR_BASEMAP}"] = feature_group_' in page
    assert "Online map tiles could not load" in page


def test_attributions_are_the_datas_without_leaflets_prefix(layers) -> None:
    page = base_map(layers).get_root().render()
    assert "control.setPrefix(false)" in page
    for name in ("Natural Earth", "GeoNames"):
        assert name in page


def test_the_base_map_names_places_by_zoom_and_has_its_controls(layers) -> None:
    shusha = Place("Shusha", "Şuşa", "Շուշի", (), "town", 39.76, 46.75, "test", population=4000)
    page = base_map(layers, lang="az", places=[shusha], districts=three_districts()).get_root().render()
    assert '"text":["' in page and "Şuşa" in page and "kd-min-" in page and "kd-z" in page
    assert "Görünüşü sıfırla" in page and "Hamısını göstər" in page  # reset view, show all


def test_offline_map_draws_labelled_countries_instead_of_tiles(layers) -> None:
    page = base_map(layers, tiles=False, lang="hy").get_root().render()
    labels = re.findall(r"bindTooltip\(\s*`<div>\s*(.*?)\s*</div>`,\s*\{[^}]*\"permanent\": true", page)
    assert labels == ["Հայաստան", "Ադրբեջան"]
    countries = [f for f in geojson_features(page) if f["properties"].get("name_en") in ("Armenia", "Azerbaijan")]
    assert len(countries) == 2 and countries[0]["style"]["fillOpacity"] == 1.0


def test_base_map_uses_canvas_and_names_its_layers(layers) -> None:
    page = base_map(layers, tiles=False).get_root().render()
    assert re.search(r'"preferCanvas":\s*true', page)
    control = page[page.index("layer_control_") :]
    for name in (LAYER_COUNTRIES, LAYER_NKAO):
        assert json.dumps(name) in control
    for name in (LAYER_CORRIDOR, LAYER_CONTACT_LINE):  # they existed only on some dates: drawn by the page
        assert json.dumps(name) not in page


def test_contact_line_is_dashed_and_leaves_out_the_held_area(layers) -> None:
    features = geojson_features(render(contact_line_layer(layers.contact_line)))
    assert [f["geometry"]["type"] for f in features] == ["LineString"]
    assert features[0]["style"]["dashArray"]


def test_countries_lie_in_a_pane_under_the_territory_patterns(layers) -> None:
    page = base_map(layers, tiles=False).get_root().render()
    assert f'createPane(\n                "{BASEMAP_PANE}"' in page or f'createPane("{BASEMAP_PANE}"' in page
    assert f'"pane": "{BASEMAP_PANE}"' in page
    assert BASEMAP_PANE_Z_INDEX < PATTERN_PANE_Z_INDEX < 400  # Leaflet's overlay pane, where clicks are taken


def test_layer_control_is_rendered_after_layers_added_later(layers) -> None:
    # A control rendered before a group names an unassigned variable and stops the whole script.
    page = full_map(layers, tiles=False).get_root().render()
    control_at = page.index("L.control.layers(")
    assert all(m.start() < control_at for m in re.finditer(r"var feature_group_\w+ = L\.featureGroup", page))
    assert json.dumps(LAYER_EVENTS) in page[page.index("layer_control_") :]


def test_dynamic_layer_control_replaces_the_static_one(layers) -> None:
    m = base_map(layers, tiles=False)
    dynamic_layer_control().add_to(m)
    page = m.get_root().render()
    controls = [c.start() for c in re.finditer(r"L\.control\.layers\(", page)]
    registered = page.index("window.staticLayerControl = layer_control_")
    removed = page.index("window.staticLayerControl.remove()")
    assert len(controls) == 2 and controls[0] < registered < controls[1] < removed


def test_feature_group_names_are_the_layer_names(layers) -> None:
    m = full_map(layers, tiles=False)
    drawn = [c.layer_name for c in m._children.values() if isinstance(c, folium.FeatureGroup)]
    assert drawn == list(feature_group_names())


def test_unknown_language_is_rejected(layers) -> None:
    with pytest.raises(ValueError, match="lang"):
        base_map(layers, tiles=False, lang="ru")


REAL_FILES = [
    schema.COUNTRIES_PATH,
    schema.NKAO_PATH,
    schema.CONTACT_LINE_PATH,
    schema.DISTRICTS_PATH,
]


@pytest.mark.skipif(not all(p.exists() for p in REAL_FILES), reason="geodata/*.geojson not built yet")
def test_real_geodata_makes_an_offline_map_with_the_seven_districts() -> None:
    m = base_map(StaticLayers.read(), tiles=False)
    status = {name: "azerbaijan" for name in schema.DISTRICT_NAMES}
    districts_layer(gpd.read_file(schema.DISTRICTS_PATH), status, "hy").add_to(m)
    page = m.get_root().render()
    names = [f["properties"].get("name_en") for f in geojson_features(page) if "status" in f["properties"]]
    assert sorted(names) == sorted(schema.DISTRICT_NAMES)
    assert [r for r in resource_references(page) if not r.startswith(("data:", "#"))] == []
    assert len(page.encode()) < 3_000_000
