"""Streamlit page: widgets → package calls → render. Run with `python -m dashboard serve`.

Only this module imports streamlit. The decisions live in dashboard/page.py, state.py, urlstate.py,
filters.py, table.py and charts.py. Filters make one frame that feeds the map, the table, the counts
and the charts. The part of the page the date window drives is one fragment (`window_view`), so a
slider step or a playback step reruns only that part; while playing it reruns itself every step.
"""

from __future__ import annotations

import time
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, cast

import geopandas as gpd
import pandas as pd
import streamlit as st

from dashboard import filters, geodata, page, schema, state
from dashboard.about import about_markdown
from dashboard.charts import overview_chart, overview_counts, window_chart
from dashboard.data import EventsError, LoadResult, load_events
from dashboard.details import district_html, event_html, settlement_html
from dashboard.export import events_csv, events_geojson_text
from dashboard.gazetteer import GazetteerError, GeocodeError, Place, default_gazetteer
from dashboard.i18n import LANGUAGES, type_label
from dashboard.map import boundary
from dashboard.map.assets import install_offline_assets
from dashboard.map.base import DYNAMIC_LAYERS, StaticLayers, base_map, dynamic_layer_control
from dashboard.map.dated import DATED_LAYERS, DatedLayers
from dashboard.map.layers import events_layer, selected_district_outline
from dashboard.map.legend import legend_entries, legend_html
from dashboard.search import find_places
from dashboard.selection import events_at_same_place
from dashboard.territory import ControlError, ControlPeriod, events_in_territory, history, load_control, load_territory
from dashboard.timeline import PLAY_SPEEDS, PLAY_UNITS, QUICK_RANGES, count_in_window, filter_window
from dashboard.urlstate import BASEMAPS, to_params

# Streamlit serves this folder at app/static/ (server.enableStaticServing); the map's JS/CSS are written into
# offline/ at start from the installed folium-offline package. The frame sees it at this URL.
STATIC_DIR = Path(__file__).resolve().parent / "static"
ASSET_URL = "../../app/static/offline"
SS = st.session_state  # the callbacks of dashboard.state take it as their session
# Style, title and shortcuts in one element: the browser redraws every element on each render of a slider step.
HEADER_HTML = """<style>
.block-container {{padding-top: 3.4rem; padding-bottom: 1rem;}}
h3 {{margin-top: 0 !important; padding-top: 0 !important; font-size: 1.35rem !important;}}
/* No keyboard on a phone: the shortcuts' line hides on narrow screens. */
@media (max-width: 640px) {{.block-container {{padding: 4.2rem .6rem 1rem .6rem;}} h3 {{font-size: 1.05rem !important;}}
  .kd-keys {{display: none;}}}}
</style>
<h3>Nagorno-Karabakh conflict map, 1988–2024</h3>
<div class="kd-keys" style="font-size: .8rem; color: #666">Keys: {earlier}/{later} a day earlier/later ·
{previous}/{next} previous/next event · {play} play/pause · ←/→ move a focused slider handle by a day · drag on a
chart to choose a window. Play shows one day, week, month or year at a time within the current window.</div>"""


@st.cache_resource(show_spinner="Loading events…", max_entries=4)
def cached_events(path: str, mtime: float) -> LoadResult:
    """Events and their problems; mtime in the key reloads an edited file (a resource: never copied per rerun)."""
    return load_events(path, default_gazetteer())


@st.cache_resource(max_entries=12)
def cached_view(path: str, mtime: float, lang: str) -> page.EventsView:
    """The file's valid events with place names in `lang`, and their index and markers, once per file and language."""
    return page.EventsView(cached_events(path, mtime).events, default_gazetteer(), lang)


@st.cache_data
def cached_control(path: str, mtime: float) -> tuple[list[ControlPeriod], list[Any]]:
    """Control periods and problems of the control history."""
    return load_control(Path(path))


@st.cache_resource
def offline_asset_url() -> str | None:
    """Where the map frame loads Leaflet and its plugins: files Streamlit serves (fetched once, then cached by
    the browser), or None for data: URLs when Streamlit serves no files or the folder cannot be written."""
    if not st.get_option("server.enableStaticServing"):
        return None
    try:
        install_offline_assets(STATIC_DIR / "offline")
    except OSError:  # a read-only install: the data: URLs still work
        return None
    return ASSET_URL


@st.cache_resource(show_spinner="Loading map layers…")
def cached_layers(folder: str) -> tuple[StaticLayers, gpd.GeoDataFrame]:
    """Static geodata, read once per process (districts separately, for their outlines and names)."""
    return StaticLayers.read(Path(folder)), geodata.load_districts(Path(folder) / schema.DISTRICTS_PATH.name)


@st.cache_resource(max_entries=8)
def static_frame(
    folder: str, lang: str, tiles: bool, asset_url: str | None, _layers: StaticLayers, _districts: gpd.GeoDataFrame
) -> boundary.StaticFrame:
    """The base map of `lang` and basemap (with the place names) rendered once per process."""
    places = default_gazetteer().settlements
    m = base_map(_layers, tiles=tiles, lang=lang, layer_control=False, asset_url=asset_url, places=places,
                 districts=_districts)  # fmt: skip
    return boundary.render_static(m, DYNAMIC_LAYERS, dynamic_layer_control())


@st.cache_resource(show_spinner="Loading the control model…")
def cached_dated(folder: str, _layers: StaticLayers, _districts: gpd.GeoDataFrame) -> DatedLayers:
    """The settlement-level control model and the layers it dates, once per process (every change date's
    territory computed up front, so no slider step waits for it)."""
    territory, _ = load_territory(Path(folder))  # its problems are listed with the control history's
    territory.frontline.precompute()
    return DatedLayers(territory, _layers.contact_line, _districts)


@st.cache_resource(max_entries=1024)
def dated_script(folder: str, lang: str, name: str, key: Any, index: int, _dated: DatedLayers, _when: date) -> str:
    """A dated group's script, rendered once per language and key (the frame keeps its group while it is unchanged)."""
    return boundary.kept_group_script(boundary.group_script(_dated.group(name, _when, lang), index), index)


def pick_event(key: str) -> None:
    """Callback: the event chosen in the details panel's list `key` becomes the selected event."""
    if st.session_state.get(key):
        state.select(st.session_state, st.session_state[key], None)


# --- sidebar: language, basemap, filters -------------------------------------------------------------------


def sidebar(settings: page.Settings, actors: list[str]) -> None:
    """Language and basemap, then every filter; their values stay in the session under their keys."""
    with st.sidebar:
        st.radio("Place names", list(LANGUAGES), format_func=LANGUAGES.__getitem__, horizontal=True, key="lang")
        if not settings.offline:
            names = {"vector": "Bundled (works offline)", "osm": "OpenStreetMap tiles (online)"}
            st.radio("Basemap", BASEMAPS, format_func=names.__getitem__, key="basemap")
        st.text_input("Search titles, summaries and places", key="q", placeholder="e.g. Şuşa, Ստեփանակերտ, Khojaly")
        place_search(st.session_state.lang or "en")
        lang = st.session_state.lang or "en"
        st.multiselect("Event types", schema.EVENT_TYPES, format_func=partial(type_label, lang), key="types",
                       placeholder="All types")  # fmt: skip
        st.multiselect("Side or actor", actors, key="actors", placeholder="Anyone")
        st.radio("Disputed accounts", list(page.DISPUTED_LABELS), format_func=page.DISPUTED_LABELS.__getitem__,
                 key="disputed")  # fmt: skip
        st.radio("Verification", list(page.EVIDENCE_LABELS), format_func=page.EVIDENCE_LABELS.__getitem__,
                 key="evidence")  # fmt: skip
        st.number_input("At least this many reported deaths", min_value=0, step=1, key="min_fatalities")
        st.button("Clear filters", on_click=state.on_clear_filters, args=(SS,), key="clear_filters")


def place_search(lang: str) -> None:
    """A place by any of its names or spellings: the map flies there and shows the events around it."""
    query = st.text_input("Find a place", key="place_query", placeholder="Stepanakert, Xankəndi, Բերձոր…")
    matches = {m.place.name_en: m.label(lang) for m in find_places(default_gazetteer(), query or "")}
    if matches:
        st.selectbox("Place", list(matches), format_func=matches.__getitem__, index=None, key="place_pick",
                     on_change=lambda: SS.update(place=SS.place_pick),
                     placeholder=f"{len(matches)} found: choose one")  # fmt: skip
    if st.session_state.place:
        st.slider(f"Events within … km of {st.session_state.place}", 1.0, 100.0, step=1.0, key="km")
        st.button("Clear place", on_click=lambda: st.session_state.update(place=None, place_pick=None))


# --- the window: timeline controls, map, details, table, charts --------------------------------------------


def timeline_buttons(matching: pd.DataFrame) -> None:
    """Quick ranges, day and event steps, playback. None of them shows the window, so they are drawn outside
    the window's fragment (a slider step does not redraw them); a click reruns the whole page."""
    keys, s = page.SHORTCUTS, st.session_state
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.selectbox("Jump to", list(QUICK_RANGES), index=None, key="quick_range", on_change=state.on_quick_range,
                     args=(SS,), placeholder="Jump to a period…", width=170, label_visibility="collapsed")  # fmt: skip
        date_inputs()
        st.button("−1 day", on_click=state.on_step_days, args=(SS, -1), shortcut=keys["earlier"])
        st.button("+1 day", on_click=state.on_step_days, args=(SS, 1), shortcut=keys["later"])
        for label, direction, key in (("Previous event", -1, "previous"), ("Next event", 1, "next")):
            st.button(label, on_click=state.on_step_event, args=(SS, matching, direction), shortcut=keys[key])
        st.button("Pause" if s.playing else "Play", key="play", on_click=state.on_play, args=(SS, "toggle"),
                  shortcut=keys["play"], type="primary")  # fmt: skip
        st.button("Stop", key="stop", on_click=state.on_play, args=(SS, "stop"), disabled=s.play_range is None)
        with st.popover("Step, speed"):
            st.selectbox("Play by", PLAY_UNITS, key="step", format_func="one {} at a time".format)
            st.selectbox("Speed", list(PLAY_SPEEDS), key="speed")


def date_inputs() -> None:
    """The window's first and last day to type, in a popover. Opening it reruns the page, so the inputs show the
    window the slider has moved to since (they are outside the window's fragment, which a step reruns)."""
    low, high = schema.TIMELINE_START, schema.TIMELINE_END
    state.window_to_date_inputs(SS)
    with st.popover("Dates", icon=":material/edit_calendar:", on_change="rerun", key="dates_open"):
        for key, label in (("start_input", "From"), ("end_input", "To")):
            st.date_input(label, min_value=low, max_value=high, key=key, on_change=state.on_dates, args=(SS,),
                          format="YYYY-MM-DD", width=140)  # fmt: skip


def timeline_slider() -> None:
    """The slider; the window is read from its key."""
    st.slider("Date window", min_value=schema.TIMELINE_START, max_value=schema.TIMELINE_END, key="window",
              format="YYYY-MM-DD", on_change=state.on_slider, args=(SS,), label_visibility="collapsed")  # fmt: skip


def brush_chart(spec: dict[str, Any], key: str) -> None:
    """A chart whose dragged range (its selection under `key`) becomes the window."""
    st.vega_lite_chart(spec=spec, key=key, selection_mode="brush", width="stretch",
                       on_select=partial(state.on_brush, SS, key))  # fmt: skip


def apply_interactions(shown: pd.DataFrame, districts: gpd.GeoDataFrame, map_key: str, dated: DatedLayers,
                       end: date) -> None:  # fmt: skip
    """Apply a new table pick (or its untick) and a new map click, before anything is drawn, so the map, the
    details and the URL of this run agree."""
    s = st.session_state
    ticked = s.get(page.table_key(s.table_generation))
    change = page.table_change(ticked, s.get("table_ids", []), s.get("table_pick"))
    if change:
        s.table_pick = page.table_pick(ticked, s.get("table_ids", []))
        state.select(s, s.table_pick, None)
    returned = s.get(map_key)
    clicked = (returned or {}).get("last_object_clicked")
    if clicked and clicked != s.get("last_click"):
        s.last_click = clicked
        chosen = page.click_selection(returned, shown, districts)
        place = page.clicked_place(returned, shown, dated.territory, end)
        if chosen or place:
            state.select(s, *(chosen or (None, None)), place)


def render_map(settings: page.Settings, dated: DatedLayers, end: date, shown: pd.DataFrame, lang: str,
               selected: pd.Series | None, near: filters.Near | None, frame: boundary.StaticFrame) -> None:  # fmt: skip
    """The same static frame every rerun (so it stays), the groups of the window's end date (each rendered once
    per key), the events on top with the selected district's outline, then the legend of that date."""
    chosen_id = None if selected is None else str(selected["id"])
    folder, path = str(settings.geodata_dir), settings.events_path
    groups = [
        dated_script(folder, lang, name, dated.key(name, end), i, dated, end) for i, name in enumerate(DATED_LAYERS)
    ]
    html_cache = cached_view(str(path), page.mtime(path), lang).marker_html
    events = events_layer(shown, lang, chosen_id, html_cache=html_cache)
    outline = selected_district_outline(dated.districts, st.session_state.selected_district)
    if outline is not None:
        outline.add_to(events)
    groups.append(boundary.group_script(events, len(DATED_LAYERS)))
    center, zoom = page.map_view(page.shown_on_map(selected, shown), near)
    boundary.show(frame, groups, height=page.MAP_HEIGHT, center=center, zoom=zoom)
    period = dated.territory.corridor.period_at(end)
    flags = page.dated_legend(period.status if period else None, end)
    st.html(str(legend_html(legend_entries(lang, **flags), lang)))


def settlement_panel(place: Place, dated: DatedLayers, events: pd.DataFrame, lang: str, end: date) -> None:
    """The clicked settlement's control timeline, and a choice of the events its changes link to."""
    holdings = dated.territory.timeline(place)
    st.html(str(settlement_html(place, holdings, events, lang, end)))
    linked = page.linked_event_choices(holdings, events)
    if linked:
        st.selectbox(f"Events behind these changes ({len(linked)})", list(linked), index=None,
                     format_func=linked.__getitem__, key="linked_event", on_change=pick_event, args=("linked_event",),
                     placeholder="Choose an event")  # fmt: skip


def details_panel(selected: pd.Series | None, districts: gpd.GeoDataFrame, periods: list[ControlPeriod],
                  events: pd.DataFrame, shown: pd.DataFrame, dated: DatedLayers, lang: str,
                  end: date) -> None:  # fmt: skip
    """The selected event, or the clicked settlement (its control timeline) and its district (held area at the
    window's end, control history, events inside it in the window)."""
    s = st.session_state
    if selected is not None:
        try:
            place = default_gazetteer().resolve(str(selected["location"]))
        except GeocodeError:
            place = None
        st.html(str(event_html(selected, place)))
        others = page.same_place_choices(events_at_same_place(shown, str(selected["id"])))
        if others:
            st.selectbox(f"Also at this place in the window ({len(others)})", list(others), index=None,
                         format_func=others.__getitem__, key="also_here", on_change=pick_event, args=("also_here",),
                         placeholder="Choose an event")  # fmt: skip
    elif s.selected_district or s.get("selected_place"):
        if s.get("selected_place"):
            settlement_panel(s.selected_place, dated, events, lang, end)
        name = s.selected_district
        if name:
            row = districts[districts["name_en"] == name].iloc[0]
            inside = events_in_territory(shown, districts, name)
            titles = dict(zip(events["id"], events["title"]))
            held = dated.held(end).get(name)
            district = row.drop("geometry").to_dict()
            st.html(str(district_html(district, history(periods, name), inside, titles, held, end, lang)))
    else:
        st.info("Click the map for a settlement's control history and its district, a marker or a row for an event.")
    if selected is not None or s.selected_district or s.get("selected_place"):
        st.button("Clear selection", on_click=state.select, args=(SS, None, None), key="unselect")


def window_view(settings: page.Settings, events: pd.DataFrame, matching: pd.DataFrame, monthly: pd.DataFrame,
                near: filters.Near | None, periods: list[ControlPeriod], layers: StaticLayers,
                districts: gpd.GeoDataFrame, lang: str) -> None:  # fmt: skip
    """Everything the date window drives; `matching` is the events passing the filters, at any date, and
    `monthly` their counts per month (the overview's bars)."""
    s = st.session_state
    if state.tick(s, time.monotonic()):
        st.rerun(scope="app")  # playback ended: the whole page again, without the timer, with its Play button
    start, end = cast(tuple[date, date], s.window)  # the slider's value (the slider is drawn next)
    timeline_slider()
    brush_chart(overview_chart(monthly, (start, end), s.brushes), "overview")
    shown = filter_window(matching, start, end)
    tiles = s.basemap == "osm" and not settings.offline
    frame = static_frame(str(settings.geodata_dir), lang, tiles, offline_asset_url(), layers, districts)
    dated = cached_dated(str(settings.geodata_dir), layers, districts)
    apply_interactions(shown, districts, frame.component_key, dated, end)
    selected = page.selected_row(events, s.selected_event)

    st.markdown(state.window_summary(shown, count_in_window(events, start, end), len(events)))
    map_col, details_col = st.columns([5, 3])
    with map_col:
        render_map(settings, dated, end, shown, lang, selected, near, frame)
    with details_col:
        details_panel(selected, districts, periods, events, shown, dated, lang, end)
    window_table(settings, shown, start, end, lang)


def window_table(settings: page.Settings, shown: pd.DataFrame, start: date, end: date, lang: str) -> None:
    """The window's events as a table (a row picks the event), their downloads, and the chart by family."""
    s = st.session_state
    table = cached_view(str(settings.events_path), page.mtime(settings.events_path), lang).table_rows(shown)
    shown_ids, drawn_ids = table.column("id").to_pylist(), s.get("table_ids", [])
    ticked = page.table_pick(s.get(page.table_key(s.table_generation)), drawn_ids)
    if page.table_tick_stale(ticked, s.selected_event, drawn_ids, shown_ids):
        s.table_generation, s.table_pick = s.table_generation + 1, None
    s.table_ids = shown_ids
    st.dataframe(table, key=page.table_key(s.table_generation), on_select="rerun", selection_mode="single-row",
                 hide_index=True, width="stretch", column_config={"id": None})  # fmt: skip
    downloads(shown, start, end)
    if not shown.empty:
        brush_chart(window_chart(shown, (start, end), lang, s.brushes), "window_chart")
    wanted = to_params(state.view_from_session(s.to_dict()))
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def downloads(shown: pd.DataFrame, start: date, end: date) -> None:
    """The window's events as CSV and GeoJSON, in a popover that draws its buttons only while open (a step then
    sends one element instead of three)."""
    with st.popover("Download", icon=":material/download:", on_change="rerun", key="downloads_open") as box:
        if not box.open:
            return

        def geojson() -> str:  # the places' three names only when asked
            return events_geojson_text(page.with_all_place_names(shown, default_gazetteer()))

        # The files are made when clicked, not on every rerun: at 100,000 events in the window each costs seconds.
        st.download_button("CSV", lambda: events_csv(shown), f"events_{start}_{end}.csv", "text/csv")
        st.download_button("GeoJSON", geojson, f"events_{start}_{end}.geojson", "application/geo+json")


def main() -> None:
    """The page."""
    st.set_page_config(page_title="Karabakh conflict map 1988–2024", page_icon="🗺", layout="wide")
    settings = page.Settings.from_environ()
    state.start_session(st.session_state, st.query_params.to_dict())
    path = settings.events_path
    try:
        result = cached_events(str(path), page.mtime(path))
        periods, control_problems = cached_control(str(settings.control_path), page.mtime(settings.control_path))
        layers, districts = cached_layers(str(settings.geodata_dir))
    except (EventsError, GazetteerError, ControlError, geodata.GeodataError) as error:
        st.error(str(error))
        st.stop()
    lang = st.session_state.lang or "en"
    loaded = cached_view(str(path), page.mtime(path), lang)
    sidebar(settings, loaded.actors)
    st.html(HEADER_HTML.format(**page.SHORTCUTS))
    show_problems(result, path, control_problems)
    events, view = loaded.frame, state.view_from_session(st.session_state.to_dict())
    near = state.near(view, default_gazetteer())
    matching = filters.apply(events, view.filters(near), loaded.index if view.q else None)
    every = state.seconds(st.session_state.speed) if st.session_state.playing else None
    monthly = overview_counts(matching)
    timeline_buttons(matching)
    st.fragment(run_every=every)(window_view)(settings, events, matching, monthly, near, periods, layers, districts,
                                              lang)  # fmt: skip
    with st.expander("About this map", on_change="rerun", key="about_open") as about:
        if about.open:  # the text is sent only to a reader who opens it
            st.markdown(about_markdown(events))


def show_problems(result: LoadResult, path: Path, extra: list[Any]) -> None:
    """Rejected rows, visibly counted, with line and reason."""
    problems = list(result.problems) + list(extra)
    if problems:
        with st.expander(page.problems_label(result.rejected, len(problems)), expanded=result.events.empty):
            st.caption(f"Events file: {path}")
            st.dataframe(page.problems_frame(problems), hide_index=True, width="stretch")


main()
