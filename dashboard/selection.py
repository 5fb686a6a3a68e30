"""What a map click points at: an event (see mapbuild.event_id_from_click) or a district (point in polygon)."""

from __future__ import annotations

from typing import Mapping

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from dashboard.mapbuild import event_id_from_click


def district_at(lat: float, lon: float, districts: gpd.GeoDataFrame) -> str | None:
    """The name_en of the district containing the point, if any."""
    point = Point(lon, lat)
    hits = districts[districts.geometry.contains(point)]
    return str(hits["name_en"].iloc[0]) if len(hits) else None


def click_target(returned: Mapping[str, object] | None, events: pd.DataFrame,
                 districts: gpd.GeoDataFrame) -> tuple[str | None, str | None]:
    """('event', id), ('district', name) or (None, None) for what st_folium reports as clicked."""
    if not returned:
        return None, None
    event_id = event_id_from_click(returned, events)
    if event_id:
        return "event", event_id
    clicked = returned.get("last_object_clicked")
    if isinstance(clicked, Mapping) and "lat" in clicked and "lng" in clicked:
        name = district_at(float(clicked["lat"]), float(clicked["lng"]), districts)
        if name:
            return "district", name
    return None, None


def events_at_same_place(events: pd.DataFrame, event_id: str) -> pd.DataFrame:
    """The other events drawn at the same point as `event_id` (their markers overlap on the map)."""
    chosen = events[events["id"] == event_id]
    if chosen.empty:
        return events.iloc[0:0]
    lat, lon = chosen["latitude"].iloc[0], chosen["longitude"].iloc[0]
    same = (events["latitude"] == lat) & (events["longitude"] == lon) & (events["id"] != event_id)
    return events[same]
