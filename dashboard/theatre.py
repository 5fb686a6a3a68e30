"""The land of the theatre in a metric projection: its outline, the side held 1994-2020, the unit of each place."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from dashboard import geodata, schema
from dashboard.gazetteer import Gazetteer, GeocodeError, Place
from dashboard.schema import ARMENIA_UNITS, AZERBAIJAN_UNITS, NKAO_UNITS

# The front-line belt: Azerbaijani land this far around the NKAO and the seven districts (Tartar, Barda,
# Goranboy, Aghjabadi, Beylagan, Horadiz lie within it).
BELT_KM = 25.0
# A town of each unit (its seat, or for Gegharkunik the town nearest the theatre, Vardenis); a place without
# a district takes the unit of the nearest of these among the units it can belong to (see `unit_of`).
UNIT_CENTRES: dict[str, str] = {
    "Askeran": "Askeran",
    "Hadrut": "Hadrut",
    "Martakert": "Martakert",
    "Martuni": "Martuni",
    "Shusha": "Shusha",
    "Stepanakert": "Stepanakert",
    "Shahumyan": "Shahumyan",
    "Goranboy": "Goranboy",
    "Tartar": "Tartar",
    "Barda": "Barda",
    "Aghjabadi": "Aghjabadi",
    "Beylagan": "Beylagan",
    "Gazakh": "Gazakh",
    "Tovuz": "Tovuz",
    "Nakhchivan": "Nakhchivan",
    "Tavush": "Ijevan",
    "Gegharkunik": "Vardenis",
    "Vayots Dzor": "Yeghegnadzor",
    "Syunik": "Kapan",
}
# Places whose kind says they are not a point of land someone holds.
NOT_HELD_KINDS: frozenset[str] = frozenset({"region", "country", "road"})

_TO_METRIC = Transformer.from_crs(geodata.GEO_CRS, geodata.METRIC_CRS, always_xy=True)
_TO_GEO = Transformer.from_crs(geodata.METRIC_CRS, geodata.GEO_CRS, always_xy=True)
_TO_AREA = Transformer.from_crs(geodata.METRIC_CRS, geodata.AREA_CRS, always_xy=True)
# A geometry or an array of them: every function below keeps the kind it is given.
Shapes = TypeVar("Shapes", BaseGeometry, np.ndarray)


def _reproject(geometry: Shapes, transformer: Transformer) -> Shapes:
    """Geometry with every coordinate passed through the transformer."""
    return cast(Shapes, cast(Any, shapely.transform)(geometry, transformer.transform, interleaved=False))


def to_metric(geometry: Shapes) -> Shapes:
    """Lon/lat geometry (EPSG:4326) in the metric CRS (UTM 38N)."""
    return _reproject(geometry, _TO_METRIC)


def to_geo(geometry: Shapes) -> Shapes:
    """Metric geometry back in lon/lat (EPSG:4326)."""
    return _reproject(geometry, _TO_GEO)


def area_km2(geometry: Shapes) -> Any:
    """Area of metric geometry measured in the equal-area EPSG:6933, in km2 (a float, or an array for an array)."""
    return shapely.area(_reproject(geometry, _TO_AREA)) / 1e6


def metric_point(place: Place) -> Point:
    """A place as a metric point."""
    return cast(Point, to_metric(Point(place.lon, place.lat)))


@dataclass(frozen=True)
class Theatre:
    """Metric geometry of the theatre (UTM 38N)."""

    land: BaseGeometry  # Azerbaijani land: NKAO, seven districts and the belt around them
    held_side: BaseGeometry  # the part of `land` behind the 1994 line of contact (held by Armenian forces)
    territories: Mapping[str, BaseGeometry]  # the seven districts and the NKAO, by name_en
    armenia: BaseGeometry

    def side_of(self, point: Point) -> str:
        """The holder of the point's side of the 1994 line of contact."""
        return "armenian" if self.held_side.covers(point) else "azerbaijan"


def build_theatre(
    districts: gpd.GeoDataFrame,
    nkao: gpd.GeoDataFrame,
    countries: gpd.GeoDataFrame,
    contact: gpd.GeoDataFrame,
    belt_km: float = BELT_KM,
) -> Theatre:
    """The theatre from the geodata layers (all EPSG:4326).

    >>> from dashboard import geodata
    >>> theatre = build_theatre(geodata.load_districts(), geodata.load_nkao(), geodata.load_countries(),
    ...                         geodata.load_contact_line())
    >>> 15_000 < area_km2(theatre.land) < 40_000
    True
    """
    for name, frame in (("districts", districts), ("nkao", nkao), ("countries", countries), ("contact", contact)):
        if frame.crs is None or frame.crs.to_epsg() != 4326:
            raise ValueError(f"{name}: expected EPSG:4326, got {frame.crs}")
    territories = {str(n): to_metric(g) for n, g in zip(districts["name_en"], districts.geometry.values)}
    territories[schema.NKAO_NAME] = to_metric(shapely.union_all(nkao.geometry.values))
    core = shapely.union_all(list(territories.values()))
    azerbaijan = to_metric(shapely.union_all(countries.loc[countries["iso_a3"] == "AZE"].geometry.values))
    land = shapely.union_all([core, shapely.intersection(azerbaijan, core.buffer(belt_km * 1000))])
    # Keep the parts touching the core: the belt must not reach over Armenia into Nakhchivan.
    parts = [p for p in getattr(land, "geoms", [land]) if p.intersects(core)]
    land = shapely.make_valid(shapely.union_all(parts))
    held = to_metric(shapely.union_all(contact.loc[contact["kind"] == "held_area"].geometry.values))
    armenia = to_metric(shapely.union_all(countries.loc[countries["iso_a3"] == "ARM"].geometry.values))
    return Theatre(land, shapely.intersection(held, land), territories, armenia)


def load_theatre(geodata_dir: Path = schema.GEODATA_DIR) -> Theatre:
    """The theatre from the geodata files in a folder (GeodataError names a missing or bad file)."""
    return build_theatre(
        geodata.load_districts(geodata_dir / schema.DISTRICTS_PATH.name),
        geodata.load_nkao(geodata_dir / schema.NKAO_PATH.name),
        geodata.load_countries(geodata_dir / schema.COUNTRIES_PATH.name),
        geodata.load_contact_line(geodata_dir / schema.CONTACT_LINE_PATH.name),
    )


def unit_centres(gazetteer: Gazetteer) -> dict[str, Point]:
    """The metric centre of each unit whose town the gazetteer lists (the seven districts excluded: their
    polygons decide). Only the listed places are asked, not the GeoNames fallback (slow, and a namesake
    elsewhere in Armenia must not make a centre ambiguous)."""
    listed = Gazetteer(gazetteer.places, None, gazetteer.base)
    centres = {}
    for unit, town in UNIT_CENTRES.items():
        try:
            centres[unit] = metric_point(listed.resolve(town))
        except GeocodeError:
            continue  # a unit without a centre is only reached through explicit districts
    return centres


def unit_of(place: Place, theatre: Theatre, centres: Mapping[str, Point]) -> str:
    """The unit of 1988 a place belongs to: its district when given, else the district polygon it lies in,
    else the nearest unit centre of its kind (NKAO raions inside the NKAO, Armenian marzes in Armenia,
    other Azerbaijani raions elsewhere); "" when no centre is known."""
    if place.district:
        return place.district
    point = metric_point(place)
    for name, polygon in theatre.territories.items():
        if name in schema.DISTRICT_NAMES and polygon.covers(point):
            return name
    if theatre.territories[schema.NKAO_NAME].covers(point):
        group: Iterable[str] = NKAO_UNITS
    elif place.country == "AM" or (not place.country and theatre.armenia.covers(point)):
        group = ARMENIA_UNITS
    else:
        group = [u for u in AZERBAIJAN_UNITS if u not in schema.DISTRICT_NAMES]
    candidates = [(point.distance(centres[u]), u) for u in group if u in centres]
    return min(candidates)[1] if candidates else ""


def is_held_ground(place: Place) -> bool:
    """Whether a place is a point of land in Armenia or Azerbaijan that a side holds (not a region, a country,
    a road, nor a city abroad)."""
    bounds = schema.REGION_BOUNDS
    return (
        place.kind not in NOT_HELD_KINDS
        and bounds["south"] <= place.lat <= bounds["north"]
        and bounds["west"] <= place.lon <= bounds["east"]
    )


def in_azerbaijan(unit: str) -> bool:
    """Whether a unit of 1988 lay in the Azerbaijan SSR (the NKAO included)."""
    return unit in NKAO_UNITS or unit in AZERBAIJAN_UNITS
