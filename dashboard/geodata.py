"""Read the committed geodata layers (districts, NKAO, line of contact, countries), checked.

The files are derived by `python -m tools.geodata_build build` (see geodata/PROVENANCE.md); a missing,
unreadable or incomplete file is a GeodataError naming it, never a traceback in the page.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
from pyogrio.errors import DataLayerError, DataSourceError, FieldError, GeometryError

from dashboard.schema import CONTACT_LINE_PATH, COUNTRIES_PATH, DISTRICTS_PATH, NKAO_PATH

GEO_CRS = "EPSG:4326"
METRIC_CRS = "EPSG:32638"  # UTM 38N: distances and buffers, the region lies at 45-48 E
AREA_CRS = "EPSG:6933"  # WGS 84 / NSIDC EASE-Grid 2.0 Global, equal-area: every km2 figure

# What geopandas (via pyogrio) raises for a file that is not valid GeoJSON.
UNREADABLE = (DataSourceError, DataLayerError, FieldError, GeometryError, UnicodeDecodeError)


class GeodataError(Exception):
    """A geodata file is missing or cannot be used."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason


def read_layer(path: Path | str, required: Iterable[str]) -> gpd.GeoDataFrame:
    """A GeoJSON layer with the given properties, or GeodataError naming the file."""
    path = Path(path)
    if not path.is_file():
        raise GeodataError(path, "file not found; run `python -m tools.geodata_build build`")
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


def load_contact_line(path: Path | str = CONTACT_LINE_PATH) -> gpd.GeoDataFrame:
    """The 1994-2020 line of contact (kind 'line') and the area held west of it (kind 'held_area')."""
    return read_layer(path, ("kind", "name", "approximate"))


def load_countries(path: Path | str = COUNTRIES_PATH) -> gpd.GeoDataFrame:
    """Country outlines of the region with label points."""
    return read_layer(path, ("iso_a3", "name_en", "name_az", "name_hy", "label_lat", "label_lon"))
