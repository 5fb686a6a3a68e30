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
fails a test instead of the page. Two additions of ours go into the groups' script: the list of groups to remove
is emptied first (FORGET_REMOVED_GROUPS), and `kept_group_script` lets the frame keep a group whose script has not
changed since the last rerun. Nothing here is shared between sessions except immutable strings:
each dynamic group is rendered on a throwaway map, so no session waits on another's lock.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import folium
import streamlit_folium

from dashboard.map.assets import asset_links

STREAMLIT_FOLIUM_VERSION = "0.27"  # the minor version whose helpers and arguments this module reproduces
# At the head of the dynamic groups' script. The frame removes the groups listed in `window.feature_group`, then runs
# the script, whose groups append themselves to that list; the list is never emptied, so every group ever sent (each
# step's markers with their popups) stayed in the frame's memory and was "removed" again on every step. Emptied
# first (after the removal) it holds what is on the map.
FORGET_REMOVED_GROUPS = "window.feature_group = [];\n"
# What st_folium appends to each group's script (with the group's index), and folium's own line adding it to the map:
# `kept_group_script` takes both out and adds the group itself.
_ST_FOLIUM_TAIL = """
map_div.addLayer(feature_group_feature_group_{index});
window.feature_group = window.feature_group || [];
window.feature_group.push(feature_group_feature_group_{index});
"""
_FOLIUM_ADD = "feature_group_feature_group_{index}.addTo(map_div);"
# The frame runs the groups' script in one go; `kdKept` (on the frame's window) holds, per index, the group built
# last and the hash of the script it was built from. A group whose script is unchanged stays on the map as it is;
# a changed one is built and put where the old one was (shown only if the old one was: a layer hidden in the layer
# control stays hidden). The map draws its shapes on one canvas in the order they were added, so once a group has
# been rebuilt, the kept groups after it are brought to the front again.
_KEPT_SCRIPT = """
var kdKept = window.kdKept && window.kdKept.map === map_div ? window.kdKept : (window.kdKept = {{map: map_div}});
var kdRestack = kdRestack || false;
if (kdKept[{index}] && kdKept[{index}].hash === "{hash}") {{
var feature_group_feature_group_{index} = kdKept[{index}].group;
if (kdRestack && map_div.hasLayer(feature_group_feature_group_{index})) {{
feature_group_feature_group_{index}.bringToFront();
}}
}} else {{
var kdShown = !kdKept[{index}] || map_div.hasLayer(kdKept[{index}].group);
if (kdKept[{index}]) {{ map_div.removeLayer(kdKept[{index}].group); }}
{body}
if (kdShown) {{ map_div.addLayer(feature_group_feature_group_{index}); }}
kdKept[{index}] = {{hash: "{hash}", group: feature_group_feature_group_{index}}};
kdRestack = true;
}}
"""
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


def kept_group_script(script: str, index: int) -> str:
    """The script of `group_script(group, index)`, changed so the frame keeps the group it built for the same
    script on an earlier rerun instead of removing and building it again (the territory, districts and lines
    change on few days; rebuilding them took ~10 ms of the browser's main thread per slider step)."""
    tail, add = _ST_FOLIUM_TAIL.format(index=index), _FOLIUM_ADD.format(index=index)
    if not script.endswith(tail) or script.count(add) != 1:
        raise ValueError(f"group {index}: not a script of streamlit-folium {STREAMLIT_FOLIUM_VERSION}'s form")
    body = script.removesuffix(tail).replace(add, "")
    digest = hashlib.sha1(script.encode("utf-8")).hexdigest()[:16]
    return _KEPT_SCRIPT.format(index=index, hash=digest, body=body)


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
