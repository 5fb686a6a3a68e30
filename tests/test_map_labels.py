"""Place names on the map: largest settlements first, more as the map zooms in, in the chosen language."""

from __future__ import annotations

import json
import re

import pytest
from shapely.geometry import Point

from dashboard.gazetteer import Place
from dashboard.map.labels import (
    LabelLayer,
    ZoomClasses,
    district_labels,
    label_css,
    labels_layer,
    min_zoom,
    settlement_labels,
)
from tests.support.leaflet import render
from tests.support.mapdata import three_districts


def place(name: str, population: int | None, kind: str = "village", lat: float = 39.8, lon: float = 46.7) -> Place:
    return Place(name, f"{name}-az", f"{name}-hy", (), kind, lat, lon, "test", population=population)


@pytest.mark.parametrize(
    ("population", "kind", "zoom"),
    [
        (53_000, "city", 6),
        (18_000, "town", 8),
        (2_500, "town", 9),
        (600, "village", 10),
        (120, "village", 11),
        (None, "city", 6),
        (None, "town", 8),
        (None, "village", 11),
    ],
)
def test_bigger_places_show_from_earlier_zooms(population, kind, zoom):
    assert min_zoom(place("x", population, kind)) == zoom


def test_settlements_are_named_in_the_language_and_the_largest_drawn_last():
    places = [place("Big", 60_000, "city"), place("Small", 50, lat=39.9), place("Mid", 3_000, "town", lat=40.0)]
    labels = settlement_labels(places, "hy")
    assert [label.text for label in labels] == ["Small-hy", "Mid-hy", "Big-hy"]
    assert [label.min_zoom for label in labels] == [11, 9, 6]


def test_only_settlements_inside_the_region_and_one_label_per_point():
    places = [
        place("Here", 500),
        place("Twin", 500),  # same point as "Here"
        place("Paris", 2_000_000, "city", lat=48.85, lon=2.35),
        place("Omar Pass", None, "pass", lat=40.0),
    ]
    assert [label.text for label in settlement_labels(places, "en")] == ["Here"]


def test_district_names_sit_inside_their_district_in_the_language():
    labels = district_labels(three_districts(), "az")
    assert {label.text for label in labels} == set(three_districts()["name_az"])
    for label, geometry in zip(labels, three_districts().geometry):
        assert geometry.contains(Point(label.lon, label.lat))
        assert label.kind == "district" and label.min_zoom == 8


def test_labels_are_permanent_tooltips_with_escaped_names():
    page = render(labels_layer([place("<b>Evil</b>", 60_000, "city")], three_districts(), "en"))
    payload = json.loads(re.search(r"\}\)\(feature_group_\w+, (\{.*?\})\);", page).group(1))
    assert "&lt;b&gt;Evil&lt;/b&gt;" in payload["text"] and "<b>Evil</b>" not in page
    assert "permanent: true" in page and "kd-min-" in page


def test_zoom_classes_hide_labels_not_yet_due():
    css = label_css()
    assert ".kd-z8 .kd-min-9" in css and ".kd-z8 .kd-min-11" in css
    assert ".kd-z8 .kd-min-8" not in css and ".kd-z9 .kd-min-9" not in css
    page = render(ZoomClasses(), LabelLayer([]))
    assert 'map.on("zoomend", mark)' in page and "kd-z" in page
