"""What every build step shares: errors, the build log, admin centres, projections and area measurement."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry import Point, Polygon

from dashboard.geodata import AREA_CRS, GEO_CRS, METRIC_CRS

PRECISION_DEG = 1e-5  # ~1 m; output coordinates are rounded to 5 decimals


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
    facts: dict[str, Any] = field(default_factory=dict)  # JSON-ready measurements


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


def to_metric(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A copy of the frame in the metric working CRS."""
    return frame.to_crs(METRIC_CRS)


def metric_point(centre: Centre) -> Point:
    """The centre projected to the metric working CRS."""
    return gpd.GeoSeries([centre.point], crs=GEO_CRS).to_crs(METRIC_CRS).iloc[0]


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
