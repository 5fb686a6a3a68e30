"""Marker, district and legend HTML: escaped wherever data shows, links only for http(s), labels per language."""

from __future__ import annotations

import re

import folium
import geopandas as gpd
import pandas as pd
import pytest

from dashboard.html import escape
from dashboard.map.base import countries_layer
from dashboard.map.folium_overrides import CircleLayer
from dashboard.map.layers import districts_layer, events_layer
from tests.support.leaflet import circles, geojson_features, parse_fragment, render
from tests.support.mapdata import HOSTILE, event, events_frame, square, three_districts


@pytest.mark.parametrize("column", ["title", "summary", "place", "side_a", "side_b", "source"])
def test_script_in_any_text_column_appears_only_escaped(column: str) -> None:
    page = render(events_layer(events_frame([event(**{column: HOSTILE})]), "en"))
    assert HOSTILE not in page
    assert "window.__pwned=1</script>" not in page
    (marker,) = circles(page)
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in marker["popup"]
    assert "<script" not in marker["popup"] + marker["tooltip"]


def test_title_is_escaped_in_the_tooltip() -> None:
    title = '<img src=x onerror="window.__pwned=1">'
    page = render(events_layer(events_frame([event(title=title)]), "en"))
    (marker,) = circles(page)
    assert "<img" not in page
    assert "".join(parse_fragment(marker["tooltip"]).text).startswith(title)


def test_javascript_source_is_plain_text_not_a_link() -> None:
    (marker,) = circles(render(events_layer(events_frame([event(source="javascript:alert(1)")]), "en")))
    parsed = parse_fragment(marker["popup"])
    assert parsed.anchors == []
    assert "Source: javascript:alert(1)" in "".join(parsed.text)


def test_http_source_is_a_safe_link() -> None:
    source = "https://example.org/report?a=1&b=2"
    (marker,) = circles(render(events_layer(events_frame([event(source=source)]), "en")))
    (anchor,) = parse_fragment(marker["popup"]).anchors
    assert anchor == {"href": source, "target": "_blank", "rel": "noopener noreferrer"}


def test_quotes_in_a_source_do_not_break_out_of_the_href() -> None:
    source = "https://example.org/\"onmouseover=\"window.__pwned=1' x='"
    (marker,) = circles(render(events_layer(events_frame([event(source=source)]), "en")))
    (anchor,) = parse_fragment(marker["popup"]).anchors
    assert set(anchor) == {"href", "target", "rel"}
    assert anchor["href"] == source


def test_template_literal_syntax_in_a_label_cannot_run() -> None:
    # folium pastes Tooltip text into a JavaScript `template literal`; JSON strings elsewhere are safe.
    name = "`${window.__pwned=1}`\\"
    countries = gpd.GeoDataFrame(
        {
            "name_en": [name],
            "name_az": ["x"],
            "name_hy": ["x"],
            "iso_a3": ["XXX"],
            "label_lat": [40.0],
            "label_lon": [46.0],
        },
        geometry=[square(45.0, 39.0, 100)],
        crs="EPSG:4326",
    )
    page = render(countries_layer(countries, "en"))
    (literal,) = re.findall(r"bindTooltip\(\s*`(.*?)`,", page, re.DOTALL)
    assert re.fullmatch(r"<div>\s*&#96;&#36;\{window.__pwned=1\}&#96;&#92;\s*</div>", literal.strip())


def test_circle_layer_data_cannot_close_the_script() -> None:
    group = folium.FeatureGroup(name="x")
    CircleLayer(
        "eventId",
        lat=[40.0],
        lng=[46.0],
        radius=[5],
        fill=["#000"],
        stroke=["#000"],
        weight=[1],
        fillOpacity=[1],
        keys=["</script ><script>window.__pwned=1</script >"],
        tooltip=["t"],
        popup=["p"],
        popupWidth=100,
    ).add_to(group)
    page = render(group)
    assert "</script " not in page  # an end tag followed by a space still ends the <script>
    assert circles(page)[0]["eventId"] == "</script ><script>window.__pwned=1</script >"


def test_district_names_are_escaped() -> None:
    hostile = three_districts().assign(name_en=[HOSTILE, "b", "c"])
    page = render(districts_layer(hostile, {}, "en"))
    assert HOSTILE not in page
    (feature,) = [f for f in geojson_features(page) if f["properties"]["name_en"] == HOSTILE]
    assert feature["properties"]["tooltip"] == str(escape(HOSTILE))
    assert "<script" not in feature["properties"]["popup"]


# --- what the popups say ------------------------------------------------------------------------------


def test_popup_shows_dates_place_sides_fatality_range_and_id() -> None:
    frame = events_frame([event(id="x-1", fatalities_low=120, fatalities_best=200, fatalities_high=300, disputed=True)])
    (marker,) = circles(render(events_layer(frame, "en")))
    text = "\n".join(parse_fragment(marker["popup"].replace("<br>", "\n")).text)
    assert "Date: 1992-05-08 – 1992-05-09" in text
    assert "Place: Shusha" in text and "Sides: Side A – Side B" in text
    assert "Fatalities: 120–300 (best estimate 200) (disputed)" in text
    assert text.endswith("id: x-1")


def test_missing_sides_and_summary_leave_no_empty_lines() -> None:
    frame = events_frame([event(side_a=pd.NA, side_b="", summary="")])
    (marker,) = circles(render(events_layer(frame, "en")))
    lines = "".join(parse_fragment(marker["popup"].replace("<br>\n", "\n")).text).splitlines()
    assert "" not in lines and not any(line.startswith("Sides") for line in lines)


def test_long_summaries_are_cut_with_an_ellipsis() -> None:
    (marker,) = circles(render(events_layer(events_frame([event(summary="word " * 200)]), "en")))
    summary = re.search(r'<span class="event-summary">(.*?)</span>', marker["popup"]).group(1)
    assert summary.endswith("…") and len(summary) <= 301


def test_month_precision_dates_are_shown_as_months() -> None:
    frame = events_frame(
        [event(date_precision="month", date_start=pd.Timestamp("1994-05-01"), date_end=pd.Timestamp("1994-05-31"))]
    )
    (marker,) = circles(render(events_layer(frame, "en")))
    assert marker["tooltip"].endswith("<br>1994-05")


@pytest.mark.parametrize("lang, place_label", [("en", "Place"), ("az", "Yer"), ("hy", "Վայր")])
def test_popup_labels_follow_the_language(lang: str, place_label: str) -> None:
    place = {"en": "Shusha", "az": "Şuşa", "hy": "Շուշի"}[lang]
    (marker,) = circles(render(events_layer(events_frame([event(place=place)]), lang)))
    assert f"{place_label}: {place}" in marker["popup"]


@pytest.mark.parametrize("lang, name", [("en", "Shusha"), ("az", "Şuşa"), ("hy", "Շուշի")])
def test_district_tooltip_follows_the_language(lang: str, name: str) -> None:
    features = geojson_features(render(districts_layer(three_districts(), {}, lang)))
    shusha = next(f for f in features if f["properties"]["name_en"] == "Shusha")
    assert shusha["properties"]["tooltip"] == name
    assert "Shusha · Şuşa · Շուշի" in shusha["properties"]["popup"]


def test_a_grid_cell_popup_escapes_the_event_types_it_lists() -> None:
    frame = events_frame([event(id=str(i), event_type=HOSTILE, latitude=39.71, longitude=46.71) for i in range(3)])
    (cell,) = circles(render(events_layer(frame, "en", max_markers=1)))
    assert "<script" not in cell["popup"]
    assert "".join(parse_fragment(cell["popup"].replace("<br>", "\n")).text) == f"3 events\n1992\n{HOSTILE}: 3"
