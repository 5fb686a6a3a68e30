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
    events = events[~_parts_of_shown(events)]
    low = events["fatalities_low"].fillna(events["fatalities_best"]).fillna(events["fatalities_high"])
    high = events["fatalities_high"].fillna(events["fatalities_best"]).fillna(events["fatalities_low"])
    given = low.notna()
    frame = pd.DataFrame({"side": events["fatalities_of"], "low": low, "high": high})[given]
    out = {side: _tally(frame[frame["side"] == side]) for side in schema.FATALITIES_OF}
    out["all"] = _tally(frame)
    return out


def _parts_of_shown(events: pd.DataFrame) -> np.ndarray:
    """True for an event whose `part_of` names another event in `events` (looked up in Arrow: this runs on
    every slider step, and pandas' isin over Arrow strings walks the ids in Python)."""
    return is_in(events["part_of"], events["id"])


def _tally(frame: pd.DataFrame) -> Tally:
    """The Tally of rows holding figures."""
    return Tally(int(frame["low"].sum()), int(frame["high"].sum()), len(frame))
