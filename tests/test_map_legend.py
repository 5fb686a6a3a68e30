"""The legend: every colour and line style the map draws on a date, in the chosen language, open to more entries."""

from __future__ import annotations

import re

import pytest

from dashboard import schema
from dashboard.map import palette
from dashboard.map.legend import LegendEntry, legend_entries, legend_html, line_css


def html(lang: str = "en", **dated: object) -> str:
    return str(legend_html(legend_entries(lang, **dated), lang))


@pytest.mark.parametrize(
    ("lang", "heading", "partly"),
    [("en", "Events", "partly each"), ("az", "Hadisələr", "qismən"), ("hy", "Իրադարձություններ", "մասնակի")],
)
def test_every_family_and_holder_colour_shows_in_the_language(lang, heading, partly):
    legend = html(lang)
    assert f"<b>{heading}:</b>" in legend and partly in legend
    for colour in [
        *palette.FAMILY_COLORS.values(),
        palette.CONTROL_COLORS["armenian"],
        palette.CONTROL_COLORS["azerbaijan"],
    ]:
        assert f"background:{colour};" in legend


def test_patterns_and_lines_are_drawn_as_on_the_map():
    legend = html()
    for name in (palette.CONTESTED_PATTERN, palette.RECENT_PATTERN):
        assert f"background:{palette.PATTERN_CSS[name]};" in legend
    for style in (
        palette.NKAO_STYLE,
        palette.FRONT_LINE_STYLE,
        palette.CONTACT_LINE_STYLE,
        palette.DISTRICT_OUTLINE_STYLE,
    ):
        css = line_css(style)
        assert f"border-top:{css['weight']}px {css['dash']} {css['color']};" in legend
    assert line_css(palette.CONTACT_LINE_STYLE)["dash"] == "dashed" and line_css(palette.NKAO_STYLE)["dash"] == "solid"


def test_dated_lines_appear_only_on_their_dates():
    before_1994 = html(contact_line=False)
    assert "Line of contact" not in before_1994 and "Lachin corridor" not in before_1994
    blockade = html(contact_line=False, corridor_status="blockaded", peacekeeping=True)
    style = palette.CORRIDOR_STATUS_STYLES["blockaded"]
    assert "Lachin corridor: blockaded" in blockade and f"dashed {style['color']};" in blockade
    assert "Russian peacekeeping zone 2020–2024" in blockade
    assert "Lachin corridor" not in html(corridor_status="no such status")


def test_partly_each_is_explained_and_types_are_listed_under_their_family():
    legend = html()
    assert "partly each: split between the sides, or fought over, on that date" in legend
    for kinds in schema.EVENT_FAMILIES.values():
        assert ", ".join(kinds) in legend


def test_other_layers_add_entries_in_their_section_escaped():
    extra = LegendEntry("lines", "a <new> line", "line", line_css({"color": "#123456", "weight": 2}))
    legend = str(legend_html([*legend_entries("en"), extra], "en"))
    assert "a &lt;new&gt; line" in legend and "border-top:2px solid #123456;" in legend
    assert re.findall(r"<b>([^<]+):</b>", legend) == ["Events", "Territory", "Districts", "Lines and areas"]


def test_swatches_are_styled_inline_for_use_outside_the_map():
    first = re.search(r'<span class="legend-swatch legend-dot" style="([^"]*)"', html()).group(1)
    assert "width:11px" in first and "display:inline-block" in first


@pytest.mark.parametrize(("changes", "message"), [({"section": "sky"}, "section"), ({"swatch": "star"}, "swatch")])
def test_unknown_sections_and_swatches_are_named(changes, message):
    with pytest.raises(ValueError, match=message):
        LegendEntry(**{"section": "events", "label": "x", "swatch": "dot", **changes})


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="lang"):
        legend_entries("ru")
