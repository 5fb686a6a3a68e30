"""Streamlit page: widgets → package calls → render. Run with `streamlit run dashboard/app.py`."""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
import streamlit_folium
from streamlit_folium import st_folium

from dashboard import geodata, mapbuild, schema
from dashboard.data import EventsError, LoadResult, load_events
from dashboard.details import district_html, event_html
from dashboard.export import events_csv, events_geojson_text
from dashboard.gazetteer import LANGUAGES, GazetteerError, GeocodeError, default_gazetteer
from dashboard.selection import click_target, events_at_same_place
from dashboard.territory import ControlError, events_in_territory, history, load_control, status_at
from dashboard.timeline import QUICK_RANGES, clamp_window, events_per_month, filter_window, parse_iso_date

# Streamlit serves this folder at app/static/ (server.enableStaticServing); the offline copies of Leaflet
# and jQuery are written into it at run time from the installed folium-offline package (never committed).
STATIC_DIR = Path(__file__).resolve().parent / "static"
# The same folder seen from the streamlit-folium frame at component/streamlit_folium.st_folium/index.html.
ASSET_URL = "../../app/static/offline"
MAP_HEIGHT = 560
MAP_RETURNS = ["last_object_clicked", "last_object_clicked_popup", "last_object_clicked_tooltip"]
# streamlit-folium 0.27 helpers that st_folium itself runs; without them render_map calls st_folium.
_ST_FOLIUM_PARTS = ("_component_func", "_get_html", "_get_header", "_get_map_string", "get_full_id",
                    "generate_js_hash", "_get_feature_group_string", "_get_layer_control_string")
PLAY_STEP_DAYS = 91
PLAY_INTERVAL_S = 1.2


def offline() -> bool:
    """DASHBOARD_OFFLINE=1 keeps every request on localhost."""
    return os.environ.get("DASHBOARD_OFFLINE", "") not in ("", "0", "false")


def events_path() -> Path:
    """DASHBOARD_EVENTS points at another events file; default the bundled one."""
    return Path(os.environ.get("DASHBOARD_EVENTS") or schema.EVENTS_PATH)


def geodata_dir() -> Path:
    """DASHBOARD_GEODATA points at another geodata folder (same file names); default the bundled one."""
    return Path(os.environ.get("DASHBOARD_GEODATA") or schema.GEODATA_DIR)


@st.cache_resource(show_spinner="Loading events…", max_entries=4)
def cached_events(path: str, mtime: float) -> LoadResult:
    """Events and their problems; mtime in the key reloads an edited file.

    A resource, not cache_data: cache_data would unpickle a copy on every rerun (~40 ms at 100,000 rows).
    The page never changes the result (with_place_names and filters make new frames).
    """
    return load_events(path, default_gazetteer())


@st.cache_resource(max_entries=12)
def cached_view(path: str, mtime: float, lang: str) -> pd.DataFrame:
    """The file's valid events with place names in `lang`, made once per file and language (never changed)."""
    return with_place_names(cached_events(path, mtime).events, lang)


@st.cache_resource(max_entries=12)
def marker_html_cache(path: str, mtime: float, lang: str) -> dict[str, tuple[str, str]]:
    """Marker tooltip and popup HTML by event id for one events file and language, filled as markers are drawn."""
    return {}


@st.cache_data
def cached_control(path: str, mtime: float):
    """Control periods and problems of the control history."""
    return load_control(Path(path))


@st.cache_resource
def offline_asset_url() -> str | None:
    """Where the map frame loads Leaflet and jQuery from offline: files Streamlit serves, if it serves any.

    Served files are fetched once and cached by the browser; the data: URL fallback holds ~350 kB that
    streamlit-folium would re-send on every rerun.
    """
    if not st.get_option("server.enableStaticServing"):
        return None
    try:
        mapbuild.install_offline_assets(STATIC_DIR / "offline")
    except OSError:  # a read-only install: the data: URLs still work
        return None
    return ASSET_URL


@st.cache_resource(show_spinner="Loading map layers…")
def cached_layers(folder: str) -> tuple[mapbuild.StaticLayers, object]:
    """Static geodata, read once per process (districts separately, for colouring by date)."""
    where = Path(folder)
    layers = mapbuild.StaticLayers(
        countries=geodata.load_countries(where / schema.COUNTRIES_PATH.name),
        nkao=geodata.load_nkao(where / schema.NKAO_PATH.name),
        corridor=geodata.load_corridor(where / schema.CORRIDOR_PATH.name),
        contact_line=geodata.load_contact_line(where / schema.CONTACT_LINE_PATH.name))
    return layers, geodata.load_districts(where / schema.DISTRICTS_PATH.name)


def mtime(path: Path) -> float:
    """Modification time, or 0 for a missing file (the loader then reports it)."""
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def init_state() -> None:
    """Seed the window and the selection from the URL's query parameters, once per session."""
    if "window" in st.session_state:
        return
    params = st.query_params
    st.session_state.window = clamp_window(parse_iso_date(params.get("start")), parse_iso_date(params.get("end")))
    st.session_state.selected_event = params.get("event") or None
    st.session_state.selected_district = None
    st.session_state.playing = False


def sync_query_params(start: date, end: date, event_id: str | None) -> None:
    """Write the view into the URL so a link reproduces it."""
    wanted = {"start": start.isoformat(), "end": end.isoformat()}
    if event_id:
        wanted["event"] = event_id
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)


def apply_quick_range() -> None:
    """Callback: a quick range sets the window."""
    label = st.session_state.quick_range
    if label in QUICK_RANGES:
        st.session_state.window = QUICK_RANGES[label]


def toggle_play() -> None:
    """Callback: start or stop playback; starting at the end rewinds to the window's start."""
    playing = not st.session_state.playing
    st.session_state.playing = playing
    start, end = st.session_state.window
    if playing and end >= schema.TIMELINE_END:
        st.session_state.window = (start, start)


def sidebar() -> tuple[str, list[str]]:
    """Language, quick ranges, playback and type filter; returns (lang, types)."""
    with st.sidebar:
        lang = st.radio("Place names", list(LANGUAGES), format_func=LANGUAGES.get, horizontal=True, key="lang")
        st.selectbox("Quick range", ["—", *QUICK_RANGES], key="quick_range", on_change=apply_quick_range)
        st.button("⏸ Pause" if st.session_state.playing else "▶ Play", on_click=toggle_play, key="play",
                  help=f"Advance the window's end by {PLAY_STEP_DAYS} days every {PLAY_INTERVAL_S} s")
        types = st.multiselect("Event types", schema.EVENT_TYPES, key="types", placeholder="All types")
    return lang, types


def advance_window() -> None:
    """One playback tick: advance the window's end and rerun the page; stop at the timeline's end.

    The fragment body also runs within every full rerun; the clock keeps those from advancing early.
    """
    now = time.monotonic()
    if not st.session_state.playing or now - st.session_state.get("last_tick", 0.0) < PLAY_INTERVAL_S * 0.9:
        return
    st.session_state.last_tick = now
    start, end = st.session_state.window
    if end >= schema.TIMELINE_END:
        st.session_state.playing = False
    else:
        # The slider owns "window" once drawn; main() applies the step before drawing it.
        st.session_state.pending_window = (start, min(end + timedelta(days=PLAY_STEP_DAYS), schema.TIMELINE_END))
    st.rerun(scope="app")


def playback_ticker() -> None:
    """While playing, a fragment ticks every PLAY_INTERVAL_S; when paused there is no timer at all."""
    if st.session_state.playing:
        st.fragment(run_every=PLAY_INTERVAL_S)(advance_window)()


def show_problems(result: LoadResult, path: Path, extra: list) -> None:
    """Rejected rows, visibly counted, with line and reason."""
    problems = list(result.problems) + list(extra)
    if not problems:
        return
    label = f"{result.rejected} row(s) rejected, {len(problems)} problem(s) in the data"
    with st.expander(f"⚠ {label}", expanded=result.events.empty):
        st.caption(f"Events file: {path}")
        st.dataframe(pd.DataFrame([{"file": p.file, "line": p.line, "column": p.column, "reason": p.message}
                                   for p in problems]), hide_index=True, width="stretch")


def with_place_names(events: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The events with a `place` column in the chosen language."""
    names = default_gazetteer().display_names(events["location"].unique(), lang)
    return events.assign(place=events["location"].map(names))


def table_frame(events: pd.DataFrame) -> pd.DataFrame:
    """The columns shown in the event table."""
    fatalities = events["fatalities_best"].fillna(events["fatalities_low"]).fillna(events["fatalities_high"])
    return pd.DataFrame({
        "date": events["date_start"].dt.date, "type": events["event_type"], "title": events["title"],
        "location": events["place"], "fatalities": fatalities, "source": events["source"], "id": events["id"],
    }).reset_index(drop=True)


@dataclass
class RenderedBase:
    """The static base map as st_folium sends it, rendered once; the map the dynamic layers are hung on."""

    map: Any
    args: dict[str, Any]
    lock: threading.Lock
    # The districts group's script by control status, and the layer control's script: both the same
    # for every window with that status (the control lists the same groups every time).
    districts_js: dict[tuple, str] = field(default_factory=dict)
    control_js: str | None = None


@st.cache_resource(max_entries=8)
def rendered_base(folder: str, lang: str, is_offline: bool, asset_url: str | None,
                  _layers: mapbuild.StaticLayers) -> RenderedBase | None:
    """The base map of `lang` rendered once per process, the way st_folium renders it on every rerun.

    st_folium re-renders the whole static map (~90 kB of GeoJSON) on each rerun only to send the same
    script again; here that is done once and each rerun renders just the dynamic layers. None when the
    installed streamlit-folium lacks the helpers (render_map then calls st_folium).
    """
    if not all(hasattr(streamlit_folium, name) for name in _ST_FOLIUM_PARTS):
        return None
    base = mapbuild.base_map(_layers, offline=is_offline, lang=lang, layer_control=False, asset_url=asset_url)
    base.render()
    # The order st_folium keeps: html and header first, then the script, which renames the elements.
    html, header = streamlit_folium._get_html(base), streamlit_folium._get_header(base)
    script = streamlit_folium._get_map_string(base)
    css_links, js_links = mapbuild.asset_links(base)
    args = {"script": script, "header": header, "html": html, "id": streamlit_folium.get_full_id(base),
            "key": streamlit_folium.generate_js_hash(script, "map", False),
            "default": {name: None for name in MAP_RETURNS}, "css_links": css_links, "js_links": js_links}
    return RenderedBase(base, args, threading.Lock())


def dynamic_layer_strings(base: RenderedBase, districts, status: dict[str, str], lang: str, events_group
                          ) -> tuple[str, str]:
    """The scripts of the districts and events groups and of the layer control, as st_folium makes them.

    They are rendered on the shared base map (which lists its static groups in the control) under a
    lock, and everything they attached to it is taken off again. The districts script is made once
    per control status, the control's once.
    """
    status_key = tuple(sorted(status.items()))
    with base.lock:
        figure = base.map.get_root()
        parents = (base.map, figure.header, figure.html, figure.script)
        saved = [OrderedDict(parent._children) for parent in parents]
        try:
            if status_key not in base.districts_js:
                base.districts_js[status_key] = streamlit_folium._get_feature_group_string(
                    mapbuild.districts_layer(districts, status, lang), base.map, 0)
            events_js = streamlit_folium._get_feature_group_string(events_group, base.map, 1)
            if base.control_js is None:  # the first call: both groups are on the map now
                base.control_js = streamlit_folium._get_layer_control_string(mapbuild.dynamic_layer_control(),
                                                                             base.map)
        finally:
            for parent, children in zip(parents, saved):
                parent._children = children
    return base.districts_js[status_key] + events_js, base.control_js


def render_map(layers, districts, status, window_events, lang, selected, html_cache) -> None:
    """The map: the same static base each rerun (so the frame stays), dynamic layers sent on top of it."""
    center = None
    if selected is not None:
        center = (float(selected["latitude"]), float(selected["longitude"]))
    events_group = mapbuild.events_layer(window_events, lang, selected["id"] if selected is not None else None,
                                         html_cache=html_cache)
    asset_url = offline_asset_url() if offline() else None
    base = rendered_base(str(geodata_dir()), lang, offline(), asset_url, layers)
    if base is None:
        st_folium(mapbuild.base_map(layers, offline=offline(), lang=lang, layer_control=False, asset_url=asset_url),
                  key="map", height=MAP_HEIGHT, use_container_width=True, render=False, center=center,
                  feature_group_to_add=[mapbuild.districts_layer(districts, status, lang), events_group],
                  returned_objects=MAP_RETURNS, layer_control=mapbuild.dynamic_layer_control())
        return
    groups_js, control_js = dynamic_layer_strings(base, districts, status, lang, events_group)

    def copy_value() -> None:
        # What st_folium's on_change does: the component's value under the key the page reads.
        st.session_state["map"] = st.session_state.get(base.args["key"], {})

    streamlit_folium._component_func(
        **base.args, height=MAP_HEIGHT, width=None, returned_objects=MAP_RETURNS, zoom=None, center=center,
        feature_group=groups_js, return_on_hover=False, layer_control=control_js, pixelated=False,
        on_change=copy_value, wrap_longitude=False)


def handle_click(returned: dict | None, window_events: pd.DataFrame, districts) -> None:
    """A new click on the map selects an event (by id in its popup) or a district (point in polygon)."""
    clicked = (returned or {}).get("last_object_clicked")
    if not clicked or clicked == st.session_state.get("last_click"):
        return
    st.session_state.last_click = clicked
    kind, value = click_target(returned, window_events, districts)
    if kind == "event":
        st.session_state.selected_event, st.session_state.selected_district = value, None
    elif kind == "district":
        st.session_state.selected_district, st.session_state.selected_event = value, None


def selected_event(events: pd.DataFrame) -> pd.Series | None:
    """The selected event's row, or None when nothing (or an unknown id) is selected."""
    chosen = events[events["id"] == st.session_state.selected_event]
    return chosen.iloc[0] if len(chosen) else None


def apply_table_pick() -> None:
    """A newly selected table row (indices into the table drawn last run) selects its event."""
    rows = st.session_state.get("table", {}).get("selection", {}).get("rows", [])
    ids = st.session_state.get("table_ids", [])
    picked = ids[rows[0]] if rows and rows[0] < len(ids) else None
    if picked and picked != st.session_state.get("table_pick"):
        st.session_state.table_pick = st.session_state.selected_event = picked
        st.session_state.selected_district = None


def details_panel(selected, districts, periods, events, window_events) -> None:
    """Details of the selected event or district (its events: those inside it in the window)."""
    if selected is not None:
        try:
            place = default_gazetteer().resolve(str(selected["location"]))
        except GeocodeError:
            place = None
        st.html(event_html(selected, place))
        others_here(window_events, str(selected["id"]))
    elif st.session_state.selected_district:
        name = st.session_state.selected_district
        row = districts[districts["name_en"] == name].iloc[0]
        inside = events_in_territory(window_events, districts, name)
        titles = dict(zip(events["id"], events["title"]))
        st.html(district_html(row.drop("geometry").to_dict(), history(periods, name), inside, titles))
    else:
        st.info("Click a marker or a district on the map, or a row in the table, for details.")


def pick_event() -> None:
    """Callback: the 'also at this place' choice becomes the selected event."""
    choice = st.session_state.get("also_here")
    if choice:
        st.session_state.selected_event, st.session_state.selected_district = choice, None


def others_here(window_events: pd.DataFrame, event_id: str) -> None:
    """Events whose markers share this point, so overlapping markers stay reachable."""
    others = events_at_same_place(window_events, event_id)
    if others.empty:
        return
    titles = dict(zip(others["id"], others["date_start"].dt.strftime("%Y-%m-%d") + " · " + others["title"]))
    st.selectbox(f"Also at this place in the window ({len(others)})", list(titles), index=None,
                 format_func=titles.get, key="also_here", on_change=pick_event, placeholder="Choose an event")


def main() -> None:
    """The page."""
    st.set_page_config(page_title="Karabakh conflict map 1988–2024", page_icon="🗺", layout="wide")
    init_state()
    if "pending_window" in st.session_state:
        st.session_state.window = st.session_state.pop("pending_window")
    lang, types = sidebar()
    st.title("Nagorno-Karabakh conflict map, 1988–2024")

    path = events_path()
    try:
        result = cached_events(str(path), mtime(path))
        control_path = geodata_dir() / schema.CONTROL_PATH.name
        periods, control_problems = cached_control(str(control_path), mtime(control_path))
        layers, districts = cached_layers(str(geodata_dir()))
    except (EventsError, GazetteerError, ControlError, geodata.GeodataError) as error:
        st.error(str(error))
        st.stop()
    show_problems(result, path, control_problems)

    events = cached_view(str(path), mtime(path), lang)
    start, end = st.slider("Date window", min_value=schema.TIMELINE_START, max_value=schema.TIMELINE_END,
                           key="window", format="YYYY-MM-DD")
    window_events = filter_window(events, start, end, types)
    # Clicks and table picks from the last interaction are applied before drawing, so the map,
    # details and URL of this run agree without an extra rerun.
    apply_table_pick()
    handle_click(st.session_state.get("map"), window_events, districts)
    selected = selected_event(events)
    on_map = selected if selected is not None and selected["id"] in set(window_events["id"]) else None

    map_col, details_col = st.columns([5, 3])
    with map_col:
        render_map(layers, districts, status_at(periods, end), window_events, lang, on_map,
                   marker_html_cache(str(path), mtime(path), lang))
        st.html(mapbuild.legend_html(lang))
    with details_col:
        st.subheader("Details")
        details_panel(selected, districts, periods, events, window_events)

    st.markdown(f"**Showing {len(window_events)} of {len(events)} events**")
    table = table_frame(window_events)
    st.session_state.table_ids = list(table["id"])
    st.dataframe(table, key="table", on_select="rerun", selection_mode="single-row", hide_index=True,
                 width="stretch", column_config={"id": None})

    left, right = st.columns(2)
    # Made when clicked, not on every rerun: at 100,000 events in the window each costs seconds.
    left.download_button("Download CSV", lambda: events_csv(window_events), f"events_{start}_{end}.csv", "text/csv")
    right.download_button("Download GeoJSON", lambda: events_geojson_text(window_events),
                          f"events_{start}_{end}.geojson", "application/geo+json")
    if not window_events.empty:
        st.caption("Events per month in the window")
        st.bar_chart(events_per_month(window_events), x="month", y="events", color="event_type", height=220)

    sync_query_params(start, end, st.session_state.selected_event)
    playback_ticker()


main()
