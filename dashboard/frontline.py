"""Territory per holder at a date: Voronoi cells of the settlements, clipped to the land, dissolved per holder."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Generic

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import MultiPoint, Point
from shapely.geometry.base import BaseGeometry

from dashboard import geodata
from dashboard.control import HOLDERS, ControlModel, P
from dashboard.theatre import Theatre, area_km2, in_azerbaijan, to_geo, to_metric

UNKNOWN = -1  # holder code of a place nothing is known of yet; its cell is left out
FRONT_COLUMNS: tuple[str, ...] = ("controlled_by", "area_km2", "geometry")


def voronoi_cells(points: Sequence[Point], zone: BaseGeometry) -> np.ndarray:
    """One cell per point, in order: the point's Voronoi region clipped to `zone` (points must be distinct).

    >>> from shapely.geometry import box
    >>> cells = voronoi_cells([Point(2, 2), Point(8, 8)], box(0, 0, 10, 10))
    >>> [round(c.area) for c in cells]
    [50, 50]
    """
    if len(points) == 0:
        return np.empty(0, dtype=object)
    if len(points) == 1:
        return np.array([zone], dtype=object)
    regions = shapely.voronoi_polygons(MultiPoint(list(points)), extend_to=zone, ordered=True)
    cells = shapely.intersection(np.array(regions.geoms, dtype=object), zone)
    return np.array([c if c.geom_type in ("Polygon", "MultiPolygon") else polygonal(c) for c in cells], dtype=object)


def tessellate(
    points: Sequence[Point], zones: Sequence[BaseGeometry], sides: Sequence[int] | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(owner, zone, cells): each zone cut into the Voronoi cells of the points inside it.

    A zone without points is cut among the points of the other zones of its side (`sides[z]`, e.g. the
    same side of a front line; all points when none), so an empty corner never takes a holder from across
    the line. Points on the same spot share the cell of the first of them.
    """
    sides = list(sides) if sides is not None else [0] * len(zones)
    first: dict[tuple[float, float], int] = {}
    for index, point in enumerate(points):
        first.setdefault((round(point.x, 1), round(point.y, 1)), index)
    distinct = sorted(first.values())
    home = {i: next((z for z, zone in enumerate(zones) if zone.covers(points[i])), -1) for i in distinct}
    owners, zone_of, cells = [], [], []
    for number, zone in enumerate(zones):
        inside = [i for i in distinct if home[i] == number]
        if not inside:
            inside = [i for i in distinct if home[i] >= 0 and sides[home[i]] == sides[number]] or distinct
        zone_cells = voronoi_cells([points[i] for i in inside], zone)
        keep = ~shapely.is_empty(zone_cells)
        owners.append(np.array(inside, dtype=int)[keep])
        zone_of.append(np.full(int(keep.sum()), number, dtype=int))
        cells.append(zone_cells[keep])
    return np.concatenate(owners), np.concatenate(zone_of), np.concatenate(cells)


def land_zones(theatre: Theatre, split: bool) -> tuple[list[BaseGeometry], list[int]]:
    """The land cut into the territories (districts, NKAO) and the belt around them, and the side of each:
    when `split`, each zone is also cut at the 1994 line of contact (side 0 held, 1 the other)."""
    core = shapely.union_all(list(theatre.territories.values()))
    zones = [shapely.intersection(t, theatre.land) for t in theatre.territories.values()]
    zones.append(theatre.land.difference(core))
    pairs = [(zone, 0) for zone in zones]
    if split:
        pairs = [
            part
            for zone in zones
            for part in ((zone.intersection(theatre.held_side), 0), (zone.difference(theatre.held_side), 1))
        ]
    kept = [(polygonal(zone), side) for zone, side in pairs]
    kept = [(zone, side) for zone, side in kept if zone.area > 1.0]  # m2: slivers of the overlays dropped
    return [zone for zone, _ in kept], [side for _, side in kept]


def polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """The polygons of a geometry (an overlay may add stray lines and points), valid."""
    parts = [p for p in shapely.get_parts(shapely.make_valid(geometry)) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


@dataclass(frozen=True)
class Cells:
    """A tessellation: for each cell its settlement (index), zone, geometry (metric and lon/lat) and areas."""

    owner: np.ndarray
    zone: np.ndarray
    metric: np.ndarray
    geo: np.ndarray
    km2: np.ndarray
    inside_km2: Mapping[str, np.ndarray]  # km2 of each cell inside each territory (district, NKAO)

    @classmethod
    def build(
        cls,
        points: Sequence[Point],
        territories: Mapping[str, BaseGeometry],
        zones: Sequence[BaseGeometry],
        sides: Sequence[int] | None = None,
    ) -> Cells:
        """Cells of the points in the zones, measured."""
        owner, zone, metric = tessellate(points, zones, sides)
        inside = {name: area_km2(shapely.intersection(metric, polygon)) for name, polygon in territories.items()}
        geo = to_geo(metric)
        broken = ~shapely.is_valid(geo)  # reprojection can fold a hair-thin spike onto itself
        geo[broken] = [polygonal(g) for g in geo[broken]]
        return cls(owner, zone, metric, geo, area_km2(metric), inside)

    def union(self, chosen: np.ndarray) -> BaseGeometry:
        """The union of the chosen cells (boolean mask): a fast coverage union within each zone, then the
        zones' parts joined (the cells of two zones do not share vertices along the line between them)."""
        parts = [_coverage_union(self.geo[chosen & (self.zone == z)]) for z in np.unique(self.zone[chosen])]
        if len(parts) == 1:
            return parts[0]
        return shapely.union_all(parts) if parts else shapely.Polygon()


def _coverage_union(geometries: np.ndarray) -> BaseGeometry:
    """The union of cells of one zone, which form a coverage (checked: else the general union)."""
    if len(geometries) == 1:
        return geometries[0]
    union = shapely.coverage_union_all(geometries)
    return union if union.is_valid else shapely.union_all(geometries)


class Frontline(Generic[P]):
    """Territory polygons of each holder at any date, computed once per change date and cached.

    `places` are the settlements (keys of the model) in the order of `points` (metric); those of Azerbaijani
    units on the land of the theatre get a cell. Each district, the NKAO and the belt are tessellated on their
    own (area rules and handovers went by unit); from the line of contact rule's date on, each is also cut at
    the 1994 line. The line held until 27 September 2020 and stayed the eastern edge of the ground Armenian
    forces kept until 2023, which never again reached across it: respecting it after 2020 keeps a cell from
    claiming ground over it (without it, Armenian-held ground would grow on the first day of the 2020 war).
    """

    def __init__(
        self,
        model: ControlModel[P],
        theatre: Theatre,
        places: Sequence[P],
        points: Sequence[Point],
        loc_start: date | None = None,
    ):
        inside = [
            i
            for i, point in enumerate(points)
            if in_azerbaijan(model.units.get(places[i], "")) and theatre.land.covers(point)
        ]
        self.places = [places[i] for i in inside]
        self.points = [points[i] for i in inside]
        self.theatre = theatre
        self.loc_start = loc_start
        self._plain = Cells.build(self.points, theatre.territories, *land_zones(theatre, split=False))
        self._split = (
            Cells.build(self.points, theatre.territories, *land_zones(theatre, split=True))
            if loc_start
            else self._plain
        )
        self.keys = sorted(set(model.change_dates()) | ({loc_start} if loc_start else set()))
        self._codes = holder_codes(model, self.places, self.keys)
        self._fronts: dict[date, gpd.GeoDataFrame] = {}
        self._changed: dict[tuple[date, date], gpd.GeoDataFrame] = {}

    def cell_of(self, place: P) -> BaseGeometry:
        """The ground of one settlement's cell (lon/lat), empty when it has none."""
        if place not in self.places:
            return shapely.Polygon()
        return self._plain.union(self._plain.owner == self.places.index(place))

    def key(self, when: date) -> date | None:
        """The last change date at or before `when` (None before the first)."""
        index = bisect_right(self.keys, when) - 1
        return self.keys[index] if index >= 0 else None

    def cells(self, when: date) -> Cells:
        """The tessellation in force on a date."""
        return self._split if self.loc_start and self.loc_start <= when else self._plain

    def holders(self, when: date) -> np.ndarray:
        """Holder code (index into HOLDERS, UNKNOWN) of each settlement on a date."""
        index = bisect_right(self.keys, when) - 1
        return self._codes[:, index] if index >= 0 else np.full(len(self.places), UNKNOWN, dtype=np.int8)

    def at(self, when: date) -> gpd.GeoDataFrame:
        """One feature per holder and per contested area: controlled_by, area_km2, geometry (EPSG:4326)."""
        key = self.key(when) or when
        if key not in self._fronts:
            self._fronts[key] = self._front(key)
        return self._fronts[key]

    def precompute(self) -> None:
        """Compute and cache the territory of every change date."""
        for key in self.keys:
            self.at(key)

    def _front(self, when: date) -> gpd.GeoDataFrame:
        """The territory features of a change date."""
        cells, codes = self.cells(when), self.holders(when)
        by_cell = codes[cells.owner]
        rows = []
        for code, holder in enumerate(HOLDERS):
            chosen = by_cell == code
            if not chosen.any():
                continue
            union = cells.union(chosen)
            if holder != "contested":
                rows.append((holder, round(float(cells.km2[chosen].sum()), 1), union))
                continue
            for part in getattr(union, "geoms", [union]):
                rows.append((holder, round(float(area_km2(to_metric(part))), 1), part))
        return gpd.GeoDataFrame(rows, columns=list(FRONT_COLUMNS), geometry="geometry", crs=geodata.GEO_CRS)

    def front_line(self, when: date) -> BaseGeometry:
        """Where Armenian-held ground meets the rest (EPSG:4326 lines; empty when one side holds nothing)."""
        cells, codes = self.cells(when), self.holders(when)[self.cells(when).owner]
        armenian = codes == HOLDERS.index("armenian")
        if not armenian.any() or armenian.all():
            return shapely.MultiLineString()
        return shapely.line_merge(shapely.intersection(cells.union(armenian).boundary, cells.union(~armenian).boundary))

    def changed_since(self, when: date, days: int = 30) -> gpd.GeoDataFrame:
        """Ground whose holder on `when` differs from `days` before: controlled_by, previously, area_km2."""
        now, then = self.key(when) or when, self.key(when - timedelta(days=days)) or when
        if (now, then) not in self._changed:
            self._changed[(now, then)] = self._difference(now, then)
        return self._changed[(now, then)]

    def _difference(self, now: date, then: date) -> gpd.GeoDataFrame:
        """The changed ground between two change dates, by (previous, new) holder."""
        cells = self.cells(now)
        new, old = self.holders(now)[cells.owner], self.holders(then)[cells.owner]
        rows = []
        for before in range(UNKNOWN, len(HOLDERS)):
            for after in range(len(HOLDERS)):
                chosen = (old == before) & (new == after) & (before != after)
                if chosen.any():
                    previously = HOLDERS[before] if before != UNKNOWN else "unknown"
                    rows.append(
                        (HOLDERS[after], previously, round(float(cells.km2[chosen].sum()), 1), cells.union(chosen))
                    )
        return gpd.GeoDataFrame(
            rows,
            columns=["controlled_by", "previously", "area_km2", "geometry"],
            geometry="geometry",
            crs=geodata.GEO_CRS,
        )

    def shares(self, when: date) -> dict[str, dict[str, float]]:
        """km2 of each territory (district, NKAO) held by each holder on a date, with its total area."""
        cells = self.cells(when)
        codes = self.holders(when)[cells.owner]
        out = {}
        for name, inside in cells.inside_km2.items():
            held = {holder: round(float(inside[codes == code].sum()), 1) for code, holder in enumerate(HOLDERS)}
            out[name] = {**held, "area_km2": round(float(inside.sum()), 1)}
        return out

    def place_at(self, lat: float, lon: float, when: date) -> P | None:
        """The settlement whose ground the point is on (the nearest settlement off the land); None if none."""
        if not self.places:
            return None
        point = to_metric(Point(lon, lat))
        cells = self.cells(when)
        hits = np.flatnonzero(shapely.covers(cells.metric, point))
        if hits.size:
            return self.places[int(cells.owner[hits[0]])]
        return self.places[int(np.argmin(shapely.distance(np.array(self.points, dtype=object), point)))]


def holder_codes(model: ControlModel[P], places: Sequence[P], keys: Sequence[date]) -> np.ndarray:
    """codes[i, k]: the holder of place i on keys[k] as an index into HOLDERS (UNKNOWN before any record)."""
    ordinals = np.array([k.toordinal() for k in keys], dtype=np.int64)
    codes = np.full((len(places), len(keys)), UNKNOWN, dtype=np.int8)
    for i, place in enumerate(places):
        own = model.timeline(place)
        if not own:
            continue
        starts = np.array([h.start.toordinal() for h in own], dtype=np.int64)
        values = np.array([HOLDERS.index(h.controlled_by) for h in own], dtype=np.int8)
        index = np.searchsorted(starts, ordinals, side="right") - 1
        codes[i] = np.where(index >= 0, values[np.maximum(index, 0)], UNKNOWN)
    return codes
