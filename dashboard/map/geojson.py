"""GeoDataFrames to what the layers draw: checked WGS84 frames, compact GeoJSON with bounds, detail GeoJson layers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from dashboard.html import Markup, escape
from dashboard.map.folium_overrides import GeoJson, GeoJsonPopup, GeoJsonTooltip
from dashboard.values import json_value

COORD_DECIMALS = 5  # ~1 m: enough for display, keeps the embedded GeoJSON small
Bounds = list[list[float | None]]


def wgs84(frame: gpd.GeoDataFrame, what: str, columns: Iterable[str]) -> gpd.GeoDataFrame:
    """The frame's non-empty rows in EPSG:4326; TypeError/ValueError naming `what` when it cannot be drawn."""
    if not isinstance(frame, gpd.GeoDataFrame):
        raise TypeError(f"{what} must be a GeoDataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} lacks column(s) {', '.join(missing)}; it has {', '.join(map(str, frame.columns))}")
    if frame.crs is None:
        raise ValueError(f"{what} has no CRS; set one (the geodata files are EPSG:4326)")
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    return frame if frame.crs.to_epsg() == 4326 else frame.to_crs(4326)


def features_and_bounds(
    frame: gpd.GeoDataFrame, properties: Mapping[str, Sequence[Any]]
) -> tuple[dict[str, Any], Bounds]:
    """The GeoJSON FeatureCollection of the frame and its bounds [[lat_min, lon_min], [lat_max, lon_max]]."""
    geometries = shapely.transform(frame.geometry.to_numpy(), lambda xy: np.round(xy, COORD_DECIMALS))
    columns = {key: list(values) for key, values in properties.items()}
    features = []
    for i, geometry in enumerate(geometries):
        props = {key: json_value(values[i]) for key, values in columns.items()}
        features.append(
            {"type": "Feature", "id": str(i), "properties": props, "geometry": shapely.geometry.mapping(geometry)}
        )
    bounds: Bounds = [[None, None], [None, None]]
    if len(geometries):
        west, south, east, north = (float(v) for v in shapely.total_bounds(geometries))
        bounds = [[south, west], [north, east]]
    return {"type": "FeatureCollection", "features": features}, bounds


def column(frame: pd.DataFrame, name: str) -> list[Any]:
    """The column's values, or '' for every row when the frame has no such column."""
    return list(frame[name]) if name in frame.columns else [""] * len(frame)


def names_html(frame: gpd.GeoDataFrame, lang: str, default: str, name_column: str | None = None) -> list[Markup]:
    """Escaped names from `name_column` (default name_<lang>, else name_en), `default` where there is none."""
    name_column = name_column or (f"name_{lang}" if f"name_{lang}" in frame.columns else "name_en")
    return [escape(name if isinstance(name, str) and name else default) for name in column(frame, name_column)]


def detail_geojson(
    frame: gpd.GeoDataFrame,
    tooltips: Sequence[Markup],
    popups: Sequence[Markup],
    style: Callable[[dict[str, Any]], dict[str, Any]],
    extra: Mapping[str, Sequence[Any]] | None = None,
) -> GeoJson:
    """A GeoJson whose tooltip and popup show the escaped HTML in `tooltips`/`popups`.

    GeoJsonTooltip/GeoJsonPopup put property values into innerHTML as they are, hence Markup values;
    their content is a function, which streamlit-folium reads on click (a string or element bound to
    a layer group is not read, and the previous click's text would be reported instead).
    """
    properties = {**(extra or {}), "tooltip": [str(t) for t in tooltips], "popup": [str(p) for p in popups]}
    collection, bounds = features_and_bounds(frame, properties)
    return GeoJson(
        collection,
        bounds=bounds,
        style_function=style,
        control=False,
        tooltip=GeoJsonTooltip(fields=["tooltip"], labels=False),
        popup=GeoJsonPopup(fields=["popup"], labels=False),
    )


def fixed_style(style: dict[str, Any]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A Leaflet style function that gives every feature the same style."""
    return lambda _feature: style


def inert_geojson(
    frame: gpd.GeoDataFrame,
    properties: Mapping[str, Sequence[Any]],
    style: Callable[[dict[str, Any]], dict[str, Any]],
    **options: Any,
) -> GeoJson:
    """A GeoJson of the frame that takes no clicks and has no tooltip or popup (a basemap, a fill pattern, an
    outline drawn over other layers); `options` go to Leaflet (pane, renderer)."""
    collection, bounds = features_and_bounds(frame, properties)
    return GeoJson(collection, bounds=bounds, style_function=style, interactive=False, control=False, **options)
