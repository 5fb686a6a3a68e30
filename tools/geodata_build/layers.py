"""Each derived layer: the former NKAO, the seven districts, the line of contact, countries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import LineString, Polygon, box
from shapely.ops import polylabel

from dashboard.geodata import GEO_CRS, METRIC_CRS
from dashboard.schema import DISTRICT_NAMES, NKAO_NAME
from tools.geodata_build import inputs
from tools.geodata_build.common import (
    BuildError,
    BuildLog,
    Centre,
    area_km2,
    metric_point,
    ring_polygon,
    unit_geometry,
)
from tools.geodata_build.inputs import (
    NKAO_CHECK_CENTRES,
    NKAO_UNIT_CENTRES,
    Waypoint,
    place_names,
)
from tools.geodata_build.source import DATA_MEMBER, SOURCE_NOTE, load_admin1
from tools.geodata_build.write import finish_geometry

NKAO_OFFICIAL_KM2 = 4388.0
NKAO_AREA_RANGE_KM2 = (3900.0, 4900.0)
CONTACT_LINE_SOURCE = (
    "approximate, after published maps of the 1994 ceasefire line, e.g. ICG / BBC maps; waypoints listed"
)
# Commonly cited shares of these districts held by Armenian forces 1993-2020.
OCCUPIED_SHARE_REFERENCE: dict[str, float] = {"Aghdam": 0.77, "Fuzuli": 0.33}
OCCUPIED_SHARE_SOURCE = (
    "commonly cited figures: International Crisis Group, Nagorno-Karabakh: Viewing the "
    "Conflict from the Ground (2005); T. de Waal, Black Garden (2003)"
)
FULLY_HELD_SOURCE = (
    "commonly cited (e.g. International Crisis Group 2005): the whole district was held by "
    "Armenian forces from 1992/93 until 2020"
)
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


def build_nkao(
    units: gpd.GeoDataFrame,
    assigned: Mapping[str, str],
    log: BuildLog,
    martakert_ring: Sequence[tuple[float, float]] | None = None,
) -> shapely.Geometry:
    """The former NKAO outline (metric): its modern units plus the ex-Martakert part of Tartar and Kalbajar."""
    martakert_raion = ring_polygon(martakert_ring or inputs.martakert_raion())
    parts = {f"unit containing {name}": unit_geometry(units, assigned[name]) for name in NKAO_UNIT_CENTRES}
    for name in ("Martakert", "Kalbajar"):
        unit = unit_geometry(units, assigned[name])
        parts[f"ex-Martakert raion part of the unit containing {name}"] = unit.intersection(martakert_raion)
    nkao = shapely.union_all(list(parts.values()))
    km2 = area_km2(nkao)
    low, high = NKAO_AREA_RANGE_KM2
    if not low <= km2 <= high:
        raise BuildError(f"NKAO area {km2:.0f} km2 is outside {low:.0f}-{high:.0f} km2")
    log.facts["nkao_parts_km2"] = {name: round(area_km2(part)) for name, part in parts.items()}
    return nkao


def check_nkao(nkao: shapely.Geometry, centres: Mapping[str, Centre]) -> None:
    """Raise BuildError unless the NKAO holds its towns and leaves out Aghdam and Lachin."""
    for name in (*NKAO_CHECK_CENTRES, "Hadrut"):
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
        f"inside an approximate outline of the former Martakert raion ({inputs.ring_note(inputs.martakert_raion())}). "
        f"Areas of the parts: {parts}.",
        "source": f"{SOURCE_NOTE}, {DATA_MEMBER.format(iso3='aze')}; Martakert raion outline approximate",
        "geometry": nkao,
    }


def contact_line(waypoints: Sequence[Waypoint] | None = None) -> LineString:
    """The line of contact in lon/lat from (lat, lon, note) waypoints (default: data/line_of_contact.csv)."""
    return LineString([(lon, lat) for lat, lon, _ in waypoints or inputs.contact_line_waypoints()])


def held_side(line: LineString) -> shapely.Geometry:
    """Metric polygon of everything west of the line of contact (closed through Armenia and Iran)."""
    coords = list(line.coords)
    (north_lon, north_lat), (south_lon, south_lat) = coords[0], coords[-1]
    west = 43.0  # well inside Armenia
    ring = Polygon(
        [*coords, (south_lon, south_lat - 1.0), (west, south_lat - 1.0), (west, north_lat), (north_lon, north_lat)]
    )
    if not ring.is_valid:
        raise BuildError("the line of contact crosses itself or its closing edges")
    return gpd.GeoSeries([ring], crs=GEO_CRS).to_crs(METRIC_CRS).iloc[0]


def share_west(geometry: shapely.Geometry, side: shapely.Geometry) -> float:
    """Fraction of the geometry's area on the held side."""
    return area_km2(geometry.intersection(side)) / area_km2(geometry)


def build_districts(
    units: gpd.GeoDataFrame,
    assigned: Mapping[str, str],
    nkao: shapely.Geometry,
    side: shapely.Geometry,
    centres: Mapping[str, Centre],
    places_path: Path,
    log: BuildLog,
) -> gpd.GeoDataFrame:
    """The seven districts (metric), minus any land of the former NKAO, with their properties."""
    rows = []
    for name in DISTRICT_NAMES:
        code = assigned[name]
        geometry = unit_geometry(units, code).difference(nkao)
        name_az, name_hy = place_names(places_path, name)
        geometric_share = share_west(geometry, side)
        partial = name in OCCUPIED_SHARE_REFERENCE
        log.facts.setdefault("share_west_of_line", {})[name] = round(geometric_share, 3)
        rows.append(
            {
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
            }
        )
    return gpd.GeoDataFrame(rows, crs=METRIC_CRS)


def district_adjustments(name: str, log: BuildLog) -> str:
    """Plain-language list of the changes made to a district's source polygon."""
    return "; ".join(["any part inside the former NKAO outline removed", *log.adjustments.get(name, [])])


def build_contact_line(line: LineString, held: shapely.Geometry) -> gpd.GeoDataFrame:
    """The line of contact and the area west of it (the held territory), both in EPSG:4326."""
    waypoints = "; ".join(f"{lat:.3f} {lon:.3f} ({note})" for lat, lon, note in inputs.contact_line_waypoints())
    held_geo = gpd.GeoSeries([held], crs=METRIC_CRS).to_crs(GEO_CRS).iloc[0]
    common = {"approximate": True, "source": CONTACT_LINE_SOURCE}
    return gpd.GeoDataFrame(
        [
            {
                **common,
                "kind": "line",
                "name": "Line of contact 1994-2020",
                "description": "Approximate 1994-2020 line of contact between Armenian and Azerbaijani forces, "
                "from the Murovdag ridge at the Armenian border to the Aras river near Horadiz. "
                f"Waypoints (lat lon): {waypoints}",
                "geometry": line,
            },
            {
                **common,
                "kind": "held_area",
                "name": "Held by Armenian forces 1994-2020",
                "description": "The former NKAO and the seven districts, cut at the line of contact (approximate)",
                "area_km2": round(area_km2(finish_geometry(held, METRIC_CRS), GEO_CRS), 1),
                "geometry": held_geo,
            },
        ],
        crs=GEO_CRS,
    )


def country_outline(admin1: gpd.GeoDataFrame) -> shapely.Geometry:
    """One country's admin-1 units dissolved, clipped to the region box, slivers filled (EPSG:4326)."""
    clipped = shapely.union_all(admin1.geometry.values).intersection(box(*COUNTRY_BBOX))
    polygons = []
    for part in getattr(clipped, "geoms", [clipped]):
        if isinstance(part, Polygon):  # clipping can leave stray lines or points on the box edge
            holes = [hole for hole in part.interiors if Polygon(hole).area > COUNTRY_HOLE_MAX_DEG2]
            polygons.append(Polygon(part.exterior, holes))
    return shapely.union_all(polygons)


def build_countries(tarball: Path, log: BuildLog) -> gpd.GeoDataFrame:
    """Simplified country outlines around the South Caucasus."""
    outlines = [country_outline(load_admin1(tarball, iso3, log)) for iso3, *_ in COUNTRIES]
    # Simplifying the countries as one coverage keeps their shared borders identical.
    simplified = shapely.coverage_simplify(outlines, COUNTRY_SIMPLIFY_DEG)
    rows = []
    for (iso3, name_en, name_az, name_hy), geometry in zip(COUNTRIES, simplified):
        geometry = shapely.make_valid(geometry)
        largest = max(getattr(geometry, "geoms", [geometry]), key=lambda part: part.area)
        label = polylabel(largest, tolerance=0.01)
        rows.append(
            {
                "iso_a3": iso3,
                "name_en": name_en,
                "name_az": name_az,
                "name_hy": name_hy,
                "label_lat": round(label.y, 3),
                "label_lon": round(label.x, 3),
                "source": f"{SOURCE_NOTE}, {DATA_MEMBER.format(iso3=iso3.lower())}: admin-1 units dissolved, "
                f"clipped to lon {COUNTRY_BBOX[0]}-{COUNTRY_BBOX[2]}, lat {COUNTRY_BBOX[1]}-"
                f"{COUNTRY_BBOX[3]}, simplified ({COUNTRY_SIMPLIFY_DEG} deg)",
                "geometry": geometry,
            }
        )
    return gpd.GeoDataFrame(rows, crs=GEO_CRS)
