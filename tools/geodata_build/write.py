"""Deterministic GeoJSON: one feature a line, coordinates rounded to 5 decimals, features and keys sorted."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import mapping

from dashboard.geodata import GEO_CRS
from dashboard.values import json_value
from tools.geodata_build.common import PRECISION_DEG


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
    feature = {
        "type": "Feature",
        "properties": dict(properties),
        "geometry": {"type": shape["type"], "coordinates": rounded(shape["coordinates"])},
    }
    return json.dumps(feature, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def write_geojson(frame: gpd.GeoDataFrame, path: Path, sort_by: str) -> None:
    """Write the frame as EPSG:4326 GeoJSON, one feature per line, features sorted by a column."""
    frame = frame.sort_values(sort_by, kind="stable")
    lines = []
    for _, row in frame.iterrows():
        properties = {key: json_value(value) for key, value in row.items() if key != "geometry"}
        lines.append(feature_json(properties, finish_geometry(row.geometry, frame.crs)))
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
