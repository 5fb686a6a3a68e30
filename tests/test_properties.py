"""Properties of the loader, the date window and the exports, checked on generated event tables."""

from __future__ import annotations

import csv
import io
import json
import math
import re
import tempfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import schema
from dashboard.data import MAX_FIELD_CHARS, LoadResult, fill_coordinates, parse_events
from dashboard.export import events_csv, events_geojson
from dashboard.timeline import filter_window
from tests.conftest import GOOD_ROW

# Fixed examples keep CI stable; the budget keeps this file well under a minute on two cores.
COMMON = {
    "deadline": None,
    "derandomize": True,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}")
LINE_BREAK = re.compile(r"\r\n|\r|\n")  # what csv (and io with newline="") count as a line end

# Names in the three scripts, CSV and HTML syntax, formula starts and odd whitespace, mixed into free text.
SPECIAL_TEXT = (
    "Շուշի",
    "Ստեփանակերտ",
    "Şuşa",
    "Xankəndi",
    "Ağdam",
    "ə",
    "ı",
    '"',
    "'",
    '""',
    ",",
    ";",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x")',
    "+1",
    "-12",
    "@SUM(A1)",
    "\ufeff",
    "\x00",
    "\u2028",
    "\x85",
    "  ",
    "\\",
)
# Lone surrogates are excluded: they cannot be written as UTF-8 at all.
free_text = st.lists(st.one_of(st.characters(codec="utf-8"), st.sampled_from(SPECIAL_TEXT)), max_size=8).map("".join)
required_text = free_text.filter(lambda text: text.strip() != "")
padding = st.sampled_from(["", "", " ", "\t", "  "])


def degrees(micro: int) -> str:
    """Millionths of a degree as exact decimal text, without trailing zeros."""
    whole, fraction = divmod(abs(micro), 1_000_000)
    text = f"{whole}.{fraction:06d}".rstrip("0").rstrip(".")
    return "-" + text if micro < 0 else text


def micro(bound: float) -> int:
    return round(bound * 1_000_000)


B = schema.REGION_BOUNDS
inside_lat = st.integers(micro(B["south"]), micro(B["north"])).map(degrees)
inside_lon = st.integers(micro(B["west"]), micro(B["east"])).map(degrees)
core_lat = st.integers(micro(39.5), micro(40.5)).map(degrees)
core_lon = st.integers(micro(45.5), micro(47.5)).map(degrees)
# Any latitude north or south of the theatre, so any longitude (negative ones too) is outside it.
outside_lat = st.one_of(
    st.integers(-90_000_000, micro(B["south"]) - 1), st.integers(micro(B["north"]) + 1, 90_000_000)
).map(degrees)
any_lon = st.integers(-180_000_000, 180_000_000).map(degrees)


def spelled(words: frozenset[str]) -> st.SearchStrategy[str]:
    """A flag word from `words` in any letter case."""
    return st.tuples(st.sampled_from(sorted(words)), st.sampled_from([str.lower, str.upper, str.title])).map(
        lambda pair: pair[1](pair[0])
    )


url = st.tuples(
    st.sampled_from(["http", "https"]),
    st.from_regex(r"[a-z0-9.-]{1,20}\.[a-z]{2,4}(/[A-Za-z0-9_%()~.-]{0,30})?", fullmatch=True),
).map(lambda p: f"{p[0]}://{p[1]}")
source_urls = st.one_of(st.just(""), st.lists(url, min_size=1, max_size=3).map(" | ".join))


@st.composite
def fatalities(draw: st.DrawFn) -> dict[str, str]:
    """low <= best <= high, each possibly unknown, sometimes with leading zeros."""
    numbers = sorted(draw(st.lists(st.integers(0, 999_999_999), min_size=3, max_size=3)))
    out = {}
    for column, number in zip(schema.FATALITY_COLUMNS, numbers):
        out[column] = "" if draw(st.booleans()) else str(number).zfill(draw(st.integers(0, 3)))
    return out


@st.composite
def valid_rows(draw: st.DrawFn) -> dict[str, str]:
    """One valid event row as file text; values may carry surrounding whitespace."""
    start = draw(st.dates(schema.TIMELINE_START, schema.TIMELINE_END))
    end = draw(st.dates(start, schema.TIMELINE_END))
    outside = draw(st.integers(0, 9)) == 0
    row = {
        "id": draw(st.from_regex(ID_PATTERN, fullmatch=True).map(lambda i: i[:40])),
        "date_start": start.isoformat(),
        "date_end": end.isoformat(),
        "date_precision": draw(st.sampled_from(schema.DATE_PRECISIONS)),
        "event_type": draw(st.sampled_from(schema.EVENT_TYPES)),
        "title": draw(required_text),
        "summary": draw(required_text),
        "location": draw(required_text),
        "latitude": draw(outside_lat if outside else inside_lat),
        "longitude": draw(any_lon if outside else inside_lon),
        "geo_precision": draw(st.sampled_from(schema.GEO_PRECISIONS)),
        "outside_region": draw(spelled(schema.TRUE_WORDS if outside else schema.FALSE_WORDS)),
        "side_a": draw(free_text),
        "side_b": draw(free_text),
        **draw(fatalities()),
        "disputed": draw(spelled(schema.TRUE_WORDS | schema.FALSE_WORDS)),
        "claimed_by": draw(st.sampled_from(("", *schema.CLAIMANTS))),
        "source": draw(required_text),
        "source_url": draw(source_urls),
        "part_of": "",
    }
    has_figures = any(row[c] for c in schema.FATALITY_COLUMNS)
    row["fatalities_of"] = draw(st.sampled_from(schema.FATALITIES_OF)) if has_figures else ""
    # A verified event must name a source_url where the confirmation can be read.
    row["verified"] = draw(spelled(schema.TRUE_WORDS | schema.FALSE_WORDS if row["source_url"] else schema.FALSE_WORDS))
    for column in ("date_start", "date_end", "event_type", "latitude", "fatalities_best", "disputed"):
        row[column] = draw(padding) + row[column] + draw(padding)
    return row


def unknown_word(allowed: tuple[str, ...]) -> st.SearchStrategy[str]:
    """Text that is not in a vocabulary even after stripping (case matters)."""
    near_misses = st.sampled_from([allowed[0].title(), allowed[0].upper(), allowed[0] + "s", "skirmish", "week", "-"])
    return st.one_of(near_misses, free_text).filter(lambda t: t.strip() != "" and t.strip() not in allowed)


BAD_BYTES = b"caf\xe9 \xff\xfe"
# The fixed bad values the corruptions draw from; test_each_listed_bad_value_is_rejected tries every one.
IMPOSSIBLE_MONTH_DAYS = ("02-30", "02-31", "04-31", "13-01", "00-10", "01-32", "01-00")
MALFORMED_DATES = (
    "08/05/1992",
    "1992-5-8",
    "1992/05/08",
    "19920508",
    "1992-05-08T00:00",
    "1992-05-08x",
    "١٩٩٢-٠٥-٠٨",
    "١٩٩٢-05-08",
    "１９９２-０５-０８",
    "May 1992",
    "yesterday",
)
BAD_COORDINATES = ("nan", "inf", "-inf", "east", "", "40,5", "40.5.1", "1e999")
BAD_FATALITIES = ("-3", "2.5", "1e3", "ten", "+5", "١٥", "１５", "٣", "1234567890", "0x10", "5 000", "½", "-0", "nan")
EMPTY_VALUES = ("", " ", "\t", "\n", " \r\n ")
BAD_IDS = ("has space", "-lead", "_lead", ".lead", "a/b", "ä", "a" * 201, "a,b", "a\nb", "<script>", "١")
BAD_FLAGS = ("maybe", "2", "y", "t", "ja", "truee", "-1")
CORRUPTIONS = (
    "impossible_date",
    "malformed_date",
    "date_outside_timeline",
    "end_before_start",
    "coordinate_out_of_range",
    "outside_region_unflagged",
    "inside_region_flagged_outside",
    "unknown_vocabulary",
    "bad_fatality",
    "fatalities_out_of_order",
    "empty_required",
    "bad_id",
    "bad_flag",
    "too_long",
    "invalid_utf8",
    "duplicate_id",
    "wrong_field_count",
)


def corrupt(draw: st.DrawFn, row: dict[str, str], kind: str, token: str) -> str:
    """Apply one corruption to a valid row in place; return the column a problem must name ('-' for the row)."""
    year = int(row["date_start"].strip()[:4])
    if kind == "impossible_date":
        column = draw(st.sampled_from(["date_start", "date_end"]))
        month_day = draw(st.sampled_from(IMPOSSIBLE_MONTH_DAYS))
        row[column] = f"{year}-{month_day}"
        return column
    if kind == "malformed_date":
        column = draw(st.sampled_from(["date_start", "date_end"]))
        row[column] = draw(st.sampled_from(MALFORMED_DATES))
        return column
    if kind == "date_outside_timeline":
        if draw(st.booleans()):
            row["date_start"] = draw(st.dates(date(1900, 1, 1), schema.TIMELINE_START - timedelta(days=1))).isoformat()
            return "date_start"
        row["date_end"] = draw(st.dates(schema.TIMELINE_END + timedelta(days=1), date(2100, 1, 1))).isoformat()
        return "date_end"
    if kind == "end_before_start":
        start = date.fromisoformat(row["date_start"].strip())
        row["date_end"] = (start - timedelta(days=draw(st.integers(1, 4000)))).isoformat()
        return "date_end"
    if kind == "coordinate_out_of_range":
        column, limit = draw(st.sampled_from([("latitude", 90), ("longitude", 180)]))
        beyond = st.integers(limit * 1_000_000 + 1, 10**10).map(degrees)
        row[column] = draw(st.one_of(beyond, beyond.map(lambda v: "-" + v), st.sampled_from(BAD_COORDINATES)))
        return column
    if kind == "outside_region_unflagged":
        row["latitude"], row["longitude"] = draw(outside_lat), draw(any_lon)
        row["outside_region"] = draw(spelled(schema.FALSE_WORDS))
        return "latitude"
    if kind == "inside_region_flagged_outside":
        # Well inside Armenia/Azerbaijan (the wider box also holds strips of their neighbours).
        row["latitude"], row["longitude"] = draw(core_lat), draw(core_lon)
        row["outside_region"] = draw(spelled(schema.TRUE_WORDS))
        return "outside_region"
    if kind == "unknown_vocabulary":
        column, allowed = draw(
            st.sampled_from(
                [
                    ("event_type", schema.EVENT_TYPES),
                    ("date_precision", schema.DATE_PRECISIONS),
                    ("geo_precision", schema.GEO_PRECISIONS),
                ]
            )
        )
        row[column] = draw(unknown_word(allowed))
        return column
    if kind == "bad_fatality":
        column = draw(st.sampled_from(schema.FATALITY_COLUMNS))
        row[column] = draw(st.sampled_from(BAD_FATALITIES))
        return column
    if kind == "fatalities_out_of_order":
        small, big = sorted(draw(st.lists(st.integers(0, 10**6), min_size=2, max_size=2, unique=True)))
        pair = draw(
            st.sampled_from(
                [
                    ("fatalities_low", "fatalities_best"),
                    ("fatalities_best", "fatalities_high"),
                    ("fatalities_low", "fatalities_high"),
                ]
            )
        )
        row.update(dict.fromkeys(schema.FATALITY_COLUMNS, ""))
        row[pair[0]], row[pair[1]] = str(big), str(small)
        return "fatalities_best"
    if kind == "empty_required":
        column = draw(st.sampled_from(sorted(schema.REQUIRED_COLUMNS)))
        row[column] = draw(st.sampled_from(EMPTY_VALUES))
        return column
    if kind == "bad_id":
        row["id"] = draw(st.sampled_from(BAD_IDS))
        return "id"
    if kind == "bad_flag":
        column = draw(st.sampled_from(["disputed", "outside_region"]))
        row[column] = draw(st.sampled_from(BAD_FLAGS))
        return column
    if kind == "too_long":
        row["summary"] = "x" * (MAX_FIELD_CHARS + 1)
        return "summary"
    if kind == "invalid_utf8":
        row["title"] = token  # replaced by BAD_BYTES once the table is encoded
        return "title"
    raise AssertionError(f"unhandled corruption {kind}")  # duplicate_id and wrong_field_count need the table


@dataclass
class Table:
    """A generated events file and what the loader must make of it."""

    raw: bytes
    text: str
    valid: dict[str, int] = field(default_factory=dict)  # id -> line of each valid row
    expected: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> stripped field text
    bad: list[tuple[int, str, str, str]] = field(default_factory=list)  # (line, id, column, corruption)
    row_lines: set[int] = field(default_factory=set)

    @property
    def data_rows(self) -> int:
        return len(self.row_lines)

    def __repr__(self) -> str:
        text = re.sub(r"x{100,}", lambda run: f"<{len(run.group())} x>", self.text)
        return f"Table(text={text!r}, valid={self.valid}, bad={self.bad})"


@st.composite
def tables(draw: st.DrawFn, corrupted: bool = True, max_rows: int = 6) -> Table:
    """A CSV file of valid and (when `corrupted`) corrupted rows, in shuffled column order, written by csv."""
    columns = list(draw(st.permutations(schema.EVENT_COLUMNS)))
    if draw(st.booleans()):
        columns.insert(draw(st.integers(0, len(columns))), "notes")  # unexpected: reported on line 1, ignored
    terminator, quoting = draw(
        st.sampled_from([("\r\n", csv.QUOTE_MINIMAL), ("\n", csv.QUOTE_ALL), ("\r\n", csv.QUOTE_ALL)])
    )
    rows = draw(st.lists(valid_rows(), max_size=max_rows, unique_by=lambda r: r["id"].strip()))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=terminator, quoting=quoting)
    writer.writerow(columns)
    plans = []
    for index, row in enumerate(rows):
        kind = draw(st.one_of(st.none(), st.sampled_from(CORRUPTIONS))) if corrupted else None
        earlier_valid = [r["id"].strip() for r, k, _ in plans if k is None]
        if kind == "duplicate_id" and not earlier_valid:
            kind = "wrong_field_count"
        token = f"QZXBADBYTES{index}QZX"
        column = None
        if kind == "duplicate_id":
            row["id"] = draw(st.sampled_from(earlier_valid))
            column = "id"
        elif kind == "wrong_field_count":
            column = "-"
        elif kind is not None:
            column = corrupt(draw, row, kind, token)
        plans.append((row, kind, column))

    table = Table(raw=b"", text="")
    for row, kind, column in plans:
        if draw(st.integers(0, 5)) == 0:
            writer.writerow([])  # a blank line: not a data row
        line = 1 + len(LINE_BREAK.findall(buffer.getvalue()))
        fields = [row.get(c, "note") for c in columns]
        if kind == "wrong_field_count":
            fields = fields[:-1] if draw(st.booleans()) else fields + ["surplus"]
        writer.writerow(fields)
        table.row_lines.add(line)
        row_id = row["id"].strip()
        if kind is None:
            table.valid[row_id] = line
            table.expected[row_id] = {c: v.strip() for c, v in row.items()}
        else:
            table.bad.append((line, row_id, column, kind))
    table.text = ("\ufeff" if draw(st.booleans()) else "") + buffer.getvalue()
    raw = table.text.encode("utf-8")
    for index in range(len(plans)):
        raw = raw.replace(f"QZXBADBYTES{index}QZX".encode(), BAD_BYTES)
    table.raw = raw
    return table


def check_result_is_consistent(result: LoadResult) -> None:
    """Shape of any load result: rejected lines are exactly the data lines with problems, loaded lines have none."""
    assert isinstance(result, LoadResult)
    assert list(result.events.columns) == [*schema.EVENT_COLUMNS, "line"]
    problem_lines = {p.line for p in result.problems}
    assert {line for line in problem_lines if line != 1} == set(result.rejected_lines)
    assert not problem_lines & set(result.events["line"])
    assert result.events["line"].is_unique and result.events["id"].is_unique


def check_events_are_valid(events: pd.DataFrame) -> None:
    """Every loaded event obeys the schema, whatever the input was."""
    assert events["id"].map(lambda i: ID_PATTERN.fullmatch(i) is not None).all()
    for column in schema.REQUIRED_COLUMNS:
        assert (events[column].astype(str).str.len() > 0).all(), column
    low, high = pd.Timestamp(schema.TIMELINE_START), pd.Timestamp(schema.TIMELINE_END)
    assert events["date_start"].between(low, high).all() and events["date_end"].between(low, high).all()
    assert (events["date_end"] >= events["date_start"]).all()
    assert events["event_type"].isin(schema.EVENT_TYPES).all()
    assert events["date_precision"].isin(schema.DATE_PRECISIONS).all()
    assert events["geo_precision"].isin(schema.GEO_PRECISIONS).all()
    lat, lon = events["latitude"], events["longitude"]
    assert np.isfinite(lat).all() and np.isfinite(lon).all()
    assert (lat.abs() <= 90).all() and (lon.abs() <= 180).all()
    inside = lat.between(B["south"], B["north"]) & lon.between(B["west"], B["east"])
    assert (inside != events["outside_region"]).all()
    f_low, f_best, f_high = (events[c] for c in schema.FATALITY_COLUMNS)
    for column in schema.FATALITY_COLUMNS:
        assert (events[column].dropna() >= 0).all()
    assert not ((f_low > f_best) | (f_best > f_high) | (f_low > f_high)).fillna(False).any()
    for column in schema.TEXT_COLUMNS:
        assert not events[column].str.contains(r"[\udc80-\udcff]").any(), column
    assert list(events.sort_values(["date_start", "id"], kind="stable")["id"]) == list(events["id"])


# --- the loader on generated tables ---------------------------------------------------------------


@settings(max_examples=60, **COMMON)
@given(tables())
def test_loaded_plus_rejected_is_the_number_of_data_rows_and_problems_point_at_row_starts(table: Table):
    result = parse_events(table.raw, "gen.csv")
    check_result_is_consistent(result)
    assert len(result.events) + result.rejected == table.data_rows
    assert result.rejected_lines == {line for line, *_ in table.bad}
    last_line = 1 + len(LINE_BREAK.findall(table.text))
    for problem in result.problems:
        assert problem.line == 1 or problem.line in table.row_lines, problem
        assert 1 <= problem.line <= last_line
        assert problem.file == "gen.csv"


@settings(max_examples=40, **COMMON)
@given(tables())
def test_every_valid_row_loads_on_its_line_with_its_values(table: Table):
    events = parse_events(table.raw, "gen.csv").events.set_index("id")
    assert set(table.valid) <= set(events.index)
    for row_id, line in table.valid.items():
        event, given_ = events.loc[row_id], table.expected[row_id]
        assert event["line"] == line
        for column in (
            "title",
            "summary",
            "location",
            "side_a",
            "side_b",
            "source",
            "event_type",
            "date_precision",
            "geo_precision",
        ):
            assert event[column] == given_[column], column
        assert event["date_start"] == pd.Timestamp(given_["date_start"])
        assert event["date_end"] == pd.Timestamp(given_["date_end"])
        assert event["latitude"] == float(given_["latitude"]) and event["longitude"] == float(given_["longitude"])
        for column in schema.FATALITY_COLUMNS:
            expected = int(given_[column]) if given_[column] else None
            assert (None if pd.isna(event[column]) else int(event[column])) == expected, column
        assert bool(event["disputed"]) == (given_["disputed"].lower() in schema.TRUE_WORDS)
        assert bool(event["outside_region"]) == (given_["outside_region"].lower() in schema.TRUE_WORDS)


@settings(max_examples=80, **COMMON)
@given(tables())
def test_no_corrupted_row_loads_and_each_is_reported_on_its_line(table: Table):
    result = parse_events(table.raw, "gen.csv")
    loaded = dict(zip(result.events["id"], result.events["line"]))
    for line, row_id, column, kind in table.bad:
        assert line not in set(loaded.values()), kind
        if kind == "duplicate_id":
            assert loaded[row_id] == table.valid[row_id]  # the first use of the id still loads
        else:
            assert row_id not in loaded, kind
        on_line = [p for p in result.problems if p.line == line]
        assert on_line, kind
        assert any(p.column == column for p in on_line), (kind, column, on_line)


def paired(columns: tuple[str, ...], values: tuple[str, ...]) -> list[tuple[str, str]]:
    """Each value with one of the columns in turn, so every value and every column is tried."""
    return [(columns[i % len(columns)], values[i % len(values)]) for i in range(max(len(columns), len(values)))]


LISTED_BAD_VALUES = [
    *paired(("date_start", "date_end"), tuple(f"1992-{md}" for md in IMPOSSIBLE_MONTH_DAYS)),
    *paired(("date_start", "date_end"), MALFORMED_DATES),
    *((c, v) for c in ("latitude", "longitude") for v in BAD_COORDINATES),
    *paired(schema.FATALITY_COLUMNS, BAD_FATALITIES),
    *paired(tuple(sorted(schema.REQUIRED_COLUMNS)), EMPTY_VALUES),
    *paired(("id",), BAD_IDS),
    *paired(("disputed", "outside_region"), BAD_FLAGS),
]


@pytest.mark.parametrize("column, value", LISTED_BAD_VALUES)
def test_each_listed_bad_value_is_rejected(column, value):
    # Random tables meet each fixed value only by chance; this tries every one, between two valid rows.
    good = {**GOOD_ROW, "id": "before"}
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(schema.EVENT_COLUMNS))
    writer.writeheader()
    writer.writerows([good, {**GOOD_ROW, "id": "bad", column: value}, {**good, "id": "after"}])
    result = parse_events(buffer.getvalue().encode("utf-8"), "listed.csv")
    assert sorted(result.events["id"]) == ["after", "before"]
    assert result.rejected_lines == {3}
    assert any(p.line == 3 and p.column == column for p in result.problems), result.problems


# --- the loader on arbitrary input ---------------------------------------------------------------


@settings(max_examples=120, **COMMON)
@given(st.binary(max_size=600))
def test_arbitrary_bytes_give_a_load_result_not_an_exception(raw: bytes):
    result = parse_events(raw, "junk.csv")
    check_result_is_consistent(result)
    check_events_are_valid(result.events)
    last_line = 1 + len(LINE_BREAK.findall(raw.decode("utf-8", "surrogateescape")))
    assert all(1 <= p.line <= last_line for p in result.problems)
    if not raw.strip():
        assert result.problems and result.events.empty


JUNK_PIECES = ('"', ",", "\n", "\r", "\r\n", '""', " ", "x", "\x00", "=", "ə", "-1", "1e9")
junk_field = st.lists(st.sampled_from(JUNK_PIECES), max_size=6).map("".join)


@st.composite
def half_broken_files(draw: st.DrawFn) -> bytes:
    """A correct header, then rows whose cells are each a valid value or CSV-breaking junk, joined by hand."""
    lines = [",".join(schema.EVENT_COLUMNS)]
    for row in draw(st.lists(valid_rows(), max_size=6)):
        cells = []
        for column in schema.EVENT_COLUMNS:
            value = row[column]
            if draw(st.integers(0, 6)) == 0:
                value = draw(junk_field)
            elif any(c in value for c in ',"\r\n'):
                value = '"' + value.replace('"', '""') + '"'
            cells.append(value)
        if draw(st.integers(0, 8)) == 0:
            cells = cells[: draw(st.integers(0, len(cells)))]
        lines.append(",".join(cells))
    text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)
    raw = text.encode("utf-8")
    if draw(st.booleans()) and raw:
        cut = draw(st.integers(0, len(raw)))
        raw = raw[:cut] + draw(st.binary(max_size=4)) + raw[cut:]
    return raw


@settings(max_examples=60, **COMMON)
@given(half_broken_files())
def test_whatever_loads_from_a_damaged_file_obeys_the_schema(raw: bytes):
    result = parse_events(raw, "damaged.csv")
    check_result_is_consistent(result)
    check_events_are_valid(result.events)
    last_line = 1 + len(LINE_BREAK.findall(raw.decode("utf-8", "surrogateescape")))
    assert all(1 <= p.line <= last_line for p in result.problems)


# --- the date window ---------------------------------------------------------------------------


@st.composite
def spans(draw: st.DrawFn) -> tuple[date, date]:
    start = draw(st.dates(schema.TIMELINE_START, schema.TIMELINE_END))
    return start, draw(
        st.dates(start, min(schema.TIMELINE_END, start + timedelta(days=draw(st.sampled_from([0, 3, 60, 4000])))))
    )


@settings(max_examples=200, **COMMON)
@given(
    st.lists(st.tuples(spans(), st.sampled_from(schema.EVENT_TYPES[:4])), max_size=30),
    spans(),
    st.one_of(st.none(), st.lists(st.sampled_from(schema.EVENT_TYPES[:5]), max_size=3)),
    st.sampled_from(["ns", "us", "s"]),
)
def test_window_filter_agrees_with_a_day_by_day_check(events, window, types, unit):
    frame = pd.DataFrame(
        {
            "id": [f"e{i}" for i in range(len(events))],
            "date_start": pd.Series([s for (s, _), _ in events], dtype=f"datetime64[{unit}]"),
            "date_end": pd.Series([e for (_, e), _ in events], dtype=f"datetime64[{unit}]"),
            "event_type": pd.Series([t for _, t in events], dtype=object),
        }
    )
    start, end = window
    # Overlap means some day lies in both intervals: the later start is not after the earlier end.
    expected = [
        f"e{i}"
        for i, ((s, e), kind) in enumerate(events)
        if max(s, start) <= min(e, end) and (not types or kind in types)
    ]
    assert list(filter_window(frame, start, end, types)["id"]) == expected


# --- round trips through the exports ----------------------------------------------------------------


@settings(max_examples=40, **COMMON)
@given(tables(corrupted=False))
def test_csv_export_loads_back_to_the_same_events(table: Table):
    events = parse_events(table.raw, "gen.csv").events
    assert len(events) == len(table.valid)
    again = parse_events(events_csv(events, spreadsheet_safe=False).encode("utf-8"), "export.csv")
    assert again.problems == []
    pd.testing.assert_frame_equal(again.events.drop(columns="line"), events.drop(columns="line"))


@settings(max_examples=25, **COMMON)
@given(tables(corrupted=False))
def test_safe_csv_export_only_prefixes_formula_like_text_with_an_apostrophe(table: Table):
    events = parse_events(table.raw, "gen.csv").events
    again = parse_events(events_csv(events).encode("utf-8"), "export.csv")
    assert again.problems == []
    pd.testing.assert_frame_equal(
        again.events.drop(columns=[*schema.TEXT_COLUMNS, "line"]), events.drop(columns=[*schema.TEXT_COLUMNS, "line"])
    )
    for column in schema.TEXT_COLUMNS:
        for before, after in zip(events[column], again.events[column]):
            if before.startswith(("=", "+", "-", "@")) and not re.fullmatch(
                r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", before, re.ASCII
            ):
                assert after == "'" + before
            else:
                assert after == before


def json_ready(value: object) -> object:
    """What a frame cell must become in GeoJSON properties."""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if value is pd.NA:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    return value


def reject_constant(name: str) -> None:
    raise AssertionError(f"GeoJSON holds {name}, which is not JSON")


@settings(max_examples=40, **COMMON)
@given(tables(corrupted=False))
def test_geojson_properties_equal_the_frame_values(table: Table):
    events = parse_events(table.raw, "gen.csv").events
    collection = json.loads(json.dumps(events_geojson(events), ensure_ascii=False), parse_constant=reject_constant)
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == len(events)
    for feature, (_, event) in zip(collection["features"], events.iterrows()):
        assert feature["properties"] == {c: json_ready(event[c]) for c in schema.EVENT_COLUMNS}
        assert feature["geometry"] == {"type": "Point", "coordinates": [event["longitude"], event["latitude"]]}


def fixed_place(name: str) -> tuple[float, float]:
    """A stand-in gazetteer: every place lies at one known point, except those named 'Atlantis…'."""
    if name.startswith("Atlantis"):
        raise LookupError(f"unknown place {name!r}")
    return 40.123454, 46.5


@settings(max_examples=30, **COMMON)
@given(tables(), st.data())
def test_fill_coords_changes_only_the_coordinates_it_fills(table: Table, data: st.DataObject):
    try:
        text = table.raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = table.text.replace("\ufeff", "", 1)  # the file without its invalid bytes
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    at = {c: header.index(c) for c in ("latitude", "longitude", "location")}
    for fields in rows[1:]:
        if len(fields) == len(header) and data.draw(st.integers(0, 2)) == 0:
            fields[at["latitude"]] = fields[at["longitude"]] = ""
            if data.draw(st.integers(0, 3)) == 0:
                fields[at["location"]] = "Atlantis " + fields[at["location"]]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
        filled, problems = fill_coordinates(path, fixed_place)
        after = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8"), newline="")))

    assert len(after) == len(rows) and after[0] == header
    expected_filled = expected_unknown = 0
    for before, now in zip(rows[1:], after[1:]):
        fillable = (
            len(before) == len(header)
            and before[at["latitude"]] == before[at["longitude"]] == ""
            and before[at["location"]] != ""
        )
        if fillable and before[at["location"]].startswith("Atlantis"):
            expected_unknown += 1
        elif fillable:
            expected_filled += 1
            assert (now[at["latitude"]], now[at["longitude"]]) == ("40.12345", "46.50000")
            now[at["latitude"]] = now[at["longitude"]] = ""
        assert now == before
    assert filled == expected_filled
    assert len(problems) == expected_unknown
    assert all(p.column == "location" and "Atlantis" in p.message for p in problems)
