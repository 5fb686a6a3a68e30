"""Tiny hand-made frames for map tests: 10 km squares, one-row events, a few static layers checkable by eye."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import LineString, Polygon, box

from dashboard import schema
from dashboard.map.base import StaticLayers

KM = 1 / 111.0  # degrees of latitude in a kilometre, near enough for fixtures
HOSTILE = "<script>window.__pwned=1</script>"


def square(lon: float, lat: float, km: float = 10) -> Polygon:
    """A km × km square (roughly) with its south-west corner at lon, lat."""
    return box(lon, lat, lon + km * KM, lat + km * KM)


def districts_frame(**names: tuple[str, str]) -> gpd.GeoDataFrame:
    """Districts as 10 km squares side by side; names maps name_en to (name_az, name_hy)."""
    rows = [
        {"name_en": en, "name_az": az, "name_hy": hy, "area_km2": 100.0, "occupied_share": 1.0}
        for en, (az, hy) in names.items()
    ]
    geometry = [square(46.0 + 0.2 * i, 39.5) for i in range(len(rows))]
    return gpd.GeoDataFrame(rows, geometry=geometry, crs="EPSG:4326")


def three_districts() -> gpd.GeoDataFrame:
    """Shusha, Lachin and Kalbajar as squares, with their three names."""
    return districts_frame(Shusha=("Şuşa", "Շուշի"), Lachin=("Laçın", "Բերձոր"), Kalbajar=("Kəlbəcər", "Քարվաճառ"))


def static_layers() -> StaticLayers:
    """Two countries, an NKAO square, a contact line with a held area."""
    countries = gpd.GeoDataFrame(
        {
            "name_en": ["Armenia", "Azerbaijan"],
            "name_az": ["Ermənistan", "Azərbaycan"],
            "name_hy": ["Հայաստան", "Ադրբեջան"],
            "iso_a3": ["ARM", "AZE"],
            "label_lat": [40.2, 40.4],
            "label_lon": [44.9, 47.7],
        },
        geometry=[box(43.5, 38.9, 46.5, 41.2), box(46.5, 38.4, 50.3, 41.8)],
        crs="EPSG:4326",
    )
    nkao = gpd.GeoDataFrame({"name_en": ["NKAO"]}, geometry=[square(46.5, 39.6, 50)], crs="EPSG:4326")
    contact_line = gpd.GeoDataFrame(
        {"kind": ["line", "held_area"], "description": ["The line", "Held area"], "approximate": [True, True]},
        geometry=[LineString([(46.4, 40.3), (47.0, 39.4)]), square(46.3, 39.5, 40)],
        crs="EPSG:4326",
    )
    return StaticLayers(countries, nkao, contact_line)


def event(**changes: object) -> dict[str, object]:
    """One event row of the typed frame (as dashboard.data builds it) plus the page's `place` column."""
    base: dict[str, object] = {
        "id": "ev-1",
        "date_start": pd.Timestamp("1992-05-08"),
        "date_end": pd.Timestamp("1992-05-09"),
        "date_precision": "day",
        "event_type": "battle",
        "title": "A battle",
        "summary": "What happened.",
        "location": "Shusha",
        "latitude": 39.76,
        "longitude": 46.75,
        "geo_precision": "exact",
        "outside_region": False,
        "side_a": "Side A",
        "side_b": "Side B",
        "fatalities_low": pd.NA,
        "fatalities_best": pd.NA,
        "fatalities_high": pd.NA,
        "disputed": False,
        "source": "https://example.org/report",
        "place": "Shusha",
    }
    return {**base, **changes}


def events_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Event rows as a frame with the loader's dtypes for fatalities and coordinates."""
    columns = list(dict.fromkeys([*schema.EVENT_COLUMNS, *(key for r in rows for key in r), "place"]))
    frame = pd.DataFrame(rows, columns=columns)
    for column in schema.FATALITY_COLUMNS:
        frame[column] = frame[column].astype("Int64")
    for column in ("latitude", "longitude"):
        frame[column] = frame[column].astype("float64")
    return frame


def spread_events(n: int, seed: int = 0) -> pd.DataFrame:
    """n events at random points of a 3° × 6° box, ids e0..e<n-1>."""
    rng = np.random.default_rng(seed)
    frame = events_frame([event()] * n)
    frame["id"] = [f"e{i}" for i in range(n)]
    frame["latitude"] = rng.uniform(38.5, 41.5, n)
    frame["longitude"] = rng.uniform(44.0, 50.0, n)
    frame["event_type"] = rng.choice(schema.EVENT_TYPES, n)
    return frame
