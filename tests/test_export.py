"""Exports: CSV that is safe to open in a spreadsheet, UTF-8 names kept byte for byte, and valid GeoJSON."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pandas as pd
import pytest

from dashboard import schema
from dashboard.data import parse_events
from dashboard.export import events_csv, events_geojson, events_geojson_text, neutralise_formula
from dashboard.values import json_value
from tests.conftest import row

NAMES = ("ə", "Şuşa", "Շուշի", "Xankəndi", "Ստեփանակերտ", "Ağdam")


def load(*rows: dict[str, str]) -> pd.DataFrame:
    """The typed events frame the loader makes of these rows; fails on any problem."""
    buffer = io.StringIO()
    # The csv default "\r\n" ending: with "\n", csv would leave a field holding a lone "\r" unquoted.
    writer = csv.DictWriter(buffer, fieldnames=list(schema.EVENT_COLUMNS))
    writer.writeheader()
    writer.writerows(rows)
    result = parse_events(buffer.getvalue().encode("utf-8"), "test.csv")
    assert result.problems == [], result.problems
    return result.events


def csv_rows(text: str) -> dict[str, dict[str, str]]:
    """Rows of CSV text by id (the id column is never formula-like: ids start with a letter or digit)."""
    return {r["id"]: r for r in csv.DictReader(io.StringIO(text, newline=""))}


def reject_constant(name: str) -> None:
    raise AssertionError(f"GeoJSON holds {name}, which is not JSON")


# --- spreadsheet formulas ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        '=HYPERLINK("http://evil.example","click")',
        "=cmd|' /C calc'!A0",
        "+SUM(A1:A9)",
        "-2+3",
        "@SUM(A1)",
        "\tfoo",
        "\rfoo",
        "-",
        "+",
        "-inf",
        "-nan",
        "+Infinity",
        "-1_000",
        "-١٢",
        "\t5",
        "\r-5",
    ],
)
def test_formula_like_text_gets_a_leading_apostrophe(text):
    assert neutralise_formula(text) == "'" + text


@pytest.mark.parametrize("text", ["-12", "-12.5", "+3", "-0.5", "-.5", "-1e3", "+2E-4", "12", "Şuşa", "a=b", " =1", ""])
def test_numbers_and_ordinary_text_are_left_alone(text):
    assert neutralise_formula(text) == text


def test_csv_download_neutralises_formulas_in_every_text_column():
    events = load(
        row(
            id="f1",
            title="=cmd|' /C calc'!A0",
            summary="+SUM(A1:A9)",
            location="@Shusha",
            side_a="-2+3",
            side_b='=HYPERLINK("http://evil.example")',
            source="-source",
        ),
        row(id="f2", title="-12", summary="-12.5 km", side_a="Side -A", source="+3"),
    )
    rows = csv_rows(events_csv(events))
    assert {c: rows["f1"][c] for c in ("title", "summary", "location", "side_a", "side_b", "source")} == {
        "title": "'=cmd|' /C calc'!A0",
        "summary": "'+SUM(A1:A9)",
        "location": "'@Shusha",
        "side_a": "'-2+3",
        "side_b": '\'=HYPERLINK("http://evil.example")',
        "source": "'-source",
    }
    assert rows["f2"]["title"] == "-12" and rows["f2"]["source"] == "+3"  # numbers stay numbers
    assert rows["f2"]["summary"] == "'-12.5 km" and rows["f2"]["side_a"] == "Side -A"


def test_tab_and_carriage_return_starts_are_neutralised():
    events = load(row(id="t"))
    events.loc[0, "title"], events.loc[0, "summary"] = "\t=1+1", "\r=1+1"
    rows = csv_rows(events_csv(events))
    assert rows["t"]["title"] == "'\t=1+1" and rows["t"]["summary"] == "'\r=1+1"


def test_negative_coordinates_and_other_columns_are_not_altered():
    events = load(
        row(
            id="dc",
            title="Talks in Washington",
            latitude="38.89511",
            longitude="-77.03637",
            outside_region="true",
            fatalities_low="",
            fatalities_best="",
            fatalities_high="",
            fatalities_of="",
        )
    )
    exported = csv_rows(events_csv(events))["dc"]
    assert exported["longitude"] == "-77.03637" and exported["latitude"] == "38.89511"
    assert exported["date_start"] == "1992-05-08" and exported["outside_region"] == "true"
    assert exported["fatalities_best"] == ""


def test_unsafe_csv_keeps_formula_text_verbatim():
    events = load(row(id="raw", title="=1+1", summary="@x"))
    exported = csv_rows(events_csv(events, spreadsheet_safe=False))["raw"]
    assert exported["title"] == "=1+1" and exported["summary"] == "@x"


def test_safe_csv_still_loads_back_with_the_apostrophes_as_text():
    events = load(row(id="s", title="=1+1", summary="ordinary"))
    again = parse_events(events_csv(events).encode("utf-8"), "download.csv")
    assert again.problems == []
    assert again.events.loc[0, "title"] == "'=1+1" and again.events.loc[0, "summary"] == "ordinary"


def test_csv_keeps_a_lone_carriage_return_inside_its_field():
    events = load(row(id="cr", summary="first part\rsecond part"), row(id="next"))
    again = parse_events(events_csv(events, spreadsheet_safe=False).encode("utf-8"), "download.csv")
    assert again.problems == []
    assert list(again.events["id"]) == ["cr", "next"]
    assert again.events.loc[0, "summary"] == "first part\rsecond part"


# --- UTF-8 names ---------------------------------------------------------------------------------


def names_events() -> pd.DataFrame:
    return load(
        row(id="names", title="Şuşa / Շուշի — ə", summary="Xankəndi (Ստեփանակերտ)", location="Shusha", side_a="Ağdam ə")
    )


@pytest.mark.parametrize("name", NAMES)
def test_names_survive_byte_for_byte_in_csv(name):
    exported = events_csv(names_events()).encode("utf-8")
    assert name.encode("utf-8") in exported
    assert csv_rows(exported.decode("utf-8"))["names"]["title"] == "Şuşa / Շուշի — ə"


@pytest.mark.parametrize("name", NAMES)
def test_names_survive_byte_for_byte_in_geojson(name):
    text = events_geojson_text(names_events())
    assert name.encode("utf-8") in text.encode("utf-8")
    assert "\\u" not in text  # written in their own scripts, not as escapes
    properties = json.loads(text)["features"][0]["properties"]
    assert properties["title"] == "Şuşa / Շուշի — ə" and properties["summary"] == "Xankəndi (Ստեփանակերտ)"


# --- GeoJSON -----------------------------------------------------------------------------------


def test_geojson_is_a_feature_collection_of_points_with_lon_lat_order():
    events = load(row(id="p", latitude="39.76006", longitude="46.74989"))
    collection = json.loads(events_geojson_text(events), parse_constant=reject_constant)
    assert collection["type"] == "FeatureCollection"
    (feature,) = collection["features"]
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [46.74989, 39.76006]}


def test_geojson_properties_are_all_event_columns_with_json_types():
    events = load(
        row(
            id="typed",
            date_start="2020-09-27",
            date_end="2020-11-10",
            fatalities_low="",
            fatalities_best="",
            fatalities_high="",
            fatalities_of="",
            disputed="yes",
        )
    )
    text = events_geojson_text(events)
    properties = json.loads(text, parse_constant=reject_constant)["features"][0]["properties"]
    assert list(properties) == list(schema.EVENT_COLUMNS)
    assert properties["date_start"] == "2020-09-27" and properties["date_end"] == "2020-11-10"
    assert properties["fatalities_low"] is None and properties["fatalities_best"] is None
    assert '"fatalities_best": null' in text
    assert properties["disputed"] is True and properties["outside_region"] is False
    assert properties["latitude"] == 39.76006 and properties["id"] == "typed"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (pd.Timestamp("1992-05-18"), "1992-05-18"),
        (np.int64(3), 3),
        (np.float64(2.5), 2.5),
        (np.bool_(True), True),
        ("Şuşa", "Şuşa"),
        (pd.NaT, None),
        (pd.NA, None),
        (float("nan"), None),
    ],
)
def test_json_value_gives_iso_dates_python_scalars_and_none_for_missing(cell, expected):
    value = json_value(cell)
    assert value == expected and type(value) is type(expected)


def test_geojson_known_fatalities_are_integers():
    properties = events_geojson(load(row(id="n")))["features"][0]["properties"]
    assert [properties[c] for c in schema.FATALITY_COLUMNS] == [10, 20, 30]
    assert all(type(properties[c]) is int for c in schema.FATALITY_COLUMNS)


def test_geojson_text_is_not_html_escaped_or_altered():
    events = load(row(id="x", title='<script>alert("x")</script>', summary='a, "b"\nc'))
    properties = json.loads(events_geojson_text(events))["features"][0]["properties"]
    assert properties["title"] == '<script>alert("x")</script>' and properties["summary"] == 'a, "b"\nc'


def test_empty_window_gives_an_empty_feature_collection_and_a_header_only_csv():
    events = load(row(id="only")).iloc[0:0]
    assert json.loads(events_geojson_text(events)) == {"type": "FeatureCollection", "features": []}
    assert events_csv(events) == ",".join(schema.EVENT_COLUMNS) + "\n"


def test_geojson_carries_the_place_in_three_languages_when_given():
    from dashboard import page
    from dashboard.gazetteer import Gazetteer, Place
    from tests.support.mapdata import event, events_frame

    gazetteer = Gazetteer([Place("Shusha", "Şuşa", "Շուշի", (), "town", 39.76, 46.75, "test")])
    (feature,) = events_geojson(page.with_all_place_names(events_frame([event()]), gazetteer))["features"]
    names = {key: feature["properties"][key] for key in ("place_en", "place_az", "place_hy")}
    assert names == {"place_en": "Shusha", "place_az": "Şuşa", "place_hy": "Շուշի"}
    assert "place_en" not in events_geojson(events_frame([event()]))["features"][0]["properties"]
