"""What a map click points at: an event (by the id ending its popup) or a district (point in polygon).

After a click on a layer streamlit-folium 0.27 returns `last_object_clicked` = {"lat", "lng"} of the
click (Leaflet snaps it to the marker's centre only for circle markers of radius <= 10 px),
`last_object_clicked_popup` = the popup's text (innerText of its element: lines separated by newlines
once shown, run together before) and `last_object_clicked_tooltip`. Each event popup ends with a line
"id: <event id>" (dashboard.map.popups), so the id after the last "id:" names the event; without one,
an exact lat/lng match with a single event does. Grid cells and districts name no event.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

_POPUP_ID = re.compile(r"\bid:\s*(\S+)\s*$")


def event_id_from_click(clicked: Mapping[str, Any] | None, events: pd.DataFrame) -> str | None:
    """The id of the event a click result points at, or None (no click, a cell, a district, an unknown id)."""
    if not clicked:
        return None
    match = _POPUP_ID.search(str(clicked.get("last_object_clicked_popup") or ""))
    if match and match.group(1) in set(events["id"].astype(str)):
        return match.group(1)
    point = clicked.get("last_object_clicked")
    if not isinstance(point, Mapping) or point.get("lat") is None or point.get("lng") is None:
        return None
    at = events[(events["latitude"] == float(point["lat"])) & (events["longitude"] == float(point["lng"]))]
    return str(at["id"].iloc[0]) if len(at) == 1 else None


def district_at(lat: float, lon: float, districts: gpd.GeoDataFrame) -> str | None:
    """The name_en of the district containing the point, if any."""
    hits = districts[districts.geometry.contains(Point(lon, lat))]
    return str(hits["name_en"].iloc[0]) if len(hits) else None


def click_target(
    returned: Mapping[str, Any] | None, events: pd.DataFrame, districts: gpd.GeoDataFrame
) -> tuple[str | None, str | None]:
    """('event', id), ('district', name) or (None, None) for what the map reports as clicked."""
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
