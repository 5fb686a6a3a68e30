"""Colours and sizes: a colour per event family, told apart under colour-vision deficiencies and from the
territory fills; control colours none of a flag's; radii grow with deaths."""

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


def test_colour_tables_cover_the_vocabularies_with_a_colour_per_family() -> None:
    assert set(schema.EVENT_TYPES) <= set(palette.EVENT_COLORS)
    assert set(palette.FAMILY_COLORS) == set(schema.EVENT_FAMILIES)
    assert len(set(palette.FAMILY_COLORS.values())) == len(palette.FAMILY_COLORS)
    for family, kinds in schema.EVENT_FAMILIES.items():
        assert {palette.EVENT_COLORS[kind] for kind in kinds} == {palette.FAMILY_COLORS[family]}
    assert palette.UNKNOWN_EVENT_COLOR not in palette.EVENT_COLORS.values()
    assert set(palette.CONTROL_COLORS) == {*schema.CONTROL_STATES, "unknown"}
    assert len(set(palette.CONTROL_COLORS.values())) == len(palette.CONTROL_COLORS)


# Machado, Oliveira & Fernandes (2009) simulation matrices at full severity, applied to linear RGB.
CVD = {
    "normal": np.eye(3),
    "protan": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "deutan": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
    "tritan": np.array(
        [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]
    ),
}
LAND = palette.COUNTRY_STYLE["fillColor"]


def srgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])


def over(colour: str, opacity: float, ground: str = LAND) -> str:
    mixed = opacity * srgb(colour) + (1 - opacity) * srgb(ground)
    return "#" + "".join(f"{round(v * 255):02x}" for v in mixed)


def lab(colour: str, vision: str) -> np.ndarray:
    """CIELAB (D65) of the colour as seen with `vision`."""
    c = srgb(colour)
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    linear = np.clip(CVD[vision] @ linear, 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > 0.008856, np.cbrt(t), 7.787 * t + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def distance(a: str, b: str) -> float:
    """The smallest CIELAB ΔE of two colours over normal vision and the three simulated deficiencies."""
    return min(float(np.linalg.norm(lab(a, v) - lab(b, v))) for v in CVD)


def test_event_families_stay_apart_under_colour_vision_deficiencies() -> None:
    colours = list(palette.FAMILY_COLORS.values())
    pairs = [(a, b) for i, a in enumerate(colours) for b in colours[i + 1 :]]
    assert min(distance(a, b) for a, b in pairs) >= 15


def test_event_families_stand_out_from_every_territory_fill_as_drawn() -> None:
    district = palette.district_style({"properties": {"status": "armenian"}})["fillOpacity"]
    fills = [
        over(c, opacity)
        for c in palette.CONTROL_COLORS.values()
        for opacity in (district, palette.TERRITORY_FILL_OPACITY)
    ]
    assert min(distance(family, fill) for family in palette.FAMILY_COLORS.values() for fill in fills) >= 25


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
