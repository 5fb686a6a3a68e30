"""The map boundary's two contenders, timed per slider step in-process (the decision in README, "Map boundary").

* `st_folium`: streamlit-folium's public API as its examples use it: per step a fresh `base_map` (with the
  place names, as the page's), every dynamic group (the dated layers of the window's end and the events)
  as `feature_group_to_add`, the layer control, `key="map"`;
* `boundary`: dashboard/map/boundary.py as the page uses it: the static frame rendered once, per step the
  dated groups' scripts from a cache keyed as the page keys them and the events group rendered on a
  throwaway map.

Both give the component the same arguments (tests/test_map_boundary.py). The component function is
replaced by a recorder here, so the figures are the Python side of a step only: what the server spends
before the map's message leaves. `python -m benchmarks boundary [--events PATH] [--steps N]`.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import folium
import pandas as pd
import streamlit_folium

from dashboard import geodata, schema
from dashboard.data import load_events
from dashboard.gazetteer import default_gazetteer
from dashboard.map import boundary
from dashboard.map.base import DYNAMIC_LAYERS, StaticLayers, base_map, dynamic_layer_control
from dashboard.map.dated import DATED_LAYERS, DatedLayers
from dashboard.map.layers import MarkerHtml, events_layer
from dashboard.page import with_place_names
from dashboard.territory import load_territory
from dashboard.timeline import filter_window

Step = Callable[[date, date], dict[str, Any]]


@contextmanager
def recorded_component() -> Iterator[list[dict[str, Any]]]:
    """Replace streamlit-folium's component function by a recorder of the arguments it is given."""
    sent: list[dict[str, Any]] = []
    original = streamlit_folium._component_func
    streamlit_folium._component_func = lambda **arguments: sent.append(arguments)
    try:
        yield sent
    finally:
        streamlit_folium._component_func = original


def windows(steps: int) -> list[tuple[date, date]]:
    """Windows a tenth of the timeline wide, sliding over it in `steps` steps."""
    span = (schema.TIMELINE_END - schema.TIMELINE_START).days
    width = span // 10
    return [(schema.TIMELINE_START + timedelta(days=d), schema.TIMELINE_START + timedelta(days=d + width))
            for d in (round(i * (span - width) / max(1, steps - 1)) for i in range(steps))]  # fmt: skip


def contenders(events: pd.DataFrame, folder: Path = schema.GEODATA_DIR) -> dict[str, Step]:
    """The two ways of sending one step's map, as functions of the window."""
    layers, districts = StaticLayers.read(folder), geodata.load_districts(folder / schema.DISTRICTS_PATH.name)
    territory, _ = load_territory(folder)
    territory.frontline.precompute()
    dated = DatedLayers(territory, layers.contact_line, districts)
    markers: MarkerHtml = {}
    places = default_gazetteer().settlements

    def static() -> folium.Map:  # as the page builds it (dashboard/app.py, static_frame)
        return base_map(layers, layer_control=False, asset_url="static", places=places, districts=districts)

    def public(start: date, end: date) -> dict[str, Any]:
        m = static()
        groups = [dated.group(name, end, "en") for name in DATED_LAYERS]
        groups.append(events_layer(filter_window(events, start, end), "en", html_cache=markers))
        with recorded_component() as sent:
            streamlit_folium.st_folium(m, key="map", height=560, use_container_width=True, render=False,
                                       feature_group_to_add=groups, layer_control=dynamic_layer_control(),
                                       returned_objects=list(boundary.RETURNED_OBJECTS))  # fmt: skip
        return sent[0]

    frame = boundary.render_static(static(), DYNAMIC_LAYERS, dynamic_layer_control())
    scripts: dict[tuple[str, Any], str] = {}

    def ours(start: date, end: date) -> dict[str, Any]:
        groups = []
        for index, name in enumerate(DATED_LAYERS):
            key = (name, dated.key(name, end))
            if key not in scripts:  # the page caches these the same way (st.cache_resource)
                scripts[key] = boundary.group_script(dated.group(name, end, "en"), index)
            groups.append(scripts[key])
        shown = events_layer(filter_window(events, start, end), "en", html_cache=markers)
        groups.append(boundary.group_script(shown, len(DATED_LAYERS)))
        return boundary.component_args(frame, groups, height=560)

    return {"st_folium": public, "boundary": ours}


def measure(events: pd.DataFrame, steps: int = 24) -> dict[str, dict[str, float]]:
    """Median and 95th percentile ms of a step, and the kB sent, per contender; each warmed up by one pass."""
    results = {}
    for name, step in contenders(events).items():
        plan = windows(steps)
        for start, end in plan:  # warm-up: caches filled as a page's would be after a while
            step(start, end)
        timings, sizes = [], []
        for start, end in plan:
            began = time.perf_counter()
            arguments = step(start, end)
            timings.append((time.perf_counter() - began) * 1000)
            sizes.append(sum(len(str(value)) for value in arguments.values()) / 1024)
        timings.sort()
        results[name] = {"step_ms_p50": round(statistics.median(timings), 1),
                         "step_ms_p95": round(timings[int(0.95 * (len(timings) - 1))], 1),
                         "sent_kb_p50": round(statistics.median(sizes), 1)}  # fmt: skip
    return results


def run(events_path: Path = schema.EVENTS_PATH, steps: int = 24) -> dict[str, Any]:
    """Both contenders on one events file."""
    gazetteer = default_gazetteer()
    events = with_place_names(load_events(events_path, gazetteer).events, gazetteer, "en")
    return {"events": str(events_path), "n_events": len(events), "steps": steps, **measure(events, steps)}
