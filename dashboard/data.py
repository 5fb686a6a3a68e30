"""Load and validate the event table: every bad row is reported with its line and reason, good rows still load."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from dashboard import schema
from dashboard.checks import Locator, row_errors
from dashboard.problems import Problem, problems_from
from dashboard.records import MAX_FIELD_CHARS, Records, read_records
from dashboard.screen import Screening, screen
from dashboard.typed import Conversions, typed_events

__all__ = [
    "MAX_FIELD_CHARS",
    "EventsError",
    "LoadResult",
    "Locator",
    "Problem",
    "empty_events",
    "fill_coordinates",
    "load_events",
    "parse_events",
    "write_events",
]


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


def load_events(path: str | Path, locate: Locator | None = None) -> LoadResult:
    """Read and validate an events CSV; `locate` (e.g. a Gazetteer) checks locations and coordinates."""
    path = Path(path)
    try:
        with path.open("rb"):  # Python's error names the cause plainly (missing, a directory, no permission)
            pass
        # The reader is given the path, not the bytes: pyarrow reads a big file a block at a time, so its
        # 40 MB are never held (nor their fresh pages faulted in) at once.
        records = read_records(path, str(path))
    except OSError as error:
        raise EventsError(f"{path}: cannot read events file: {error.strerror or error}") from error
    return _validated(records, str(path), locate)


def parse_events(raw: bytes | pa.Buffer, name: str, locate: Locator | None = None) -> LoadResult:
    """Validate the bytes of an events CSV named `name`; see load_events."""
    records = read_records(raw, name)
    del raw  # the bytes (40 MB for 100,000 rows) are not needed past the reading: free them before the sort
    return _validated(records, name, locate)


def _validated(records: Records | list[Problem], name: str, locate: Locator | None) -> LoadResult:
    """The load result of a file's records (or of the problems that stopped it)."""
    if isinstance(records, list):
        return LoadResult(empty_events(), records)
    if records.table is None:  # read record by record: every check runs per row
        return _checked(records, name, locate, Screening(frozenset()), None)
    conversions = Conversions(records.table)
    conversions.convert_all()  # before a second thread shares them, so both threads only read them
    with ThreadPoolExecutor(max_workers=1) as pool:
        # Betting that every row is valid, as in most files, the whole table is typed and sorted on a second
        # core while the checks run (Arrow's kernels hold no GIL); a file with bad rows is typed again without.
        whole = pool.submit(typed_events, records.table, records.lines, conversions)
        # Checks every row passes are known from whole-column tests (screen.py); the rest run per row.
        return _checked(records, name, locate, screen(conversions, locate), whole)


def _checked(
    records: Records,
    name: str,
    locate: Locator | None,
    screening: Screening,
    whole: Future[pd.DataFrame] | None,
) -> LoadResult:
    """The load result once the row checks the screening did not pass have run; `whole`: the typed frame
    of every row."""
    errors = row_errors(records, locate, screening.passed, screening.rows)
    lines = records.lines
    problems = records.problems + problems_from(errors, lines, name)
    bad = errors.notna().any(axis=1).to_numpy() if len(errors.columns) else np.zeros(len(lines), bool)
    rejected = records.rejected | set(lines[bad].tolist())
    if whole is not None and not bad.any():
        events = whole.result()
    else:
        table = records.arrow()
        if bad.any():
            table, lines = table.filter(pa.array(~bad)), lines[~bad]
        events = typed_events(table, lines)
    return LoadResult(events, sorted(problems), frozenset(rejected))


def empty_events() -> pd.DataFrame:
    """A typed events frame with no rows."""
    table = pa.table({column: pa.array([], pa.large_string()) for column in schema.EVENT_COLUMNS})
    return typed_events(table, np.zeros(0, dtype=np.int64))


def write_events(events: pd.DataFrame, target: Path | io.StringIO) -> None:
    """Write events in the file format (ISO dates, empty for unknown); the inverse of load_events."""
    out = events.loc[:, list(schema.EVENT_COLUMNS)].copy()
    for column in ("date_start", "date_end"):
        out[column] = out[column].dt.strftime("%Y-%m-%d")
    for column in schema.FLAG_COLUMNS:
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
