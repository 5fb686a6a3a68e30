"""Whole-column tests on an Arrow-read events table: which row checks no row can fail.

A valid file is checked here in a few vectorised passes over its Arrow columns; only a check whose test
finds a row that may fail it runs in checks.py, which words the reason row by row. Every test errs one way:
it passes a check only when no row can fail it, and a value it cannot judge sends the check to checks.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dashboard import schema
from dashboard.checks import PLACE_TOLERANCE_KM, Locator, haversine_km
from dashboard.records import value_offsets
from dashboard.typed import Conversions, ascending, spellings

# Printable ASCII but space and "|": a part of checks' [^\s|] (RE2, which runs this, reads \s differently).
_URL = r"https?://[!-{}~]+"
_URLS = rf"^({_URL}(?: \| {_URL})*)$"


_ALNUM = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_ID_BYTES = _ALNUM + b"_.:-"  # checks' _ID_PATTERN: an alphanumeric, then these, 200 at most
_DIGITS = b"0123456789"
_URL_BYTES = bytes(b for b in range(0x21, 0x7F) if b != ord("|"))


@dataclass(frozen=True)
class Screening:
    """What the whole-column tests found: the checks every row passes, and for some others the only rows
    that may fail them (row by row checks then need to look at those rows alone)."""

    passed: frozenset[str]
    rows: dict[str, np.ndarray] = field(default_factory=dict)


def screen(conversions: Conversions, locate: Locator | None) -> Screening:
    """The Screening of the converted table (checks named as in checks.CHECK_NAMES)."""
    table, at = conversions.table, conversions
    tests: dict[str, Callable[[], bool]] = {
        "required": lambda: _required(table),
        "id": lambda: _id(table),
        "dates": lambda: _dates(at),
        "vocabularies": lambda: _vocabularies(table),
        "flags": lambda: _flags(table),
        "fatalities": lambda: _fatalities(at),
        "part_of": lambda: _part_of(table),
        "fatalities_of": lambda: _fatalities_of(table),
        "location": lambda: locate is not None and _location(at, locate),
    }
    passed = {name for name, test in tests.items() if test()}
    rows = {}
    for name, suspects in (("sources", _source_suspects(at)), ("coordinates", _coordinate_suspects(at))):
        if suspects is not None and not suspects.any():
            passed.add(name)
        elif suspects is not None:
            rows[name] = suspects
    return Screening(frozenset(passed), rows)


def passed_checks(conversions: Conversions, locate: Locator | None) -> frozenset[str]:
    """Names of the checks (checks.CHECK_NAMES) that every row of the converted table passes."""
    return screen(conversions, locate).passed


def _every(mask: pa.ChunkedArray | pa.Array | np.ndarray) -> bool:
    """Whether every value of a boolean column is true (none is null); true for no rows."""
    if isinstance(mask, np.ndarray):
        return bool(mask.all())
    return mask.null_count == 0 and pc.all(mask).as_py() is not False


def _layout(values: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray] | None:
    """(offsets from 0, bytes) of a string column without nulls, read in place; None if it has nulls."""
    array = values.chunk(0) if values.num_chunks == 1 else values.combine_chunks()
    if array.null_count:
        return None
    offsets = value_offsets(array)
    data = array.buffers()[2]
    if data is None or offsets[-1] == offsets[0]:
        return offsets - offsets[0], np.zeros(0, dtype=np.uint8)
    return offsets - offsets[0], np.frombuffer(data, np.uint8)[offsets[0] : offsets[-1]]


def _only(data: np.ndarray, allowed: bytes) -> bool:
    """Whether every byte is one of `allowed` (bytes.translate deletes them at memory speed)."""
    return not data.tobytes().translate(None, allowed)


def _filled(values: pa.ChunkedArray) -> pa.ChunkedArray:
    """Whether each string is not empty."""
    return pc.greater(pc.binary_length(values), 0)


def _numbers(conversions: Conversions, column: str) -> np.ndarray | None:
    """A converted column as a numpy array (NaN or NaT for a gap), or None when Arrow refused a value.

    What Arrow parses, pandas (and so checks.py) parses to the same value; what it refuses is left to checks.py.
    """
    values = conversions.get(column)
    return None if values is None else values.to_numpy(zero_copy_only=False)


def _required(table: pa.Table) -> bool:
    """No required field is empty."""
    return all(_every(_filled(table[column])) for column in schema.REQUIRED_COLUMNS)


def _id(table: pa.Table) -> bool:
    """Every id is a slug and none repeats."""
    ids = table["id"]
    layout = _layout(ids)
    if layout is None:
        return False
    offsets, data = layout
    sizes = np.diff(offsets)
    # checks' _ID_PATTERN, byte by byte: 1 to 200 of its characters (all ASCII), the first alphanumeric.
    shaped = _only(data, _ID_BYTES) and bool(((sizes >= 1) & (sizes <= 200)).all())
    shaped = shaped and _only(data[offsets[:-1][sizes > 0]], _ALNUM)
    return shaped and (ascending(ids) or len(pc.unique(ids)) == len(ids))  # ids in order are distinct


def _dates(conversions: Conversions) -> bool:
    """Both dates are real ISO dates inside the timeline, the end not before the start."""
    # Arrow's date parser takes exactly YYYY-MM-DD with a real day, as the checks do.
    start, end = _numbers(conversions, "date_start"), _numbers(conversions, "date_end")
    if start is None or end is None:
        return False
    low, high = np.datetime64(schema.TIMELINE_START, "ns"), np.datetime64(schema.TIMELINE_END, "ns")
    return bool(((start >= low) & (start <= high) & (end >= low) & (end <= high) & (end >= start)).all())


def _vocabularies(table: pa.Table) -> bool:
    """Every controlled field is empty or one of its words."""
    return all(
        _every(pc.is_in(table[column], value_set=pa.array(["", *allowed]))) for column, allowed in schema.VOCABULARIES
    )


def _flags(table: pa.Table) -> bool:
    """Every flag is true/false, yes/no, 1/0 (any case) or empty."""
    words = spellings(schema.TRUE_WORDS | schema.FALSE_WORDS)
    return all(_every(pc.is_in(table[column], value_set=words)) for column in schema.FLAG_COLUMNS)


def _fatalities(conversions: Conversions) -> bool:
    """Every figure is empty or a whole number, low <= best <= high where given."""
    numbers = []
    for column in schema.FATALITY_COLUMNS:
        layout = _layout(conversions.table[column])
        # checks' [0-9]{1,9} or empty: every byte an ASCII digit, every value 9 bytes at most
        if layout is None or not (_only(layout[1], _DIGITS) and (np.diff(layout[0]) <= 9).all()):
            return False
        numbers.append(_numbers(conversions, column))
    low, best, high = numbers
    if low is None or best is None or high is None:
        return False
    with np.errstate(invalid="ignore"):
        return not ((low > best) | (best > high) | (low > high)).any()  # NaN (no figure) compares false


def _source_suspects(conversions: Conversions) -> np.ndarray | None:
    """Rows whose source_url may not be http(s) links joined by " | ", or verified without one (None: all)."""
    urls = conversions.table["source_url"]
    filled = _filled(urls)
    verified = _numbers(conversions, "verified")
    if verified is None:
        return None
    unsourced = verified & ~filled.to_numpy(zero_copy_only=False)
    if _single_links(urls):
        return unsourced
    linked = pc.or_(pc.invert(filled), pc.match_substring_regex(urls, _URLS))
    return unsourced | ~linked.to_numpy(zero_copy_only=False)


def _single_links(urls: pa.ChunkedArray) -> bool:
    """Whether every value is empty or one _URL: no byte but _URL's (so no " | "), and an http(s):// start."""
    layout = _layout(urls)
    if layout is None or not _only(layout[1], _URL_BYTES):
        return False
    sizes = np.diff(layout[0])
    http = pc.starts_with(urls, "http://").to_numpy(zero_copy_only=False) & (sizes > len("http://"))
    https = pc.starts_with(urls, "https://").to_numpy(zero_copy_only=False) & (sizes > len("https://"))
    return bool(((sizes == 0) | http | https).all())


def _part_of(table: pa.Table) -> bool:
    """Every part_of is empty or the id of another event of the file."""
    parent, ids = table["part_of"], table["id"]
    given = _filled(parent)
    if not pc.any(given).as_py():
        return True
    known = pc.and_(pc.is_in(parent, value_set=ids.combine_chunks()), pc.not_equal(parent, ids))
    return _every(pc.or_(pc.invert(given), known))


def _coordinate_suspects(conversions: Conversions) -> np.ndarray | None:
    """Rows whose coordinates may not be finite numbers in range, inside the theatre unless flagged (and
    then outside it); None when a coordinate is empty or unreadable (all rows then go to the check).

    A flagged row in the box may lie in a border strip or in Armenia/Azerbaijan: the check decides.
    """
    lat, lon = _numbers(conversions, "latitude"), _numbers(conversions, "longitude")
    flagged = _numbers(conversions, "outside_region")
    if lat is None or lon is None or flagged is None:
        return None
    b = schema.REGION_BOUNDS
    with np.errstate(invalid="ignore"):
        inside = (lat >= b["south"]) & (lat <= b["north"]) & (lon >= b["west"]) & (lon <= b["east"])
        numbers = np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    return ~(numbers & (inside != flagged))


def _fatalities_of(table: pa.Table) -> bool:
    """fatalities_of is given exactly where a figure is."""
    given = np.zeros(table.num_rows, dtype=bool)
    for column in schema.FATALITY_COLUMNS:
        given |= _filled(table[column]).to_numpy(zero_copy_only=False)
    return bool((given == _filled(table["fatalities_of"]).to_numpy(zero_copy_only=False)).all())


def _location(conversions: Conversions, locate: Locator) -> bool:
    """Every location resolves, and every row lies as near its place as its geo_precision asks."""
    table = conversions.table
    lat, lon = _numbers(conversions, "latitude"), _numbers(conversions, "longitude")
    if lat is None or lon is None:
        return False
    places = pc.dictionary_encode(table["location"].combine_chunks())
    spots = np.full((len(places.dictionary), 2), np.nan)
    for i, name in enumerate(places.dictionary.to_pylist()):
        if name:  # an empty location is the required check's
            try:
                spots[i] = locate(name)
            except LookupError:
                return False
    at = spots[places.indices.to_numpy(zero_copy_only=False)]
    precisions = pc.dictionary_encode(table["geo_precision"].combine_chunks())
    allowed = np.array([PLACE_TOLERANCE_KM.get(p, np.nan) for p in precisions.dictionary.to_pylist()], dtype=float)
    tolerance = allowed[precisions.indices.to_numpy(zero_copy_only=False)]
    return not _far(lat, lon, at[:, 0], at[:, 1], tolerance).any()


def _far(lat: np.ndarray, lon: np.ndarray, place_lat: np.ndarray, place_lon: np.ndarray, km: np.ndarray) -> np.ndarray:
    """Where a point lies more than `km` from its place (false where any is NaN), as checks measures it.

    The great circle is no longer than a path along the meridian and then the parallel, R·(|dφ| + |dλ|):
    points within that bound (with a margin for rounding) need no haversine.
    """
    with np.errstate(invalid="ignore"):
        bound = 6371.0 * np.radians(np.abs(lat - place_lat) + np.abs(lon - place_lon))
        doubtful = np.flatnonzero(~(bound <= km * 0.999) & np.isfinite(km))
        far = np.zeros(len(lat), dtype=bool)
        far[doubtful] = (
            haversine_km(lat[doubtful], lon[doubtful], place_lat[doubtful], place_lon[doubtful]) > km[doubtful]
        )
    return far
