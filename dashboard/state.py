"""The page's session state as plain values: to and from the view in the URL, the controls' callbacks,
playback, stepping, summaries.

The page keeps one session key per control, named as below; these functions turn them into a
`ViewState` (what the URL carries) and back, move the window by days, step to the previous or next
event, run playback as a moving window, and word the counts. The callbacks (`on_*`) take the session
as a mapping (Streamlit's session state is one; the tests pass a dict). No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd

from dashboard import schema
from dashboard.charts import window_from_selection
from dashboard.fatalities import tallies
from dashboard.filters import Near
from dashboard.gazetteer import Gazetteer, GeocodeError
from dashboard.timeline import PLAY_SPEEDS, QUICK_RANGES, clamp_window, first_play_window, next_moving_window
from dashboard.urlstate import ViewState, from_params

Window = tuple[date, date]
Session = MutableMapping[Any, Any]  # Streamlit's session state, or a dict
FILTER_KEYS: tuple[str, ...] = ("types", "actors", "q", "disputed", "evidence", "min_fatalities", "place", "km")
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
    """The session state a view starts: window, one key per control, nothing playing, no brush or tick yet."""
    state: dict[str, Any] = {key: getattr(view, field) for key, field in FIELD_KEYS.items()}
    state["types"], state["actors"] = list(view.types), list(view.actors)
    state.update(window=view.window, playing=False, play_range=None, brushes=0, table_generation=0)
    return state


def view_from_session(session: Mapping[Any, Any]) -> ViewState:
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
    """'Showing 40 of 463 events' (and how many the filters hid in the window); plain digits, which the
    benchmark and the browser tests read."""
    hidden = in_window - shown
    extra = f" ({hidden} in the window hidden by filters)" if hidden else ""
    return f"**Showing {shown} of {total} events**{extra}"


def fatalities_line(events: pd.DataFrame) -> str:
    """Reported deaths in the events, as ranges per side whose dead they count; blank when none is given."""
    counted = tallies(events)
    parts = [f"{SIDES[side]} {counted[side].label()}" for side in SIDES if counted[side].events_with_figures]
    if not parts:
        return ""
    return (
        f"Reported deaths in these events: {' · '.join(parts)} "
        f"(from {counted['all'].events_with_figures:,} event{'s' if counted['all'].events_with_figures != 1 else ''} "
        "with figures; counts are incomplete and "
        "partly one side's claims)"
    )


def window_summary(shown: pd.DataFrame, in_window: int, total: int) -> str:
    """The count line and, under it in small grey type, the reported deaths of `shown` (one Markdown element:
    each element the window's fragment sends costs the browser a render of the whole page on every step)."""
    deaths = fatalities_line(shown)
    line = count_line(len(shown), in_window, total)
    return f"{line}  \n:small[:gray[{deaths}]]" if deaths else line


# --- the controls' callbacks --------------------------------------------------------------------------------


def start_session(session: Session, params: Mapping[str, Any]) -> None:
    """Seed every control from the URL's query parameters, once per session."""
    if "window" not in session:
        session.update(session_from_view(from_params(params)))
        set_window(session, session["window"])


def set_window(session: Session, window: Window) -> None:
    """The window everywhere it shows: the slider (`window`) and the two date inputs."""
    session["window"] = window
    window_to_date_inputs(session)


def window_to_date_inputs(session: Session) -> None:
    """The date inputs show the slider's window. Called again where the inputs are drawn: a slider step reruns
    only the window's part of the page, and Streamlit sends a widget a value set in an earlier run of another
    part (the step's callback) only if it is set again in the run that draws the widget."""
    session["start_input"], session["end_input"] = session["window"]


def on_slider(session: Session) -> None:
    set_window(session, session["window"])


def on_dates(session: Session) -> None:
    start, end = session.get("start_input"), session.get("end_input")
    set_window(session, clamp_window(start, end) if start and end else session["window"])


def on_quick_range(session: Session) -> None:
    """A quick range sets the window; the choice resets, so choosing it again after moving the slider works."""
    if session.get("quick_range") in QUICK_RANGES:
        set_window(session, QUICK_RANGES[session["quick_range"]])
    session["quick_range"] = None


def on_brush(session: Session, key: str) -> None:
    """A range dragged on the chart whose selection is under `key` becomes the window; `brushes` counts them,
    so the charts are drawn anew (the dragged range cleared) once it is the window."""
    window = window_from_selection(session.get(key))
    if window:
        set_window(session, window)
        session["brushes"] = session.get("brushes", 0) + 1


def on_step_days(session: Session, days: int) -> None:
    set_window(session, shift_window(session["window"], days))


def on_step_event(session: Session, events: pd.DataFrame, direction: int) -> None:
    """Previous/next of `events`: select it, moving the window when it lies outside."""
    found = adjacent_event(events, session["window"], session.get("selected_event"), direction)
    if found:
        select(session, found[0], None)
        set_window(session, found[1])


def on_play(session: Session, action: str) -> None:
    """Play/pause ('toggle') or 'stop' (the buttons rerun the whole page, which starts or stops its timer)."""
    now = Playback(session["playing"], session["play_range"], session["window"])
    _apply(session, now.toggled(session["step"]) if action == "toggle" else now.stopped())
    session["last_tick"] = None  # the first step comes a step's time from now


def tick(session: Session, now: float) -> bool:
    """One playback step when playing and a step's time has passed since the last (the timer also fires on
    other reruns of the window's part, which must not advance it). True when this step ended playback (at
    the range's end): the page then reruns whole, to stop its timer and show the Play button again."""
    last = session.get("last_tick", 0.0)
    if session.get("playing") and last is None:
        session["last_tick"] = now
    elif session.get("playing") and now - last >= seconds(session["speed"]) * 0.9:
        session["last_tick"] = now
        _apply(session, Playback(True, session["play_range"], session["window"]).advanced(session["step"]))
        return not session["playing"]
    return False


def _apply(session: Session, playback: Playback) -> None:
    session["playing"], session["play_range"] = playback.playing, playback.range
    set_window(session, playback.window)


def on_clear_filters(session: Session) -> None:
    """Every filter back to letting every event through."""
    defaults = session_from_view(ViewState())
    for key in FILTER_KEYS:
        session[key] = defaults[key]
    session["place_pick"] = None


def select(session: Session, event_id: str | None, district: str | None, place: Any = None) -> None:
    """Make an event, or a settlement (a gazetteer Place) and its district, the selection; the others clear."""
    session["selected_event"], session["selected_district"], session["selected_place"] = event_id, district, place
