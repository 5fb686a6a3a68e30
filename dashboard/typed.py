"""From the validated string columns of an events file (an Arrow table) to the typed events frame."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard import schema
from dashboard.checks import parse_dates, whole_numbers
from dashboard.screen import ascending

_STR = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas' "str": Arrow-backed, NaN for missing


def typed_events(table: pa.Table, lines: np.ndarray) -> pd.DataFrame:
    """Validated string columns converted to their types, plus each row's file `line`; rows sorted by start
    date, then id.

    Converted and sorted in Arrow and handed to pandas once: each column is touched once, the text ones
    never copied into Python strings.
    """
    typed = pa.table({column: _typed(column, table[column]) for column in schema.EVENT_COLUMNS})
    order = _order(typed)
    if (order != np.arange(len(order))).any():  # a file kept in order (as the bundled one) stays as read
        typed, lines = typed.take(order), lines[order]
    frame = typed.to_pandas(types_mapper=_pandas_type)
    frame["line"] = np.asarray(lines, dtype=np.int64)
    return frame


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


def _typed(column: str, values: pa.ChunkedArray) -> pa.ChunkedArray | pa.Array:
    """One column in its type: dates, floats, nullable whole numbers, flags, or text as it is."""
    if column in ("date_start", "date_end"):
        return _cast(values, pa.timestamp("ns"), parse_dates)
    if column in ("latitude", "longitude"):
        return _cast(values, pa.float64(), lambda v: pd.to_numeric(v, errors="coerce").astype("float64"))
    if column in schema.FATALITY_COLUMNS:
        given = pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)  # empty is unknown, not 0
        return _cast(given, pa.int64(), lambda v: whole_numbers(v.fillna("")).astype("Int64"))
    if column in schema.FLAG_COLUMNS:
        return pc.is_in(pc.utf8_lower(values), value_set=pa.array(sorted(schema.TRUE_WORDS)))
    return values


def _cast(
    values: pa.ChunkedArray | pa.Array, to: pa.DataType, fallback: Callable[[pd.Series], pd.Series]
) -> pa.ChunkedArray | pa.Array:
    """`values` cast by Arrow or, should Arrow refuse a value checks.py accepted, converted as checks.py reads it."""
    try:
        return pc.cast(values, to)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        series = pa.table({"v": values}).to_pandas(types_mapper=_pandas_type)["v"]
        return pa.array(fallback(series), type=to)


def _pandas_type(arrow_type: pa.DataType) -> pd.api.extensions.ExtensionDtype | None:
    """Arrow text as pandas' "str" and Arrow integers (the fatalities, with gaps) as nullable Int64."""
    if arrow_type in (pa.string(), pa.large_string()):
        return _STR
    if arrow_type == pa.int64():
        return pd.Int64Dtype()
    return None
