"""Exports of the filtered events: CSV safe to open in a spreadsheet, and GeoJSON."""

from __future__ import annotations

import io
import json
import re

import pandas as pd

from dashboard import schema
from dashboard.data import write_events
from dashboard.values import json_value

# A cell starting with one of these is read as a formula by spreadsheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


def neutralise_formula(value: str) -> str:
    """Prefix a quote to text a spreadsheet would run as a formula; numbers stay numbers."""
    if value.startswith(FORMULA_STARTS) and not _is_number(value):
        return "'" + value
    return value


def _is_number(value: str) -> bool:
    """True for plain numbers such as -12.5 (a negative coordinate is not a formula)."""
    # Not float(): it also takes "-inf", "-nan", "-1_000", "\t5" and digits like "-١٢", none of them a number
    # to a spreadsheet, which would read "-inf" as the formula =-inf.
    return _PLAIN_NUMBER.fullmatch(value) is not None


def events_csv(events: pd.DataFrame, *, spreadsheet_safe: bool = True) -> str:
    """The events in the file format; with spreadsheet_safe, formula-like text cells are neutralised."""
    frame = events
    if spreadsheet_safe:
        frame = events.copy()
        for column in schema.TEXT_COLUMNS:
            frame[column] = frame[column].map(neutralise_formula)
    buffer = io.StringIO()
    write_events(frame, buffer)
    return buffer.getvalue()


# Place names in the three languages, exported when the frame carries them (the page adds them).
PLACE_NAME_COLUMNS: tuple[str, ...] = ("place_en", "place_az", "place_hy")


def events_geojson(events: pd.DataFrame) -> dict:
    """A GeoJSON FeatureCollection of points with every event column (and the place's names, if given) as properties."""
    columns = [*schema.EVENT_COLUMNS, *(c for c in PLACE_NAME_COLUMNS if c in events.columns)]
    features = []
    for row in events.loc[:, columns].itertuples(index=False):
        props = {column: json_value(value) for column, value in zip(columns, row)}
        has_point = props["latitude"] is not None and props["longitude"] is not None
        geometry = {"type": "Point", "coordinates": [props["longitude"], props["latitude"]]} if has_point else None
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    return {"type": "FeatureCollection", "features": features}


def events_geojson_text(events: pd.DataFrame) -> str:
    """The GeoJSON export as UTF-8 JSON text (names in their own scripts, not escaped)."""
    return json.dumps(events_geojson(events), ensure_ascii=False)
