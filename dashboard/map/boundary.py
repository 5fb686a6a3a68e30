"""The one boundary to streamlit-folium (pinned to 0.27): the static map rendered once, dynamic layers per rerun.

`st_folium(m, key=..., feature_group_to_add=[...], layer_control=...)` re-renders the whole map on
every call: with the real geodata ~60–90 ms a rerun, only to send the same ~90 kB base script again
(the frontend keeps its frame while that script's hash stays the same and swaps the feature groups).
This module sends the same component arguments, but renders the static part once
(`render_static`, cached by the page) and per rerun only the dynamic groups (`group_script`, ~2–8 ms):
see README, "Map boundary", for the measurements and the decision.

It does so with streamlit-folium's own helpers, private ones among them (`_component_func`,
`_get_html`, `_get_header`, `_get_map_string`, `_get_feature_group_string`,
`_get_layer_control_string`); they are used nowhere else. pyproject.toml pins streamlit-folium to
the minor version they were written for, and tests/test_map_boundary.py checks that the arguments
sent equal what `st_folium` itself sends for the same map and layers, so an upgrade that changes them
fails a test instead of the page. Nothing here is shared between sessions except immutable strings:
each dynamic group is rendered on a throwaway map, so no session waits on another's lock.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import folium
import streamlit_folium

from dashboard.map.assets import asset_links

STREAMLIT_FOLIUM_VERSION = "0.27"  # the minor version whose helpers and arguments this module reproduces
# The one difference from st_folium's arguments, at the head of the dynamic groups' script. The frame removes the
# groups listed in `window.feature_group`, then runs the script, whose groups append themselves to that list; the
# list is never emptied, so every group ever sent (each step's markers with their popups) stayed in the frame's
# memory and was "removed" again on every step. Emptied first (after the removal) it holds what is on the map.
FORGET_REMOVED_GROUPS = "window.feature_group = [];\n"
# What a click reports (see dashboard.selection); nothing else makes the page rerun.
RETURNED_OBJECTS: tuple[str, ...] = ("last_object_clicked", "last_object_clicked_popup", "last_object_clicked_tooltip")


@dataclass(frozen=True)
class StaticFrame:
    """A base map as the map component receives it: the arguments that never change, and its layer control."""

    args: Mapping[str, Any]  # script, header, html, id, key, default, css_links, js_links, returned_objects
    layer_control: str  # lists the static groups and the dynamic ones named at render time

    @property
    def component_key(self) -> str:
        """The session-state key under which the component keeps its value (what the last click returned)."""
        return str(self.args["key"])


def render_static(
    m: folium.Map,
    dynamic_names: Sequence[str],
    control: folium.LayerControl,
    *,
    key: str = "map",
    returned_objects: Sequence[str] = RETURNED_OBJECTS,
) -> StaticFrame:
    """Render a base map once, in the order st_folium does, with empty stand-ins for the dynamic groups.

    The map is used up (st_folium renames its elements and adds the groups and `control` to it).
    The stand-ins (one FeatureGroup per name, in the order the groups will be sent) let the layer
    control list the dynamic groups; their content does not enter its script.
    """
    m.render()
    html, header = streamlit_folium._get_html(m), streamlit_folium._get_header(m)
    script = streamlit_folium._get_map_string(m)
    css_links, js_links = asset_links(m)
    for index, name in enumerate(dynamic_names):
        streamlit_folium._get_feature_group_string(folium.FeatureGroup(name=name), m, index)
    args = {
        "script": script,
        "header": header,
        "html": html,
        "id": streamlit_folium.get_full_id(m),
        "key": streamlit_folium.generate_js_hash(script, key, False),
        "default": {name: None for name in returned_objects},
        "css_links": css_links,
        "js_links": js_links,
        "returned_objects": list(returned_objects),
    }
    return StaticFrame(MappingProxyType(args), streamlit_folium._get_layer_control_string(control, m))


def group_script(group: folium.FeatureGroup, index: int) -> str:
    """The script st_folium sends for the dynamic group at `index`, rendered on a throwaway map."""
    return str(streamlit_folium._get_feature_group_string(group, folium.Map(tiles=None), index))


def component_args(
    frame: StaticFrame,
    groups: Sequence[str],
    *,
    height: int,
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
) -> dict[str, Any]:
    """Every argument st_folium would give the component for this map, dynamic groups and view (the groups'
    script headed by FORGET_REMOVED_GROUPS).

    The frontend moves the map only when `center` or `zoom` differs from what it was sent last.
    """
    return {
        **frame.args,
        "height": height,
        "width": None,
        "zoom": zoom,
        "center": center,
        "feature_group": FORGET_REMOVED_GROUPS + "".join(groups),
        "return_on_hover": False,
        "layer_control": frame.layer_control,
        "pixelated": False,
        "wrap_longitude": False,
    }


def show(
    frame: StaticFrame,
    groups: Sequence[str],
    *,
    height: int,
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    on_change: Callable[[], None] | None = None,
) -> dict[str, Any] | None:
    """Draw the map component (full width) with these dynamic group scripts; its value: what was clicked last."""
    value = streamlit_folium._component_func(
        **component_args(frame, groups, height=height, center=center, zoom=zoom), on_change=on_change
    )
    return dict(value) if isinstance(value, Mapping) else None
