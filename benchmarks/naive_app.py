"""The naive Streamlit + Folium page, the benchmark's baseline: rebuild the whole map on every rerun.

The common pattern of tutorials and forum answers: on each rerun build a new folium.Map, add one
folium.CircleMarker with a Tooltip and a Popup per event in the window, and hand it to st_folium. The
markers are part of the map's script, so every slider step re-renders and re-sends all of them and
streamlit-folium remounts its frame. Same data, loader (cached), slider and count line as the
dashboard; offline like the dashboard (no tiles; Leaflet and jQuery, which folium's Popup needs, served
the way the dashboard serves them). Run by `python -m benchmarks bench`; not part of the dashboard.
"""

from __future__ import annotations

import os
from pathlib import Path

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from dashboard import schema
from dashboard.data import load_events
from dashboard.gazetteer import default_gazetteer
from dashboard.html import Markup, escape, js_template_safe
from dashboard.map.assets import install_offline_assets, keep_used_assets, use_offline_assets
from dashboard.map.palette import event_color
from dashboard.timeline import clamp_window, filter_window, parse_iso_date

STATIC_DIR = Path(__file__).resolve().parent / "static"  # served at app/static/ (git-ignored), as for the dashboard


@st.cache_resource
def offline_asset_url() -> str | None:
    """Leaflet and jQuery as the dashboard loads them: served files if Streamlit serves dashboard/static/."""
    if not st.get_option("server.enableStaticServing"):
        return None
    try:
        install_offline_assets(STATIC_DIR / "offline")
    except OSError:
        return None
    return "../../app/static/offline"


@st.cache_data
def cached_events(path: str) -> pd.DataFrame:
    """The valid events of the file."""
    return load_events(path, default_gazetteer()).events


def naive_map(events: pd.DataFrame) -> folium.Map:
    """A new map with one CircleMarker, tooltip and popup per event."""
    m = folium.Map(location=list(schema.MAP_CENTER), zoom_start=8, tiles=None)
    for row in events.itertuples():
        color = event_color(row.event_type)
        popup = Markup("<b>{}</b><br>{:%Y-%m-%d}<br>{}<br>id: {}").format(
            escape(row.title), row.date_start, escape(row.summary), escape(row.id)
        )
        # folium pastes Tooltip and Popup text into JavaScript template literals.
        folium.CircleMarker(
            [row.latitude, row.longitude],
            radius=6,
            color=color,
            fill=True,
            fill_color=color,
            fill_opacity=0.7,
            tooltip=js_template_safe(escape(row.title)),
            popup=folium.Popup(js_template_safe(popup), max_width=300),
        ).add_to(m)
    return use_offline_assets(keep_used_assets(m), offline_asset_url())


def main() -> None:
    """The page: slider, map, count."""
    st.set_page_config(page_title="Naive map (benchmark baseline)", layout="wide")
    events = cached_events(os.environ.get("DASHBOARD_EVENTS") or str(schema.EVENTS_PATH))
    params = st.query_params
    window = clamp_window(parse_iso_date(params.get("start")), parse_iso_date(params.get("end")))
    start, end = st.slider(
        "Date window", min_value=schema.TIMELINE_START, max_value=schema.TIMELINE_END, value=window, format="YYYY-MM-DD"
    )
    shown = filter_window(events, start, end)
    st_folium(naive_map(shown), key="map", height=560, use_container_width=True)
    st.markdown(f"**Showing {len(shown)} of {len(events)} events**")


main()
