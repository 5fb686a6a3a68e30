"""The static map: basemap, country outlines, former NKAO, place names, controls, attributions, layer names.

The static map is the same for every window; the page renders it once per language and basemap and
process and hangs the dynamic layers (`dashboard.map.layers`, `dashboard.map.dated`) on it. Leaflet and
its plugins always come from the installed folium-offline package, never from a CDN; online tiles are
an optional basemap that falls back to the bundled vector one, with a note, when they do not load.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import folium
import geopandas as gpd

from dashboard import geodata, i18n, schema
from dashboard.gazetteer import Place
from dashboard.html import Markup, escape, js_template_safe
from dashboard.map import palette
from dashboard.map.assets import ClusterSupport, keep_used_assets, use_offline_assets
from dashboard.map.controls import Attribution, GlobalRef, MapControls, TileFallback
from dashboard.map.folium_overrides import ControlLastMap, ControlScript, MapStyle
from dashboard.map.geojson import (
    column,
    detail_geojson,
    fixed_style,
    inert_geojson,
    names_html,
    wgs84,
)
from dashboard.map.labels import LAYER_LABELS, ZoomClasses, labels_layer
from dashboard.map.popups import line_popup_html
from dashboard.values import is_na

# Layer names as shown in the layer control.
LAYER_COUNTRIES = "Countries"
LAYER_NKAO = "Former NKAO"
LAYER_CORRIDOR = "Lachin corridor"
LAYER_CONTACT_LINE = "Line of contact 1994–2020 (approximate)"
LAYER_DISTRICTS = "Districts: control"
LAYER_TERRITORY = "Territory: who held what"
LAYER_PEACEKEEPING = "Russian peacekeeping zone 2020–2024"
LAYER_EVENTS = "Events"
# The groups that change with the window, in the order the page sends them: those bound to the window's end
# date (dashboard.map.dated; the line of contact and the corridor only while they existed), events on top.
DYNAMIC_LAYERS: tuple[str, ...] = (
    LAYER_TERRITORY,
    LAYER_DISTRICTS,
    LAYER_CONTACT_LINE,
    LAYER_PEACEKEEPING,
    LAYER_CORRIDOR,
    LAYER_EVENTS,
)
# The countries' pane: under the patterned fills of the territory layer (dashboard.map.territory_layers),
# which lie under the overlay pane (400) where every interactive layer is drawn.
BASEMAP_PANE = "kdBasemap"
BASEMAP_PANE_Z_INDEX = 250

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright" target="_blank" '
    'rel="noopener noreferrer">OpenStreetMap</a> contributors'
)
# The data's own attributions, shown instead of Leaflet's prefix (the tiles add theirs when shown).
ATTRIBUTIONS: tuple[Markup, ...] = (
    Markup(
        'Boundaries: <a href="https://www.naturalearthdata.com/" target="_blank" rel="noopener noreferrer">'
        "Natural Earth</a> (public domain)"
    ),
    Markup(
        'Settlements: <a href="https://www.geonames.org/" target="_blank" rel="noopener noreferrer">GeoNames</a>'
        " (CC BY 4.0) and cited sources"
    ),
    Markup('<a href="https://leafletjs.com/" target="_blank" rel="noopener noreferrer">Leaflet</a>'),
)
VECTOR_BASEMAP = "kdVectorBasemap"
MIN_ZOOM, MAX_ZOOM = 4, 17  # window[...] holding the countries group, shown when tiles fail


@dataclass(frozen=True)
class StaticLayers:
    """The geodata behind the static map (any CRS; drawn in WGS84)."""

    countries: gpd.GeoDataFrame  # name_en, name_az, name_hy, iso_a3, label_lat, label_lon
    nkao: gpd.GeoDataFrame
    contact_line: gpd.GeoDataFrame  # description, approximate

    @classmethod
    def read(cls, folder: Path = schema.GEODATA_DIR) -> StaticLayers:
        """The static layers from a geodata folder; GeodataError naming a missing or broken file."""
        return cls(
            geodata.load_countries(folder / schema.COUNTRIES_PATH.name),
            geodata.load_nkao(folder / schema.NKAO_PATH.name),
            geodata.load_contact_line(folder / schema.CONTACT_LINE_PATH.name),
        )


def feature_group_names() -> tuple[str, ...]:
    """Names of the feature groups of the map, in drawing order (static first)."""
    return (LAYER_COUNTRIES, LAYER_NKAO, LAYER_LABELS, *DYNAMIC_LAYERS)


def base_map(
    layers: StaticLayers,
    *,
    tiles: bool = False,
    center: Sequence[float] = schema.MAP_CENTER,
    zoom: int = 8,
    lang: str = "en",
    layer_control: bool = True,
    asset_url: str | None = None,
    places: Iterable[Place] = (),
    districts: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """The map with its static layers, everything it loads local; with `tiles`, OpenStreetMap tiles on top.

    Country outlines (labelled in `lang`) are the basemap; with `tiles` they stay hidden unless a tile
    fails to load, when they show with a note. The former NKAO is a toggleable group; settlement names
    (`places`, by size as the map zooms in) and the `districts`' names are permanent labels in `lang`.
    The line of contact and the Lachin corridor existed only on some dates: the page draws them with the
    dynamic groups (`dashboard.map.dated`). With `layer_control=False` no LayerControl is added (the page
    sends `dynamic_layer_control()` instead). Leaflet, jQuery and markercluster are data: URLs, or with
    `asset_url` the copies `install_offline_assets` wrote into the folder served there.

    >>> m = base_map(StaticLayers.read(), places=default_gazetteer().settlements)   # doctest: +SKIP
    >>> events_layer(events, "en").add_to(m)                                      # doctest: +SKIP
    """
    i18n.check_lang(lang)
    m = keep_used_assets(
        ControlLastMap(
            location=list(center),
            zoom_start=zoom,
            tiles=None,
            prefer_canvas=True,
            control_scale=True,
        )
    )
    # folium hands min_zoom/max_zoom to a tile layer only; markercluster needs the map's own maximum.
    m.options.update(minZoom=MIN_ZOOM, maxZoom=MAX_ZOOM)
    MapStyle(True).add_to(m)
    ClusterSupport().add_to(m)
    ZoomClasses().add_to(m)
    if tiles:
        tile_layer = folium.TileLayer(OSM_TILES, attr=OSM_ATTRIBUTION, name="OpenStreetMap", max_zoom=19).add_to(m)
        TileFallback(i18n.map_label(lang, "tiles_failed"), VECTOR_BASEMAP).add_to(tile_layer)
    folium.map.CustomPane(BASEMAP_PANE, z_index=BASEMAP_PANE_Z_INDEX, pointer_events=False).add_to(m)
    countries = countries_layer(layers.countries, lang, show=not tiles)
    GlobalRef(VECTOR_BASEMAP).add_to(countries)
    countries.add_to(m)
    nkao_layer(layers.nkao, lang).add_to(m)
    labels_layer(places, districts, lang).add_to(m)
    Attribution(ATTRIBUTIONS).add_to(m)
    words = {key: i18n.map_label(lang, key) for key in ("reset", "outside", "show_all")}
    MapControls(words, center, zoom).add_to(m)
    if layer_control:
        control = folium.LayerControl(collapsed=False)
        ControlScript("window.staticLayerControl = {{ this._parent.get_name() }};").add_to(control)
        control.add_to(m)
    return use_offline_assets(m, asset_url)


def dynamic_layer_control() -> folium.LayerControl:
    """A LayerControl listing static and dynamic groups, sent with the dynamic layers.

    It removes the base map's own control when it is added, so the map shows one control either way.
    """
    control = folium.LayerControl(collapsed=True)
    ControlScript(
        "if (window.staticLayerControl) { window.staticLayerControl.remove(); window.staticLayerControl = null; }"
    ).add_to(control)
    return control


def countries_layer(countries: gpd.GeoDataFrame, lang: str, show: bool = True) -> folium.FeatureGroup:
    """Country outlines with a light fill and their names in `lang` as permanent labels."""
    i18n.check_lang(lang)
    frame = wgs84(countries, "countries", ("name_en", "name_az", "name_hy", "label_lat", "label_lon"))
    group = folium.FeatureGroup(name=LAYER_COUNTRIES, show=show)
    properties = {"name_en": frame["name_en"]}
    inert_geojson(frame, properties, fixed_style(palette.COUNTRY_STYLE), pane=BASEMAP_PANE).add_to(group)
    for row in frame.itertuples():
        if is_na(row.label_lat) or is_na(row.label_lon):
            continue
        # A zero-size, non-interactive marker that only carries the permanent label; folium pastes the
        # label into a JavaScript template literal, hence js_template_safe.
        label = folium.CircleMarker(
            [float(row.label_lat), float(row.label_lon)],
            radius=0,
            stroke=False,
            fill=False,
            tooltip=folium.Tooltip(
                js_template_safe(escape(getattr(row, f"name_{lang}"))),
                permanent=True,
                direction="center",
                sticky=False,
                class_name="country-label",
            ),
        )
        label.options["interactive"] = False  # folium's path_options drops options it does not know
        label.add_to(group)
    return group


def nkao_layer(nkao: gpd.GeoDataFrame, lang: str) -> folium.FeatureGroup:
    """The outline of the former Nagorno-Karabakh Autonomous Oblast."""
    frame = wgs84(nkao, "nkao", ())
    names = names_html(frame, lang, LAYER_NKAO)
    group = folium.FeatureGroup(name=LAYER_NKAO)
    detail_geojson(frame, names, names, fixed_style(palette.NKAO_STYLE)).add_to(group)
    return group


def contact_line_layer(contact_line: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """The 1994–2020 line of contact, dashed because it is approximate; polygon rows (held area) are left out."""
    frame = wgs84(contact_line, "contact_line", ())
    frame = frame[frame.geometry.geom_type.isin(["LineString", "MultiLineString"])]
    group = folium.FeatureGroup(name=LAYER_CONTACT_LINE)
    if len(frame):
        popups = [line_popup_html(LAYER_CONTACT_LINE, d) for d in column(frame, "description")]
        detail_geojson(
            frame, [escape(LAYER_CONTACT_LINE)] * len(frame), popups, fixed_style(palette.CONTACT_LINE_STYLE)
        ).add_to(group)
    return group
