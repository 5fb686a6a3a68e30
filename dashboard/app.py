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
from dashboard.details import district_html, event_html, settlement_html
from dashboard.export import events_csv, events_geojson_text
from dashboard.gazetteer import GazetteerError, GeocodeError, Place, default_gazetteer
from dashboard.i18n import LANGUAGES
from dashboard.map import boundary
from dashboard.map.assets import install_offline_assets
from dashboard.map.base import DYNAMIC_LAYERS, StaticLayers, base_map, dynamic_layer_control
from dashboard.map.dated import DATED_LAYERS, DatedLayers
from dashboard.map.layers import MarkerHtml, events_layer
from dashboard.map.popups import legend_html
from dashboard.selection import events_at_same_place
from dashboard.territory import ControlError, ControlPeriod, events_in_territory, history, load_control, load_territory
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


@st.cache_resource(show_spinner="Loading the control model…")
def cached_dated(folder: str, _layers: StaticLayers, _districts: gpd.GeoDataFrame) -> DatedLayers:
    """The settlement-level control model and the layers it dates, once per process; the territory of every
    change date computed up front (~0.3 s), so no slider step waits for it."""
    territory, _ = load_territory(Path(folder))  # its problems are listed with the control history's
    territory.frontline.precompute()
    return DatedLayers(territory, _layers.contact_line, _districts)


@st.cache_resource(max_entries=1024)
def dated_script(folder: str, lang: str, name: str, key: Any, index: int, _dated: DatedLayers, _when: date) -> str:
    """A dated group's script, rendered once per language and key (every date with that key draws the same)."""
    return boundary.group_script(_dated.group(name, _when, lang), index)


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


def select(event_id: str | None, district: str | None, place: Place | None = None) -> None:
    """Make an event, or a settlement and its district, the selection (the others are cleared)."""
    st.session_state.selected_event, st.session_state.selected_district = event_id, district
    st.session_state.selected_place = place


def apply_interactions(
    window_events: pd.DataFrame, districts: gpd.GeoDataFrame, map_key: str, dated: DatedLayers, end: date
) -> None:
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
        place = page.clicked_place(returned, window_events, dated.territory, end)
        if chosen or place:
            select(*(chosen or (None, None)), place)


def render_map(
    settings: page.Settings,
    dated: DatedLayers,
    end: date,
    window_events: pd.DataFrame,
    lang: str,
    selected: pd.Series | None,
    html_cache: MarkerHtml,
    frame: boundary.StaticFrame,
) -> None:
    """The map: the same static frame every rerun (so it stays), the groups of the window's end date (each
    rendered once per key) and the events on top."""
    chosen_id = None if selected is None else str(selected["id"])
    folder = str(settings.geodata_dir)
    groups = [
        dated_script(folder, lang, name, dated.key(name, end), index, dated, end)
        for index, name in enumerate(DATED_LAYERS)
    ]
    events = events_layer(window_events, lang, chosen_id, html_cache=html_cache)
    groups.append(boundary.group_script(events, len(DATED_LAYERS)))
    boundary.show(frame, groups, height=page.MAP_HEIGHT, center=page.map_center(selected))


def pick_event(key: str) -> None:
    """Callback: the event chosen in the details panel's list `key` becomes the selected event."""
    if st.session_state.get(key):
        select(st.session_state[key], None)


def settlement_panel(place: Place, dated: DatedLayers, events: pd.DataFrame, lang: str, end: date) -> None:
    """The clicked settlement's control timeline, and a choice of the events its changes link to."""
    holdings = dated.territory.timeline(place)
    st.html(str(settlement_html(place, holdings, events, lang, end)))
    linked = page.linked_event_choices(holdings, events)
    if linked:
        st.selectbox(
            f"Events behind these changes ({len(linked)})",
            list(linked),
            index=None,
            format_func=linked.__getitem__,
            key="linked_event",
            on_change=pick_event,
            args=("linked_event",),
            placeholder="Choose an event",
        )


def details_panel(
    selected: pd.Series | None,
    districts: gpd.GeoDataFrame,
    periods: list[ControlPeriod],
    events: pd.DataFrame,
    window_events: pd.DataFrame,
    dated: DatedLayers,
    lang: str,
    end: date,
) -> None:
    """Details of the selected event, or of the clicked settlement (its control timeline) and the district
    it lies in (its held area at the window's end, control history and events inside it in the window)."""
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
                args=("also_here",),
                placeholder="Choose an event",
            )
    elif st.session_state.selected_district or st.session_state.get("selected_place"):
        if st.session_state.get("selected_place"):
            settlement_panel(st.session_state.selected_place, dated, events, lang, end)
        name = st.session_state.selected_district
        if name:
            row = districts[districts["name_en"] == name].iloc[0]
            inside = events_in_territory(window_events, districts, name)
            titles = dict(zip(events["id"], events["title"]))
            held = dated.held(end).get(name)
            district = row.drop("geometry").to_dict()
            st.html(str(district_html(district, history(periods, name), inside, titles, held, end, lang)))
    else:
        st.info("Click the map for a settlement's control history and its district, a marker or a row for an event.")


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
    dated = cached_dated(str(settings.geodata_dir), layers, districts)
    apply_interactions(window_events, districts, frame.component_key, dated, end)
    selected = page.selected_row(events, st.session_state.selected_event)

    map_col, details_col = st.columns([5, 3])
    with map_col:
        render_map(
            settings,
            dated,
            end,
            window_events,
            lang,
            page.shown_on_map(selected, window_events),
            marker_html_cache(str(path), page.mtime(path), lang),
            frame,
        )
        st.html(str(legend_html(lang)))
    with details_col:
        st.subheader("Details")
        details_panel(selected, districts, periods, events, window_events, dated, lang, end)

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
