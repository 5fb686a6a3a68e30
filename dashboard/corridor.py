"""The Lachin corridor as it ran: route and status by date, its 5 km strip, and the Russian peacekeeping zone."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import LineString
from shapely.geometry.base import BaseGeometry

from dashboard import geodata, schema
from dashboard.control import read_rows
from dashboard.problems import Problem
from dashboard.theatre import to_geo, to_metric

ROUTES_PATH = schema.GEODATA_DIR / "corridor_routes.csv"
STATUS_PATH = schema.GEODATA_DIR / "corridor_status.csv"
ROUTE_COLUMNS: tuple[str, ...] = ("route", "seq", "lat", "lon", "waypoint", "source", "source_url")
STATUS_COLUMNS: tuple[str, ...] = (
    "route",
    "date_start",
    "date_end",
    "status",
    "event_id",
    "source",
    "source_url",
    "note",
)
STATUSES: tuple[str, ...] = ("armenian-held", "peacekeepers", "blockaded", "checkpoint", "exodus", "closed")
# Point 6 of the trilateral statement of 10 November 2020: "the Lachin corridor (5 km wide)", which "shall not
# affect the city of Shusha" (the town's settlement cell is kept out of every strip).
WIDTH_KM = 5.0
NOT_AFFECTED: tuple[str, ...] = ("Shusha",)
# Russian peacekeepers deployed under the statement of 10 November 2020; their withdrawal was complete on
# 12 June 2024 (Azerbaijani MoD, reported by the Kyiv Independent, https://kyivindependent.com/russian-peacekeepers-
# leave-karabakh). From the Azerbaijani offensive of 19 September 2023 on, the zone is drawn as it stood the day
# before.
PEACEKEEPING_START = date(2020, 11, 10)
PEACEKEEPING_END = date(2024, 6, 12)
ZONE_FROZEN_FROM = date(2023, 9, 19)
FEATURE_COLUMNS: tuple[str, ...] = (
    "kind",
    "route",
    "status",
    "since",
    "until",
    "event_id",
    "source",
    "width_km",
    "geometry",
)


@dataclass(frozen=True)
class CorridorPeriod:
    """The route in force over [start, end) and its status (the timeline's last day counts as inside)."""

    route: str
    start: date
    end: date
    status: str
    event_id: str
    source: str
    source_url: str
    note: str
    file: str
    line: int

    # The names the event check of dashboard.control reads.
    target = property(lambda self: f"corridor {self.route}")
    earliest = property(lambda self: self.start)
    latest = property(lambda self: self.end)

    def covers(self, when: date) -> bool:
        """Whether `when` falls inside the period."""
        return self.start <= when < self.end or when == self.end == schema.TIMELINE_END


def read_routes(path: Path = ROUTES_PATH) -> tuple[dict[str, LineString], list[Problem]]:
    """Each route as a lon/lat line through its waypoints in `seq` order, and the problems of the file."""
    points: dict[str, dict[int, tuple[float, float]]] = {}
    problems = []
    for line, row in read_rows(path, ROUTE_COLUMNS):
        try:
            seq, lat, lon = int(row["seq"]), float(row["lat"]), float(row["lon"])
        except ValueError:
            problems.append(Problem(str(path), line, "seq", "seq, lat and lon must be numbers"))
            continue
        bounds = schema.REGION_BOUNDS
        if not (bounds["south"] <= lat <= bounds["north"] and bounds["west"] <= lon <= bounds["east"]):
            problems.append(Problem(str(path), line, "lat", f"{lat}, {lon} lies outside the theatre"))
        elif seq in points.setdefault(row["route"], {}):
            problems.append(Problem(str(path), line, "seq", f"route {row['route']}: seq {seq} given twice"))
        else:
            points[row["route"]][seq] = (lon, lat)
    routes = {}
    for route, by_seq in points.items():
        if len(by_seq) < 2:
            problems.append(Problem(str(path), 1, "route", f"route {route}: fewer than two waypoints"))
        else:
            routes[route] = LineString([by_seq[seq] for seq in sorted(by_seq)])
    return routes, problems


def read_status(path: Path, routes: Mapping[str, LineString]) -> tuple[list[CorridorPeriod], list[Problem]]:
    """The status periods of the corridor and the problems of the file (overlaps included)."""
    periods, problems = [], []
    for line, row in read_rows(path, STATUS_COLUMNS):
        try:
            start, end = date.fromisoformat(row["date_start"]), date.fromisoformat(row["date_end"])
        except ValueError:
            problems.append(Problem(str(path), line, "date_start", "dates must be real YYYY-MM-DD dates"))
            continue
        checks = [
            (row["route"] not in routes, "route", f"unknown route {row['route']!r}"),
            (row["status"] not in STATUSES, "status", f"{row['status']!r} is not one of {', '.join(STATUSES)}"),
            (end <= start, "date_end", f"period ends {end}, not after it starts {start}"),
            (not row["source"], "source", "every row names its source"),
        ]
        failed = next(((column, message) for bad, column, message in checks if bad), None)
        if failed:
            problems.append(Problem(str(path), line, *failed))
            continue
        periods.append(
            CorridorPeriod(
                row["route"],
                start,
                end,
                row["status"],
                row["event_id"],
                row["source"],
                row["source_url"],
                row["note"],
                str(path),
                line,
            )
        )
    periods.sort(key=lambda p: p.start)
    for before, after in zip(periods, periods[1:]):
        if after.start < before.end:
            problems.append(
                Problem(
                    after.file,
                    after.line,
                    "date_start",
                    f"starts {after.start}, before the period of line {before.line} ends "
                    f"({before.end}); one route and status at a time",
                )
            )
    return periods, problems


class Corridor:
    """The corridor in force at any date: its road and its strip, each with the period's status.

    Nothing before the first period; after the last one the last route is `closed`.
    """

    def __init__(
        self,
        routes: Mapping[str, LineString],
        periods: Sequence[CorridorPeriod],
        armenia: BaseGeometry | None = None,
        width_km: float = WIDTH_KM,
    ):
        self.routes = dict(routes)
        self.periods = sorted(periods, key=lambda p: p.start)
        self.width_km = width_km
        self._armenia = armenia  # metric; the strip is the part of the buffer outside Armenia
        self._kept_out: BaseGeometry | None = None
        self._strips: dict[str, BaseGeometry] = {}
        self._features: dict[tuple[str, str, date], gpd.GeoDataFrame] = {}

    def period_at(self, when: date) -> CorridorPeriod | None:
        """The period in force on `when`; after the last, that period marked closed; None before the first."""
        for period in self.periods:
            if period.covers(when):
                return period
        if self.periods and when >= self.periods[-1].end:
            last = self.periods[-1]
            return CorridorPeriod(
                last.route,
                last.end,
                schema.TIMELINE_END,
                "closed",
                "",
                last.source,
                last.source_url,
                "after the last recorded period",
                last.file,
                last.line,
            )
        return None

    def keep_out(self, area: BaseGeometry) -> None:
        """Ground no strip covers (lon/lat): the 2020 statement's corridor "shall not affect" Shusha."""
        self._kept_out = to_metric(area) if not area.is_empty else None
        self._strips.clear()
        self._features.clear()

    def strip(self, route: str) -> BaseGeometry:
        """The route's strip WIDTH_KM wide (a buffer in the metric CRS), minus Armenia and the kept-out
        ground, in lon/lat."""
        if route not in self._strips:
            area: BaseGeometry = to_metric(self.routes[route]).buffer(self.width_km * 500)
            for outside in (self._armenia, self._kept_out):
                if outside is not None:
                    area = area.difference(outside)
            self._strips[route] = to_geo(area)
        return self._strips[route]

    def at(self, when: date) -> gpd.GeoDataFrame:
        """The road (kind `road`) and strip (kind `corridor`) in force on `when`; no rows before it existed."""
        period = self.period_at(when)
        if period is None:
            return gpd.GeoDataFrame(columns=list(FEATURE_COLUMNS), geometry="geometry", crs=geodata.GEO_CRS)
        key = (period.route, period.status, period.start)
        if key not in self._features:
            common = {
                "route": period.route,
                "status": period.status,
                "since": period.start.isoformat(),
                "until": period.end.isoformat(),
                "event_id": period.event_id or None,
                "source": period.source,
                "width_km": self.width_km,
            }
            rows = [
                {"kind": "corridor", **common, "geometry": self.strip(period.route)},
                {"kind": "road", **common, "geometry": self.routes[period.route]},
            ]
            self._features[key] = gpd.GeoDataFrame(
                rows, columns=list(FEATURE_COLUMNS), geometry="geometry", crs=geodata.GEO_CRS
            )
        return self._features[key]


def peacekeeping_zone(
    armenian_held: Callable[[date], BaseGeometry], corridor: Corridor, when: date
) -> gpd.GeoDataFrame:
    """The Russian peacekeeping zone on `when` (2020-11-10 to June 2024): the Armenian-held ground with the
    corridor's strip, as it stood on the eve of 19 September 2023 from then on. No rows outside those dates.

    `armenian_held(d)` gives the Armenian-held ground on a date (lon/lat).
    """
    if not PEACEKEEPING_START <= when < PEACEKEEPING_END:
        return gpd.GeoDataFrame(
            columns=["kind", "since", "until", "geometry"], geometry="geometry", crs=geodata.GEO_CRS
        )
    as_of = min(when, date.fromordinal(ZONE_FROZEN_FROM.toordinal() - 1))
    strip = corridor.at(as_of)
    parts = [armenian_held(as_of), *strip.loc[strip["kind"] == "corridor"].geometry]
    zone = shapely.union_all([p for p in parts if not p.is_empty])
    return gpd.GeoDataFrame(
        [
            {
                "kind": "peacekeeping_zone",
                "since": PEACEKEEPING_START.isoformat(),
                "until": PEACEKEEPING_END.isoformat(),
                "geometry": zone,
            }
        ],
        geometry="geometry",
        crs=geodata.GEO_CRS,
    )


def load_corridor(
    routes_path: Path = ROUTES_PATH, status_path: Path = STATUS_PATH, armenia: BaseGeometry | None = None
) -> tuple[Corridor, list[Problem]]:
    """The corridor from its two files, and the problems of both."""
    routes, problems = read_routes(routes_path)
    periods, more = read_status(status_path, routes)
    return Corridor(routes, periods, armenia), problems + more
