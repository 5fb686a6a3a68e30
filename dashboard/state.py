"""The page's session state as plain values: to and from the view in the URL, playback, stepping, summaries.

The page keeps one session key per control, named as below; these functions turn them into a
`ViewState` (what the URL carries) and back, move the window by days, step to the previous or next
event, run playback as a moving window, and word the counts. No Streamlit here (tests/test_state.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd

from dashboard import schema
from dashboard.fatalities import tallies
from dashboard.filters import Near
from dashboard.gazetteer import Gazetteer, GeocodeError
from dashboard.timeline import PLAY_SPEEDS, clamp_window, first_play_window, next_moving_window
from dashboard.urlstate import ViewState

Window = tuple[date, date]
# Session key -> ViewState field, for the controls that hold one field each.
FIELD_KEYS: dict[str, str] = {
    "selected_event": "event",
    "selected_district": "district",
    "lang": "lang",
    "q": "q",
    "types": "types",
    "actors": "actors",
    "disputed": "disputed",
    "evidence": "evidence",
    "min_fatalities": "min_fatalities",
    "place": "place",
    "km": "km",
    "step": "step",
    "speed": "speed",
    "basemap": "basemap",
}
SIDES: dict[str, str] = {
    "armenian": "Armenian side",
    "azerbaijani": "Azerbaijani side",
    "both": "both sides",
    "other": "others",
}


def session_from_view(view: ViewState) -> dict[str, Any]:
    """The session state a view starts: window, one key per control, nothing playing."""
    state: dict[str, Any] = {key: getattr(view, field) for key, field in FIELD_KEYS.items()}
    state["types"], state["actors"] = list(view.types), list(view.actors)
    state.update(window=view.window, playing=False, play_range=None)
    return state


def view_from_session(session: Mapping[str, Any]) -> ViewState:
    """The view the session shows (what the URL should say); missing keys take the defaults."""
    default = ViewState()
    values = {field: session.get(key, getattr(default, field)) for key, field in FIELD_KEYS.items()}
    values["types"] = tuple(values["types"] or ())
    values["actors"] = tuple(values["actors"] or ())
    values["q"] = (values["q"] or "").strip()
    values["min_fatalities"] = int(values["min_fatalities"] or 0)
    values["km"] = float(values["km"])
    start, end = clamp_window(*session.get("window", default.window))
    return ViewState(start=start, end=end, **values)


def near(view: ViewState, gazetteer: Gazetteer) -> Near | None:
    """The place filter of a view: its place's point and radius, or None (no place, or one the gazetteer lacks)."""
    if not view.place:
        return None
    try:
        place = gazetteer.resolve(view.place)
    except GeocodeError:
        return None
    return Near(view.place, place.lat, place.lon, view.km)


def shift_window(window: Window, days: int) -> Window:
    """The window moved by `days`, its length kept, stopped at the timeline's ends."""
    start, end = window
    length = end - start
    low, high = schema.TIMELINE_START, schema.TIMELINE_END
    start = min(max(start + timedelta(days=days), low), high - length)
    return start, start + length


def adjacent_event(
    events: pd.DataFrame, window: Window, current: str | None, direction: int
) -> tuple[str, Window] | None:
    """The event before (-1) or after (+1) the current one (or the window's start/end) and a window showing it.

    Events are ordered by start date, then id. The window keeps its length and moves only when the event
    lies outside it. None when there is no such event.
    """
    if events.empty:
        return None
    ordered = events.sort_values(["date_start", "id"], kind="stable")
    ids = list(ordered["id"])
    if current in ids:
        position = ids.index(current) + direction
    else:
        edge = pd.Timestamp(window[0] if direction > 0 else window[1])
        starts = ordered["date_start"]
        position = int((starts < edge).sum()) if direction > 0 else int((starts <= edge).sum()) - 1
    if not 0 <= position < len(ids):
        return None
    day = ordered["date_start"].iloc[position].date()
    start, end = window
    if not start <= day <= end:
        length = end - start
        start = day if direction > 0 else day - length
        start, end = shift_window((start, start + length), 0)
    return ids[position], (start, end)


@dataclass(frozen=True)
class Playback:
    """Playback of a range as a moving window: one `unit` at a time, one step every `seconds`."""

    playing: bool
    range: Window | None  # the window when play was first pressed; playback stays inside it
    window: Window

    def toggled(self, unit: str) -> Playback:
        """Play from the range's start (or resume where it paused), or pause."""
        if self.playing:
            return Playback(False, self.range, self.window)
        limit = self.range
        resume = limit is not None and limit[0] <= self.window[0] and self.window[1] <= limit[1]
        if not resume:
            limit = self.window
            return Playback(True, limit, first_play_window(limit, unit))
        return Playback(True, limit, self.window)

    def stopped(self) -> Playback:
        """Stop and show the whole range again."""
        return Playback(False, None, self.range or self.window)

    def advanced(self, unit: str) -> Playback:
        """One step later; at the range's end playback pauses there."""
        if not self.playing or self.range is None:
            return self
        following = next_moving_window(self.window, self.range, unit)
        return Playback(following is not None, self.range, following or self.window)


def seconds(speed: str) -> float:
    """Seconds between playback steps at a named speed (the normal speed for an unknown name)."""
    return PLAY_SPEEDS.get(speed, PLAY_SPEEDS["normal"])


def count_line(shown: int, in_window: int, total: int) -> str:
    """'Showing 40 of 463 events' (and how many the filters hid in the window)."""
    hidden = in_window - shown
    extra = f" ({hidden} in the window hidden by filters)" if hidden else ""
    return f"**Showing {shown:,} of {total:,} events**{extra}"


def fatalities_line(events: pd.DataFrame) -> str:
    """Reported deaths in the events, as ranges per side whose dead they count; blank when none is given."""
    counted = tallies(events)
    parts = [f"{SIDES[side]} {counted[side].label()}" for side in SIDES if counted[side].events_with_figures]
    if not parts:
        return ""
    return (
        f"Reported deaths in these events: {' · '.join(parts)} "
        f"(from {counted['all'].events_with_figures:,} events with figures; counts are incomplete and "
        "partly one side's claims)"
    )
