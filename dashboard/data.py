"""Load and validate the event table: every bad row is reported with its line and reason, good rows still load."""

from __future__ import annotations

import csv
import gc
import io
import re
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from dashboard import schema

MAX_FIELD_CHARS = 20_000
_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$"
# ASCII digits only: \d also matches digits such as ١٥, which to_numeric turns into NaN (a silent "unknown").
_DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_INT_PATTERN = r"^[0-9]{1,9}$"
_SURROGATE = re.compile(r"[\udc80-\udcff]")  # bytes that were not UTF-8, kept by surrogateescape
# How far (km) a row's coordinates may lie from its gazetteer place, by geo_precision.
_PLACE_TOLERANCE_KM = {"exact": 25.0, "near": 40.0, "district": 60.0}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file: where, which column, and why."""

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"


@dataclass
class LoadResult:
    """Valid events (typed frame, one row per event, with its file `line`) and the problems found."""

    events: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    rejected_lines: frozenset[int] = frozenset()

    @property
    def rejected(self) -> int:
        """Number of data rows that were not loaded."""
        return len(self.rejected_lines)


class EventsError(Exception):
    """Raised for an events file that cannot be read at all (missing, unreadable)."""


# A locator answers a place name with (lat, lon) or raises LookupError with a message.
Locator = Callable[[str], tuple[float, float]]


def load_events(path: str | Path, locate: Locator | None = None) -> LoadResult:
    """Read and validate an events CSV; `locate` (e.g. a Gazetteer) checks locations and coordinates."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise EventsError(f"{path}: cannot read events file: {error.strerror or error}") from error
    return parse_events(raw, str(path), locate)


def parse_events(raw: bytes, name: str, locate: Locator | None = None) -> LoadResult:
    """Validate the bytes of an events CSV named `name`; see load_events."""
    # The load makes millions of small objects and no reference cycles: the cyclic collector would
    # only walk them again and again (~10% of a 100,000-row load).
    paused = gc.isenabled()
    gc.disable()
    try:
        return _parse_events(raw, name, locate)
    finally:
        if paused:
            gc.enable()


def _parse_events(raw: bytes, name: str, locate: Locator | None) -> LoadResult:
    text, file_problem = _decode(raw, name)
    if file_problem:
        return LoadResult(empty_events(), [file_problem])
    header, records, problems = _split_records(text, name)
    if header is None:
        return LoadResult(empty_events(), problems)
    strings, rejected = _records_frame(header, records, name, problems)
    # When no record spans lines, no field is longer than the longest line.
    one_line_each = not records or records[-1][0] - records[0][0] + 1 == len(records)
    short = one_line_each and max(map(len, text.split("\n"))) <= MAX_FIELD_CHARS
    errors = _row_errors(strings, locate, utf8=_encodes(text), short=short)
    problems += _problems_from(errors, strings, name)
    bad = errors.notna().any(axis=1).to_numpy() if len(errors.columns) else np.zeros(len(strings), bool)
    rejected |= set(strings["line"][bad].tolist())
    events = _typed(strings[~bad])
    return LoadResult(events, sorted(problems), frozenset(rejected))


def empty_events() -> pd.DataFrame:
    """A typed events frame with no rows."""
    strings = pd.DataFrame({column: pd.Series([], dtype=object) for column in schema.EVENT_COLUMNS})
    strings["line"] = pd.Series([], dtype="int64")
    return _typed(strings)


def _decode(raw: bytes, name: str) -> tuple[str, Problem | None]:
    """Text of the file, or a problem when it is empty or not UTF-8 at all."""
    if not raw.strip():
        return "", Problem(name, 1, "-", "file is empty: expected a header line and event rows")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "", Problem(name, 1, "-", "file is UTF-16 encoded: save it as UTF-8")
    # surrogateescape keeps undecodable bytes so the rows holding them can be reported one by one.
    return raw.decode("utf-8-sig", errors="surrogateescape"), None


def _split_records(text: str, name: str) -> tuple[list[str] | None, list[tuple[int, list[str]]], list[Problem]]:
    """Header and (line number, fields) records; a header problem stops the load."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as error:
        return None, [], [Problem(name, 1, "-", f"cannot read the header: {error or 'no header'}")]
    header = [cell.strip() for cell in header]
    problems = _header_problems(header, name)
    if any(p.column == "-" for p in problems):
        return None, [], problems
    first = reader.line_num + 1
    try:
        rows = list(reader)
    except csv.Error:
        rows = None
    if rows is not None and reader.line_num == first - 1 + len(rows):
        # No record spans lines (no newline inside quotes): line numbers follow from positions.
        return header, [(first + i, fields) for i, fields in enumerate(rows)
                        if fields and (fields[0].strip() or any(map(str.strip, fields)))], problems
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    next(reader)
    records: list[tuple[int, list[str]]] = []
    line = first
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(Problem(name, line, "-", f"malformed CSV row: {error}"))
            records.append((line, []))
            line = reader.line_num + 1
            continue
        if any(cell.strip() for cell in fields):
            records.append((line, fields))
        line = reader.line_num + 1
    return header, records, problems


def _header_problems(header: list[str], name: str) -> list[Problem]:
    """Missing required columns stop the load ('-' column); other header issues are reported only."""
    joined = ",".join(header)
    if len(header) == 1:
        for delimiter, label in ((";", "semicolons"), ("\t", "tabs"), ("|", "pipes")):
            if delimiter in joined:
                return [Problem(name, 1, "-", f"fields are separated by {label}; expected commas")]
    problems = []
    seen: set[str] = set()
    for column in header:
        if column in seen:
            problems.append(Problem(name, 1, "-", f"column {column!r} appears twice in the header"))
        seen.add(column)
        if column not in schema.EVENT_COLUMNS:
            problems.append(Problem(name, 1, column or "(blank)", "unexpected column; its values are ignored"))
    for column in schema.EVENT_COLUMNS:
        if column not in seen:
            required = column in schema.REQUIRED_COLUMNS
            problems.append(Problem(
                name, 1, "-" if required else column,
                f"header lacks the required column {column!r}; no row can load" if required
                else "header lacks this optional column; treated as empty",
            ))
    return problems


def _records_frame(
    header: list[str], records: list[tuple[int, list[str]]], name: str, problems: list[Problem]
) -> tuple[pd.DataFrame, set[int]]:
    """A frame of stripped strings, one column per schema column, plus `line`; rows of wrong width rejected."""
    width = len(header)
    index = {column: header.index(column) for column in schema.EVENT_COLUMNS if column in header}
    rows, lines, rejected = [], [], set()
    for line, fields in records:
        if not fields:
            rejected.add(line)
            continue
        if len(fields) != width:
            problems.append(Problem(name, line, "-", f"row has {len(fields)} fields; the header has {width}"))
            rejected.add(line)
            continue
        rows.append(fields)
        lines.append(line)
    # Every field stripped in one pass into one 2-D array (plus a blank column for columns the header
    # lacks), then one frame: no per-row or per-column lists (100,000 rows in ~0.2 s).
    flat = np.array(list(map(str.strip, chain.from_iterable(rows))), dtype=object)
    table = np.concatenate([flat.reshape(len(rows), width), np.full((len(rows), 1), "", dtype=object)], axis=1)
    order = [index.get(column, width) for column in schema.EVENT_COLUMNS]
    frame = pd.DataFrame(table[:, order], columns=list(schema.EVENT_COLUMNS), dtype=object)
    frame["line"] = pd.Series(lines, dtype="int64")
    return frame, rejected


def _row_errors(strings: pd.DataFrame, locate: Locator | None, utf8: bool = False, short: bool = False
                ) -> pd.DataFrame:
    """One column per failing check, holding the error message for each failing row (else None).

    `utf8`: the whole text is known to be valid UTF-8; `short`: no field can be longer than
    MAX_FIELD_CHARS. Each skips its per-field scan.
    """
    checks: dict[str, pd.Series | None] = dict(_check_encoding(strings, utf8, short))
    for check in (_check_required, _check_id, _check_dates, _check_vocabularies, _check_flags,
                  _check_fatalities, _check_coordinates):
        checks.update(check(strings))
    if locate is not None:
        checks.update(_check_location(strings, locate))
    # Checks that no row failed are left out: sixty all-None columns of 100,000 rows cost more than the checks.
    failing = {key: messages for key, messages in checks.items() if messages is not None and messages.notna().any()}
    return pd.DataFrame(failing, index=strings.index)


def _problems_from(errors: pd.DataFrame, strings: pd.DataFrame, name: str) -> list[Problem]:
    """Turn the error frame into Problem records, one per failing check and row."""
    problems = []
    for key in errors.columns:
        failing = errors[key].dropna()
        column = key.split("#")[0]
        for row, message in failing.items():
            problems.append(Problem(name, int(strings.at[row, "line"]), column, message))
    return problems


def _messages(mask: pd.Series, message: str | Callable[[str], str], values: pd.Series) -> pd.Series | None:
    """A message series: `message` (or message(value)) where mask is true, None elsewhere; None if no row fails."""
    if not mask.any():
        return None
    out = pd.Series(None, index=values.index, dtype=object)
    out[mask] = [message(v) if callable(message) else message for v in values[mask]]
    return out


def _check_encoding(s: pd.DataFrame, utf8: bool = False, short: bool = False) -> dict[str, pd.Series | None]:
    """Fields holding bytes that were not UTF-8 (unless `utf8`), or absurdly long text (unless `short`)."""
    out: dict[str, pd.Series | None] = {}
    if utf8 and short:
        return out
    for column in schema.EVENT_COLUMNS:
        values = s[column]
        texts = values.tolist()
        # A check of the whole column first; the per-row scans run only for a column that fails it.
        if not utf8 and not _encodes("\n".join(texts)):
            bad = values.str.contains(_SURROGATE.pattern, regex=True)
            out[f"{column}#encoding"] = _messages(bad, "not valid UTF-8 text: save the file as UTF-8", values)
        if not short and max(map(len, texts), default=0) > MAX_FIELD_CHARS:
            long = values.str.len() > MAX_FIELD_CHARS
            out[f"{column}#length"] = _messages(long, f"longer than {MAX_FIELD_CHARS} characters", values)
    return out


def _encodes(text: str) -> bool:
    """True when the text holds no surrogate escapes (bytes that were not UTF-8): it encodes as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_required(s: pd.DataFrame) -> dict[str, pd.Series]:
    """Required fields must not be empty."""
    return {
        f"{column}#required": _messages(s[column] == "", "required field is empty", s[column])
        for column in sorted(schema.REQUIRED_COLUMNS)
    }


def _check_id(s: pd.DataFrame) -> dict[str, pd.Series]:
    """Ids are slugs and unique; a repeat names the line of the first."""
    ids = s["id"]
    malformed = (ids != "") & ~_matches(ids, _ID_PATTERN)
    first_line = s.groupby("id")["line"].transform("min")
    duplicate = (ids != "") & ids.duplicated(keep="first")
    dup_messages = pd.Series(None, index=s.index, dtype=object)
    dup_messages[duplicate] = [f"duplicate id {i!r} (first used on line {n})"
                               for i, n in zip(ids[duplicate], first_line[duplicate])]
    return {
        "id#pattern": _messages(malformed, lambda v: f"id {v!r} must be letters, digits, '-', '_', '.' or ':'", ids),
        "id#unique": dup_messages,
    }


def _matches(values: pd.Series, pattern: str) -> pd.Series:
    """values.str.match(pattern) for a column of str, as a bool Series (a plain loop: ~5x faster on object columns)."""
    match = re.compile(pattern).match
    return pd.Series([match(v) is not None for v in values.tolist()], index=values.index, dtype=bool)


def _parse_dates(values: pd.Series) -> pd.Series:
    """ISO dates as datetime64; anything else (or impossible, like 2021-02-30) as NaT."""
    shaped = _matches(values, _DATE_PATTERN)
    if len(values) and shaped.all():
        # numpy reads YYYY-MM-DD ~10x faster than to_datetime (same result and unit); it raises for an
        # impossible date such as 2021-02-30, which is then left to to_datetime.
        try:
            return pd.Series(np.array(values.tolist(), dtype="datetime64[D]").astype("datetime64[us]"),
                             index=values.index)
        except ValueError:
            pass
    return pd.to_datetime(values.where(shaped, None), format="%Y-%m-%d", errors="coerce")


def _check_dates(s: pd.DataFrame) -> dict[str, pd.Series]:
    """Dates are real ISO dates inside the timeline, and the end is not before the start."""
    out = {}
    low, high = pd.Timestamp(schema.TIMELINE_START), pd.Timestamp(schema.TIMELINE_END)
    parsed = {}
    for column in ("date_start", "date_end"):
        values = s[column]
        dates = parsed[column] = _parse_dates(values)
        invalid = (values != "") & dates.isna()
        out[f"{column}#format"] = _messages(invalid, lambda v: f"{v!r} is not a real date in YYYY-MM-DD form", values)
        outside = dates.notna() & ((dates < low) | (dates > high))
        out[f"{column}#range"] = _messages(
            outside, lambda v: f"{v} is outside the timeline {schema.TIMELINE_START}..{schema.TIMELINE_END}", values)
    reversed_ = parsed["date_end"] < parsed["date_start"]
    out["date_end#order"] = _messages(
        reversed_, lambda v: f"end {v} is before the start date", s["date_end"])
    return out


def _check_vocabularies(s: pd.DataFrame) -> dict[str, pd.Series]:
    """Controlled vocabularies: event_type, date_precision, geo_precision."""
    out = {}
    for column, allowed in (("event_type", schema.EVENT_TYPES), ("date_precision", schema.DATE_PRECISIONS),
                            ("geo_precision", schema.GEO_PRECISIONS)):
        values = s[column]
        bad = (values != "") & ~values.isin(allowed)
        out[f"{column}#vocabulary"] = _messages(
            bad, lambda v, allowed=allowed: f"{v!r} is not one of: {', '.join(allowed)}", values)
    return out


def _check_flags(s: pd.DataFrame) -> dict[str, pd.Series]:
    """Boolean columns hold true/false (yes/no, 1/0) or nothing."""
    out = {}
    for column in ("disputed", "outside_region"):
        values = s[column]
        bad = ~values.str.lower().isin(schema.TRUE_WORDS | schema.FALSE_WORDS)
        out[f"{column}#flag"] = _messages(bad, lambda v: f"{v!r} is not true or false", values)
    return out


def _check_fatalities(s: pd.DataFrame) -> dict[str, pd.Series]:
    """Fatalities are non-negative whole numbers with low <= best <= high where given."""
    out = {}
    numbers = {}
    for column in schema.FATALITY_COLUMNS:
        values = s[column]
        bad = (values != "") & ~_matches(values, _INT_PATTERN)
        out[f"{column}#integer"] = _messages(bad, lambda v: f"{v!r} is not a whole number of 0 or more", values)
        numbers[column] = _whole_numbers(values, ~bad & (values != ""))
    low, best, high = (numbers[c] for c in schema.FATALITY_COLUMNS)
    order = (low > best) | (best > high) | (low > high)
    out["fatalities_best#order"] = _messages(order, "fatalities must satisfy low <= best <= high", s["fatalities_best"])
    return out


def _whole_numbers(values: pd.Series, valid: pd.Series) -> pd.Series:
    """Floats: the digit strings where `valid` as numbers, NaN elsewhere (to_numeric is ~5x slower)."""
    out = np.full(len(values), np.nan)
    ok = valid.to_numpy(dtype=bool)
    if ok.any():
        out[ok] = values.to_numpy(dtype=object)[ok].astype(np.int64)
    return pd.Series(out, index=values.index)


def _integers_or_na(values: pd.Series) -> pd.Series:
    """A column of validated digit strings or "" as Int64, <NA> for ""."""
    empty = (values == "").to_numpy(dtype=bool)
    numbers = np.zeros(len(values), dtype=np.int64)
    numbers[~empty] = values.to_numpy(dtype=object)[~empty].astype(np.int64)
    return pd.Series(pd.arrays.IntegerArray(numbers, empty), index=values.index)


def _check_coordinates(s: pd.DataFrame) -> dict[str, pd.Series]:
    """Coordinates are numbers in range and inside the theatre unless outside_region says otherwise."""
    out = {}
    lat, lon = pd.to_numeric(s["latitude"], errors="coerce"), pd.to_numeric(s["longitude"], errors="coerce")
    for column, values, limit in (("latitude", lat, 90), ("longitude", lon, 180)):
        text = s[column]
        missing = text == ""
        out[f"{column}#missing"] = _messages(
            missing, "empty: run `python -m dashboard fill-coords` to geocode it from the location", text)
        bad = ~missing & (values.isna() | (values.abs() > limit) | ~np.isfinite(values.fillna(0)))
        out[f"{column}#range"] = _messages(bad, lambda v, limit=limit: f"{v!r} is not a number in ±{limit}", text)
    b = schema.REGION_BOUNDS
    inside = lat.between(b["south"], b["north"]) & lon.between(b["west"], b["east"])
    outside_flag = s["outside_region"].str.lower().isin(schema.TRUE_WORDS)
    known = lat.notna() & lon.notna()
    out["latitude#region"] = _messages(
        known & ~inside & ~outside_flag,
        "coordinates lie outside Armenia/Azerbaijan; set outside_region=true if that is intended", s["latitude"])
    out["outside_region#region"] = _messages(
        known & inside & outside_flag, "outside_region=true but the coordinates lie inside the region",
        s["outside_region"])
    return out


def _check_location(s: pd.DataFrame, locate: Locator) -> dict[str, pd.Series]:
    """Every location resolves in the gazetteer, and precise coordinates lie near it."""
    resolved: dict[str, tuple[float, float] | str] = {}
    for name in s["location"].unique():
        if not name:
            continue
        try:
            resolved[name] = locate(name)
        except LookupError as error:
            resolved[name] = str(error.args[0] if error.args else error)
    unknown = s["location"].map(lambda n: isinstance(resolved.get(n), str))
    messages = _messages(unknown, lambda n: resolved[n], s["location"])
    far = _far_from_place(s, resolved)
    return {"location#gazetteer": messages, "latitude#place": far}


def _far_from_place(s: pd.DataFrame, resolved: dict[str, tuple[float, float] | str]) -> pd.Series:
    """Messages for rows whose coordinates are further from their place than their geo_precision allows."""
    located = {n: v for n, v in resolved.items() if isinstance(v, tuple)}
    place_lat = s["location"].map({n: float(v[0]) for n, v in located.items()}).astype(float).to_numpy()
    place_lon = s["location"].map({n: float(v[1]) for n, v in located.items()}).astype(float).to_numpy()
    tolerance = s["geo_precision"].map(_PLACE_TOLERANCE_KM).astype(float).to_numpy()
    lat = pd.to_numeric(s["latitude"], errors="coerce").to_numpy(float)
    lon = pd.to_numeric(s["longitude"], errors="coerce").to_numpy(float)
    with np.errstate(invalid="ignore"):
        distance = _haversine_km(lat, lon, place_lat, place_lon)
        far = distance > tolerance  # False wherever a value is missing (NaN)
    out = pd.Series(None, index=s.index, dtype=object)
    for i in np.flatnonzero(far):
        row = s.index[i]
        out[row] = (f"coordinates are {distance[i]:.0f} km from {s.at[row, 'location']!r} "
                    f"(more than {tolerance[i]:.0f} km allowed for geo_precision={s.at[row, 'geo_precision']})")
    return out


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    return float(_haversine_km(lat1, lon1, lat2, lon2))


def _haversine_km(lat1, lon1, lat2, lon2):
    """haversine_km for numbers or numpy arrays (elementwise)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.subtract(lon2, lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 6371.0 * 2 * np.arcsin(np.sqrt(a))


def _typed(strings: pd.DataFrame) -> pd.DataFrame:
    """Convert validated string columns to their types; rows are sorted by start date then id."""
    frame = pd.DataFrame(index=strings.index)
    for column in schema.EVENT_COLUMNS:
        values = strings[column]
        if column in ("date_start", "date_end"):
            frame[column] = _parse_dates(values).astype("datetime64[ns]")
        elif column in ("latitude", "longitude"):
            frame[column] = pd.to_numeric(values, errors="coerce").astype("float64")
        elif column in schema.FATALITY_COLUMNS:
            frame[column] = _integers_or_na(values)
        elif column in ("disputed", "outside_region"):
            frame[column] = values.astype(str).str.lower().isin(schema.TRUE_WORDS).astype(bool)
        else:
            frame[column] = values.astype(str)
    frame["line"] = strings["line"].astype("int64")
    starts = frame["date_start"].to_numpy()
    if len(frame) and not np.isnat(starts).any():
        # The same order as sort_values(["date_start", "id"]) (ids are unique here), ~10x faster on
        # 100,000 rows than sorting the Arrow-backed id column through pandas.
        order = np.lexsort((frame["id"].to_numpy(dtype=object), starts))
        return frame.take(order).reset_index(drop=True)
    return frame.sort_values(["date_start", "id"], kind="stable").reset_index(drop=True)


def write_events(events: pd.DataFrame, target: Path | io.StringIO) -> None:
    """Write events in the file format (ISO dates, empty for unknown); the inverse of load_events."""
    out = events.loc[:, list(schema.EVENT_COLUMNS)].copy()
    for column in ("date_start", "date_end"):
        out[column] = out[column].dt.strftime("%Y-%m-%d")
    for column in ("disputed", "outside_region"):
        out[column] = out[column].map({True: "true", False: "false"})
    for column in ("latitude", "longitude"):
        out[column] = out[column].map(lambda v: "" if pd.isna(v) else repr(float(v)))
    out = out.astype(object).where(out.notna(), "")
    rows = [list(out.columns), *out.itertuples(index=False, name=None)]
    if isinstance(target, Path):
        with target.open("w", encoding="utf-8", newline="") as handle:
            _write_rows(rows, handle)
    else:
        _write_rows(rows, target)


def _write_rows(rows: Iterable[Iterable[object]], target: io.TextIOBase) -> None:
    """CSV rows ending in "\n", quoting every field that holds "\r" or "\n".

    csv quotes a field only for the characters of its own line terminator: with "\n" a lone "\r" in a
    summary is written bare and splits the row when read back. So rows are formatted with "\r\n" and
    the ending is swapped.
    """
    line = io.StringIO()
    writer = csv.writer(line, lineterminator="\r\n")
    for fields in rows:
        line.seek(0)
        line.truncate()
        writer.writerow(fields)
        target.write(line.getvalue()[:-2] + "\n")


def fill_coordinates(path: Path, locate: Locator) -> tuple[int, list[Problem]]:
    """Fill empty latitude/longitude in an events CSV from its location; returns (filled, problems).

    Every other field is written back as read, and so are rows of the wrong width, for `validate` to report.
    """
    text = path.read_bytes().decode("utf-8-sig")  # not read_text: it would turn "\r\n" inside fields into "\n"
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    fillable = {"latitude", "longitude", "location"} <= set(header)
    rows, problems, filled = [header], [], 0
    for fields in reader:
        row = dict(zip(header, fields)) if fillable and len(fields) == len(header) else {}
        if row and not row["latitude"] and not row["longitude"] and row["location"]:
            try:
                coordinates = [f"{v:.5f}" for v in locate(row["location"])]
            except LookupError as error:
                problems.append(Problem(str(path), reader.line_num, "location", str(error.args[0])))
            else:
                fields[header.index("latitude")], fields[header.index("longitude")] = coordinates
                filled += 1
        rows.append(fields)
    buffer = io.StringIO()
    _write_rows(rows, buffer)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return filled, problems


def format_problems(problems: Iterable[Problem]) -> list[str]:
    """One `FILE:LINE: column: message` line per problem."""
    return [str(p) for p in problems]
