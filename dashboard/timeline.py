"""Date windows over the event table, quick ranges and playback steps (pure functions)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import numpy as np
import pandas as pd

from dashboard import schema

# Named periods offered as quick ranges; boundaries are the war's start/ceasefire dates.
QUICK_RANGES: dict[str, tuple[date, date]] = {
    "Whole conflict 1988–2024": (schema.TIMELINE_START, schema.TIMELINE_END),
    "First war 1988–94": (date(1988, 2, 1), date(1994, 5, 12)),
    "Interwar 1994–2020": (date(1994, 5, 12), date(2020, 9, 26)),
    "2020 war": (date(2020, 9, 27), date(2020, 11, 10)),
    "2020–24": (date(2020, 11, 10), schema.TIMELINE_END),
}
PLAY_STEP_DAYS = 91  # playback advances the window's end by about a quarter year per tick


def parse_iso_date(text: str | None) -> date | None:
    """A date from YYYY-MM-DD text, or None when absent or malformed."""
    try:
        return date.fromisoformat(text.strip()) if text else None
    except (ValueError, AttributeError):
        return None


def clamp_window(start: date | None, end: date | None) -> tuple[date, date]:
    """A valid window inside the timeline: missing ends take the timeline's, swapped ends are ordered."""
    low, high = schema.TIMELINE_START, schema.TIMELINE_END
    start = min(max(start or low, low), high)
    end = min(max(end or high, low), high)
    return (start, end) if start <= end else (end, start)


def window_mask(starts: np.ndarray, ends: np.ndarray, start: date, end: date) -> np.ndarray:
    """True for intervals overlapping [start, end] (both inclusive): date_start <= end and date_end >= start."""
    return (starts <= np.datetime64(end, "ns")) & (ends >= np.datetime64(start, "ns"))


def filter_window(events: pd.DataFrame, start: date, end: date, types: Iterable[str] | None = None) -> pd.DataFrame:
    """The events overlapping the window, optionally only of the given types."""
    mask = window_mask(events["date_start"].to_numpy(), events["date_end"].to_numpy(), start, end)
    if types:
        mask &= events["event_type"].isin(list(types)).to_numpy()
    return events[mask]


def next_play_window(window: tuple[date, date], step_days: int = PLAY_STEP_DAYS) -> tuple[date, date] | None:
    """The window one playback step later: its start kept, its end `step_days` later (at most the timeline's end).

    None once the end has reached the timeline's end: playback stops there.
    """
    if step_days <= 0:
        raise ValueError(f"step_days must be positive, got {step_days}")
    start, end = window
    if end >= schema.TIMELINE_END:
        return None
    return start, min(end + timedelta(days=step_days), schema.TIMELINE_END)


def events_per_month(events: pd.DataFrame) -> pd.DataFrame:
    """Counts of events by start month and type, for the timeline chart."""
    months = events["date_start"].dt.to_period("M").dt.to_timestamp()
    counts = events.assign(month=months).groupby(["month", "event_type"]).size()
    return counts.rename("events").reset_index()
