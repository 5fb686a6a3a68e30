"""Colours and sizes: every event type and control state has its own colour, none a flag's; radii grow with deaths."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard import schema
from dashboard.map import palette


def test_radius_grows_with_fatalities_and_has_a_default() -> None:
    radii = [palette.marker_radius(f) for f in (0, 10, 1000, 10**7)]
    assert radii == sorted(radii) and len(set(radii)) == 4
    assert radii[-1] == palette.RADIUS_MAX
    assert palette.marker_radius(pd.NA) == palette.RADIUS_UNKNOWN


def test_cell_radius_grows_with_the_count_up_to_a_cap() -> None:
    radii = [palette.cell_radius(n) for n in (1, 10, 1000, 10**9)]
    assert radii == sorted(radii) and radii[-1] == 2 * palette.RADIUS_MAX


def test_colour_tables_cover_the_vocabularies_with_distinct_colours() -> None:
    assert set(schema.EVENT_TYPES) <= set(palette.EVENT_COLORS)
    assert len(set(palette.EVENT_COLORS.values())) == len(palette.EVENT_COLORS)
    assert palette.UNKNOWN_EVENT_COLOR not in palette.EVENT_COLORS.values()
    assert set(palette.CONTROL_COLORS) == {*schema.CONTROL_STATES, "unknown"}
    assert len(set(palette.CONTROL_COLORS.values())) == len(palette.CONTROL_COLORS)


def test_unknown_event_type_gets_the_unknown_colour() -> None:
    assert palette.event_color("rumour") == palette.UNKNOWN_EVENT_COLOR
    assert palette.event_color("battle") == palette.EVENT_COLORS["battle"]


def test_control_colours_are_not_flag_colours() -> None:
    flags = ["#d90012", "#0033a0", "#f2a800", "#0092bc", "#e4002b", "#00af66"]  # Armenia, Azerbaijan

    def rgb(colour: str) -> np.ndarray:
        return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], float)

    for state in schema.CONTROL_STATES:
        assert min(np.linalg.norm(rgb(palette.CONTROL_COLORS[state]) - rgb(f)) for f in flags) > 80


def test_unknown_control_is_pale_and_dashed() -> None:
    style = palette.district_style({"properties": {"status": "unknown"}})
    assert style["fillColor"] == palette.CONTROL_COLORS["unknown"] and style["dashArray"]
    assert palette.district_style({"properties": {"status": "armenian"}})["dashArray"] is None
