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
from pathlib import Path
from typing import TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv

from dashboard import schema
from dashboard.problems import Problem

MAX_FIELD_CHARS = 20_000
HEAD_BYTES = 1 << 16  # enough of a file's start for its header line and byte-order mark


@dataclass
class Records:
    """The records of an events file as strings, one column per schema column, and each record's file line.

    The pyarrow reader fills `table` (stripped strings, schema column order); the csv reader fills
    `frame` (object dtype plus `line`). `utf8`: every field is valid UTF-8 (else undecodable bytes are kept
    as surrogate escapes, for the validator to report). `short`: no field is longer than MAX_FIELD_CHARS.
    """

    header: tuple[str, ...]
    lines: np.ndarray
    table: pa.Table | None = None
    frame: pd.DataFrame | None = None
    problems: list[Problem] = field(default_factory=list)
    rejected: set[int] = field(default_factory=set)
    utf8: bool = True
    short: bool = True

    @property
    def strings(self) -> pd.DataFrame:
        """The strings as a pandas frame with `line`, built from the Arrow table on first use."""
        if self.frame is None:
            if self.table is None:
                raise ValueError("records hold neither a table nor a frame")
            self.frame = self.table.to_pandas(types_mapper=_as_str)
            self.frame["line"] = self.lines
        return self.frame

    def arrow(self) -> pa.Table:
        """The strings as an Arrow table in schema column order, built from the frame on first use."""
        if self.table is None:
            frame = self.strings
            self.table = pa.table({c: _as_arrow(frame[c]) for c in schema.EVENT_COLUMNS})
        return self.table


Source: TypeAlias = pa.Buffer | Path  # a file's bytes, or its path (then read by pyarrow a block at a time)


def read_records(raw: bytes | pa.Buffer | Path, name: str) -> Records | list[Problem]:
    """The file's records, or the problems that stop the whole file from loading.

    Given a path, only the file's start is read here; pyarrow reads the rest in blocks, so a big file is
    never held whole in memory (the record-by-record reader, when needed, reads it whole).
    """
    data: Source = raw if isinstance(raw, (pa.Buffer, Path)) else pa.py_buffer(raw)  # Buffer slices are no copies
    head = _head(data)
    if not head or (head.isspace() and _whole(data).isspace()):
        return [Problem(name, 1, "-", "file is empty: expected a header line and event rows")]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return [Problem(name, 1, "-", "file is UTF-16 encoded: save it as UTF-8")]
    if head.startswith(b"\xef\xbb\xbf"):
        data, head = pa.py_buffer(_whole(data))[3:], head[3:]
    first_line = head[: head.find(b"\n")] if b"\n" in head else _whole(data).split(b"\n", 1)[0]
    if b'"' not in first_line:  # a header without quotes cannot span lines
        header = _header(first_line.decode("utf-8", errors="surrogateescape"))
        problems = header_problems(header, name) if header is not None else []
        if header is not None and not any(p.column == "-" for p in problems):
            fast = _arrow_records(data, header, len(first_line) + 1 if b"\n" in head else None)
            if fast is not None:
                fast.problems = problems
                return fast
    raw_bytes = _whole(data)
    try:
        return _python_records(raw_bytes.decode("utf-8"), name, utf8=True)
    except UnicodeDecodeError:
        # surrogateescape keeps undecodable bytes so the rows holding them can be reported one by one.
        return _python_records(raw_bytes.decode("utf-8", errors="surrogateescape"), name, utf8=False)


def _head(data: Source) -> bytes:
    """The first HEAD_BYTES bytes of the file."""
    if isinstance(data, Path):
        with data.open("rb") as handle:
            return handle.read(HEAD_BYTES)
    return data[:HEAD_BYTES].to_pybytes()


def _whole(data: Source) -> bytes:
    """All the bytes of the file."""
    return data.read_bytes() if isinstance(data, Path) else data.to_pybytes()


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


def _arrow_records(raw: Source, header: list[str], header_size: int | None) -> Records | None:
    """Records read by pyarrow, or None when the file needs the record-by-record reader.

    The fast path is taken only when every physical line after the header is one record (no value holds
    a line break; a blank line is read as a row of empty fields, then dropped as the csv reader skips it):
    then the record's file line is its position + 2, exactly as the csv module would count it. pyarrow
    also refuses text that is not UTF-8, which then goes to the reader that reports it row by row.
    """
    names = [f"c{i}" for i in range(len(header))]
    try:
        table = pv.read_csv(
            str(raw) if isinstance(raw, Path) else pa.BufferReader(raw),
            # 4 MiB blocks (not 1): a tenth as many chunks for the passes below and the sort's take, still
            # enough blocks of a big file for every core.
            read_options=pv.ReadOptions(column_names=names, skip_rows=1, block_size=4 << 20),
            parse_options=pv.ParseOptions(newlines_in_values=False, ignore_empty_lines=False),
            convert_options=pv.ConvertOptions(
                # large_string: the storage of pandas' "str" dtype, so the frame is made without a conversion
                column_types={n: pa.large_string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowException:
        return None
    facts = [_column_facts(column) for column in table.columns]
    size = raw.stat().st_size if isinstance(raw, Path) else raw.size
    if not _unquoted(size, header_size, table, facts) and any(_holds_line_break(c) for c in table.columns):
        return None
    stripped = [
        pc.utf8_trim_whitespace(column) if edges else column for column, (edges, _, _) in zip(table.columns, facts)
    ]
    blank = _blank_rows(stripped)
    if blank is not None:
        stripped = [column.filter(~blank) for column in stripped]
    rows = len(stripped[0]) if stripped else 0
    lines = np.arange(2, table.num_rows + 2, dtype=np.int64)
    columns = [stripped[header.index(c)] if c in header else _blank_column(rows) for c in schema.EVENT_COLUMNS]
    longest = max((size for _, size, _ in facts), default=0)
    if longest > MAX_FIELD_CHARS:  # bytes bound characters: count characters only when the bytes are many
        longest = max(pc.max(pc.utf8_length(values)).as_py() or 0 for values in columns)
    return Records(
        tuple(header),
        lines if blank is None else lines[~blank],
        table=pa.table(columns, names=list(schema.EVENT_COLUMNS)),
        short=longest <= MAX_FIELD_CHARS,
    )


def _column_facts(column: pa.ChunkedArray) -> tuple[bool, int, int]:
    """(a value may start or end in whitespace, the longest value in bytes, the bytes of all values).

    Read from the offsets and bytes of the values, with no copy: whitespace is suspected at any byte but
    printable ASCII, so only columns where it may occur are trimmed.
    """
    edges, longest, total = False, 0, 0
    for chunk in column.chunks:
        offsets = value_offsets(chunk)
        if offsets[-1] == offsets[0]:
            continue
        data = np.frombuffer(chunk.buffers()[2], np.uint8)
        longest, total = max(longest, int(np.diff(offsets).max())), total + int(offsets[-1] - offsets[0])
        # First and last bytes; an empty value points at a neighbour's first or last byte, which is looked at anyway.
        ends = np.concatenate([data.take(offsets[:-1], mode="clip"), data.take(offsets[1:] - 1, mode="clip")])
        edges = edges or bool(((ends - np.uint8(0x21)) >= 0x7F - 0x21).any())  # outside "!".."~", wrapping
    return edges, longest, total


def _unquoted(size: int, header_size: int | None, table: pa.Table, facts: list[tuple[bool, int, int]]) -> bool:
    """Whether the file (`size` bytes, the header line `header_size` with its "\n") is exactly its values,
    commas and one "\n" per line: then no field was quoted, so none can hold a line break (the values need
    no scan for one).

    Quotes and "\r" only add bytes to the values' count; only a blank line (a row of no commas) has fewer,
    so the count proves nothing when a row may be blank, i.e. has an empty first value.
    """
    rows, width = table.num_rows, table.num_columns
    if header_size is None or (rows and pc.min(pc.binary_length(table.column(0))).as_py() == 0):
        return False
    unquoted = header_size + sum(total for _, _, total in facts) + rows * width  # (width - 1) commas and a "\n"
    return size in (unquoted, unquoted - 1)  # the last line may lack its "\n"


def _holds_line_break(column: pa.ChunkedArray) -> bool:
    """Whether a value of the column holds "\n" or "\r" (possible only in a quoted field)."""
    for chunk in column.chunks:
        offsets = value_offsets(chunk)
        if offsets[-1] == offsets[0]:
            continue
        values = np.frombuffer(chunk.buffers()[2], np.uint8)[offsets[0] : offsets[-1]]
        if (values <= 0x0D).any() and ((values == 0x0A) | (values == 0x0D)).any():  # tabs may be text
            return True
    return False


def value_offsets(array: pa.Array) -> np.ndarray:
    """Where each value of a (large) string array starts in its data buffer, and the last ends; read in place."""
    if not len(array):
        return np.zeros(1, dtype=np.int64)
    dtype = np.dtype(np.int64 if pa.types.is_large_string(array.type) else np.int32)
    return np.frombuffer(array.buffers()[1], dtype, count=len(array) + 1, offset=dtype.itemsize * array.offset)


def _blank_rows(columns: list[pa.ChunkedArray]) -> np.ndarray | None:
    """Rows whose fields are all empty (blank lines), or None when there are none."""
    if not columns or not len(columns[0]) or (pc.min(pc.binary_length(columns[0])).as_py() or 0) > 0:
        return None  # a blank row is empty in every column, the first included
    blank = np.ones(len(columns[0]), dtype=bool)
    for column in columns:
        blank &= pc.equal(pc.binary_length(column), 0).to_numpy(zero_copy_only=False)
    return blank if blank.any() else None


def _blank_column(rows: int) -> pa.Array:
    """A column of `rows` empty strings (for a schema column the header lacks), built without Python strings."""
    offsets = pa.py_buffer(np.zeros(rows + 1, np.int64))
    return pa.Array.from_buffers(pa.large_string(), rows, [None, offsets, pa.py_buffer(b"")])


def _as_arrow(values: pd.Series) -> pa.Array:
    """A string column of the frame as an Arrow string array."""
    return pa.array(values, type=pa.large_string())


def _as_str(arrow_type: pa.DataType) -> pd.StringDtype | None:
    """pandas' Arrow-backed string dtype for Arrow strings (no copy into Python objects)."""
    return pd.StringDtype("pyarrow", na_value=np.nan) if arrow_type in (pa.string(), pa.large_string()) else None


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
    lines = strings["line"].to_numpy()
    return Records(tuple(header), lines, frame=strings, problems=problems, rejected=rejected, utf8=utf8, short=False)


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
