"""Row checks of the event table, column-wise: each check returns, per failing row, the reason it fails."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Mapping
from functools import lru_cache
from typing import TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely
import shapely.geometry

from dashboard import schema
from dashboard.records import MAX_FIELD_CHARS, Records

_ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}"
# ASCII digits only: \d also matches digits such as ١٥, which to_numeric turns into NaN (a silent "unknown").
_DATE_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_INT_PATTERN = r"[0-9]{1,9}"
_URL = r"https?://[^\s|]+"
_URLS_PATTERN = rf"{_URL}(?: \| {_URL})*"
_SURROGATE = r"[\udc80-\udcff]"  # bytes that were not UTF-8, kept by surrogateescape
# How far (km) a row's coordinates may lie from its gazetteer place, by geo_precision.
PLACE_TOLERANCE_KM = {"exact": 25.0, "near": 40.0, "district": 60.0}

# A locator answers a place name with (lat, lon) or raises LookupError with a message.
Locator = Callable[[str], tuple[float, float]]
Messages: TypeAlias = pd.Series  # the reason per failing row, None elsewhere


def row_errors(
    records: Records,
    locate: Locator | None,
    passed: Collection[str] = (),
    rows: Mapping[str, np.ndarray] | None = None,
) -> pd.DataFrame:
    """One column per failing check, holding the reason for each failing row (else None).

    `passed`: names of checks (CHECK_NAMES) known to pass on every row, which are skipped; `rows`: for a
    check that looks at each row alone, the only rows that may fail it (a boolean mask).
    """
    names = [n for n in CHECK_NAMES if n not in passed]
    rows = rows or {}
    if "fatalities_of" not in records.header:
        names = [n for n in names if n != "fatalities_of"]
    if locate is None:
        names = [n for n in names if n != "location"]
    checks: dict[str, Messages | None] = {}
    if not (records.utf8 and records.short):
        checks.update(_check_encoding(records.strings, records.utf8, records.short))
        records.frame = as_text(records.strings)
    if not names:
        return pd.DataFrame(index=pd.RangeIndex(len(records.lines)))
    strings = records.strings
    for name in names:
        if name in _FRAME_CHECKS:
            checks.update(_FRAME_CHECKS[name](_only(strings, rows.get(name))))
    if "coordinates" in names:
        some = _only(strings, rows.get("coordinates"))
        checks.update(_check_coordinates(some, *_numbers(some)))
    if locate is not None and "location" in names:
        checks.update(_check_location(strings, locate, *_numbers(strings)))
    if "fatalities_of" in names:
        checks.update(_check_fatalities_of(strings))
    # Checks no row failed are left out: dozens of all-None columns of 100,000 rows cost more than the checks.
    failing = {key: m for key, m in checks.items() if m is not None and m.notna().any()}
    return pd.DataFrame(failing, index=strings.index)


def _only(strings: pd.DataFrame, rows: np.ndarray | None) -> pd.DataFrame:
    """The rows of the mask (keeping their labels, so their messages line up), or all rows."""
    return strings if rows is None else strings[rows]


def _numbers(strings: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Latitude and longitude as numbers (NaN where not one)."""
    return pd.to_numeric(strings["latitude"], errors="coerce"), pd.to_numeric(strings["longitude"], errors="coerce")


def as_text(strings: pd.DataFrame) -> pd.DataFrame:
    """Object columns as pandas' string dtype; undecodable bytes (already reported) become U+FFFD."""
    out = strings.copy()
    for column in schema.EVENT_COLUMNS:
        values = out[column].astype(object)
        out[column] = pd.Series([_repaired(v) for v in values.tolist()], index=out.index, dtype="str")
    return out


def _repaired(text: str) -> str:
    """Text with surrogate escapes replaced, so it can be stored as UTF-8."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _messages(
    mask: pd.Series | np.ndarray, message: str | Callable[[str], str], values: pd.Series, quoted: bool = False
) -> Messages | None:
    """`message` (or message(value)) where mask is true, None elsewhere; None when no row fails.

    `quoted`: the message follows the offending value, quoted (`'skirmish' is not one of: ...`).
    """
    chosen = np.asarray(mask, dtype=bool)
    if not chosen.any():
        return None
    out = pd.Series(None, index=values.index, dtype=object)
    texts = values[chosen].tolist()
    if callable(message):
        out[chosen] = [message(v) for v in texts]
    else:
        out[chosen] = [f"{v!r} {message}" for v in texts] if quoted else message
    return out


def matches(values: pd.Series, pattern: str) -> pd.Series:
    """Whether each whole value matches `pattern` (vectorised on Arrow-backed strings)."""
    return values.str.fullmatch(pattern).fillna(False).astype(bool)


def _check_encoding(s: pd.DataFrame, utf8: bool, short: bool) -> dict[str, Messages | None]:
    """Fields holding bytes that were not UTF-8 (unless `utf8`), or absurdly long text (unless `short`)."""
    out: dict[str, Messages | None] = {}
    for column in schema.EVENT_COLUMNS:
        values = s[column].astype(object)
        texts = values.tolist()
        if not utf8:
            bad = pd.Series([re.search(_SURROGATE, t) is not None for t in texts], index=values.index)
            out[f"{column}#encoding"] = _messages(bad, "not valid UTF-8 text: save the file as UTF-8", values)
        if not short:
            long = pd.Series([len(t) > MAX_FIELD_CHARS for t in texts], index=values.index)
            out[f"{column}#length"] = _messages(long, f"longer than {MAX_FIELD_CHARS} characters", values)
    return out


def _check_required(s: pd.DataFrame) -> dict[str, Messages | None]:
    """Required fields must not be empty."""
    return {
        f"{column}#required": _messages(s[column] == "", "required field is empty", s[column])
        for column in sorted(schema.REQUIRED_COLUMNS)
    }


def _check_id(s: pd.DataFrame) -> dict[str, Messages | None]:
    """Ids are slugs and unique; a repeat names the line of the first."""
    ids = s["id"]
    malformed = (ids != "") & ~matches(ids, _ID_PATTERN)
    duplicate = ((ids != "") & ids.duplicated(keep="first")).to_numpy()
    dup_messages = None
    if duplicate.any():
        first = dict(zip(ids[~ids.duplicated(keep="first")], s["line"][~ids.duplicated(keep="first")]))
        dup_messages = _messages(duplicate, lambda v: f"duplicate id {v!r} (first used on line {first[v]})", ids)
    return {
        "id#pattern": _messages(malformed, lambda v: f"id {v!r} must be letters, digits, '-', '_', '.' or ':'", ids),
        "id#unique": dup_messages,
    }


def parse_dates(values: pd.Series) -> pd.Series:
    """ISO dates as datetime64[ns]; anything else (or impossible, like 2021-02-30) as NaT."""
    shaped = matches(values, _DATE_PATTERN)
    return pd.to_datetime(values.where(shaped, None), format="%Y-%m-%d", errors="coerce").astype("datetime64[ns]")


def _check_dates(s: pd.DataFrame) -> dict[str, Messages | None]:
    """Dates are real ISO dates inside the timeline, and the end is not before the start."""
    out: dict[str, Messages | None] = {}
    low, high = pd.Timestamp(schema.TIMELINE_START), pd.Timestamp(schema.TIMELINE_END)
    parsed = {}
    for column in ("date_start", "date_end"):
        values = s[column]
        dates = parsed[column] = parse_dates(values)
        invalid = (values != "") & dates.isna()
        out[f"{column}#format"] = _messages(invalid, lambda v: f"{v!r} is not a real date in YYYY-MM-DD form", values)
        outside = dates.notna() & ((dates < low) | (dates > high))
        out[f"{column}#range"] = _messages(
            outside, lambda v: f"{v} is outside the timeline {schema.TIMELINE_START}..{schema.TIMELINE_END}", values
        )
    reversed_ = parsed["date_end"] < parsed["date_start"]
    out["date_end#order"] = _messages(reversed_, lambda v: f"end {v} is before the start date", s["date_end"])
    return out


def _check_vocabularies(s: pd.DataFrame) -> dict[str, Messages | None]:
    """Controlled vocabularies: event type, precisions, claimant."""
    out: dict[str, Messages | None] = {}
    for column, allowed in schema.VOCABULARIES:
        values = s[column]
        bad = (values != "") & ~values.isin(allowed)
        listing = ", ".join(allowed)
        out[f"{column}#vocabulary"] = _messages(bad, f"is not one of: {listing}", values, quoted=True)
    return out


def is_true(values: pd.Series) -> pd.Series:
    """A flag column as bools: true/yes/1 in any case."""
    return values.str.lower().isin(schema.TRUE_WORDS).astype(bool)


def _check_flags(s: pd.DataFrame) -> dict[str, Messages | None]:
    """Boolean columns hold true/false (yes/no, 1/0) or nothing."""
    out: dict[str, Messages | None] = {}
    for column in schema.FLAG_COLUMNS:
        values = s[column]
        bad = ~values.str.lower().isin(schema.TRUE_WORDS | schema.FALSE_WORDS)
        out[f"{column}#flag"] = _messages(bad, lambda v: f"{v!r} is not true or false", values)
    return out


def whole_numbers(values: pd.Series) -> pd.Series:
    """Digit strings as floats, NaN for anything else (empty included)."""
    return pd.to_numeric(values.where(matches(values, _INT_PATTERN), None), errors="coerce").astype(float)


def _check_fatalities(s: pd.DataFrame) -> dict[str, Messages | None]:
    """Fatalities are non-negative whole numbers with low <= best <= high where given."""
    out: dict[str, Messages | None] = {}
    numbers = {}
    for column in schema.FATALITY_COLUMNS:
        values = s[column]
        numbers[column] = whole_numbers(values)
        bad = (values != "") & numbers[column].isna()
        out[f"{column}#integer"] = _messages(bad, lambda v: f"{v!r} is not a whole number of 0 or more", values)
    low, best, high = (numbers[c] for c in schema.FATALITY_COLUMNS)
    order = (low > best) | (best > high) | (low > high)
    out["fatalities_best#order"] = _messages(order, "fatalities must satisfy low <= best <= high", s["fatalities_best"])
    return out


def _check_fatalities_of(s: pd.DataFrame) -> dict[str, Messages | None]:
    """Figures say whose deaths they count, and a side is named only where there are figures."""
    given = pd.concat([s[c] != "" for c in schema.FATALITY_COLUMNS], axis=1).any(axis=1)
    side = s["fatalities_of"] != ""
    return {
        "fatalities_of#missing": _messages(
            given & ~side,
            f"fatality figures need fatalities_of ({', '.join(schema.FATALITIES_OF)})",
            s["fatalities_of"],
        ),
        "fatalities_of#without": _messages(
            side & ~given, "fatalities_of is set but no fatality figure is given", s["fatalities_of"]
        ),
    }


def _check_sources(s: pd.DataFrame) -> dict[str, Messages | None]:
    """Source URLs are http(s) links separated by ' | '; a verified event names a source to follow."""
    urls = s["source_url"]
    bad = (urls != "") & ~matches(urls, _URLS_PATTERN)
    unsourced = is_true(s["verified"]) & (urls == "")
    return {
        "source_url#url": _messages(bad, lambda v: f"{v[:80]!r}: expected http(s):// links separated by ' | '", urls),
        "verified#source": _messages(
            unsourced, "verified=true needs a source_url where the confirmation can be read", s["verified"]
        ),
    }


def is_in(values: pd.Series, pool: pd.Series) -> np.ndarray:
    """values.isin(pool), computed in Arrow: pandas' isin on Arrow strings walks the pool in Python."""
    found = pc.is_in(pa.array(values, type=pa.string()), value_set=pa.array(pool, type=pa.string()))
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)


def _check_part_of(s: pd.DataFrame) -> dict[str, Messages | None]:
    """part_of names another event of the same file (the whole of which this row is a part)."""
    parent = s["part_of"]
    unknown = (parent != "") & ~is_in(parent, s["id"])
    itself = (parent != "") & (parent == s["id"])
    return {
        "part_of#unknown": _messages(unknown, lambda v: f"{v!r} is not the id of an event in this file", parent),
        "part_of#self": _messages(itself, "an event cannot be a part of itself", parent),
    }


def _check_coordinates(s: pd.DataFrame, lat: pd.Series, lon: pd.Series) -> dict[str, Messages | None]:
    """Coordinates are numbers in range and inside the theatre unless outside_region says otherwise."""
    out: dict[str, Messages | None] = {}
    for column, values, limit in (("latitude", lat, 90), ("longitude", lon, 180)):
        text = s[column]
        missing = text == ""
        out[f"{column}#missing"] = _messages(
            missing, "empty: run `python -m dashboard fill-coords` to geocode it from the location", text
        )
        bad = ~missing & (values.isna() | (values.abs() > limit) | ~np.isfinite(values.fillna(0)))
        out[f"{column}#range"] = _messages(bad, f"is not a number in ±{limit}", text, quoted=True)
    b = schema.REGION_BOUNDS
    inside = lat.between(b["south"], b["north"]) & lon.between(b["west"], b["east"])
    outside_flag = is_true(s["outside_region"])
    known = lat.notna() & lon.notna()
    out["latitude#region"] = _messages(
        known & ~inside & ~outside_flag,
        "coordinates lie outside Armenia/Azerbaijan; set outside_region=true if that is intended",
        s["latitude"],
    )
    # The box also holds border strips of Iran, Georgia and Turkey: a flagged row is wrong only when it lies
    # well inside Armenia or Azerbaijan themselves.
    flagged = (known & inside & outside_flag).to_numpy()
    within = np.zeros(len(s), dtype=bool)
    if flagged.any():
        within[flagged] = shapely.contains_xy(
            armenia_azerbaijan_outline(), lon.to_numpy(float)[flagged], lat.to_numpy(float)[flagged]
        )
    out["outside_region#region"] = _messages(
        within, "outside_region=true but the coordinates lie inside Armenia/Azerbaijan", s["outside_region"]
    )
    return out


@lru_cache(maxsize=1)
def armenia_azerbaijan_outline() -> shapely.Geometry:
    """Armenia and Azerbaijan from the bundled outlines, shrunk ~2 km for their coarse borders (the box if absent)."""
    b = schema.REGION_BOUNDS
    try:
        features = json.loads(schema.COUNTRIES_PATH.read_text(encoding="utf-8"))["features"]
        shapes = [
            shapely.geometry.shape(f["geometry"]) for f in features if f["properties"].get("iso_a3") in ("ARM", "AZE")
        ]
        outline = shapely.union_all(shapes).buffer(-0.02)
    except (OSError, ValueError, KeyError, TypeError):
        outline = shapely.box(b["west"], b["south"], b["east"], b["north"])
    shapely.prepare(outline)
    return outline


def _check_location(s: pd.DataFrame, locate: Locator, lat: pd.Series, lon: pd.Series) -> dict[str, Messages | None]:
    """Every location resolves in the gazetteer, and precise coordinates lie near it."""
    resolved: dict[str, tuple[float, float] | str] = {}
    for name in s["location"].unique().tolist():
        if not name:
            continue
        try:
            resolved[name] = locate(name)
        except LookupError as error:
            resolved[name] = str(error.args[0] if error.args else error)
    unknown = s["location"].isin([n for n, v in resolved.items() if isinstance(v, str)])
    return {
        "location#gazetteer": _messages(unknown, lambda n: str(resolved[n]), s["location"]),
        "latitude#place": _far_from_place(s, resolved, lat.to_numpy(float), lon.to_numpy(float)),
    }


def _far_from_place(
    s: pd.DataFrame, resolved: dict[str, tuple[float, float] | str], lat: np.ndarray, lon: np.ndarray
) -> Messages | None:
    """Messages for rows whose coordinates are further from their place than their geo_precision allows."""
    located = {n: v for n, v in resolved.items() if isinstance(v, tuple)}
    place_lat = s["location"].map({n: float(v[0]) for n, v in located.items()}).astype(float).to_numpy()
    place_lon = s["location"].map({n: float(v[1]) for n, v in located.items()}).astype(float).to_numpy()
    tolerance = s["geo_precision"].map(PLACE_TOLERANCE_KM).astype(float).to_numpy()
    with np.errstate(invalid="ignore"):
        distance = haversine_km(lat, lon, place_lat, place_lon)
        far = distance > tolerance  # False wherever a value is missing (NaN)
    if not far.any():
        return None
    out = pd.Series(None, index=s.index, dtype=object)
    for i in np.flatnonzero(far):
        row = s.index[i]
        out[row] = (
            f"coordinates are {distance[i]:.0f} km from {s.at[row, 'location']!r} "
            f"(more than {tolerance[i]:.0f} km allowed for geo_precision={s.at[row, 'geo_precision']})"
        )
    return out


def haversine_km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle distances in kilometres, elementwise."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.subtract(lon2, lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 6371.0 * 2 * np.arcsin(np.sqrt(a))


# The checks by name that need only the string frame; coordinates, fatalities_of and location take more.
_FRAME_CHECKS: dict[str, Callable[[pd.DataFrame], dict[str, Messages | None]]] = {
    "required": _check_required,
    "id": _check_id,
    "dates": _check_dates,
    "vocabularies": _check_vocabularies,
    "flags": _check_flags,
    "fatalities": _check_fatalities,
    "sources": _check_sources,
    "part_of": _check_part_of,
}
CHECK_NAMES: tuple[str, ...] = (*_FRAME_CHECKS, "coordinates", "fatalities_of", "location")
