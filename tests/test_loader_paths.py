"""The loader's fast path (pyarrow reader, whole-column screening, Arrow conversion) against the slow ones.

Every file must load to the same events and the same problems whichever way it is read: the csv-module
reader record by record, and every per-row check run without screening.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from unittest import mock

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.synthetic import synthetic_rows
from dashboard import schema
from dashboard.checks import CHECK_NAMES
from dashboard.data import LoadResult, load_events, parse_events
from dashboard.gazetteer import Gazetteer, default_gazetteer
from dashboard.records import Records, read_records
from dashboard.screen import Screening, passed_checks, screen
from dashboard.typed import Conversions, typed_events
from tests.conftest import GOOD_ROW, csv_text, row
from tests.test_properties import COMMON, Table, half_broken_files, tables


def record_by_record(raw: bytes, name: str, locate: Gazetteer | None = None) -> LoadResult:
    """parse_events with the pyarrow reader turned away, as for a file it cannot read."""
    with mock.patch("dashboard.records._arrow_records", return_value=None):
        return parse_events(raw, name, locate)


def unscreened(raw: bytes, name: str, locate: Gazetteer | None = None) -> LoadResult:
    """parse_events with every per-row check run, none skipped on the strength of a whole-column test."""
    with mock.patch("dashboard.data.screen", return_value=Screening(frozenset())):
        return parse_events(raw, name, locate)


def assert_same(result: LoadResult, other: LoadResult) -> None:
    pd.testing.assert_frame_equal(result.events, other.events)
    assert result.problems == other.problems
    assert result.rejected_lines == other.rejected_lines


def assert_every_path_agrees(raw: bytes, locate: Gazetteer | None = None) -> LoadResult:
    result = parse_events(raw, "file.csv", locate)
    assert_same(result, record_by_record(raw, "file.csv", locate))
    assert_same(result, unscreened(raw, "file.csv", locate))
    return result


def fast(raw: bytes) -> Records:
    """The file's records, which must come from the pyarrow reader."""
    records = read_records(raw, "file.csv")
    assert isinstance(records, Records) and records.table is not None
    return records


def synthetic_text(rows: list[dict[str, str]], terminator: str = "\n") -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(schema.EVENT_COLUMNS), lineterminator=terminator)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return default_gazetteer()


@pytest.fixture(scope="module")
def synthetic() -> list[dict[str, str]]:
    return synthetic_rows(300)


def test_a_valid_synthetic_file_passes_every_check_by_screening_alone(synthetic, gazetteer):
    records = fast(synthetic_text(synthetic).encode())
    assert passed_checks(Conversions(records.table), gazetteer) == set(CHECK_NAMES)
    result = assert_every_path_agrees(synthetic_text(synthetic).encode(), gazetteer)
    assert result.problems == [] and len(result.events) == 300
    assert list(result.events.sort_values(["date_start", "id"])["id"]) == list(result.events["id"])


def test_the_take_split_between_two_threads_gives_the_same_frame(synthetic, gazetteer):
    raw = synthetic_text(synthetic).encode()
    with mock.patch("dashboard.typed.PARALLEL_TAKE_ROWS", 0):  # as for a big file
        split = parse_events(raw, "file.csv", gazetteer)
    assert list(split.events["line"]) != sorted(split.events["line"])  # the rows were reordered
    assert_same(split, record_by_record(raw, "file.csv", gazetteer))


BAD_CHANGES = [
    {"date_start": "1992-02-30"},
    {"date_end": "1987-12-31"},
    {"latitude": "nan"},
    {"longitude": "1e999"},
    {"latitude": "", "longitude": ""},
    {"location": "Atlantis"},
    {"latitude": "40.68157", "longitude": "46.36134", "location": "Shusha"},
    {"event_type": "skirmish"},
    {"disputed": "maybe"},
    {"fatalities_low": "1e3"},
    {"fatalities_low": "9", "fatalities_best": "3", "fatalities_high": "5"},
    {"fatalities_of": ""},
    {"id": "has space"},
    {"id": "bench-300-000001"},
    {"source_url": "https://a.example/x, https://b.example/y"},
    {"source_url": "", "verified": "true"},
    {"part_of": "no-such-event"},
    {"outside_region": "true"},
    {"title": ""},
]


@pytest.mark.parametrize("changes", BAD_CHANGES, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()))
def test_a_bad_row_among_many_is_reported_alike_on_every_path(synthetic, gazetteer, changes):
    rows = [dict(r) for r in synthetic]
    rows[150].update(changes)
    raw = synthetic_text(rows).encode()
    records = fast(raw)
    assert passed_checks(Conversions(records.table), gazetteer) != set(CHECK_NAMES)
    result = assert_every_path_agrees(raw, gazetteer)
    assert result.rejected_lines == {152} and len(result.events) == 299
    assert {p.line for p in result.problems} == {152}


def test_the_bundled_file_loads_alike_on_every_path(gazetteer):
    # Real rows: several links in one source_url, flagged rows in the border strips of the box.
    raw = schema.EVENTS_PATH.read_bytes()
    records = fast(raw)
    screening = screen(Conversions(records.table), gazetteer)
    assert set(screening.passed) | set(screening.rows) == set(CHECK_NAMES)
    assert_every_path_agrees(raw, gazetteer)


def test_valid_rows_keep_their_order_when_the_ids_are_not_sorted(synthetic, gazetteer):
    rows = [{**r, "id": f"z{len(synthetic) - i}"} for i, r in enumerate(synthetic)]
    result = assert_every_path_agrees(synthetic_text(rows).encode(), gazetteer)
    assert list(result.events.sort_values(["date_start", "id"])["id"]) == list(result.events["id"])


@pytest.mark.parametrize(
    "text",
    [
        csv_text([row(), row(id="second")]).replace("\n", "\r\n"),
        csv_text([row(), row(id="second")]).replace("\n", "\r"),
        csv_text([row(), row(id="second")]).replace("\n", "\n\n", 2) + "\n\n",
        csv_text([row(), row(id="second")]) + ",".join([""] * len(schema.EVENT_COLUMNS)) + "\n",
        "\ufeff" + csv_text([row(), row(id="second")]),
        csv_text([row(title="  padded\t", location=" Shusha", side_a="Side A\u00a0"), row(id="second")]),
        csv_text([row(title="Şuşa, 1992", summary='said "taken"'), row(id="second", side_b="Ստեփանակերտ")]),
        csv_text([row(), row(id="second", latitude="+39.76006", fatalities_best="020")]),
    ],
    ids=["crlf", "cr", "blank-lines", "empty-fields-line", "bom", "padded", "quoted", "plus-and-zeros"],
)
def test_files_the_fast_reader_takes_load_as_record_by_record(text, curated):
    raw = text.encode()
    fast(raw)
    result = assert_every_path_agrees(raw, curated)
    assert sorted(result.events["id"]) == ["second", "shusha-test"]


def test_a_quoted_line_break_sends_the_file_to_the_record_by_record_reader(curated):
    raw = csv_text([row(), row(id="multi", summary="two\nlines")]).encode()
    records = read_records(raw, "file.csv")
    assert isinstance(records, Records) and records.table is None
    assert sorted(parse_events(raw, "file.csv", curated).events["line"]) == [2, 3]


@settings(max_examples=60, **COMMON)
@given(tables())
def test_generated_tables_load_alike_on_every_path(table: Table):
    assert_every_path_agrees(table.raw)


@settings(max_examples=60, **COMMON)
@given(half_broken_files())
def test_damaged_files_load_alike_on_every_path(raw: bytes):
    assert_every_path_agrees(raw)


@settings(max_examples=60, **COMMON)
@given(st.lists(st.sampled_from([" ", "\t", "\u00a0", "\u2003", "é", "x", "1", "-", "|", ":"]), max_size=6))
def test_screening_agrees_with_the_checks_on_odd_text_in_every_column(pieces: list[str]):
    text = "".join(pieces)
    rows = [row(), *(row(**{"id": f"e{i}", column: text}) for i, column in enumerate(schema.EVENT_COLUMNS))]
    assert_every_path_agrees(csv_text(rows).encode())


def test_values_arrow_cannot_convert_are_read_as_the_checks_read_them():
    strings = {column: pa.array([GOOD_ROW[column]]) for column in schema.EVENT_COLUMNS}
    strings.update(latitude=pa.array(["east"]), date_end=pa.array(["1992-02-30"]), fatalities_low=pa.array(["x"]))
    events = typed_events(pa.table(strings), pd.Series([2]).to_numpy())
    assert pd.isna(events.loc[0, "latitude"]) and pd.isna(events.loc[0, "date_end"])
    assert pd.isna(events.loc[0, "fatalities_low"]) and events.loc[0, "fatalities_best"] == 20
    assert str(events["fatalities_low"].dtype) == "Int64" and str(events["date_end"].dtype) == "datetime64[ns]"


@pytest.mark.parametrize(
    "text",
    [
        csv_text([row(), row(id="second")]),
        csv_text([row(), row(id="second")]).replace("\n", "\r\n"),
        csv_text([row(), row(id="second")]).replace("\n", "\n\n", 2),
        "\ufeff" + csv_text([row(), row(id="second")]),
        csv_text([row(title="Şuşa, 1992"), row(id="second", summary="two\nlines")]),
        csv_text([row(), row(id="second", date_start="1992-02-30")]),
        csv_text([row()]).replace(",", ";"),
    ],
    ids=["plain", "crlf", "blank-lines", "bom", "quoted-line-break", "bad-row", "semicolons"],
)
def test_a_file_read_from_its_path_loads_as_its_bytes(tmp_path: Path, curated, text):
    path = tmp_path / "events.csv"
    path.write_bytes(text.encode())
    assert_same(load_events(path, curated), parse_events(path.read_bytes(), str(path), curated))
