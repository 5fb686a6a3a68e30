"""Streamlit page: widgets → package calls → render. Run with `streamlit run dashboard/app.py`.

Only this module imports streamlit. The decisions live in dashboard/page.py; the part of the page
the date window drives is one fragment (`window_view`), so a slider step reruns and re-sends only
that part, not the sidebar, title and problems list.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any, cast

import geopandas as gpd
import pandas as pd
import streamlit as st

from dashboard import geodata, page, schema
from dashboard.data import EventsError, LoadResult, load_events
from dashboard.details import district_html, event_html
from dashboard.export import events_csv, events_geojson_text
from dashboard.gazetteer import GazetteerError, GeocodeError, default_gazetteer
from dashboard.i18n import LANGUAGES
from dashboard.map import boundary
from dashboard.map.assets import install_offline_assets
from dashboard.map.base import DYNAMIC_LAYERS, StaticLayers, base_map, dynamic_layer_control
from dashboard.map.layers import MarkerHtml, districts_layer, events_layer
from dashboard.map.popups import legend_html
from dashboard.selection import events_at_same_place
from dashboard.territory import ControlError, ControlPeriod, events_in_territory, history, load_control, status_at
from dashboard.timeline import PLAY_STEP_DAYS, QUICK_RANGES, events_per_month, filter_window

# Streamlit serves this folder at app/static/ (server.enableStaticServing); the offline copies of Leaflet
# and jQuery are written into it at run time from the installed folium-offline package (never committed).
STATIC_DIR = Path(__file__).resolve().parent / "static"
# The same folder seen from the streamlit-folium frame at component/streamlit_folium.st_folium/index.html.
ASSET_URL = "../../app/static/offline"


@st.cache_resource(show_spinner="Loading events…", max_entries=4)
def cached_events(path: str, mtime: float) -> LoadResult:
    """Events and their problems; mtime in the key reloads an edited file.

    A resource, not cache_data: cache_data would unpickle a copy on every rerun (~40 ms at 100,000 rows).
    The page never changes the result (place names and filters make new frames).
    """
    return load_events(path, default_gazetteer())


@st.cache_resource(max_entries=12)
def cached_view(path: str, mtime: float, lang: str) -> pd.DataFrame:
    """The file's valid events with place names in `lang`, made once per file and language (never changed)."""
    return page.with_place_names(cached_events(path, mtime).events, default_gazetteer(), lang)


@st.cache_resource(max_entries=12)
def marker_html_cache(path: str, mtime: float, lang: str) -> MarkerHtml:
    """Marker tooltip and popup HTML by event id for one events file and language, filled as markers are drawn."""
    return {}


@st.cache_data
def cached_control(path: str, mtime: float) -> tuple[list[ControlPeriod], list[Any]]:
    """Control periods and problems of the control history."""
    return load_control(Path(path))


@st.cache_resource
def offline_asset_url() -> str | None:
    """Where the map frame loads Leaflet and jQuery from offline: files Streamlit serves, if it serves any.

    Served files are fetched once and cached by the browser; the data: URL fallback holds ~350 kB that
    would be re-sent on every rerun.
    """
    if not st.get_option("server.enableStaticServing"):
        return None
    try:
        install_offline_assets(STATIC_DIR / "offline")
    except OSError:  # a read-only install: the data: URLs still work
        return None
    return ASSET_URL


@st.cache_resource(show_spinner="Loading map layers…")
def cached_layers(folder: str) -> tuple[StaticLayers, gpd.GeoDataFrame]:
    """Static geodata, read once per process (districts separately, for colouring by date)."""
    return StaticLayers.read(Path(folder)), geodata.load_districts(Path(folder) / schema.DISTRICTS_PATH.name)


@st.cache_resource(max_entries=8)
def static_frame(
    folder: str, lang: str, offline: bool, asset_url: str | None, _layers: StaticLayers
) -> boundary.StaticFrame:
    """The base map of `lang` rendered once per process; every session sends the same strings."""
    m = base_map(_layers, offline=offline, lang=lang, layer_control=False, asset_url=asset_url)
    return boundary.render_static(m, DYNAMIC_LAYERS, dynamic_layer_control())


@st.cache_resource(max_entries=64)
def districts_script(folder: str, lang: str, status: tuple[tuple[str, str], ...], _districts: gpd.GeoDataFrame) -> str:
    """The districts group's script for one control status (the same for every window with that status)."""
    return boundary.group_script(districts_layer(_districts, dict(status), lang), 0)


def init_state() -> None:
    """Seed the window and the selection from the URL's query parameters, once per session."""
    if "window" not in st.session_state:
        for name, value in page.initial_state(st.query_params.to_dict()).items():
            st.session_state[name] = value


def apply_quick_range() -> None:
    """Callback: a quick range sets the window."""
    label = st.session_state.quick_range
    if label in QUICK_RANGES:
        st.session_state.window = QUICK_RANGES[label]


def toggle_play() -> None:
    """Callback: start or stop playback."""
    st.session_state.playing, st.session_state.window = page.toggle_play(
        st.session_state.playing, st.session_state.window
    )


def sidebar() -> tuple[str, list[str]]:
    """Language, quick ranges, playback and type filter; returns (lang, types)."""
    with st.sidebar:
        lang = st.radio("Place names", list(LANGUAGES), format_func=LANGUAGES.__getitem__, horizontal=True, key="lang")
        st.selectbox("Quick range", ["—", *QUICK_RANGES], key="quick_range", on_change=apply_quick_range)
        st.button(
            "⏸ Pause" if st.session_state.playing else "▶ Play",
            on_click=toggle_play,
            key="play",
            help=f"Advance the window's end by {PLAY_STEP_DAYS} days every {page.PLAY_INTERVAL_S} s",
        )
        types = st.multiselect("Event types", schema.EVENT_TYPES, key="types", placeholder="All types")
    return lang or "en", types


def advance_window() -> None:
    """One playback tick: advance the window's end and rerun the page; stop at the timeline's end."""
    tick, window = page.play_tick(st.session_state.window, time.monotonic(), st.session_state.get("last_tick", 0.0))
    if not st.session_state.playing or not tick:
        return
    st.session_state.last_tick = time.monotonic()
    if window is None:
        st.session_state.playing = False
    else:
        st.session_state.pending_window = window  # the slider owns "window" once drawn; main() applies it first
    st.rerun(scope="app")


def playback_ticker() -> None:
    """While playing, a fragment ticks every PLAY_INTERVAL_S; when paused there is no timer at all."""
    if st.session_state.playing:
        st.fragment(run_every=page.PLAY_INTERVAL_S)(advance_window)()


def show_problems(result: LoadResult, path: Path, extra: list[Any]) -> None:
    """Rejected rows, visibly counted, with line and reason."""
    problems = list(result.problems) + list(extra)
    if problems:
        with st.expander(page.problems_label(result.rejected, len(problems)), expanded=result.events.empty):
            st.caption(f"Events file: {path}")
            st.dataframe(page.problems_frame(problems), hide_index=True, width="stretch")


def select(event_id: str | None, district: str | None) -> None:
    """Make an event or a district the selection (the other is cleared)."""
    st.session_state.selected_event, st.session_state.selected_district = event_id, district


def apply_interactions(window_events: pd.DataFrame, districts: gpd.GeoDataFrame, map_key: str) -> None:
    """Apply a new table pick and a new map click from the last interaction, before anything is drawn.

    So the map, the details and the URL of this run agree without an extra rerun.
    """
    picked = page.table_pick(st.session_state.get("table"), st.session_state.get("table_ids", []))
    if picked and picked != st.session_state.get("table_pick"):
        st.session_state.table_pick = picked
        select(picked, None)
    returned = st.session_state.get(map_key)
    clicked = (returned or {}).get("last_object_clicked")
    if clicked and clicked != st.session_state.get("last_click"):
        st.session_state.last_click = clicked
        chosen = page.click_selection(returned, window_events, districts)
        if chosen:
            select(*chosen)


def render_map(
    settings: page.Settings,
    layers: StaticLayers,
    districts: gpd.GeoDataFrame,
    status: dict[str, str],
    window_events: pd.DataFrame,
    lang: str,
    selected: pd.Series | None,
    html_cache: MarkerHtml,
    frame: boundary.StaticFrame,
) -> None:
    """The map: the same static frame every rerun (so it stays), the districts and events layers on top."""
    chosen_id = None if selected is None else str(selected["id"])
    groups = [
        districts_script(str(settings.geodata_dir), lang, page.status_key(status), districts),
        boundary.group_script(events_layer(window_events, lang, chosen_id, html_cache=html_cache), 1),
    ]
    boundary.show(frame, groups, height=page.MAP_HEIGHT, center=page.map_center(selected))


def pick_event() -> None:
    """Callback: the 'also at this place' choice becomes the selected event."""
    if st.session_state.get("also_here"):
        select(st.session_state.also_here, None)


def details_panel(
    selected: pd.Series | None,
    districts: gpd.GeoDataFrame,
    periods: list[ControlPeriod],
    events: pd.DataFrame,
    window_events: pd.DataFrame,
) -> None:
    """Details of the selected event or district (its events: those inside it in the window)."""
    if selected is not None:
        try:
            place = default_gazetteer().resolve(str(selected["location"]))
        except GeocodeError:
            place = None
        st.html(str(event_html(selected, place)))
        others = page.same_place_choices(events_at_same_place(window_events, str(selected["id"])))
        if others:
            st.selectbox(
                f"Also at this place in the window ({len(others)})",
                list(others),
                index=None,
                format_func=others.__getitem__,
                key="also_here",
                on_change=pick_event,
                placeholder="Choose an event",
            )
    elif st.session_state.selected_district:
        name = st.session_state.selected_district
        row = districts[districts["name_en"] == name].iloc[0]
        inside = events_in_territory(window_events, districts, name)
        titles = dict(zip(events["id"], events["title"]))
        st.html(str(district_html(row.drop("geometry").to_dict(), history(periods, name), inside, titles)))
    else:
        st.info("Click a marker or a district on the map, or a row in the table, for details.")


@st.fragment
def window_view(
    settings: page.Settings,
    events: pd.DataFrame,
    periods: list[ControlPeriod],
    layers: StaticLayers,
    districts: gpd.GeoDataFrame,
    lang: str,
    types: list[str],
) -> None:
    """Everything the date window drives: slider, map, details, count, table, downloads, chart, URL."""
    path = settings.events_path
    # Two dates, since the session's "window" (the slider's value) is a pair.
    start, end = cast(
        tuple[date, date],
        st.slider(
            "Date window",
            min_value=schema.TIMELINE_START,
            max_value=schema.TIMELINE_END,
            key="window",
            format="YYYY-MM-DD",
        ),
    )
    window_events = filter_window(events, start, end, types)
    asset_url = offline_asset_url() if settings.offline else None
    frame = static_frame(str(settings.geodata_dir), lang, settings.offline, asset_url, layers)
    apply_interactions(window_events, districts, frame.component_key)
    selected = page.selected_row(events, st.session_state.selected_event)

    map_col, details_col = st.columns([5, 3])
    with map_col:
        render_map(
            settings,
            layers,
            districts,
            status_at(periods, end),
            window_events,
            lang,
            page.shown_on_map(selected, window_events),
            marker_html_cache(str(path), page.mtime(path), lang),
            frame,
        )
        st.html(str(legend_html(lang)))
    with details_col:
        st.subheader("Details")
        details_panel(selected, districts, periods, events, window_events)

    st.markdown(f"**Showing {len(window_events)} of {len(events)} events**")
    table = page.table_frame(window_events)
    st.session_state.table_ids = list(table["id"])
    st.dataframe(
        table,
        key="table",
        on_select="rerun",
        selection_mode="single-row",
        hide_index=True,
        width="stretch",
        column_config={"id": None},
    )
    left, right = st.columns(2)
    # Made when clicked, not on every rerun: at 100,000 events in the window each costs seconds.
    left.download_button("Download CSV", lambda: events_csv(window_events), f"events_{start}_{end}.csv", "text/csv")
    right.download_button(
        "Download GeoJSON",
        lambda: events_geojson_text(window_events),
        f"events_{start}_{end}.geojson",
        "application/geo+json",
    )
    if not window_events.empty:
        st.caption("Events per month in the window")
        st.bar_chart(events_per_month(window_events), x="month", y="events", color="event_type", height=220)

    wanted = page.query_params((start, end), st.session_state.selected_event)
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def main() -> None:
    """The page."""
    st.set_page_config(page_title="Karabakh conflict map 1988–2024", page_icon="🗺", layout="wide")
    settings = page.Settings.from_environ()
    init_state()
    if "pending_window" in st.session_state:
        st.session_state.window = st.session_state.pop("pending_window")
    lang, types = sidebar()
    st.title("Nagorno-Karabakh conflict map, 1988–2024")

    path = settings.events_path
    try:
        result = cached_events(str(path), page.mtime(path))
        periods, control_problems = cached_control(str(settings.control_path), page.mtime(settings.control_path))
        layers, districts = cached_layers(str(settings.geodata_dir))
    except (EventsError, GazetteerError, ControlError, geodata.GeodataError) as error:
        st.error(str(error))
        st.stop()
    show_problems(result, path, control_problems)
    events = cached_view(str(path), page.mtime(path), lang)
    window_view(settings, events, periods, layers, districts, lang, types)
    playback_ticker()


main()
