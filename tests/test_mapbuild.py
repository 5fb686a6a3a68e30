"""Map layers: render the folium objects and assert on the generated Leaflet HTML/JS."""

from __future__ import annotations

import base64
import html
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from urllib.parse import unquote

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, box

from dashboard import mapbuild, schema

KM = 1 / 111.0  # degrees of latitude in a kilometre, near enough for fixtures


# --- fixtures -----------------------------------------------------------------------------------------


def square(lon: float, lat: float, km: float = 10) -> box:
    """A km × km square (roughly) with its south-west corner at lon, lat."""
    return box(lon, lat, lon + km * KM, lat + km * KM)


def districts_frame(**names: tuple[str, str, str]) -> gpd.GeoDataFrame:
    """Districts as 10 km squares side by side; names maps name_en to (name_az, name_hy, ...)."""
    rows = [{"name_en": en, "name_az": az, "name_hy": hy, "area_km2": 100.0, "occupied_share": 1.0}
            for en, (az, hy) in names.items()]
    geometry = [square(46.0 + 0.2 * i, 39.5) for i in range(len(rows))]
    return gpd.GeoDataFrame(rows, geometry=geometry, crs="EPSG:4326")


@pytest.fixture
def districts() -> gpd.GeoDataFrame:
    return districts_frame(Shusha=("Şuşa", "Շուշի"), Lachin=("Laçın", "Բերձոր"), Kalbajar=("Kəlbəcər", "Քարվաճառ"))


@pytest.fixture
def static_layers() -> mapbuild.StaticLayers:
    countries = gpd.GeoDataFrame(
        {"name_en": ["Armenia", "Azerbaijan"], "name_az": ["Ermənistan", "Azərbaycan"],
         "name_hy": ["Հայաստան", "Ադրբեջան"], "iso_a3": ["ARM", "AZE"], "label_lat": [40.2, 40.4],
         "label_lon": [44.9, 47.7]},
        geometry=[box(43.5, 38.9, 46.5, 41.2), box(46.5, 38.4, 50.3, 41.8)], crs="EPSG:4326")
    nkao = gpd.GeoDataFrame({"name_en": ["NKAO"]}, geometry=[square(46.5, 39.6, 50)], crs="EPSG:4326")
    road = LineString([(46.35, 39.5), (46.75, 39.8)])
    corridor = gpd.GeoDataFrame({"kind": ["road", "area"], "name": ["Lachin road", "Lachin corridor"]},
                                geometry=[road, road.buffer(2.5 * KM)], crs="EPSG:4326")
    contact_line = gpd.GeoDataFrame(
        {"kind": ["line", "held_area"], "description": ["The line", "Held area"], "approximate": [True, True]},
        geometry=[LineString([(46.4, 40.3), (47.0, 39.4)]), square(46.3, 39.5, 40)], crs="EPSG:4326")
    return mapbuild.StaticLayers(countries, nkao, corridor, contact_line)


def event(**changes: object) -> dict[str, object]:
    """One event row of the typed frame (as dashboard.data builds it) plus the app's `place` column."""
    base: dict[str, object] = {
        "id": "ev-1", "date_start": pd.Timestamp("1992-05-08"), "date_end": pd.Timestamp("1992-05-09"),
        "date_precision": "day", "event_type": "battle", "title": "A battle", "summary": "What happened.",
        "location": "Shusha", "latitude": 39.76, "longitude": 46.75, "geo_precision": "exact",
        "outside_region": False, "side_a": "Side A", "side_b": "Side B", "fatalities_low": pd.NA,
        "fatalities_best": pd.NA, "fatalities_high": pd.NA, "disputed": False,
        "source": "https://example.org/report", "place": "Shusha",
    }
    return {**base, **changes}


def events_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=[*schema.EVENT_COLUMNS, "place"])
    for column in schema.FATALITY_COLUMNS:
        frame[column] = frame[column].astype("Int64")
    for column in ("latitude", "longitude"):
        frame[column] = frame[column].astype("float64")
    return frame


def spread_events(n: int, seed: int = 0) -> pd.DataFrame:
    """n events at random points of a 3° × 6° box, ids e0..e<n-1>."""
    rng = np.random.default_rng(seed)
    frame = events_frame([event()] * n)
    frame["id"] = [f"e{i}" for i in range(n)]
    frame["latitude"] = rng.uniform(38.5, 41.5, n)
    frame["longitude"] = rng.uniform(44.0, 50.0, n)
    frame["event_type"] = rng.choice(schema.EVENT_TYPES, n)
    return frame


# --- reading the rendered page ------------------------------------------------------------------------


def render(*layers: folium.MacroElement) -> str:
    """The full HTML page of a plain map holding `layers`."""
    m = folium.Map(location=list(schema.MAP_CENTER), tiles=None)
    for layer in layers:
        layer.add_to(m)
    return m.get_root().render()


def circles(page: str) -> list[dict[str, object]]:
    """Every circle marker a CircleLayer draws, as one dict per marker (columns zipped)."""
    out = []
    for match in re.finditer(r"var circle_layer_\w+ = ", page):
        data, _ = json.JSONDecoder().raw_decode(page, match.end())
        columns = [c for c, v in data.items() if isinstance(v, list)]
        for values in zip(*(data[c] for c in columns)):
            marker = dict(zip(columns, values))
            marker[data["key"]] = marker.pop("keys")
            out.append(marker)
    return out


def geojson_features(page: str) -> list[dict[str, object]]:
    """The features of every folium GeoJson layer, each with the style its styler function gives it."""
    features = []
    for match in re.finditer(r"function (geo_json_\w+)_add \(data\)", page):
        name = match.group(1)
        data, _ = json.JSONDecoder().raw_decode(page, page.index(f"{name}_add(", match.end()) + len(name) + 5)
        styles = _styler_cases(page, name)
        for feature in data["features"]:
            features.append({**feature, "style": styles.get(feature["id"], styles.get("default"))})
    return features


def _styler_cases(page: str, name: str) -> dict[str, dict[str, object]]:
    start = page.find(f"function {name}_styler(feature)")
    if start < 0:
        return {}
    body = page[start:page.index("function", start + 10)]
    styles, pending = {}, []
    for case, default, style in re.findall(r'case "([^"]+)":|(default):|return (\{.*?\});', body):
        if case or default:
            pending.append(case or "default")
        else:
            styles.update({key: json.loads(style) for key in pending})
            pending = []
    return styles


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.anchors: list[dict[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.anchors.append(dict(attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_fragment(fragment: str) -> _Anchors:
    parser = _Anchors()
    parser.feed(fragment)
    parser.close()
    return parser


def resource_references(page: str) -> list[str]:
    """Every URL the page's HTML or CSS would fetch: src=, href= of <script>/<link>, url(...) in CSS."""
    refs = re.findall(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=[\"']([^\"']+)", page)
    refs += re.findall(r"url\(\s*[\"']?([^\"')]+)", page)
    return refs


def decode_data_url(url: str) -> str:
    header, _, payload = url.partition(",")
    return base64.b64decode(payload).decode() if header.endswith(";base64") else unquote(payload)


# --- escaping -----------------------------------------------------------------------------------------

HOSTILE = "<script>window.__pwned=1</script>"


@pytest.mark.parametrize("column", ["title", "summary", "place", "side_a", "side_b", "source"])
def test_script_in_any_text_column_appears_only_escaped(column: str) -> None:
    page = render(mapbuild.events_layer(events_frame([event(**{column: HOSTILE})]), "en"))
    assert HOSTILE not in page
    assert "window.__pwned=1</script>" not in page
    (marker,) = circles(page)
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in marker["popup"]
    assert "<script" not in marker["popup"] + marker["tooltip"]


def test_title_is_escaped_in_the_tooltip() -> None:
    page = render(mapbuild.events_layer(events_frame([event(title='<img src=x onerror="window.__pwned=1">')]), "en"))
    (marker,) = circles(page)
    assert marker["tooltip"].startswith("<b>&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;</b>")
    assert "<img" not in page


def test_javascript_source_is_plain_text_not_a_link() -> None:
    (marker,) = circles(render(mapbuild.events_layer(events_frame([event(source="javascript:alert(1)")]), "en")))
    parsed = parse_fragment(marker["popup"])
    assert parsed.anchors == []
    assert "Source: javascript:alert(1)" in "".join(parsed.text)


def test_http_source_is_a_safe_link() -> None:
    source = "https://example.org/report?a=1&b=2"
    (marker,) = circles(render(mapbuild.events_layer(events_frame([event(source=source)]), "en")))
    (anchor,) = parse_fragment(marker["popup"]).anchors
    assert anchor == {"href": source, "target": "_blank", "rel": "noopener noreferrer"}


def test_quotes_in_a_source_do_not_break_out_of_the_href() -> None:
    source = "https://example.org/\"onmouseover=\"window.__pwned=1' x='"
    (marker,) = circles(render(mapbuild.events_layer(events_frame([event(source=source)]), "en")))
    (anchor,) = parse_fragment(marker["popup"]).anchors
    assert set(anchor) == {"href", "target", "rel"}
    assert anchor["href"] == source


def test_template_literal_syntax_in_a_label_cannot_run() -> None:
    # folium pastes Tooltip text into a JavaScript `template literal`; JSON strings elsewhere are safe.
    name = "`${window.__pwned=1}`\\"
    countries = gpd.GeoDataFrame(
        {"name_en": [name], "name_az": ["x"], "name_hy": ["x"], "iso_a3": ["XXX"], "label_lat": [40.0],
         "label_lon": [46.0]}, geometry=[square(45.0, 39.0, 100)], crs="EPSG:4326")
    page = render(mapbuild.countries_layer(countries, "en"))
    (literal,) = re.findall(r"bindTooltip\(\s*`(.*?)`,", page, re.DOTALL)
    assert re.fullmatch(r"<div>\s*&#96;&#36;\{window.__pwned=1\}&#96;&#92;\s*</div>", literal.strip())


def test_circle_layer_data_cannot_close_the_script() -> None:
    group = folium.FeatureGroup(name="x")
    mapbuild.CircleLayer("eventId", lat=[40.0], lng=[46.0], radius=[5], fill=["#000"], stroke=["#000"], weight=[1],
                         fillOpacity=[1], keys=["</script ><script>window.__pwned=1</script >"], tooltip=["t"],
                         popup=["p"], popupWidth=100).add_to(group)
    page = render(group)
    assert "</script " not in page  # an end tag followed by a space still ends the <script>
    assert circles(page)[0]["eventId"] == "</script ><script>window.__pwned=1</script >"


def test_escape_html_turns_missing_values_into_empty_text() -> None:
    assert [mapbuild.escape_html(v) for v in (None, pd.NA, float("nan"), "a&b", 3)] == ["", "", "", "a&amp;b", "3"]


def test_legend_is_escaped_json_inside_the_script() -> None:
    page = render(mapbuild.legend("en"))
    script = page[page.index("L.control({position"):]
    assert '<div class="map-legend-body"' not in script
    assert "\\u003cdiv class=\\\"map-legend-body\\\"" in script


# --- events -------------------------------------------------------------------------------------------


def test_markers_are_coloured_by_event_type() -> None:
    frame = events_frame([event(id="a", event_type="battle"), event(id="b", event_type="protest"),
                          event(id="c", event_type="not-a-type")])
    colours = {m["eventId"]: m["fill"] for m in circles(render(mapbuild.events_layer(frame, "en")))}
    assert colours == {"a": mapbuild.EVENT_COLORS["battle"], "b": mapbuild.EVENT_COLORS["protest"],
                       "c": mapbuild.UNKNOWN_EVENT_COLOR}


def test_radius_grows_with_fatalities_and_has_a_default() -> None:
    radii = [mapbuild.marker_radius(f) for f in (0, 10, 1000, 10**7)]
    assert radii == sorted(radii) and len(set(radii)) == 4
    assert radii[-1] == mapbuild.RADIUS_MAX
    assert mapbuild.marker_radius(pd.NA) == mapbuild.RADIUS_UNKNOWN


def test_rendered_radius_follows_fatalities_best() -> None:
    frame = events_frame([event(id="none"), event(id="few", fatalities_best=3), event(id="many", fatalities_best=3000)])
    radius = {m["eventId"]: m["radius"] for m in circles(render(mapbuild.events_layer(frame, "en")))}
    assert radius["none"] == mapbuild.RADIUS_UNKNOWN
    assert radius["few"] < radius["many"]
    assert radius["many"] == pytest.approx(mapbuild.marker_radius(3000), abs=0.01)


def test_selected_event_is_bigger_outlined_and_drawn_last() -> None:
    frame = events_frame([event(id="a"), event(id="b"), event(id="c")])
    markers = circles(render(mapbuild.events_layer(frame, "en", selected_id="b")))
    assert [m["eventId"] for m in markers][-1] == "b"
    by_id = {m["eventId"]: m for m in markers}
    assert by_id["b"]["radius"] == by_id["a"]["radius"] + mapbuild.SELECTED_EXTRA_RADIUS
    assert (by_id["b"]["stroke"], by_id["b"]["weight"]) == ("#000000", 3)
    assert by_id["a"]["stroke"] == by_id["a"]["fill"] and by_id["a"]["weight"] == 1


def test_rows_without_coordinates_are_skipped() -> None:
    frame = events_frame([event(id="here"), event(id="nowhere", latitude=np.nan, longitude=np.nan)])
    assert [m["eventId"] for m in circles(render(mapbuild.events_layer(frame, "en")))] == ["here"]


def test_popup_shows_dates_place_sides_fatality_range_and_id() -> None:
    frame = events_frame([event(id="x-1", fatalities_low=120, fatalities_best=200, fatalities_high=300,
                                disputed=True)])
    (marker,) = circles(render(mapbuild.events_layer(frame, "en")))
    text = "\n".join(parse_fragment(marker["popup"].replace("<br>", "\n")).text)
    assert "Date: 1992-05-08 – 1992-05-09" in text
    assert "Place: Shusha" in text and "Sides: Side A – Side B" in text
    assert "Fatalities: 120–300 (best estimate 200) (disputed)" in text
    assert text.endswith("id: x-1")


def test_fatality_text_for_known_and_unknown_counts() -> None:
    assert mapbuild.fatalities_text(5, 5, 5, "en") == "5"
    assert mapbuild.fatalities_text(pd.NA, 7, pd.NA, "en") == "7"
    assert mapbuild.fatalities_text(1, pd.NA, 9, "en") == "1–9"
    assert mapbuild.fatalities_text(pd.NA, pd.NA, pd.NA, "hy") == "անհայտ"


def test_month_precision_dates_are_shown_as_months() -> None:
    frame = events_frame([event(date_precision="month", date_start=pd.Timestamp("1994-05-01"),
                                date_end=pd.Timestamp("1994-05-31"))])
    (marker,) = circles(render(mapbuild.events_layer(frame, "en")))
    assert marker["tooltip"].endswith("<br>1994-05")


def test_markers_carry_the_event_id_as_a_leaflet_option() -> None:
    page = render(mapbuild.events_layer(events_frame([event(id="ev-42")]), "en"))
    assert "options[d.key] = d.keys[i]" in page
    assert [m["eventId"] for m in circles(page)] == ["ev-42"]


@pytest.mark.parametrize("lang, place_label", [("en", "Place"), ("az", "Yer"), ("hy", "Վայր")])
def test_popup_labels_follow_the_language(lang: str, place_label: str) -> None:
    frame = events_frame([event(place={"en": "Shusha", "az": "Şuşa", "hy": "Շուշի"}[lang])])
    (marker,) = circles(render(mapbuild.events_layer(frame, lang)))
    place = {"en": "Shusha", "az": "Şuşa", "hy": "Շուշի"}[lang]
    assert f"{place_label}: {place}" in marker["popup"]


# --- aggregation --------------------------------------------------------------------------------------


def test_events_above_max_markers_are_drawn_as_grid_cells() -> None:
    frame = spread_events(500)
    markers = circles(render(mapbuild.events_layer(frame, "en", max_markers=50)))
    cells_of_005 = len({(int(np.floor(a / 0.05)), int(np.floor(b / 0.05)))
                        for a, b in zip(frame["latitude"], frame["longitude"])})
    assert all("eventCount" in m and "eventId" not in m for m in markers)
    assert len(markers) <= 50 and len(markers) <= cells_of_005
    assert sum(m["eventCount"] for m in markers) == 500
    assert all(re.fullmatch(r"\d+ events?", m["tooltip"]) for m in markers)


def test_grid_keeps_the_selected_event_as_its_own_marker_on_top() -> None:
    markers = circles(render(mapbuild.events_layer(spread_events(500), "en", selected_id="e7", max_markers=50)))
    assert markers[-1]["eventId"] == "e7" and markers[-1]["stroke"] == "#000000"
    assert sum(m.get("eventCount", 0) for m in markers) == 500


def test_events_up_to_max_markers_are_drawn_one_by_one() -> None:
    markers = circles(render(mapbuild.events_layer(spread_events(50), "en", max_markers=50)))
    assert sorted(m["eventId"] for m in markers) == sorted(f"e{i}" for i in range(50))


def test_events_of_one_grid_cell_share_one_circle() -> None:
    frame = events_frame([event(id=str(i), latitude=39.71 + i * 0.001, longitude=46.71) for i in range(5)])
    (cell,) = circles(render(mapbuild.events_layer(frame, "en", max_markers=2)))
    assert cell["eventCount"] == 5 and cell["tooltip"] == "5 events"


def test_hundred_thousand_events_make_a_small_page() -> None:
    page = render(mapbuild.events_layer(spread_events(100_000), "en"))
    assert len(circles(page)) <= 3000
    assert len(page.encode()) < 1_000_000


def test_max_markers_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_markers"):
        mapbuild.events_layer(events_frame([event()]), "en", max_markers=0)


def test_events_frame_without_place_is_rejected_by_name() -> None:
    with pytest.raises(ValueError, match="place"):
        mapbuild.events_layer(events_frame([event()]).drop(columns="place"), "en")


# --- districts ----------------------------------------------------------------------------------------


def test_districts_are_coloured_by_the_status_mapping(districts: gpd.GeoDataFrame) -> None:
    status = {"Shusha": "azerbaijan", "Lachin": "armenian", "Kalbajar": "nonsense"}
    features = geojson_features(render(mapbuild.districts_layer(districts, status, "en")))
    fills = {f["properties"]["name_en"]: f["style"]["fillColor"] for f in features}
    assert fills == {"Shusha": mapbuild.CONTROL_COLORS["azerbaijan"], "Lachin": mapbuild.CONTROL_COLORS["armenian"],
                     "Kalbajar": mapbuild.CONTROL_COLORS["unknown"]}


def test_district_missing_from_status_is_unknown_and_dashed(districts: gpd.GeoDataFrame) -> None:
    features = geojson_features(render(mapbuild.districts_layer(districts, {"Lachin": "partial"}, "en")))
    by_name = {f["properties"]["name_en"]: f for f in features}
    assert by_name["Lachin"]["style"]["fillColor"] == mapbuild.CONTROL_COLORS["partial"]
    assert by_name["Shusha"]["properties"]["status"] == "unknown"
    assert by_name["Shusha"]["style"]["dashArray"]


@pytest.mark.parametrize("lang, name", [("en", "Shusha"), ("az", "Şuşa"), ("hy", "Շուշի")])
def test_district_tooltip_follows_the_language(districts: gpd.GeoDataFrame, lang: str, name: str) -> None:
    features = geojson_features(render(mapbuild.districts_layer(districts, {}, lang)))
    shusha = next(f for f in features if f["properties"]["name_en"] == "Shusha")
    assert shusha["properties"]["tooltip"] == name
    assert "Shusha · Şuşa · Շուշի" in shusha["properties"]["popup"]


def test_every_district_polygon_is_identifiable(districts: gpd.GeoDataFrame) -> None:
    features = geojson_features(render(mapbuild.districts_layer(districts, {}, "en")))
    assert sorted(f["properties"]["name_en"] for f in features) == ["Kalbajar", "Lachin", "Shusha"]


def test_district_names_are_escaped(districts: gpd.GeoDataFrame) -> None:
    hostile = districts.assign(name_en=[HOSTILE, "b", "c"])
    page = render(mapbuild.districts_layer(hostile, {}, "en"))
    assert HOSTILE not in page
    (feature,) = [f for f in geojson_features(page) if f["properties"]["name_en"] == HOSTILE]
    assert feature["properties"]["tooltip"] == html.escape(HOSTILE)


def test_districts_in_a_metric_crs_are_drawn_in_degrees(districts: gpd.GeoDataFrame) -> None:
    features = geojson_features(render(mapbuild.districts_layer(districts.to_crs(32638), {}, "en")))
    lon, lat = features[0]["geometry"]["coordinates"][0][0]
    assert 45 < lon < 48 and 39 < lat < 40


def test_districts_must_be_a_geodataframe_with_a_crs(districts: gpd.GeoDataFrame) -> None:
    with pytest.raises(TypeError, match="DataFrame"):
        mapbuild.districts_layer(pd.DataFrame(districts.drop(columns="geometry")), {}, "en")
    with pytest.raises(ValueError, match="no CRS"):
        mapbuild.districts_layer(districts.set_crs(None, allow_override=True), {}, "en")


def test_unknown_language_is_rejected(districts: gpd.GeoDataFrame) -> None:
    with pytest.raises(ValueError, match="lang"):
        mapbuild.districts_layer(districts, {}, "ru")


# --- base map, offline and online ---------------------------------------------------------------------


def full_map(static_layers: mapbuild.StaticLayers, districts: gpd.GeoDataFrame, offline: bool) -> folium.Map:
    m = mapbuild.base_map(static_layers, offline=offline)
    mapbuild.districts_layer(districts, {"Lachin": "armenian"}, "en").add_to(m)
    mapbuild.events_layer(events_frame([event()]), "en").add_to(m)
    mapbuild.legend("en").add_to(m)
    return m


def test_offline_map_references_nothing_off_localhost(static_layers, districts) -> None:
    page = full_map(static_layers, districts, offline=True).get_root().render()
    refs = resource_references(page)
    assert refs, "the page must still load Leaflet"
    assert [r for r in refs if not r.startswith(("data:", "#"))] == []
    assert "L.tileLayer" not in page
    for ref in refs:
        if ref.startswith("data:text/css"):
            assert not re.search(r"url\(\s*[\"']?(https?:)?//", decode_data_url(ref))


def test_offline_assets_are_leaflet_and_jquery_from_folium_offline(static_layers) -> None:
    m = mapbuild.base_map(static_layers, offline=True)
    urls = mapbuild.resource_urls(m)
    assert urls and all(u.startswith("data:") for u in urls)
    contents = [decode_data_url(u) for u in urls]
    assert any("Leaflet 1.9.3" in c for c in contents)
    assert any("jQuery v3.7.1" in c for c in contents)
    assert any(".leaflet-container" in c for c in contents)


def test_offline_map_as_st_folium_would_send_it(static_layers, districts, monkeypatch) -> None:
    streamlit_folium = pytest.importorskip("streamlit_folium")
    sent: list[dict] = []
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kwargs: sent.append(kwargs))
    m = mapbuild.base_map(static_layers, offline=True, layer_control=False)
    groups = [mapbuild.districts_layer(districts, {}, "en"), mapbuild.events_layer(events_frame([event()]), "en")]
    streamlit_folium.st_folium(m, key="map", feature_group_to_add=groups, layer_control=folium.LayerControl())
    (args,) = sent
    assert args["js_links"] and all(u.startswith("data:text/javascript") for u in args["js_links"])
    assert args["css_links"] and all(u.startswith("data:text/css") for u in args["css_links"])
    assert [r for r in resource_references(args["header"] + args["html"]) if not r.startswith("data:")] == []
    assert "L.tileLayer" not in args["script"]
    assert mapbuild.LAYER_EVENTS in args["layer_control"] and mapbuild.LAYER_NKAO in args["layer_control"]


def test_fresh_base_maps_keep_the_st_folium_key(static_layers, monkeypatch) -> None:
    # st_folium keeps its iframe (and only swaps feature groups) while the key stays the same.
    streamlit_folium = pytest.importorskip("streamlit_folium")
    sent: list[dict] = []
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kwargs: sent.append(kwargs))
    for selected in (None, "e3"):
        m = mapbuild.base_map(static_layers, offline=True, layer_control=False)
        streamlit_folium.st_folium(m, key="map", feature_group_to_add=[
            mapbuild.events_layer(spread_events(10), "en", selected_id=selected)])
    assert sent[0]["key"] == sent[1]["key"]
    assert sent[0]["feature_group"] != sent[1]["feature_group"]


def test_unknown_cdn_file_raises_instead_of_loading_from_the_internet() -> None:
    m = folium.Map(tiles=None)
    m.default_js = [("mystery", "https://cdn.example.org/mystery.js")]
    with pytest.raises(mapbuild.OfflineAssetError, match="mystery.js"):
        mapbuild.use_offline_assets(m)


def test_local_urls_are_left_alone() -> None:
    m = folium.Map(tiles=None)
    m.default_js = [("a", "http://localhost:8501/app/static/a.js"), ("b", "static/b.js")]
    m.default_css = []
    mapbuild.use_offline_assets(m)
    assert m.default_js == [("a", "http://localhost:8501/app/static/a.js"), ("b", "static/b.js")]


def test_base_map_does_not_change_other_folium_maps(static_layers) -> None:
    mapbuild.base_map(static_layers, offline=True)
    assert all(url.startswith("https://") for _, url in folium.Map(tiles=None).default_js)


def test_online_map_has_osm_tiles_with_attribution(static_layers, districts) -> None:
    page = full_map(static_layers, districts, offline=False).get_root().render()
    assert 'L.tileLayer(\n                "https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in page
    attribution = json.loads(re.search(r'"attribution": ("(?:[^"\\]|\\.)*")', page).group(1))
    assert re.sub(r"<[^>]+>", "", html.unescape(attribution)) == "© OpenStreetMap contributors"
    cdn = ("https://cdn.jsdelivr.net/npm/leaflet@", "https://code.jquery.com/")  # folium's own, online only
    assert [r for r in resource_references(page) if not r.startswith(("data:", "#", *cdn))] == []


def test_offline_map_draws_labelled_countries_instead_of_tiles(static_layers) -> None:
    page = mapbuild.base_map(static_layers, offline=True, lang="hy").get_root().render()
    labels = re.findall(r"bindTooltip\(\s*`<div>\s*(.*?)\s*</div>`,\s*\{[^}]*\"permanent\": true", page)
    assert labels == ["Հայաստան", "Ադրբեջան"]
    countries = [f for f in geojson_features(page) if f["properties"].get("name_en") in ("Armenia", "Azerbaijan")]
    assert len(countries) == 2 and countries[0]["style"]["fillOpacity"] == 1.0


def test_base_map_uses_canvas_and_names_its_layers(static_layers) -> None:
    page = mapbuild.base_map(static_layers, offline=True).get_root().render()
    assert '"preferCanvas": true' in page
    control = page[page.index("layer_control_"):]
    for name in (mapbuild.LAYER_COUNTRIES, mapbuild.LAYER_NKAO, mapbuild.LAYER_CORRIDOR):
        assert json.dumps(name) in control
    assert json.dumps(mapbuild.LAYER_CONTACT_LINE) in control  # "1994\u20132020"


def test_contact_line_is_dashed_and_leaves_out_the_held_area(static_layers) -> None:
    features = geojson_features(render(mapbuild.contact_line_layer(static_layers.contact_line)))
    assert [f["geometry"]["type"] for f in features] == ["LineString"]
    assert features[0]["style"]["dashArray"]


def test_corridor_has_road_and_area(static_layers) -> None:
    features = geojson_features(render(mapbuild.corridor_layer(static_layers.corridor)))
    assert sorted(f["geometry"]["type"] for f in features) == ["LineString", "Polygon"]


def test_layer_control_is_rendered_after_layers_added_later(static_layers, districts) -> None:
    # A control rendered before a group names an unassigned variable and stops the whole script.
    page = full_map(static_layers, districts, offline=True).get_root().render()
    control_at = page.index("L.control.layers(")
    assert all(m.start() < control_at for m in re.finditer(r"var feature_group_\w+ = L\.featureGroup", page))
    assert json.dumps(mapbuild.LAYER_EVENTS) in page[page.index("layer_control_"):]


def test_dynamic_layer_control_replaces_the_static_one(static_layers) -> None:
    m = mapbuild.base_map(static_layers, offline=True)
    mapbuild.dynamic_layer_control().add_to(m)
    page = m.get_root().render()
    controls = [c.start() for c in re.finditer(r"L\.control\.layers\(", page)]
    registered = page.index("window.staticLayerControl = layer_control_")
    removed = page.index("window.staticLayerControl.remove()")
    assert len(controls) == 2 and controls[0] < registered < controls[1] < removed


def test_st_folium_layer_control_removes_the_base_maps_own(static_layers, monkeypatch) -> None:
    streamlit_folium = pytest.importorskip("streamlit_folium")
    sent: list[dict] = []
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kwargs: sent.append(kwargs))
    streamlit_folium.st_folium(mapbuild.base_map(static_layers, offline=True), key="map",
                               feature_group_to_add=[mapbuild.events_layer(spread_events(3), "en")],
                               layer_control=mapbuild.dynamic_layer_control())
    (args,) = sent
    assert re.search(r"window\.staticLayerControl = layer_control_\w+;", args["script"])
    assert "window.staticLayerControl.remove()" in args["layer_control"]
    assert json.dumps(mapbuild.LAYER_EVENTS) in args["layer_control"]


# --- legend and colours -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang, heading", [("en", "Event types"), ("az", "Hadisə növləri"),
                                           ("hy", "Իրադարձությունների տեսակներ")])
def test_legend_shows_every_colour_in_the_language(lang: str, heading: str) -> None:
    legend = mapbuild.legend_html(lang)
    assert heading in legend
    for colour in [*mapbuild.EVENT_COLORS.values(), *mapbuild.CONTROL_COLORS.values()]:
        assert f"background:{colour};" in legend


def test_legend_html_is_styled_without_the_map_css() -> None:
    # The app may show it outside the map (st.html), where the map's <style> does not apply.
    first_swatch = re.search(r'<span class="legend-swatch" style="([^"]*)"', mapbuild.legend_html()).group(1)
    assert "width:11px" in first_swatch and "display:inline-block" in first_swatch


def test_colour_tables_cover_the_vocabularies_with_distinct_colours() -> None:
    assert set(mapbuild.EVENT_COLORS) == set(schema.EVENT_TYPES)
    assert len(set(mapbuild.EVENT_COLORS.values())) == len(schema.EVENT_TYPES)
    assert set(mapbuild.CONTROL_COLORS) == {*schema.CONTROL_STATES, "unknown"}
    assert len(set(mapbuild.CONTROL_COLORS.values())) == len(mapbuild.CONTROL_COLORS)


def test_control_colours_are_not_flag_colours() -> None:
    flags = ["#d90012", "#0033a0", "#f2a800", "#0092bc", "#e4002b", "#00af66"]  # Armenia, Azerbaijan

    def rgb(colour: str) -> np.ndarray:
        return np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)], float)

    for state in schema.CONTROL_STATES:
        assert min(np.linalg.norm(rgb(mapbuild.CONTROL_COLORS[state]) - rgb(f)) for f in flags) > 80


# --- clicks -------------------------------------------------------------------------------------------


def popup_text(marker: dict[str, object]) -> str:
    """What streamlit-folium reports as last_object_clicked_popup (innerText of the popup element)."""
    return "\n".join(parse_fragment(str(marker["popup"]).replace("<br>", "\n")).text)


def test_click_on_a_marker_maps_back_to_its_event() -> None:
    frame = events_frame([event(id="a", summary="Not this one. id: b"), event(id="b", latitude=40.0)])
    markers = {m["eventId"]: m for m in circles(render(mapbuild.events_layer(frame, "en")))}
    clicked = {"last_object_clicked": {"lat": 1.0, "lng": 2.0}, "last_object_clicked_popup": popup_text(markers["a"])}
    assert mapbuild.event_id_from_click(clicked, frame) == "a"


def test_popup_never_shown_still_gives_its_event() -> None:
    # innerText of a popup that was never in the page is its textContent: no line breaks from <br>.
    (marker,) = circles(render(mapbuild.events_layer(events_frame([event(id="a", source="x")]), "en")))
    text_content = "".join(parse_fragment(str(marker["popup"])).text)
    assert text_content.endswith("Source: x\nid: a")
    assert mapbuild.event_id_from_click({"last_object_clicked_popup": text_content}, events_frame([event(id="a")])) == "a"


def test_click_without_popup_text_falls_back_to_exact_coordinates() -> None:
    frame = events_frame([event(id="a"), event(id="b", latitude=40.0), event(id="c", latitude=40.0)])
    assert mapbuild.event_id_from_click({"last_object_clicked": {"lat": 39.76, "lng": 46.75}}, frame) == "a"
    assert mapbuild.event_id_from_click({"last_object_clicked": {"lat": 40.0, "lng": 46.75}}, frame) is None


def test_clicks_on_cells_districts_or_nothing_give_no_event() -> None:
    frame = events_frame([event(id="a")])
    assert mapbuild.event_id_from_click(None, frame) is None
    assert mapbuild.event_id_from_click({"last_object_clicked": None}, frame) is None
    assert mapbuild.event_id_from_click({"last_object_clicked_popup": "5 events\n1992", "last_object_clicked":
                                         {"lat": 1.0, "lng": 1.0}}, frame) is None
    assert mapbuild.event_id_from_click({"last_object_clicked_popup": "id: gone"}, frame) is None


# --- module boundaries and real geodata ---------------------------------------------------------------


def test_mapbuild_does_not_import_streamlit() -> None:
    code = "import sys, dashboard.mapbuild; sys.exit('streamlit' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=schema.REPO_ROOT).returncode == 0


def test_feature_group_names_are_the_layer_names(static_layers, districts) -> None:
    m = full_map(static_layers, districts, offline=True)
    drawn = [c.layer_name for c in m._children.values() if isinstance(c, folium.FeatureGroup)]
    assert drawn == list(mapbuild.feature_group_names())


REAL_FILES = [schema.COUNTRIES_PATH, schema.NKAO_PATH, schema.CORRIDOR_PATH, schema.CONTACT_LINE_PATH,
              schema.DISTRICTS_PATH]


@pytest.mark.skipif(not all(p.exists() for p in REAL_FILES), reason="geodata/*.geojson not built yet")
def test_real_geodata_makes_an_offline_map_with_the_seven_districts() -> None:
    layers = mapbuild.StaticLayers.read()
    m = mapbuild.base_map(layers, offline=True)
    status = {name: "azerbaijan" for name in schema.DISTRICT_NAMES}
    mapbuild.districts_layer(gpd.read_file(schema.DISTRICTS_PATH), status, "hy").add_to(m)
    page = m.get_root().render()
    names = [f["properties"].get("name_en") for f in geojson_features(page) if "status" in f["properties"]]
    assert sorted(names) == sorted(schema.DISTRICT_NAMES)
    assert [r for r in resource_references(page) if not r.startswith(("data:", "#"))] == []
    assert len(page.encode()) < 3_000_000
