"""Fatality totals of a set of events, as ranges and per side, counted the same way for every side."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard import schema
from dashboard.checks import is_in


@dataclass(frozen=True)
class Tally:
    """Deaths reported in a set of events: the sum of the lowest and of the highest figures given."""

    low: int
    high: int
    events_with_figures: int

    def label(self) -> str:
        """'120' or '120–180'."""
        return f"{self.low:,}" if self.low == self.high else f"{self.low:,}–{self.high:,}"


def tallies(events: pd.DataFrame) -> dict[str, Tally]:
    """Per side of `fatalities_of` (and "all"), the range of deaths the sources give.

    An event's low bound is its lowest figure (low, else best, else high) and its high bound its highest
    (high, else best, else low), so an event with a single figure counts the same at both ends. A part of
    an event that is itself in `events` (e.g. one day of the four-day war of 2016) is not counted: the
    whole's figures already include it.
    """
    # numpy over the columns, no frame copied: this runs on every slider step
    counted = ~_parts_of_shown(events)
    low = _first_given(events, ("fatalities_low", "fatalities_best", "fatalities_high"))
    high = _first_given(events, ("fatalities_high", "fatalities_best", "fatalities_low"))
    given = counted & ~np.isnan(low)
    sides = events["fatalities_of"].to_numpy(dtype=object, na_value=None)
    out = {side: _tally(low, high, given & (sides == side)) for side in schema.FATALITIES_OF}
    out["all"] = _tally(low, high, given)
    return out


def _first_given(events: pd.DataFrame, columns: tuple[str, ...]) -> np.ndarray:
    """Per row, the first of `columns` that holds a figure (NaN where none does)."""
    values = events[columns[0]].to_numpy(dtype=float, na_value=np.nan)
    for column in columns[1:]:
        values = np.where(np.isnan(values), events[column].to_numpy(dtype=float, na_value=np.nan), values)
    return values


def _parts_of_shown(events: pd.DataFrame) -> np.ndarray:
    """True for an event whose `part_of` names another event in `events` (looked up in Arrow: this runs on
    every slider step, and pandas' isin over Arrow strings walks the ids in Python)."""
    return is_in(events["part_of"], events["id"])


def _tally(low: np.ndarray, high: np.ndarray, rows: np.ndarray) -> Tally:
    """The Tally of the chosen `rows` (all holding figures)."""
    return Tally(int(low[rows].sum()), int(high[rows].sum()), int(rows.sum()))
