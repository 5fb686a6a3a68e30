"""Controls inside the map frame: reset view, events outside the view, attributions, the tile fallback note."""

from __future__ import annotations

import json
import re

import folium
import pytest

from dashboard.html import Markup
from dashboard.map.controls import Attribution, GlobalRef, MapControls, TileFallback
from tests.support.leaflet import render

TEXTS = {"reset": "Reset view", "outside": "{n} of {total} events outside the view", "show_all": "Show all"}


def test_reset_and_show_all_act_in_the_browser_with_the_given_words_and_view():
    page = render(MapControls(TEXTS, (39.85, 46.75), 8))
    assert json.dumps(TEXTS, ensure_ascii=False, separators=(",", ":")) in page
    assert '{"center":[39.85,46.75],"zoom":8}' in page
    assert "map.setView(view.center, view.zoom)" in page and "map.fitBounds(" in page
    assert "map._kdEventMarkers" in page and '"moveend zoomend layeradd layerremove"' in page


def test_control_texts_cannot_break_out_of_the_script():
    page = render(MapControls({**TEXTS, "reset": "</script><script>alert(1)</script>"}, (0, 0), 3))
    assert "</script><script>alert(1)" not in page


def test_missing_words_are_named():
    with pytest.raises(ValueError, match="show_all"):
        MapControls({"reset": "r", "outside": "o"}, (0, 0), 3)


def test_attributions_replace_leaflets_prefix_and_escape_text():
    page = render(Attribution([Markup('<a href="https://www.naturalearthdata.com/">Natural Earth</a>'), "A & B"]))
    assert "control.setPrefix(false)" in page
    texts = json.loads(re.search(r"(\[.*?\])\.forEach", page).group(1))
    assert texts == ['<a href="https://www.naturalearthdata.com/">Natural Earth</a>', "A &amp; B"]


def test_a_failing_tile_shows_the_vector_basemap_and_a_note_once():
    m = folium.Map(tiles=None)
    tiles = folium.TileLayer("https://tile.example/{z}/{x}/{y}.png", attr="x").add_to(m)
    TileFallback("Tiles failed", "kdVector").add_to(tiles)
    group = folium.FeatureGroup(name="basemap").add_to(m)
    GlobalRef("kdVector").add_to(group)
    page = m.get_root().render()
    assert re.search(r'window\["kdVector"\] = feature_group_\w+;', page)
    assert 'on("tileerror"' in page and 'map.addLayer(window["kdVector"])' in page and '"Tiles failed"' in page
