"""The map boundary: what it sends equals what st_folium sends for the same map, and the layers are not empty."""

from __future__ import annotations

import json
import re
from typing import Any

import folium
import pytest
import streamlit_folium

from dashboard.map import boundary
from dashboard.map.base import (
    DYNAMIC_LAYERS,
    LAYER_DISTRICTS,
    LAYER_EVENTS,
    LAYER_NKAO,
    StaticLayers,
    base_map,
    dynamic_layer_control,
)
from dashboard.map.layers import districts_layer, events_layer
from tests.support.leaflet import resource_references
from tests.support.mapdata import event, events_frame, spread_events, static_layers, three_districts

STATUS = {"Lachin": "armenian", "Shusha": "azerbaijan"}
_RANDOM_ID = re.compile(r"[0-9a-f]{32}")  # folium's element ids (uuid4 hex), different in every build


@pytest.fixture
def layers() -> StaticLayers:
    return static_layers()


def groups(selected: str | None = None) -> list[folium.FeatureGroup]:
    """One group per dynamic layer, as the page sends them: districts and events drawn, the dated ones empty."""
    drawn = {
        LAYER_DISTRICTS: districts_layer(three_districts(), STATUS, "en"),
        LAYER_EVENTS: events_layer(spread_events(12), "en", selected),
    }
    return [drawn.get(name) or folium.FeatureGroup(name=name) for name in DYNAMIC_LAYERS]


def st_folium_sends(m: folium.Map, feature_groups: list[folium.FeatureGroup], **kwargs: Any) -> dict[str, Any]:
    """The arguments st_folium itself gives the component (captured at the component function)."""
    sent: list[dict[str, Any]] = []
    original = streamlit_folium._component_func
    streamlit_folium._component_func = lambda **arguments: sent.append(arguments)
    try:
        streamlit_folium.st_folium(
            m,
            key="map",
            height=560,
            use_container_width=True,
            render=False,
            feature_group_to_add=feature_groups,
            layer_control=dynamic_layer_control(),
            returned_objects=list(boundary.RETURNED_OBJECTS),
            **kwargs,
        )
    finally:
        streamlit_folium._component_func = original
    (arguments,) = sent
    return arguments


def boundary_sends(m: folium.Map, feature_groups: list[folium.FeatureGroup], **kwargs: Any) -> dict[str, Any]:
    frame = boundary.render_static(m, DYNAMIC_LAYERS, dynamic_layer_control())
    scripts = [boundary.group_script(group, index) for index, group in enumerate(feature_groups)]
    return boundary.component_args(frame, scripts, height=560, **kwargs)


def comparable(arguments: dict[str, Any]) -> dict[str, Any]:
    """The arguments with folium's random element ids blanked and the change callback left out."""
    return {
        key: json.loads(_RANDOM_ID.sub("ID", json.dumps(value)))
        for key, value in arguments.items()
        if key != "on_change"
    }


@pytest.mark.parametrize("offline", [True, False])
@pytest.mark.parametrize(("center", "zoom"), [(None, None), ((39.76, 46.75), None), ((39.76, 46.75), 11)])
def test_the_boundary_sends_what_st_folium_sends_for_the_same_map(layers, offline, center, zoom) -> None:
    view = {"center": center, "zoom": zoom}
    ours = boundary_sends(base_map(layers, tiles=not offline, layer_control=False), groups("e3"), **view)
    theirs = st_folium_sends(base_map(layers, tiles=not offline, layer_control=False), groups("e3"), **view)
    # the one difference: the list of groups to remove next time is emptied before this time's groups join it
    assert ours["feature_group"].startswith(boundary.FORGET_REMOVED_GROUPS)
    ours["feature_group"] = ours["feature_group"].removeprefix(boundary.FORGET_REMOVED_GROUPS)
    assert comparable(ours) == comparable(theirs)


def test_the_installed_streamlit_folium_is_the_pinned_minor_version() -> None:
    from importlib.metadata import version

    assert version("streamlit-folium").startswith(boundary.STREAMLIT_FOLIUM_VERSION + ".")


def test_dynamic_layers_carry_the_events_and_districts_they_were_given(layers) -> None:
    frame = boundary.render_static(
        base_map(layers, tiles=False, layer_control=False), DYNAMIC_LAYERS, dynamic_layer_control()
    )
    events = spread_events(12)
    scripts = [
        boundary.group_script(districts_layer(three_districts(), STATUS, "en"), 0),
        boundary.group_script(events_layer(events, "en"), 1),
    ]
    sent = boundary.component_args(frame, scripts, height=560)["feature_group"]
    ids = re.search(r'"keys":(\[[^\]]*\])', sent)
    assert ids and sorted(json.loads(ids.group(1))) == sorted(events["id"])
    for name in ("Lachin", "Shusha", "Kalbajar"):
        assert f'"name_en":"{name}"' in sent.replace(" ", "")
    for index in (0, 1):
        assert f"map_div.addLayer(feature_group_feature_group_{index});" in sent


def test_a_kept_group_carries_its_layers_and_adds_itself_once_built() -> None:
    script = boundary.group_script(districts_layer(three_districts(), STATUS, "en"), 1)
    kept = boundary.kept_group_script(script, 1)
    # the same layers, built only when the frame holds no group of this script, added by the wrapper alone
    assert '"name_en":"Lachin"' in kept.replace(" ", "") and "window.feature_group" not in kept
    assert kept.count("map_div.addLayer(feature_group_feature_group_1)") == 1 and ".addTo(map_div)" not in kept
    assert kept == boundary.kept_group_script(script, 1)
    other = boundary.group_script(districts_layer(three_districts(), {"Lachin": "azerbaijan"}, "en"), 1)
    assert boundary.kept_group_script(other, 1) != kept
    with pytest.raises(ValueError, match="group 2"):
        boundary.kept_group_script(script, 2)  # another index: not the script st_folium made for it


def test_the_layer_control_lists_the_static_and_the_dynamic_groups(layers) -> None:
    frame = boundary.render_static(
        base_map(layers, tiles=False, layer_control=False), DYNAMIC_LAYERS, dynamic_layer_control()
    )
    for name in (LAYER_NKAO, LAYER_DISTRICTS, LAYER_EVENTS):
        assert json.dumps(name) in frame.layer_control
    assert "window.staticLayerControl.remove()" in frame.layer_control


def test_fresh_base_maps_keep_the_component_key_while_the_layers_change(layers) -> None:
    # The frontend keeps its frame (and only swaps feature groups) while the key stays the same.
    first = boundary_sends(base_map(layers, tiles=False, layer_control=False), groups(None))
    second = boundary_sends(base_map(layers, tiles=False, layer_control=False), groups("e3"))
    assert first["key"] == second["key"]
    assert first["feature_group"] != second["feature_group"]


def test_the_component_key_changes_with_the_language(layers) -> None:
    keys = {
        boundary.render_static(
            base_map(layers, tiles=False, lang=lang, layer_control=False), DYNAMIC_LAYERS, dynamic_layer_control()
        ).component_key
        for lang in ("en", "hy")
    }
    assert len(keys) == 2


def test_offline_the_component_loads_nothing_from_the_internet(layers) -> None:
    sent = boundary_sends(
        base_map(layers, tiles=False, layer_control=False),
        [districts_layer(three_districts(), {}, "en"), events_layer(events_frame([event()]), "en")],
    )
    assert sent["js_links"] and all(u.startswith("data:text/javascript") for u in sent["js_links"])
    assert sent["css_links"] and all(u.startswith("data:text/css") for u in sent["css_links"])
    assert [r for r in resource_references(sent["header"] + sent["html"]) if not r.startswith("data:")] == []
    assert "L.tileLayer" not in sent["script"]
