"""From the bytes of an events CSV to a frame of stripped strings with each record's file line.

A well-formed file (UTF-8, one record per line, every row as wide as the header) is read by pyarrow's
multi-threaded CSV reader; anything else goes through Python's csv module, record by record, so each bad
row can be reported with its own line number.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv

from dashboard import schema
from dashboard.problems import Problem

MAX_FIELD_CHARS = 20_000


@dataclass
class Records:
    """The records of an events file as strings: one column per schema column, plus `line`.

    `utf8`: every field is valid UTF-8 (else undecodable bytes are kept as surrogate escapes, in an
    object-dtype frame, for the validator to report). `short`: no field is longer than MAX_FIELD_CHARS.
    """

    strings: pd.DataFrame
    header: tuple[str, ...]
    problems: list[Problem] = field(default_factory=list)
    rejected: set[int] = field(default_factory=set)
    utf8: bool = True
    short: bool = True


def read_records(raw: bytes, name: str) -> Records | list[Problem]:
    """The file's records, or the problems that stop the whole file from loading."""
    if not raw or raw.isspace():
        return [Problem(name, 1, "-", "file is empty: expected a header line and event rows")]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return [Problem(name, 1, "-", "file is UTF-16 encoded: save it as UTF-8")]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    first_line = raw[: raw.find(b"\n")] if b"\n" in raw else raw
    if b'"' not in first_line:  # a header without quotes cannot span lines
        header = _header(first_line.decode("utf-8", errors="surrogateescape"))
        problems = header_problems(header, name) if header is not None else []
        if header is not None and not any(p.column == "-" for p in problems):
            fast = _arrow_records(raw, header)
            if fast is not None:
                fast.problems = problems
                return fast
    try:
        return _python_records(raw.decode("utf-8"), name, utf8=True)
    except UnicodeDecodeError:
        # surrogateescape keeps undecodable bytes so the rows holding them can be reported one by one.
        return _python_records(raw.decode("utf-8", errors="surrogateescape"), name, utf8=False)


def _header(text: str) -> list[str] | None:
    """The stripped header cells of the text's first record, or None when it cannot be parsed."""
    try:
        return [cell.strip() for cell in next(csv.reader(io.StringIO(text, newline="")))]
    except (StopIteration, csv.Error):
        return None


def header_problems(header: list[str], name: str) -> list[Problem]:
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
            problems.append(_missing_column(name, column))
    return problems


def _missing_column(name: str, column: str) -> Problem:
    """The problem of a header that lacks `column`: fatal for a required one, a note otherwise."""
    if column in schema.REQUIRED_COLUMNS:
        return Problem(name, 1, "-", f"header lacks the required column {column!r}; no row can load")
    if column in schema.V2_COLUMNS:
        return Problem(name, 1, column, "note: a file from before this column was added; read as empty")
    return Problem(name, 1, column, "header lacks this optional column; treated as empty")


def _arrow_records(raw: bytes, header: list[str]) -> Records | None:
    """Records read by pyarrow, or None when the file needs the record-by-record reader.

    The fast path is taken only when every physical line after the header is one record: then the
    record's file line is its position + 2, exactly as the csv module would count it. pyarrow also
    refuses text that is not UTF-8, which then goes to the reader that reports it row by row.
    """
    end = len(raw)
    while end and raw[end - 1] == 0x0A:  # trailing newlines end the file, they are not blank records
        end -= 1
    if b"\r" in raw or raw.find(b"\n\n", 0, end) != -1:
        return None
    lines = raw.count(b"\n") + (0 if raw.endswith(b"\n") else 1)
    names = [f"c{i}" for i in range(len(header))]
    try:
        table = pv.read_csv(
            io.BytesIO(raw),
            read_options=pv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pv.ParseOptions(newlines_in_values=False),
            convert_options=pv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    if table.num_rows != lines - 1:
        return None
    blank = pa.array([""] * table.num_rows, pa.string())
    columns = [
        pc.utf8_trim_whitespace(table.column(header.index(c))) if c in header else blank for c in schema.EVENT_COLUMNS
    ]
    longest = max(pc.max(pc.utf8_length(values)).as_py() or 0 for values in columns)
    strings = pa.table(columns, names=list(schema.EVENT_COLUMNS)).to_pandas(types_mapper=_as_str)
    strings["line"] = np.arange(2, table.num_rows + 2, dtype=np.int64)
    return Records(strings, tuple(header), short=longest <= MAX_FIELD_CHARS)


def _as_str(arrow_type: pa.DataType) -> pd.StringDtype | None:
    """pandas' Arrow-backed string dtype for Arrow strings (no copy into Python objects)."""
    return pd.StringDtype("pyarrow", na_value=np.nan) if arrow_type == pa.string() else None


def _python_records(text: str, name: str, utf8: bool) -> Records | list[Problem]:
    """Records read one by one with the csv module: malformed rows and rows of the wrong width are reported."""
    header = _header(text)
    if header is None:
        return [Problem(name, 1, "-", "cannot read the header")]
    problems = header_problems(header, name)
    if any(p.column == "-" for p in problems):
        return problems
    records = _csv_records(text, name, problems)
    strings, rejected = _frame(header, records, name, problems)
    return Records(strings, tuple(header), problems, rejected, utf8=utf8, short=False)


def _csv_records(text: str, name: str, problems: list[Problem]) -> list[tuple[int, list[str]]]:
    """(line number, fields) of each non-blank record after the header; a malformed one has no fields."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    next(reader)
    records: list[tuple[int, list[str]]] = []
    line = reader.line_num + 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return records
        except csv.Error as error:
            problems.append(Problem(name, line, "-", f"malformed CSV row: {error}"))
            records.append((line, []))
        else:
            if any(cell.strip() for cell in fields):
                records.append((line, fields))
        line = reader.line_num + 1


def _frame(
    header: list[str], records: list[tuple[int, list[str]]], name: str, problems: list[Problem]
) -> tuple[pd.DataFrame, set[int]]:
    """An object frame of stripped strings in schema column order plus `line`; rows of wrong width rejected."""
    width = len(header)
    rows, lines, rejected = [], [], set()
    for line, fields in records:
        if len(fields) != width:
            if fields:
                problems.append(Problem(name, line, "-", f"row has {len(fields)} fields; the header has {width}"))
            rejected.add(line)
            continue
        rows.append(fields)
        lines.append(line)
    flat = np.array(list(map(str.strip, chain.from_iterable(rows))), dtype=object)
    # One blank column stands in for every schema column the header lacks.
    table = np.concatenate([flat.reshape(len(rows), width), np.full((len(rows), 1), "", dtype=object)], axis=1)
    order = [header.index(column) if column in header else width for column in schema.EVENT_COLUMNS]
    frame = pd.DataFrame(table[:, order], columns=list(schema.EVENT_COLUMNS), dtype=object)
    frame["line"] = pd.Series(lines, dtype="int64")
    return frame, rejected
