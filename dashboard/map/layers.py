"""The layers that change with the date window: district outlines with their control, events (markers or grid cells)."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from dashboard import i18n, schema
from dashboard.html import escape
from dashboard.map import palette
from dashboard.map.base import LAYER_DISTRICTS, LAYER_EVENTS
from dashboard.map.folium_overrides import CircleLayer, GeoJson
from dashboard.map.geojson import detail_geojson, fixed_style, inert_geojson, wgs84
from dashboard.map.popups import (
    cell_popups_html,
    cell_tooltip_html,
    district_popup_html,
    event_popup_html,
    event_tooltip_html,
)

GRID_CELL_DEGREES = 0.05  # first grid tried when events are aggregated; doubled until few enough
EVENT_FIELDS = (
    "id",
    "date_start",
    "date_end",
    "date_precision",
    "event_type",
    "title",
    "summary",
    "latitude",
    "longitude",
    "side_a",
    "side_b",
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
    "disputed",
    "source",
    "place",
)
# Event id -> (tooltip, popup) HTML of its marker, for one events file and language.
MarkerHtml = MutableMapping[str, tuple[str, str]]


def districts_layer(
    districts: gpd.GeoDataFrame,
    status: Mapping[str, str],
    lang: str,
    held: Mapping[str, Mapping[str, object]] | None = None,
) -> folium.FeatureGroup:
    """The districts' outlines, for reference over the territory layer, with their `status` (name_en ->
    'armenian' | 'azerbaijan' | 'partial'; else unknown, dashed).

    Tooltip: the name in `lang`; popup: the three names, area, control and, from `held` (name_en -> a row
    of Territory.district_shares), the ground each side held. Each polygon keeps
    `feature.properties.name_en` and `.status` (for the page's clicks and the browser tests).
    """
    i18n.check_lang(lang)
    frame = wgs84(districts, "districts", ("name_en", "name_az", "name_hy"))
    states = [s if (s := status.get(name)) in schema.CONTROL_STATES else "unknown" for name in frame["name_en"]]
    areas = frame["area_km2"] if "area_km2" in frame.columns else pd.Series(np.nan, index=frame.index)
    names = frame[["name_en", "name_az", "name_hy"]].to_dict("records")
    shares = held or {}
    popups = [
        district_popup_html(n, area, state, lang, held=shares.get(str(n["name_en"])))
        for n, area, state in zip(names, areas, states)
    ]
    properties = {
        "name_en": frame["name_en"],
        "name_az": frame["name_az"],
        "name_hy": frame["name_hy"],
        "status": states,
    }
    group = folium.FeatureGroup(name=LAYER_DISTRICTS)
    detail_geojson(
        frame, [escape(n) for n in frame[f"name_{lang}"]], popups, palette.district_outline_style, extra=properties
    ).add_to(group)
    return group


def events_layer(
    events: pd.DataFrame,
    lang: str,
    selected_id: str | None = None,
    max_markers: int = 3000,
    html_cache: MarkerHtml | None = None,
) -> folium.FeatureGroup:
    """One circle per located event, or per grid cell when more than `max_markers` events have coordinates.

    Colour by event family, radius by fatalities_best, the selected event bigger with a black outline,
    drawn last (also on top of an aggregated grid) with its popup open. Markers that overlap on screen
    gather in a bubble that spreads on click. Rows without coordinates are skipped. Markers carry
    `eventId`, cells `eventCount`, in their options.

    `html_cache` keeps the markers' HTML between calls for the same events and `lang`; missing entries
    are added. Building it costs ~0.15 ms an event, the most of a slider step with thousands of markers.
    """
    i18n.check_lang(lang)
    missing = [c for c in EVENT_FIELDS if c not in events.columns]
    if missing:
        raise ValueError(
            f"events frame lacks column(s) {', '.join(missing)}; it has {', '.join(map(str, events.columns))}"
        )
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


def _event_circles(
    events: pd.DataFrame, positions: np.ndarray, lang: str, selected_id: str | None, html_cache: MarkerHtml
) -> CircleLayer:
    """The markers of the events at row `positions`, in that order."""

    def values(name: str) -> list[Any]:
        return events[name].iloc[positions].tolist()

    ids = [str(i) for i in values("id")]
    missing = [position for position, event_id in zip(positions, ids) if event_id not in html_cache]
    if missing:
        for record in events.iloc[missing].to_dict("records"):
            html_cache[str(record["id"])] = (str(event_tooltip_html(record)), str(event_popup_html(record, lang)))
    fills = [palette.event_color(t) for t in values("event_type")]
    chosen = [event_id == selected_id for event_id in ids]
    return CircleLayer(
        "eventId",
        lat=[float(v) for v in values("latitude")],
        lng=[float(v) for v in values("longitude")],
        radius=[
            round(palette.marker_radius(f) + (palette.SELECTED_EXTRA_RADIUS if c else 0.0), 2)
            for f, c in zip(values("fatalities_best"), chosen)
        ],
        fill=fills,
        stroke=[palette.SELECTED_STROKE if c else f for f, c in zip(fills, chosen)],
        weight=[3 if c else 1 for c in chosen],
        fillOpacity=[0.95 if c else 0.7 for c in chosen],
        keys=ids,
        tooltip=[html_cache[i][0] for i in ids],
        popup=[html_cache[i][1] for i in ids],
        popupWidth=340,
        open=chosen,
        cluster=True,
    )


def selected_district_outline(districts: gpd.GeoDataFrame, name: str | None) -> GeoJson | None:
    """A thick outline of the district named `name` (name_en) that takes no clicks; None when there is none.

    Added to a group that is redrawn with the selection (the events group), so the cached districts
    group stays the same for every selection.
    """
    if name is None:  # most steps: no district chosen, nothing to project
        return None
    frame = wgs84(districts, "districts", ("name_en",))
    frame = frame[frame["name_en"] == name]
    if frame.empty:
        return None
    return inert_geojson(frame, {"name_en": list(frame["name_en"])}, fixed_style(palette.SELECTED_DISTRICT_STYLE))


def grid_cells(located: pd.DataFrame, max_cells: int) -> tuple[pd.DataFrame, float]:
    """Events binned into square cells, the smallest of GRID_CELL_DEGREES·2^k degrees with at most `max_cells` cells.

    Each cell (ordered by row, then column): mean latitude/longitude, count, first start, last end
    and `top`, its three most common (event_type, count) pairs, ties in alphabetical order.
    """
    lat, lon = located["latitude"].to_numpy(float), located["longitude"].to_numpy(float)
    size = GRID_CELL_DEGREES
    cell, n_cells = _cell_index(lat, lon, size)
    while n_cells > max_cells:
        size *= 2
        cell, n_cells = _cell_index(lat, lon, size)
    count = np.bincount(cell, minlength=n_cells)
    # numpy reductions per cell instead of pandas groupby: ~4x faster at 100,000 events (a slider step).
    order = np.argsort(cell, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(cell[order]) != 0])
    first = np.minimum.reduceat(located["date_start"].to_numpy("datetime64[ns]")[order], starts)
    last = np.maximum.reduceat(located["date_end"].to_numpy("datetime64[ns]")[order], starts)
    codes, kinds = pd.factorize(located["event_type"].astype(str), sort=True)
    per_type = np.bincount(cell * len(kinds) + codes, minlength=n_cells * len(kinds)).reshape(n_cells, len(kinds))
    ranked = np.argsort(-per_type, axis=1, kind="stable")[:, :3]
    names = [str(kind) for kind in kinds]
    top = [[(names[k], int(row[k])) for k in picks if row[k]] for row, picks in zip(per_type.tolist(), ranked.tolist())]
    cells = pd.DataFrame(
        {
            "latitude": np.bincount(cell, lat, n_cells) / count,
            "longitude": np.bincount(cell, lon, n_cells) / count,
            "count": count,
            "first": first,
            "last": last,
            "top": top,
        }
    )
    return cells, size


def _cell_index(lat: np.ndarray, lon: np.ndarray, size: float) -> tuple[np.ndarray, int]:
    """Each point's cell number (cells ordered by row, then column) for square cells of `size` degrees."""
    rows, cols = np.floor(lat / size).astype(np.int64), np.floor(lon / size).astype(np.int64)
    if not len(rows):
        return rows, 0
    keys = (rows - rows.min()) * (cols.max() - cols.min() + 1) + (cols - cols.min())
    unique, cell = np.unique(keys, return_inverse=True)
    return cell.astype(np.int64), len(unique)


def _cell_circles(located: pd.DataFrame, max_cells: int, lang: str) -> CircleLayer:
    cells, _ = grid_cells(located, max_cells)
    counts = [int(n) for n in cells["count"]]
    years = zip(cells["first"].dt.year.tolist(), cells["last"].dt.year.tolist())
    popups = cell_popups_html([(n, f"{a:04d}", f"{b:04d}", top) for n, (a, b), top in zip(counts, years, cells["top"])],
                              lang)  # fmt: skip
    return CircleLayer(
        "eventCount",
        lat=[round(v, 5) for v in cells["latitude"]],
        lng=[round(v, 5) for v in cells["longitude"]],
        radius=[round(palette.cell_radius(n), 2) for n in counts],
        fill=[palette.event_color(top[0][0]) for top in cells["top"]],
        stroke=["#333333"] * len(cells),
        weight=[1] * len(cells),
        fillOpacity=[0.6] * len(cells),
        keys=counts,
        tooltip=[str(cell_tooltip_html(n, lang)) for n in counts],
        popup=[str(p) for p in popups],
        popupWidth=260,
    )
