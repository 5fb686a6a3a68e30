"""From the validated string columns of an events file (an Arrow table) to the typed events frame."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from itertools import product
from typing import TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard import schema
from dashboard.checks import parse_dates, whole_numbers

_STR = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas' "str": Arrow-backed, NaN for missing
Values: TypeAlias = pa.ChunkedArray | pa.Array
TYPED_COLUMNS = ("date_start", "date_end", "latitude", "longitude", *schema.FATALITY_COLUMNS, *schema.FLAG_COLUMNS)
PARALLEL_TAKE_ROWS = 10_000  # below this a second thread costs about what it saves


class Conversions:
    """The columns of a string table in their types, each converted by Arrow once, on first use.

    Shared by the screening (which reads numbers, dates and flags) and typed_events, so a valid file's
    columns are parsed once. A column Arrow refuses to convert (a value it cannot parse) is None.
    """

    def __init__(self, table: pa.Table) -> None:
        self.table = table
        self._values: dict[str, Values | None] = {}

    def convert_all(self) -> None:
        """Convert every column that has a type other than text now."""
        for column in TYPED_COLUMNS:
            self.get(column)

    def get(self, column: str) -> Values | None:
        """The column in its type (text as it is), or None when Arrow refuses one of its values."""
        if column not in self._values:
            try:
                self._values[column] = _arrow_typed(column, self.table[column])
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                self._values[column] = None
        return self._values[column]


def typed_events(table: pa.Table, lines: np.ndarray, conversions: Conversions | None = None) -> pd.DataFrame:
    """Validated string columns converted to their types, plus each row's file `line`; rows sorted by start
    date, then id.

    Converted and sorted in Arrow and handed to pandas once: each column is touched once, the text ones
    never copied into Python strings. `conversions` of this same table are reused.
    """
    if conversions is None or conversions.table is not table:
        conversions = Conversions(table)
    typed = pa.table({column: _typed(column, conversions) for column in schema.EVENT_COLUMNS})
    order = _order(typed)
    if (order != np.arange(len(order))).any():  # a file kept in order (as the bundled one) stays as read
        typed, lines = _take(typed, order), lines[order]
    frame = typed.to_pandas(types_mapper=_pandas_type)
    frame["line"] = np.asarray(lines, dtype=np.int64)
    return frame


@lru_cache(maxsize=2)
def spellings(words: frozenset[str]) -> pa.Array:
    """Every upper/lower-case spelling of the (ASCII) words, so a flag is looked up without lower-casing it.

    The same as checks.is_true's lower().isin(words): no other character lower-cases to a letter of
    true/yes/false/no (only the Kelvin sign and dotted I lower-case into ASCII, to k and i).
    """
    variants = {"".join(letters) for word in words for letters in product(*({c.lower(), c.upper()} for c in word))}
    return pa.array(sorted(variants), pa.large_string())


def ascending(values: pa.ChunkedArray) -> bool:
    """Whether each string is greater than the one before it (so all are distinct)."""
    array = values.combine_chunks()
    return len(array) < 2 or pc.all(pc.less(array.slice(0, len(array) - 1), array.slice(1))).as_py() is True


def _order(typed: pa.Table) -> np.ndarray:
    """Row positions sorted by start date, then id (stable, as sort_values would)."""
    starts = typed["date_start"]
    if typed.num_rows and not starts.null_count and ascending(typed["id"]):
        # ids already in order: a stable sort by the day alone keeps them so. Days since the first fit
        # 16 bits for any file spanning less than 179 years, and numpy sorts those by radix (~30x faster).
        days = starts.to_numpy().astype("datetime64[D]").astype(np.int64)
        days -= days.min()
        if days.max() < 1 << 16:
            return np.argsort(days.astype(np.uint16), kind="stable")
    return pc.sort_indices(typed, sort_keys=[("date_start", "ascending"), ("id", "ascending")]).to_numpy()


def _take(table: pa.Table, order: np.ndarray) -> pa.Table:
    """table.take(order), the columns split by size between this thread and one more.

    The take copies every byte of text once more (~40 ms for 100,000 rows on one core); Arrow runs it
    without holding the GIL, so a second core halves it. Small tables are taken here alone.
    """
    if table.num_rows < PARALLEL_TAKE_ROWS:
        return table.take(order)
    sizes = {name: table[name].nbytes for name in table.column_names}
    halves: tuple[list[str], list[str]] = ([], [])
    for name in sorted(sizes, key=sizes.__getitem__, reverse=True):  # biggest first, to the lighter half
        min(halves, key=lambda half: sum(sizes[n] for n in half)).append(name)
    with ThreadPoolExecutor(max_workers=1) as pool:
        theirs = pool.submit(table.select(halves[1]).take, order)
        mine = table.select(halves[0]).take(order)
        taken = {**dict(zip(halves[0], mine.columns)), **dict(zip(halves[1], theirs.result().columns))}
    return pa.table({name: taken[name] for name in table.column_names})


def _arrow_typed(column: str, values: pa.ChunkedArray) -> Values:
    """One column in its type, by Arrow alone: dates, floats, nullable whole numbers, flags, or text as it is."""
    if column in ("date_start", "date_end"):
        # Via date32, whose parser takes exactly YYYY-MM-DD with a real day (a timestamp's takes times too).
        return pc.cast(pc.cast(values, pa.date32()), pa.timestamp("ns"))
    if column in ("latitude", "longitude"):
        return pc.cast(values, pa.float64())
    if column in schema.FATALITY_COLUMNS:
        given = pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)  # empty is unknown, not 0
        return pc.cast(given, pa.int64())
    if column in schema.FLAG_COLUMNS:
        return pc.is_in(values, value_set=spellings(schema.TRUE_WORDS))
    return values


def _typed(column: str, conversions: Conversions) -> Values:
    """The column in its type; where Arrow refuses a value checks.py accepted, read as checks.py reads it."""
    converted = conversions.get(column)
    if converted is not None:
        return converted
    series = conversions.table.select([column]).to_pandas(types_mapper=_pandas_type)[column]
    fallbacks: dict[str, tuple[Callable[[pd.Series], pd.Series], pa.DataType]] = {
        "date_start": (parse_dates, pa.timestamp("ns")),
        "date_end": (parse_dates, pa.timestamp("ns")),
        "latitude": (lambda v: pd.to_numeric(v, errors="coerce").astype("float64"), pa.float64()),
        "longitude": (lambda v: pd.to_numeric(v, errors="coerce").astype("float64"), pa.float64()),
        **{c: (lambda v: whole_numbers(v).astype("Int64"), pa.int64()) for c in schema.FATALITY_COLUMNS},
    }
    convert, to = fallbacks[column]
    return pa.array(convert(series), type=to)


def _pandas_type(arrow_type: pa.DataType) -> pd.api.extensions.ExtensionDtype | None:
    """Arrow text as pandas' "str" and Arrow integers (the fatalities, with gaps) as nullable Int64."""
    if arrow_type in (pa.string(), pa.large_string()):
        return _STR
    if arrow_type == pa.int64():
        return pd.Int64Dtype()
    return None
