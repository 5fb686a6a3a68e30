"""The legend: every colour and line style the map draws, in the chosen language, open to entries of other layers."""

from __future__ import annotations

import re

import pytest

from dashboard import schema
from dashboard.map import palette
from dashboard.map.legend import LegendEntry, base_entries, legend_html, line_css


@pytest.mark.parametrize(
    ("lang", "heading", "partly"),
    [("en", "Events", "partly each"), ("az", "Hadisələr", "qismən"), ("hy", "Իրադարձություններ", "մասնակի")],
)
def test_every_family_and_control_colour_shows_in_the_language(lang, heading, partly):
    legend = legend_html(base_entries(lang), lang)
    assert f"<b>{heading}:</b>" in legend and partly in legend
    for colour in [*palette.FAMILY_COLORS.values(), *palette.CONTROL_COLORS.values()]:
        assert f"background:{colour};" in legend


def test_every_line_style_of_the_base_map_has_an_entry():
    entries = [e for e in base_entries("en") if e.swatch == "line"]
    drawn = {(e.style["color"], e.style["dash"]) for e in entries}
    for style in (palette.NKAO_STYLE, palette.CONTACT_LINE_STYLE, palette.CORRIDOR_ROAD_STYLE):
        assert (style["color"], line_css(style)["dash"]) in drawn
    assert line_css(palette.CONTACT_LINE_STYLE)["dash"] == "dashed" and line_css(palette.NKAO_STYLE)["dash"] == "solid"


def test_partly_each_is_explained_and_types_are_listed_under_their_family():
    legend = legend_html(base_entries("en"), "en")
    assert "split between the sides, or fought over, on that date" in legend
    for kinds in schema.EVENT_FAMILIES.values():
        assert ", ".join(kinds) in legend


def test_other_layers_add_entries_in_their_own_section():
    hatch = "repeating-linear-gradient(45deg, #762a83 0 4px, #a6611a 4px 8px)"
    extra = LegendEntry("territory", "contested <ground>", "pattern", {"background": hatch})
    legend = legend_html([*base_entries("en"), extra], "en")
    assert "<b>Territory:</b>" in legend and f"background:{hatch};" in legend
    assert "contested &lt;ground&gt;" in legend  # labels are escaped
    sections = re.findall(r"<b>([^<]+):</b>", legend)
    assert sections == ["Events", "Districts", "Territory", "Lines and areas"]


def test_swatches_are_styled_inline_for_use_outside_the_map():
    first = re.search(r'<span class="legend-swatch legend-dot" style="([^"]*)"', legend_html(base_entries("en"))).group(
        1
    )
    assert "width:11px" in first and "display:inline-block" in first


@pytest.mark.parametrize(("changes", "message"), [({"section": "sky"}, "section"), ({"swatch": "star"}, "swatch")])
def test_unknown_sections_and_swatches_are_named(changes, message):
    with pytest.raises(ValueError, match=message):
        LegendEntry(**{"section": "events", "label": "x", "swatch": "dot", **changes})


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="lang"):
        legend_html(base_entries("en"), "ru")
