"""The dated groups' scripts: each key rendered once, the same script as rendering on the spot, and all of
them rendered ahead by the warming thread."""

from __future__ import annotations

from datetime import date

import folium
import pytest

from dashboard import geodata
from dashboard.map import boundary
from dashboard.map.dated import DATED_LAYERS, DatedLayers
from dashboard.map.dated_scripts import GroupScripts, key_dates
from dashboard.territory import load_territory


@pytest.fixture(scope="module")
def dated() -> DatedLayers:
    territory, _ = load_territory()
    return DatedLayers(territory, geodata.load_contact_line(), geodata.load_districts())


class CountingRender:
    """boundary.group_script, counting its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, group: folium.FeatureGroup, index: int) -> str:
        self.calls += 1
        return boundary.group_script(group, index)


def test_key_dates_cover_every_group_and_key_once(dated: DatedLayers) -> None:
    keys = key_dates(dated)
    assert {name for name, _ in keys} == set(DATED_LAYERS)
    for (name, key), first in list(keys.items())[:40]:
        assert dated.key(name, first) == key
    assert len(keys) == len({(name, dated.key(name, when)) for (name, _), when in keys.items()})


def test_a_key_is_rendered_once_for_every_date_showing_it(dated: DatedLayers) -> None:
    render = CountingRender()
    scripts = GroupScripts(dated, "az", render)
    first = scripts.get(DATED_LAYERS[0], date(2000, 1, 1))
    same_key = scripts.get(DATED_LAYERS[0], date(2000, 1, 2))  # no change of hands that day
    assert same_key == first and render.calls == 1
    assert "L.geoJson" in first  # a drawn group, not an empty string
    assert scripts.get(DATED_LAYERS[0], date(2020, 10, 20)) != first and render.calls == 2


def test_warming_renders_every_key_ahead(dated: DatedLayers) -> None:
    render = CountingRender()
    scripts = GroupScripts(dated, "en", render)
    thread = scripts.warm()
    assert scripts.warm() is thread  # started once
    thread.join()
    assert render.calls == len(key_dates(dated))
    for when in (date(1992, 5, 18), date(2020, 10, 20), date(2023, 9, 20)):
        for name in DATED_LAYERS:
            assert scripts.get(name, when) == boundary.group_script(
                dated.group(name, when, "en"), DATED_LAYERS.index(name)
            )
    assert render.calls == len(key_dates(dated))  # nothing rendered on the spot any more
