"""The page sends the territory of the window's end date to the map, and a map click opens a settlement's history."""

from __future__ import annotations

import json
from datetime import date

from streamlit.testing.v1 import AppTest

from tests.support.leaflet import geojson_features


def sent_features(at: AppTest) -> list[dict[str, object]]:
    """The GeoJSON features of the dynamic groups the page sent the map this run."""
    (component,) = at.get("component_instance")
    return geojson_features(json.loads(component.proto.json_args)["feature_group"])


def holders(at: AppTest) -> set[str]:
    """The holders of the territory features sent."""
    territory = [f for f in sent_features(at) if f["properties"].get("kind") == "territory"]
    return {str(f["properties"]["controlled_by"]) for f in territory}


def test_the_page_sends_the_territory_of_the_window_end(app: AppTest) -> None:
    app.run()
    app.slider(key="window").set_value((date(1999, 1, 1), date(2005, 1, 1))).run()
    assert not app.exception
    assert holders(app) >= {"armenian", "azerbaijan"}, "the territory layer came out empty"
    kinds = {f["properties"].get("kind") for f in sent_features(app)}
    assert "front_line" in kinds and "road" in kinds  # the front line and the corridor of 2005


def test_before_the_war_the_map_has_no_corridor_and_no_front(app: AppTest) -> None:
    app.run()
    app.slider(key="window").set_value((date(1988, 1, 1), date(1988, 1, 10))).run()
    assert not app.exception
    kinds = {f["properties"].get("kind") for f in sent_features(app)}
    assert holders(app) == {"azerbaijan"} and "road" not in kinds and "front_line" not in kinds
