"""Folium layers from frames: base map, districts, events, legend; escapes every value; no streamlit import.

API
    base_map(StaticLayers, offline=...) -> folium.Map; districts_layer, events_layer -> folium.FeatureGroup;
    dynamic_layer_control() for st_folium; legend(lang) -> Legend (a MacroElement: a Leaflet control)
    and legend_html(lang); event_id_from_click(st_folium result, events); EVENT_COLORS,
    CONTROL_COLORS; LAYER_* names and feature_group_names().

Escaping
    Every value that comes from data (titles, summaries, places, sides, sources, names) goes through
    `escape_html` before it reaches a popup, tooltip, label or the legend. Besides html.escape it turns
    ` $ and \\ into entities, because folium pastes Tooltip and Popup HTML into JavaScript template
    literals (`...`), where a backtick or `${` in a title would otherwise run as code. Data handed to
    JavaScript as JSON (CircleLayer, GeoJSON) has < and > escaped so it cannot close the <script>.
    A source becomes a link (rel="noopener noreferrer", new tab) only when it starts with http(s)://.

Offline mode (DASHBOARD_OFFLINE=1)
    folium points Leaflet, jQuery, Bootstrap, Font Awesome and awesome-markers at CDNs. streamlit-folium
    0.27.4 does not bundle Leaflet: its frontend (streamlit_folium/frontend/build, served by Streamlit
    from the installed package, requests nothing else) strips `<script src>`/`<link href>` from the
    map header, collects the `default_js`/`default_css` URLs of every folium element and adds them to
    its iframe as `<script src>`/`<link href>`; inline `<script>` in the header is inserted with
    innerHTML and never runs. So the place to intervene is those URL lists:

    * the maps built here keep only what they use: Leaflet JS+CSS, and jQuery, which folium's own
      Popup calls as `$(...)` (kept for popups the app may add). Bootstrap, glyphicons, Font Awesome
      and awesome-markers serve marker icons, which this dashboard does not draw;
    * `use_offline_assets` (called by `base_map(offline=True)`) replaces each remaining URL by a
      `data:` URL holding the file itself, read at run time from the installed wheel of
      folium-offline (PyPI `folium-offline` 0.20.0.2, MIT, Sandia National Laboratories; import name
      `offlinefolium`). Its module `offlinefolium.elements` keeps a dict `_res` from folium 0.20's CDN
      URLs to the files' text (Leaflet 1.9.3 with its images already inlined as data: URLs, jQuery
      3.7.1); offlinefolium's own Map inlines them as <script> in the header, which streamlit-folium
      would not run, hence data: URLs. Nothing third-party is committed here; a URL the wheel does
      not carry raises OfflineAssetError rather than loading from the internet;
    * no tile layer: the bundled vector basemap (country outlines, light fill, names as permanent
      labels) is drawn instead.

    Checked in Chromium against `streamlit run`: no request leaves localhost. Also set
    browser.gatherUsageStats = false for Streamlit itself.

Clicks and event ids (streamlit-folium 0.27.4)
    After a click on a layer st_folium returns `last_object_clicked` = {"lat", "lng"} of the click
    (Leaflet snaps it to the marker's centre only for circle markers of radius <= 10 px),
    `last_object_clicked_popup` = the popup's text (innerText of its DOM element: lines separated by
    newlines once shown, concatenated before) and `last_object_clicked_tooltip` = the tooltip's text.
    Each event popup ends with a line "id: <event id>", e.g. "...Source: https://...\\nid: e1".
    `event_id_from_click(result, events)` reads the id after the last "id:" and checks it against
    the events, else takes an exact lat/lng match if that identifies one event; grid cells and
    districts give None. Every clickable layer built here has a popup whose text streamlit-folium can
    read, so the popup text is never left over from an earlier click. Markers also carry their id as
    a Leaflet option (`layer.options.eventId`; grid cells `eventCount`), and district polygons
    `feature.properties.name_en` and `.status`, for browser tests.

What st_folium sends per rerun (with feature_group_to_add)
    Every argument, every rerun: the base-map script (~90 kB with the real geodata), header,
    js_links/css_links (offline: ~350 kB of data: URLs, or short URLs with `asset_url`), and one
    JavaScript string per feature group (events: ~0.5-0.9 kB per marker; grid cells above
    max_markers) plus the layer-control string. The iframe's key is a hash of the base-map script
    (folium's random ids stripped) and `key`: while the base map renders the same, the iframe stays,
    the frontend removes the previous feature groups, evaluates the new strings and re-binds its
    click handlers, and `center`/`zoom` only move the view. So:

    * pass `layer_control=dynamic_layer_control()` to st_folium, so one control lists the static and
      the dynamic groups (it removes the base map's own control; `base_map(layer_control=False)`
      leaves that out from the start);
    * pass districts_layer/events_layer as `feature_group_to_add`, not added to the map;
    * st_folium adds the feature groups and the control to the Map it gets, so a reused Map renders
      differently on the next rerun and the iframe remounts, and a Map shared between sessions would
      be mutated by all of them at once. Either build the Map anew each rerun, or (as app.py does)
      render the base once and render only the dynamic groups on it per rerun under a lock, taking
      off again whatever they attached. Changing `lang` of base_map or adding a legend for another
      language changes the script and remounts it too.

Rendering cost
    branca compiles every script an element renders as a new Jinja template; for the events payload
    and the static GeoJSON that was most of a rerun. CircleLayer and the GeoJson/tooltip/popup
    classes used here paste their output instead (`_RawRender`), with the same text as folium's.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import branca.element
import folium
import folium.elements
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from folium.template import Template

from dashboard import schema

LANGUAGES: tuple[str, ...] = ("en", "az", "hy")

# Layer names as shown in the layer control.
LAYER_COUNTRIES = "Countries"
LAYER_NKAO = "Former NKAO"
LAYER_CORRIDOR = "Lachin corridor"
LAYER_CONTACT_LINE = "Line of contact 1994–2020 (approximate)"
LAYER_DISTRICTS = "Districts: control"
LAYER_EVENTS = "Events"

# Event colours: Paul Tol's colour-blind-safe "muted" scheme plus Okabe–Ito blue and orange and two
# greys; related types share a hue family (combat wine/rose/purple, bombardment indigo/cyan/blue,
# atrocities greys, talks teal/green/olive) so that confusions under colour-vision deficiency stay
# within a family. No colour carries a side.
EVENT_COLORS: dict[str, str] = {
    "battle": "#882255",
    "offensive": "#cc6677",
    "capture": "#aa4499",
    "shelling": "#332288",
    "airstrike": "#88ccee",
    "massacre": "#1a1a1a",
    "pogrom": "#6b6b6b",
    "ceasefire": "#44aa99",
    "diplomacy": "#117733",
    "political": "#999933",
    "protest": "#ddcc77",
    "blockade": "#e69f00",
    "displacement": "#0072b2",
}
UNKNOWN_EVENT_COLOR = "#bbbbbb"

# Control colours: the ends of ColorBrewer's colour-blind-safe PRGn/BrBG schemes, purple and brown,
# which lie on the blue–yellow axis that all common colour-vision deficiencies keep. Neither flag
# uses them (Armenia: red, blue, apricot; Azerbaijan: light blue, red, green). Partial control is a
# mid grey, unknown a pale grey drawn with a dashed outline.
CONTROL_COLORS: dict[str, str] = {
    "armenian": "#762a83",
    "azerbaijan": "#a6611a",
    "partial": "#8c8c8c",
    "unknown": "#e0e0e0",
}

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright" target="_blank" '
    'rel="noopener noreferrer">OpenStreetMap</a> contributors'
)

GRID_CELL_DEGREES = 0.05  # first grid tried when events are aggregated; doubled until few enough
RADIUS_UNKNOWN = 5.0  # px, events without a fatality estimate
RADIUS_MIN = 4.0  # px, events with 0 fatalities
RADIUS_MAX = 18.0
SELECTED_EXTRA_RADIUS = 4.0
POPUP_SUMMARY_CHARS = 300
_COORD_DECIMALS = 5  # ~1 m: enough for display, keeps the embedded GeoJSON small

# folium.Map.default_js/default_css entries the maps of this module use.
_USED_MAP_ASSETS = frozenset({"leaflet", "jquery", "leaflet_css"})

_LABELS: dict[str, dict[str, str]] = {
    "en": {"date": "Date", "place": "Place", "type": "Type", "sides": "Sides", "fatalities": "Fatalities",
           "best": "best estimate", "unknown": "unknown", "disputed": "disputed", "source": "Source",
           "area": "Area", "control": "Control", "events": "Event types", "districts": "Control of districts",
           "one_event": "1 event", "n_events": "{n} events"},
    "az": {"date": "Tarix", "place": "Yer", "type": "Növ", "sides": "Tərəflər", "fatalities": "Həlak olanlar",
           "best": "ən ehtimal olunan", "unknown": "naməlum", "disputed": "mübahisəli", "source": "Mənbə",
           "area": "Sahə", "control": "Nəzarət", "events": "Hadisə növləri", "districts": "Rayonlara nəzarət",
           "one_event": "1 hadisə", "n_events": "{n} hadisə"},
    "hy": {"date": "Ամսաթիվ", "place": "Վայր", "type": "Տեսակ", "sides": "Կողմեր", "fatalities": "Զոհեր",
           "best": "առավել հավանական", "unknown": "անհայտ", "disputed": "վիճելի", "source": "Աղբյուր",
           "area": "Տարածք", "control": "Վերահսկողություն", "events": "Իրադարձությունների տեսակներ",
           "districts": "Շրջանների վերահսկողություն", "one_event": "1 իրադարձություն",
           "n_events": "{n} իրադարձություն"},
}
_CONTROL_LABELS: dict[str, dict[str, str]] = {
    "en": {"armenian": "Armenian forces", "azerbaijan": "Azerbaijani forces", "partial": "partly each",
           "unknown": "unknown"},
    "az": {"armenian": "Erməni qüvvələri", "azerbaijan": "Azərbaycan qüvvələri", "partial": "qismən",
           "unknown": "naməlum"},
    "hy": {"armenian": "Հայկական ուժեր", "azerbaijan": "Ադրբեջանական ուժեր", "partial": "մասնակի",
           "unknown": "անհայտ"},
}
_TYPE_LABELS: dict[str, dict[str, str]] = {
    "en": {t: t for t in schema.EVENT_TYPES},
    "az": {"battle": "döyüş", "offensive": "hücum", "capture": "ələ keçirmə", "shelling": "atəş",
           "airstrike": "hava zərbəsi", "massacre": "qırğın", "pogrom": "poqrom", "ceasefire": "atəşkəs",
           "diplomacy": "diplomatiya", "political": "siyasi", "protest": "etiraz", "blockade": "blokada",
           "displacement": "köçkünlük"},
    "hy": {"battle": "մարտ", "offensive": "հարձակում", "capture": "գրավում", "shelling": "հրետակոծություն",
           "airstrike": "ավիահարված", "massacre": "կոտորած", "pogrom": "ջարդ", "ceasefire": "հրադադար",
           "diplomacy": "դիվանագիտություն", "political": "քաղաքական", "protest": "բողոքի ակցիա",
           "blockade": "շրջափակում", "displacement": "տեղահանում"},
}

_EVENT_FIELDS = ("id", "date_start", "date_end", "date_precision", "event_type", "title", "summary",
                 "latitude", "longitude", "side_a", "side_b", "fatalities_low", "fatalities_best",
                 "fatalities_high", "disputed", "source", "place")
_DATE_FORMATS = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}
_JS_TEMPLATE_CHARS = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})
_POPUP_ID = re.compile(r"\bid:\s*(\S+)\s*$")
_LOCAL_URL = re.compile(r"https?://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?/", re.IGNORECASE)


class OfflineAssetError(LookupError):
    """A JS/CSS resource has no offline copy in the installed folium-offline package."""


@dataclass(frozen=True)
class StaticLayers:
    """The geodata behind the static map, as produced by dashboard/geodata.py (any CRS; drawn in WGS84)."""

    countries: gpd.GeoDataFrame  # name_en, name_az, name_hy, iso_a3, label_lat, label_lon
    nkao: gpd.GeoDataFrame
    corridor: gpd.GeoDataFrame  # kind: "road" | "area"
    contact_line: gpd.GeoDataFrame  # description, approximate

    @classmethod
    def read(cls, countries: Path = schema.COUNTRIES_PATH, nkao: Path = schema.NKAO_PATH,
             corridor: Path = schema.CORRIDOR_PATH, contact_line: Path = schema.CONTACT_LINE_PATH) -> StaticLayers:
        """The static layers from the repository's geodata files."""
        return cls(gpd.read_file(countries), gpd.read_file(nkao), gpd.read_file(corridor),
                   gpd.read_file(contact_line))


def feature_group_names() -> tuple[str, ...]:
    """Names of the feature groups built here, in drawing order (static first)."""
    return (LAYER_COUNTRIES, LAYER_NKAO, LAYER_CORRIDOR, LAYER_CONTACT_LINE, LAYER_DISTRICTS, LAYER_EVENTS)


def escape_html(value: object) -> str:
    """Text from data made safe for HTML and for folium's JavaScript template literals; NA becomes ''."""
    if value is None or (not isinstance(value, str) and _is_na(value)):
        return ""
    return html.escape(str(value), quote=True).translate(_JS_TEMPLATE_CHARS)


def source_html(source: object) -> str:
    """An http(s) source as a link that opens in a new tab; anything else as plain text."""
    text = "" if source is None or _is_na(source) else str(source).strip()
    if text.lower().startswith(("http://", "https://")):
        return f'<a href="{escape_html(text)}" target="_blank" rel="noopener noreferrer">{escape_html(text)}</a>'
    return escape_html(text)


def marker_radius(fatalities_best: object) -> float:
    """Circle radius in px: grows with log10(1 + fatalities), RADIUS_UNKNOWN when there is no estimate."""
    if fatalities_best is None or _is_na(fatalities_best):
        return RADIUS_UNKNOWN
    return min(RADIUS_MAX, RADIUS_MIN + 3.0 * math.log10(1.0 + max(0.0, float(fatalities_best))))


def cell_radius(count: int) -> float:
    """Circle radius in px of a grid cell holding `count` events."""
    return min(2 * RADIUS_MAX, RADIUS_MIN + 4.0 * math.log10(max(1, count)))


# --- the static map -----------------------------------------------------------------------------------


def base_map(layers: StaticLayers, *, offline: bool, center: Sequence[float] = schema.MAP_CENTER, zoom: int = 8,
             lang: str = "en", layer_control: bool = True, asset_url: str | None = None) -> folium.Map:
    """The map with its static layers: OSM tiles online; offline no tiles and nothing loaded from the internet.

    Country outlines (labelled in `lang`) are the basemap offline and a hidden toggle online. Former
    NKAO, the Lachin corridor and the line of contact are toggleable feature groups. With
    `layer_control=False` no LayerControl is added (pass one to st_folium instead, see the module doc).
    Offline, Leaflet and jQuery are data: URLs, or with `asset_url` the copies `install_offline_assets`
    wrote into the folder served there (see `use_offline_assets`).

    >>> m = base_map(layers, offline=True)                        # doctest: +SKIP
    >>> districts_layer(districts, {"Lachin": "armenian"}, "en").add_to(m)   # doctest: +SKIP
    """
    _check_lang(lang)
    m = keep_used_assets(_Map(location=list(center), zoom_start=zoom, tiles=None, prefer_canvas=True,
                              control_scale=True))
    _MapStyle(offline).add_to(m)
    if not offline:
        folium.TileLayer(OSM_TILES, attr=OSM_ATTRIBUTION, name="OpenStreetMap", max_zoom=19).add_to(m)
    countries_layer(layers.countries, lang, show=offline).add_to(m)
    nkao_layer(layers.nkao, lang).add_to(m)
    corridor_layer(layers.corridor).add_to(m)
    contact_line_layer(layers.contact_line).add_to(m)
    if layer_control:
        control = folium.LayerControl(collapsed=False)
        _ControlScript("window.staticLayerControl = {{ this._parent.get_name() }};").add_to(control)
        control.add_to(m)
    return use_offline_assets(m, asset_url) if offline else m


def dynamic_layer_control() -> folium.LayerControl:
    """A LayerControl for st_folium(layer_control=...), listing static and dynamic groups.

    It removes the base map's own control when it is added, so the map shows one control either way.
    """
    control = folium.LayerControl(collapsed=True)
    _ControlScript("if (window.staticLayerControl) { window.staticLayerControl.remove(); "
                   "window.staticLayerControl = null; }").add_to(control)
    return control


def keep_used_assets(m: folium.Map) -> folium.Map:
    """The map asking for only the JS/CSS the maps here use: Leaflet and its CSS, and jQuery for folium's Popup."""
    # Instance-level lists: folium's class-level ones are shared by every map.
    m.default_js = [(name, url) for name, url in m.default_js if name in _USED_MAP_ASSETS]
    m.default_css = [(name, url) for name, url in m.default_css if name in _USED_MAP_ASSETS]
    return m


def use_offline_assets(m: folium.Map, asset_url: str | None = None) -> folium.Map:
    """Replace every JS/CSS URL the map's elements load by a local copy of the file from folium-offline.

    The copy is a data: URL holding the file, or with `asset_url` that folder's copy written by
    `install_offline_assets` (a URL folder such as "../../app/static/offline", without the final "/").
    Call it after all layers are added (the layers of this module load no extra files). URLs that
    are already local (data:, relative or localhost) are kept.
    """
    for element in _walk(m):
        if isinstance(element, folium.elements.JSCSSMixin):
            element.default_js = [(name, _local_url(url, "text/javascript", asset_url))
                                  for name, url in element.default_js]
            element.default_css = [(name, _local_url(url, "text/css", asset_url))
                                   for name, url in element.default_css]
    return m


def install_offline_assets(directory: Path) -> list[Path]:
    """Write the JS/CSS files the maps of this module load (Leaflet, its CSS, jQuery) into `directory`.

    The files come from the installed folium-offline package, under the names `use_offline_assets`
    gives them; a file already there with the same text is left alone, others are replaced
    atomically (several servers may start at once). Returns the files' paths.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    m = keep_used_assets(folium.Map(tiles=None))
    paths = []
    for url in resource_urls(m):
        text = _offline_text(url)
        path = directory / _asset_name(url)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
            partial.write_text(text, encoding="utf-8")
            os.replace(partial, path)
        paths.append(path)
    return paths


def asset_links(m: folium.Map) -> tuple[list[str], list[str]]:
    """(CSS, JS) URLs the map's elements load, each once, in the order st_folium collects them."""
    css = [url for element in _walk(m) for _, url in getattr(element, "default_css", [])]
    js = [url for element in _walk(m) for _, url in getattr(element, "default_js", [])]
    return list(dict.fromkeys(css)), list(dict.fromkeys(js))


def resource_urls(m: folium.Map) -> list[str]:
    """Every JS/CSS URL the map's elements ask a page (or streamlit-folium) to load."""
    return [url for element in _walk(m) if isinstance(element, folium.elements.JSCSSMixin)
            for _, url in [*element.default_js, *element.default_css]]


def countries_layer(countries: gpd.GeoDataFrame, lang: str, show: bool = True) -> folium.FeatureGroup:
    """Country outlines with a light fill and their names in `lang` as permanent labels."""
    _check_lang(lang)
    frame = _wgs84(countries, "countries", ("name_en", "name_az", "name_hy", "label_lat", "label_lon"))
    group = folium.FeatureGroup(name=LAYER_COUNTRIES, show=show)
    collection, bounds = _features_and_bounds(frame, {"name_en": frame["name_en"]})
    _GeoJson(
        collection, bounds=bounds,
        style_function=lambda _: {"color": "#9a9a9a", "weight": 1, "fillColor": "#f4f1ea", "fillOpacity": 1.0},
        interactive=False, control=False,
    ).add_to(group)
    for row in frame.itertuples():
        if _is_na(row.label_lat) or _is_na(row.label_lon):
            continue
        # A zero-size, non-interactive marker that only carries the permanent label.
        label = folium.CircleMarker(
            [float(row.label_lat), float(row.label_lon)], radius=0, stroke=False, fill=False,
            tooltip=folium.Tooltip(escape_html(getattr(row, f"name_{lang}")), permanent=True, direction="center",
                                   sticky=False, class_name="country-label"),
        )
        label.options["interactive"] = False  # folium's path_options drops options it does not know
        label.add_to(group)
    return group


def nkao_layer(nkao: gpd.GeoDataFrame, lang: str) -> folium.FeatureGroup:
    """The outline of the former Nagorno-Karabakh Autonomous Oblast."""
    frame = _wgs84(nkao, "nkao", ())
    names = _names(frame, lang, LAYER_NKAO)
    group = folium.FeatureGroup(name=LAYER_NKAO)
    _detail_geojson(frame, names, names,
                    lambda _: {"color": "#222222", "weight": 2.5, "fill": False}).add_to(group)
    return group


def corridor_layer(corridor: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """The Lachin corridor: the road (kind 'road') as a line and the 5 km area (other kinds) around it."""
    frame = _wgs84(corridor, "corridor", ("kind",))
    group = folium.FeatureGroup(name=LAYER_CORRIDOR)
    is_road = (frame["kind"] == "road").to_numpy()
    area_style = {"color": "#555555", "weight": 1, "dashArray": "4 4", "fillColor": "#777777", "fillOpacity": 0.15}
    road_style = {"color": "#333333", "weight": 3, "opacity": 0.9}
    for part, style in ((frame[~is_road], area_style), (frame[is_road], road_style)):
        if len(part):
            tooltips = _names(part, "en", LAYER_CORRIDOR, column="name")
            popups = [f"<b>{t}</b><br>{escape_html(d)}" for t, d in zip(tooltips, _column(part, "description"))]
            _detail_geojson(part, tooltips, popups, lambda _, style=style: style).add_to(group)
    return group


def contact_line_layer(contact_line: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """The 1994–2020 line of contact, dashed because it is approximate; polygon rows (held area) are left out."""
    frame = _wgs84(contact_line, "contact_line", ())
    frame = frame[frame.geometry.geom_type.isin(["LineString", "MultiLineString"])]
    group = folium.FeatureGroup(name=LAYER_CONTACT_LINE)
    if len(frame):
        popups = [f"<b>{escape_html(LAYER_CONTACT_LINE)}</b><br>{escape_html(d)}"
                  for d in _column(frame, "description")]
        _detail_geojson(frame, [escape_html(LAYER_CONTACT_LINE)] * len(frame), popups,
                        lambda _: {"color": "#1a1a1a", "weight": 2.5, "dashArray": "8 6", "opacity": 0.9}
                        ).add_to(group)
    return group


# --- dynamic layers -----------------------------------------------------------------------------------


def districts_layer(districts: gpd.GeoDataFrame, status: Mapping[str, str], lang: str) -> folium.FeatureGroup:
    """The districts coloured by `status` (name_en -> 'armenian' | 'azerbaijan' | 'partial'; else unknown).

    Tooltip: the name in `lang`; popup: the three names, area and control. Each polygon keeps
    `feature.properties.name_en` and `.status`.
    """
    _check_lang(lang)
    frame = _wgs84(districts, "districts", ("name_en", "name_az", "name_hy"))
    states = [s if (s := status.get(name)) in schema.CONTROL_STATES else "unknown" for name in frame["name_en"]]
    labels, control = _LABELS[lang], _CONTROL_LABELS[lang]
    areas = frame["area_km2"] if "area_km2" in frame.columns else pd.Series(np.nan, index=frame.index)
    popups = [
        f"<b>{escape_html(getattr(row, f'name_{lang}'))}</b><br>"
        f"{escape_html(row.name_en)} · {escape_html(row.name_az)} · {escape_html(row.name_hy)}<br>"
        + ("" if _is_na(area) else f"{labels['area']}: {float(area):,.0f} km²<br>")
        + f"{labels['control']}: {escape_html(control[state])}"
        for row, area, state in zip(frame.itertuples(), areas, states)
    ]
    properties = {"name_en": frame["name_en"], "name_az": frame["name_az"], "name_hy": frame["name_hy"],
                  "status": states}
    group = folium.FeatureGroup(name=LAYER_DISTRICTS)
    _detail_geojson(frame, [escape_html(n) for n in frame[f"name_{lang}"]], popups, _district_style,
                    extra=properties).add_to(group)
    return group


def events_layer(events: pd.DataFrame, lang: str, selected_id: str | None = None,
                 max_markers: int = 3000, html_cache: dict[str, tuple[str, str]] | None = None
                 ) -> folium.FeatureGroup:
    """One circle per located event, or per grid cell when more than `max_markers` events have coordinates.

    Colour by event_type (EVENT_COLORS), radius by fatalities_best (`marker_radius`), the selected
    event bigger with a black outline and drawn last (also on top of an aggregated grid). Rows
    without coordinates are skipped. Markers carry `eventId`, cells `eventCount`, in their options.

    `html_cache` (event id -> (tooltip, popup) HTML) keeps the markers' HTML between calls for the same
    events and `lang`; missing entries are added. Building it costs ~0.15 ms an event, the most of a
    slider step with thousands of markers.
    """
    _check_lang(lang)
    missing = [c for c in _EVENT_FIELDS if c not in events.columns]
    if missing:
        raise ValueError(f"events frame lacks column(s) {', '.join(missing)}; "
                         f"it has {', '.join(map(str, events.columns))}")
    if max_markers < 1:
        raise ValueError(f"max_markers must be at least 1, got {max_markers}")
    # Row positions, not frame copies: selecting and concatenating whole frames cost more than the markers.
    located = np.flatnonzero(events["latitude"].notna().to_numpy() & events["longitude"].notna().to_numpy())
    chosen = np.zeros(len(located), dtype=bool)
    if selected_id is not None:
        chosen = (events["id"].iloc[located] == selected_id).to_numpy(dtype=bool)
    group = folium.FeatureGroup(name=LAYER_EVENTS)
    if len(located) > max_markers:
        _cell_circles(events.iloc[located], max_markers, lang).add_to(group)
        markers = located[chosen][:1]
    else:
        markers = np.concatenate([located[~chosen], located[chosen][:1]])  # the selected one drawn last
    if len(markers):
        _event_circles(events, markers, lang, selected_id, {} if html_cache is None else html_cache).add_to(group)
    return group


def event_id_from_click(clicked: Mapping[str, Any] | None, events: pd.DataFrame) -> str | None:
    """The id of the event a st_folium click result points at, or None (no click, a cell, a district).

    Reads the id after the last "id:" in `last_object_clicked_popup`; if there is none, an exact
    match of `last_object_clicked` with one event's coordinates.
    """
    if not clicked:
        return None
    ids = set(events["id"].astype(str))
    match = _POPUP_ID.search(str(clicked.get("last_object_clicked_popup") or ""))
    if match and match.group(1) in ids:
        return match.group(1)
    point = clicked.get("last_object_clicked")
    if not isinstance(point, Mapping) or point.get("lat") is None or point.get("lng") is None:
        return None
    at = events[(events["latitude"] == float(point["lat"])) & (events["longitude"] == float(point["lng"]))]
    return str(at["id"].iloc[0]) if len(at) == 1 else None


class _RawText(branca.element.Element):
    """Text that renders as itself (branca's Element would compile it as a Jinja template first)."""

    def __init__(self, text: str):
        super().__init__()
        self._text = text

    def render(self, **kwargs: Any) -> str:
        return self._text


class _RawRender(branca.element.MacroElement):
    """MacroElement.render without compiling each rendered macro as a new Jinja template.

    branca wraps the header/html/script a MacroElement renders in Element(text), which compiles the text
    as a template: for the events payload and the static GeoJSON that was most of a rerun's time (and
    it would read any "{{" in data as Jinja). The text goes into the page as it is instead.
    """

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        if not isinstance(figure, branca.element.Figure):
            raise TypeError(f"{type(self).__name__} can only be rendered inside a Figure (add it to a Map)")
        for part, target in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
            macro = self._template.module.__dict__.get(part)
            if macro is not None:
                target.add_child(_RawText(macro(self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


class _GeoJson(folium.GeoJson, _RawRender):
    """folium.GeoJson rendered with _RawRender (its GeoJSON is pasted, not compiled), bounds given.

    folium would walk every coordinate for the bounds st_folium asks for on each rerun.
    """

    def __init__(self, data: dict[str, Any], *, bounds: list[list[float | None]], **kwargs: Any):
        super().__init__(data, **kwargs)
        self._bounds = bounds

    def _get_self_bounds(self) -> list[list[float | None]]:
        return self._bounds


# folium's GeoJsonDetail.render compiles this for every tooltip and popup it renders; compiled once here.
_DETAIL_STYLE = Template("""
                    <style>
                        .{{ this.class_name }} {
                            {{ this.style }}
                        }
                       .{{ this.class_name }} table{
                            margin: auto;
                        }
                        .{{ this.class_name }} tr{
                            text-align: left;
                        }
                        .{{ this.class_name }} th{
                            padding: 2px; padding-right: 8px;
                        }
                    </style>
            """)


class _RawDetail:
    """GeoJsonTooltip/GeoJsonPopup rendered as folium does, without compiling templates on each render.

    folium's render also checks that the fields exist in the features; _detail_geojson always gives them.
    """

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        figure.header.add_child(_RawText(_DETAIL_STYLE.render(this=self)), name=self.get_name() + "tablestyle")
        _RawRender.render(self, **kwargs)


class _GeoJsonTooltip(_RawDetail, folium.GeoJsonTooltip):
    """folium.GeoJsonTooltip with _RawDetail's render."""


class _GeoJsonPopup(_RawDetail, folium.GeoJsonPopup):
    """folium.GeoJsonPopup with _RawDetail's render."""


class CircleLayer(_RawRender):
    """Leaflet circle markers drawn in one loop from columns of data, added to the parent feature group.

    folium's CircleMarker with Tooltip and Popup costs ~1.4 kB of script and ~1 ms of rendering per
    marker; this costs the data only. Columns (equal-length lists): lat, lng, radius, fill, stroke,
    weight, fillOpacity, keys (put into each marker's option named `key`), tooltip (HTML string) and
    popup (HTML, bound as a DOM element: streamlit-folium reads a popup's text with innerText and a
    tooltip's with innerHTML). All HTML must be escaped already.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = {{ this.payload }};
            (function (group, d) {
                for (var i = 0; i < d.lat.length; i++) {
                    var options = {radius: d.radius[i], color: d.stroke[i], weight: d.weight[i], opacity: 1,
                                   fill: true, fillColor: d.fill[i], fillOpacity: d.fillOpacity[i]};
                    options[d.key] = d.keys[i];
                    var marker = L.circleMarker([d.lat[i], d.lng[i]], options);
                    marker.bindTooltip(d.tooltip[i], {sticky: true});
                    var content = document.createElement("div");
                    content.innerHTML = d.popup[i];
                    marker.bindPopup(content, {maxWidth: d.popupWidth});
                    marker.addTo(group);
                }
            })({{ this._parent.get_name() }}, {{ this.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, key: str, **columns: Any):
        super().__init__()
        self._name = "CircleLayer"
        self.payload = _script_json({"key": key, **columns})


# --- legend -------------------------------------------------------------------------------------------


def legend_html(lang: str = "en") -> str:
    """The legend as a self-contained HTML fragment (inline styles): event-type and control colours in `lang`."""
    _check_lang(lang)
    labels = _LABELS[lang]

    def swatch(color: str, label: str, shape: str) -> str:
        radius = "50%" if shape == "circle" else "2px"
        return (f'<span class="legend-row" style="display:inline-block;margin-right:12px;white-space:nowrap">'
                f'<span class="legend-swatch" style="background:{escape_html(color)};'
                f"border-radius:{radius};display:inline-block;width:11px;height:11px;margin-right:5px;"
                f'vertical-align:-1px;border:1px solid #555"></span>{escape_html(label)}</span>')

    events = [swatch(EVENT_COLORS[t], _TYPE_LABELS[lang][t], "circle") for t in schema.EVENT_TYPES]
    control = [swatch(color, _CONTROL_LABELS[lang][state], "square") for state, color in CONTROL_COLORS.items()]
    return ('<div class="map-legend-body" style="font-size:0.85em;line-height:1.6">'
            f"<div><b>{escape_html(labels['events'])}:</b> {''.join(events)}</div>"
            f"<div><b>{escape_html(labels['districts'])}:</b> {''.join(control)}</div></div>")


class Legend(branca.element.MacroElement):
    """A Leaflet control in the bottom-right corner showing `legend_html(lang)`; add it to the Map."""

    _template = Template("""
        {% macro header(this, kwargs) %}
            <style>
                .map-legend { background: rgba(255,255,255,0.92); padding: 6px 8px; font: 12px/1.35 sans-serif;
                              border-radius: 4px; box-shadow: 0 0 4px rgba(0,0,0,0.3);
                              max-height: 60vh; overflow-y: auto; }
            </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.control({position: "bottomright"});
            {{ this.get_name() }}.onAdd = function () {
                var div = L.DomUtil.create("div", "map-legend");
                div.innerHTML = {{ this.html|tojavascript }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, lang: str):
        super().__init__()
        self._name = "Legend"
        self.html = legend_html(lang)


def legend(lang: str) -> Legend:
    """The map legend element for `lang`."""
    return Legend(lang)


# --- internals ----------------------------------------------------------------------------------------


class _Map(folium.Map):
    """A folium Map that renders its LayerControl after every layer, even layers added after the control.

    folium renders children in the order they were added; a control rendered before a feature group
    refers to a variable not yet assigned and the error stops the rest of the map's script.
    """

    def render(self, **kwargs: Any) -> None:
        for name, child in list(self._children.items()):
            if isinstance(child, folium.LayerControl):
                self._children.move_to_end(name)
        super().render(**kwargs)


class _ControlScript(branca.element.MacroElement):
    """A line of script rendered right after its parent LayerControl (a Jinja template over `this`)."""

    def __init__(self, source: str):
        super().__init__()
        self._name = "ControlScript"
        self._template = Template("{% macro script(this, kwargs) %}" + source + "{% endmacro %}")


class _MapStyle(branca.element.MacroElement):
    """CSS for country labels, and a water-coloured background where there are no tiles."""

    _template = Template("""
        {% macro header(this, kwargs) %}
            <style>
                .leaflet-tooltip.country-label { background: transparent; border: none; box-shadow: none;
                    color: #5a5a5a; font: 600 13px sans-serif; text-shadow: 0 0 3px #fff; }
                .leaflet-tooltip.country-label::before { display: none; }
                {% if this.offline %}.leaflet-container { background: #dce8f0; }{% endif %}
            </style>
        {% endmacro %}
    """)

    def __init__(self, offline: bool):
        super().__init__()
        self._name = "MapStyle"
        self.offline = offline


def _is_na(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # arrays and other containers are values, not missing
        return False


def _script_json(value: Any) -> str:
    """JSON to paste into a <script>: UTF-8 kept (Armenian text stays 2 bytes a letter), '<' and '>' escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _check_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, got {lang!r}")


def _walk(element: branca.element.Element) -> Iterable[branca.element.Element]:
    yield element
    for child in element._children.values():
        yield from _walk(child)


def _local_url(url: str, mime: str, asset_url: str | None = None) -> str:
    if not url.lower().startswith(("http://", "https://", "//")) or _LOCAL_URL.match(url):
        return url
    if asset_url is not None:
        _offline_text(url)  # the file must exist offline
        return f"{asset_url}/{_asset_name(url)}"
    return _data_url(url, mime)


@lru_cache(maxsize=None)
def _data_url(url: str, mime: str) -> str:
    payload = base64.b64encode(_offline_text(url).encode("utf-8")).decode("ascii")
    return f"data:{mime};charset=utf-8;base64,{payload}"


def _offline_text(url: str) -> str:
    """The text of the file at a CDN URL, from folium-offline; OfflineAssetError when it has none."""
    # Imported here: the module holds ~7 MB of embedded files and only offline mode needs it.
    from offlinefolium.elements import _res as offline_files

    if url not in offline_files:
        raise OfflineAssetError(f"{url} has no offline copy in the installed folium-offline package")
    return offline_files[url]


def _asset_name(url: str) -> str:
    """A file name for a CDN URL: a short hash of the URL (versions differ by path) and its last part."""
    base = re.sub(r"[^A-Za-z0-9._-]", "_", url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]) or "asset"
    return f"{hashlib.sha256(url.encode('utf-8')).hexdigest()[:10]}-{base}"


def _wgs84(frame: gpd.GeoDataFrame, what: str, columns: Iterable[str]) -> gpd.GeoDataFrame:
    if not isinstance(frame, gpd.GeoDataFrame):
        raise TypeError(f"{what} must be a GeoDataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} lacks column(s) {', '.join(missing)}; it has {', '.join(map(str, frame.columns))}")
    if frame.crs is None:
        raise ValueError(f"{what} has no CRS; set one (the geodata files are EPSG:4326)")
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    return frame if frame.crs.to_epsg() == 4326 else frame.to_crs(4326)


def _feature_collection(frame: gpd.GeoDataFrame, properties: Mapping[str, Sequence[Any]]) -> dict[str, Any]:
    return _features_and_bounds(frame, properties)[0]


def _features_and_bounds(frame: gpd.GeoDataFrame, properties: Mapping[str, Sequence[Any]]
                         ) -> tuple[dict[str, Any], list[list[float | None]]]:
    """The GeoJSON FeatureCollection of the frame and its bounds [[lat_min, lon_min], [lat_max, lon_max]]."""
    geometries = shapely.transform(frame.geometry.to_numpy(), lambda xy: np.round(xy, _COORD_DECIMALS))
    columns = {key: list(values) for key, values in properties.items()}
    features = []
    for i, geometry in enumerate(geometries):
        props = {key: _json_value(values[i]) for key, values in columns.items()}
        features.append({"type": "Feature", "id": str(i), "properties": props,
                         "geometry": shapely.geometry.mapping(geometry)})
    bounds: list[list[float | None]] = [[None, None], [None, None]]
    if len(geometries):
        west, south, east, north = (float(v) for v in shapely.total_bounds(geometries))
        bounds = [[south, west], [north, east]]
    return {"type": "FeatureCollection", "features": features}, bounds


def _json_value(value: Any) -> Any:
    if _is_na(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def _column(frame: pd.DataFrame, column: str) -> list[Any]:
    """The column's values, or '' for every row when the frame has no such column."""
    return list(frame[column]) if column in frame.columns else [""] * len(frame)


def _names(frame: gpd.GeoDataFrame, lang: str, default: str, column: str | None = None) -> list[str]:
    """Escaped names from `column` (default name_<lang>, else name_en), `default` where there is none."""
    column = column or (f"name_{lang}" if f"name_{lang}" in frame.columns else "name_en")
    return [escape_html(name if isinstance(name, str) and name else default) for name in _column(frame, column)]


def _detail_geojson(frame: gpd.GeoDataFrame, tooltips: Sequence[str], popups: Sequence[str], style: Any,
                    extra: Mapping[str, Sequence[Any]] | None = None) -> folium.GeoJson:
    """A GeoJson whose tooltip and popup show the pre-escaped HTML in `tooltips`/`popups`.

    GeoJsonTooltip/GeoJsonPopup put property values into innerHTML as they are, hence pre-escaped
    values; their content is a function, which streamlit-folium reads on click (a string or element
    bound to a layer group is not read, and the previous click's text would be reported instead).
    """
    properties = {**(extra or {}), "tooltip": list(tooltips), "popup": list(popups)}
    collection, bounds = _features_and_bounds(frame, properties)
    return _GeoJson(
        collection, bounds=bounds, style_function=style, control=False,
        tooltip=_GeoJsonTooltip(fields=["tooltip"], labels=False),
        popup=_GeoJsonPopup(fields=["popup"], labels=False),
    )


def _district_style(feature: dict[str, Any]) -> dict[str, Any]:
    status = feature["properties"]["status"]
    return {"color": "#333333" if status != "unknown" else "#777777", "weight": 1.5,
            "dashArray": "5 4" if status == "unknown" else None,
            "fillColor": CONTROL_COLORS[status], "fillOpacity": 0.45}


def date_text(record: Mapping[str, Any]) -> str:
    """An event's dates as precise as the data knows them: '1992-05-08', '1992-05', '1993', or a range."""
    fmt = _DATE_FORMATS.get(str(record["date_precision"]), "%Y-%m-%d")
    start, end = record["date_start"], record["date_end"]
    first = "" if _is_na(start) else start.strftime(fmt)
    last = "" if _is_na(end) else end.strftime(fmt)
    return first if not last or last == first else f"{first} – {last}"


def fatalities_text(low: object, best: object, high: object, lang: str) -> str:
    """'low–high (best estimate b)' when uncertain, one number when known, 'unknown' otherwise."""
    _check_lang(lang)
    labels = _LABELS[lang]
    low, best, high = (None if v is None or _is_na(v) else int(v) for v in (low, best, high))
    if low is not None and high is not None and low != high:
        return f"{low}–{high}" + (f" ({labels['best']} {best})" if best is not None else "")
    for value in (best, low, high):
        if value is not None:
            return str(value)
    return labels["unknown"]


def _event_popup(record: Mapping[str, Any], lang: str) -> str:
    labels = _LABELS[lang]
    summary = str(record["summary"] or "")
    if len(summary) > POPUP_SUMMARY_CHARS:
        summary = summary[:POPUP_SUMMARY_CHARS].rstrip() + "…"
    sides = " – ".join(escape_html(s) for s in (record["side_a"], record["side_b"]) if escape_html(s))
    event_type = str(record["event_type"])
    parts = [
        f"<b>{escape_html(record['title'])}</b>",
        f"{labels['date']}: {escape_html(date_text(record))}",
        f"{labels['place']}: {escape_html(record['place'])}",
        f"{labels['type']}: {escape_html(_TYPE_LABELS[lang].get(event_type, event_type))}",
    ]
    if sides:
        parts.append(f"{labels['sides']}: {sides}")
    fatalities = fatalities_text(record["fatalities_low"], record["fatalities_best"], record["fatalities_high"], lang)
    parts.append(f"{labels['fatalities']}: {escape_html(fatalities)}"
                 + (f" ({escape_html(labels['disputed'])})" if bool(record["disputed"]) else ""))
    if summary:
        parts.append(f'<span class="event-summary">{escape_html(summary)}</span>')
    if source_html(record["source"]):
        parts.append(f"{labels['source']}: {source_html(record['source'])}")
    # Last, so that a click's popup text ends with it; the newlines keep the lines apart in
    # textContent too (what innerText gives for a popup that was never shown).
    parts.append(f'<small>id: {escape_html(record["id"])}</small>')
    return "<br>\n".join(parts)


def _event_circles(events: pd.DataFrame, positions: np.ndarray, lang: str, selected_id: str | None,
                   html_cache: dict[str, tuple[str, str]]) -> CircleLayer:
    """The markers of the events at row `positions`, in that order."""
    def column(name: str) -> list[Any]:
        return events[name].iloc[positions].tolist()

    ids = [str(i) for i in column("id")]
    missing = [position for position, event_id in zip(positions, ids) if event_id not in html_cache]
    if missing:
        for record in events.iloc[missing].to_dict("records"):
            html_cache[str(record["id"])] = (
                f"<b>{escape_html(record['title'])}</b><br>{escape_html(date_text(record))}",
                _event_popup(record, lang))
    fills = [EVENT_COLORS.get(str(t), UNKNOWN_EVENT_COLOR) for t in column("event_type")]
    chosen = [event_id == selected_id for event_id in ids]
    return CircleLayer(
        "eventId",
        lat=[float(v) for v in column("latitude")], lng=[float(v) for v in column("longitude")],
        radius=[round(marker_radius(f) + (SELECTED_EXTRA_RADIUS if c else 0.0), 2)
                for f, c in zip(column("fatalities_best"), chosen)],
        fill=fills, stroke=["#000000" if c else f for f, c in zip(fills, chosen)],
        weight=[3 if c else 1 for c in chosen], fillOpacity=[0.95 if c else 0.7 for c in chosen],
        keys=ids, tooltip=[html_cache[i][0] for i in ids], popup=[html_cache[i][1] for i in ids], popupWidth=340,
    )


def _grid_cells(located: pd.DataFrame, max_cells: int) -> tuple[pd.DataFrame, float]:
    """Events binned into square cells, the smallest of GRID_CELL_DEGREES·2^k with at most `max_cells` cells."""
    size = GRID_CELL_DEGREES
    lat, lon = located["latitude"].to_numpy(float), located["longitude"].to_numpy(float)
    while True:
        rows, cols = np.floor(lat / size).astype(np.int64), np.floor(lon / size).astype(np.int64)
        keys = pd.DataFrame({"row": rows, "col": cols}, index=located.index)
        if len(keys.drop_duplicates()) <= max_cells:
            break
        size *= 2
    binned = located.assign(_row=keys["row"], _col=keys["col"])
    cells = binned.groupby(["_row", "_col"]).agg(
        latitude=("latitude", "mean"), longitude=("longitude", "mean"), count=("id", "size"),
        first=("date_start", "min"), last=("date_end", "max"))
    per_type = binned.groupby(["_row", "_col", "event_type"]).size().rename("n").reset_index()
    per_type = per_type.sort_values(["_row", "_col", "n", "event_type"], ascending=[True, True, False, True])
    top: dict[tuple[int, int], list[tuple[str, int]]] = {}
    for row, col, event_type, n in per_type.groupby(["_row", "_col"]).head(3).itertuples(index=False):
        top.setdefault((row, col), []).append((event_type, int(n)))
    cells["top"] = [top[key] for key in cells.index]
    return cells.reset_index(drop=True), size


def _cell_circles(located: pd.DataFrame, max_cells: int, lang: str) -> CircleLayer:
    labels = _LABELS[lang]
    cells, _ = _grid_cells(located, max_cells)
    titles = [labels["one_event"] if n == 1 else labels["n_events"].format(n=n) for n in cells["count"]]
    popups = []
    for cell, title in zip(cells.itertuples(), titles):
        first, last = f"{cell.first:%Y}", f"{cell.last:%Y}"
        kinds = "".join(f"<br>{escape_html(_TYPE_LABELS[lang].get(t, t))}: {n}" for t, n in cell.top)
        popups.append(f"<b>{escape_html(title)}</b><br>{first if first == last else f'{first} – {last}'}{kinds}")
    return CircleLayer(
        "eventCount",
        lat=[round(v, 5) for v in cells["latitude"]], lng=[round(v, 5) for v in cells["longitude"]],
        radius=[round(cell_radius(n), 2) for n in cells["count"]],
        fill=[EVENT_COLORS.get(top[0][0], UNKNOWN_EVENT_COLOR) for top in cells["top"]],
        stroke=["#333333"] * len(cells), weight=[1] * len(cells), fillOpacity=[0.6] * len(cells),
        keys=[int(n) for n in cells["count"]], tooltip=[escape_html(t) for t in titles], popup=popups, popupWidth=260,
    )
