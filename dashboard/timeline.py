"""Date windows over the event table, quick ranges, playback windows and histogram bins (pure functions)."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, timedelta

import numpy as np
import pandas as pd

from dashboard import schema

EVENT_FAMILY_OTHER = "other"  # the family of a type no family lists

# Named periods offered as quick ranges; boundaries are the war's start/ceasefire dates.
QUICK_RANGES: dict[str, tuple[date, date]] = {
    "Whole conflict 1988–2024": (schema.TIMELINE_START, schema.TIMELINE_END),
    "First war 1988–94": (date(1988, 2, 1), date(1994, 5, 12)),
    "Interwar 1994–2020": (date(1994, 5, 12), date(2020, 9, 26)),
    "2020 war": (date(2020, 9, 27), date(2020, 11, 10)),
    "2020–24": (date(2020, 11, 10), schema.TIMELINE_END),
}
# Calendar units: the length of a playback window and of a histogram bin.
UNITS: tuple[str, ...] = ("day", "week", "month", "year")
PLAY_UNITS = UNITS
# Seconds between playback steps.
PLAY_SPEEDS: dict[str, float] = {"slow": 2.0, "normal": 1.0, "fast": 0.5}
MAX_BINS = 120  # a histogram takes the smallest unit that gives at most this many bins


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


def count_in_window(events: pd.DataFrame, start: date, end: date) -> int:
    """How many events overlap the window (no frame made: the page counts the whole file on every step)."""
    return int(window_mask(events["date_start"].to_numpy(), events["date_end"].to_numpy(), start, end).sum())


def shift(day: date, unit: str, count: int = 1) -> date:
    """`day` moved by `count` calendar units; a month or year step keeps the day, or the month's last day."""
    if unit == "day":
        return day + timedelta(days=count)
    if unit == "week":
        return day + timedelta(weeks=count)
    if unit not in ("month", "year"):
        raise ValueError(f"unit must be one of {', '.join(UNITS)}, got {unit!r}")
    months = day.year * 12 + day.month - 1 + (count if unit == "month" else 12 * count)
    year, month = divmod(months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def play_window(start: date, unit: str, limit: tuple[date, date]) -> tuple[date, date]:
    """The playback window of one `unit` starting at `start`, cut to `limit` (start, end)."""
    end = min(shift(start, unit) - timedelta(days=1), limit[1])
    return max(start, limit[0]), max(end, start)


def first_play_window(limit: tuple[date, date], unit: str) -> tuple[date, date]:
    """Where playback starts: one `unit` from the start of the range `limit`."""
    return play_window(limit[0], unit, limit)


def next_moving_window(window: tuple[date, date], limit: tuple[date, date], unit: str) -> tuple[date, date] | None:
    """The playback window one `unit` later within `limit`; None once it would start after the range's end.

    The 2020 war played by day shows 27 Sep, 28 Sep, … 10 Nov; 1988–94 by month shows one month at a time.
    """
    start = shift(window[0], unit)
    if start > limit[1]:
        return None
    return play_window(start, unit, limit)


def bin_unit(start: date, end: date, max_bins: int = MAX_BINS) -> str:
    """The finest unit (day, week, month, year) that splits the window into at most `max_bins` bins."""
    days = (end - start).days + 1
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    counts = {"day": days, "week": days / 7, "month": months, "year": end.year - start.year + 1}
    return next((unit for unit in UNITS if counts[unit] <= max_bins), "year")


def bin_start(dates: pd.Series, unit: str) -> pd.Series:
    """The first day of the bin (day, Monday of the week, first of the month or year) of each timestamp."""
    days = dates.dt.normalize()
    if unit == "day":
        return days
    if unit == "week":
        return days - pd.to_timedelta(days.dt.day_of_week, unit="D")
    if unit == "month":
        return days.dt.to_period("M").dt.to_timestamp()
    if unit == "year":
        return days.dt.to_period("Y").dt.to_timestamp()
    raise ValueError(f"unit must be one of {', '.join(UNITS)}, got {unit!r}")


def events_per_bin(events: pd.DataFrame, unit: str, by: str = "family") -> pd.DataFrame:
    """Counts of events by bin of their start date and by `by` ("family" or "event_type").

    Columns: bin (first day), bin_end (last day), `by`, events; sorted by bin, then `by`.
    """
    if by not in ("family", "event_type"):
        raise ValueError(f"by must be 'family' or 'event_type', got {by!r}")
    starts = bin_start(events["date_start"], unit)
    # Integer keys counted with numpy rather than a pandas groupby on timestamps and strings: this runs on
    # every slider step, over every event for the overview chart. Types are factorised first (a few values).
    types, kinds = pd.factorize(events["event_type"])
    labels = [EVENT_FAMILY_OTHER if by == "family" and k not in schema.EVENT_FAMILY else
              (schema.EVENT_FAMILY[k] if by == "family" else str(k)) for k in kinds]  # fmt: skip
    keys, names = pd.factorize(np.asarray(labels, dtype=object)[types] if len(types) else np.array([], object),
                               sort=True)  # fmt: skip
    known = starts.notna().to_numpy()
    days = starts.to_numpy()[known].astype("datetime64[D]").astype(np.int64)
    width = max(1, len(names))
    pairs, counts = np.unique(days * width + keys[known], return_counts=True)
    bins = pd.to_datetime((pairs // width).astype("datetime64[D]")).astype(starts.dtype)
    out = pd.DataFrame({"bin": bins, by: np.asarray(names, dtype=object)[pairs % width], "events": counts})
    out.insert(1, "bin_end", pd.to_datetime(_bin_ends(out["bin"].to_numpy().astype("datetime64[D]"), unit)))
    return out


def _bin_ends(starts: np.ndarray, unit: str) -> np.ndarray:
    """The last day of each bin that starts on `starts` (day precision)."""
    if unit == "day":
        return starts
    if unit == "week":
        return starts + np.timedelta64(6, "D")
    step = {"month": "M", "year": "Y"}[unit]
    return (starts.astype(f"datetime64[{step}]") + 1).astype("datetime64[D]") - np.timedelta64(1, "D")
