"""The page's decisions without Streamlit: settings, state from the URL, table rows, selection, playback.

app.py reads widgets and session state, calls these functions and renders what they return; every
function here takes what it needs as arguments and is tested in tests/test_page.py.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from dashboard import schema
from dashboard.control import Holding
from dashboard.gazetteer import Gazetteer, Place
from dashboard.selection import click_target, event_id_from_click
from dashboard.territory import Territory
from dashboard.theatre import to_metric
from dashboard.timeline import clamp_window, next_play_window, parse_iso_date

Window = tuple[date, date]
PLAY_INTERVAL_S = 1.2  # seconds between playback ticks
MAP_HEIGHT = 560
TABLE_COLUMNS = ("date", "type", "title", "location", "fatalities", "source", "id")


@dataclass(frozen=True)
class Settings:
    """Where the page reads its data and whether it stays offline (from the environment)."""

    offline: bool
    events_path: Path
    geodata_dir: Path

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        """DASHBOARD_OFFLINE=1 keeps every request on this machine; DASHBOARD_EVENTS and DASHBOARD_GEODATA
        point at another events file or geodata folder (same file names); defaults are the bundled ones."""
        return cls(
            offline=environ.get("DASHBOARD_OFFLINE", "") not in ("", "0", "false"),
            events_path=Path(environ.get("DASHBOARD_EVENTS") or schema.EVENTS_PATH),
            geodata_dir=Path(environ.get("DASHBOARD_GEODATA") or schema.GEODATA_DIR),
        )

    @property
    def control_path(self) -> Path:
        """The control history in the geodata folder."""
        return self.geodata_dir / schema.CONTROL_PATH.name


def mtime(path: Path) -> float:
    """Modification time, or 0 for a missing file (the loader then reports it)."""
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def initial_state(params: Mapping[str, str]) -> dict[str, Any]:
    """A session's first state from the URL's query parameters: window, selected event, nothing playing."""
    window = clamp_window(parse_iso_date(params.get("start")), parse_iso_date(params.get("end")))
    return {
        "window": window,
        "selected_event": params.get("event") or None,
        "selected_district": None,
        "playing": False,
    }


def query_params(window: Window, event_id: str | None) -> dict[str, str]:
    """The URL's query parameters that reproduce the view."""
    wanted = {"start": window[0].isoformat(), "end": window[1].isoformat()}
    if event_id:
        wanted["event"] = event_id
    return wanted


def with_place_names(events: pd.DataFrame, gazetteer: Gazetteer, lang: str) -> pd.DataFrame:
    """The events with a `place` column: each location's name in `lang` (as written when unknown)."""
    names = gazetteer.display_names(events["location"].unique(), lang)
    return events.assign(place=events["location"].map(names))


def table_frame(events: pd.DataFrame) -> pd.DataFrame:
    """The event table's rows: date, type, title, place, best fatality figure, source and id."""
    fatalities = events["fatalities_best"].fillna(events["fatalities_low"]).fillna(events["fatalities_high"])
    return pd.DataFrame(
        {
            "date": events["date_start"].dt.date,
            "type": events["event_type"],
            "title": events["title"],
            "location": events["place"],
            "fatalities": fatalities,
            "source": events["source"],
            "id": events["id"],
        },
        columns=list(TABLE_COLUMNS),
    ).reset_index(drop=True)


def problems_frame(problems: Iterable[Any]) -> pd.DataFrame:
    """Problems (file, line, column, message) as the rows of the problems table."""
    return pd.DataFrame(
        [{"file": p.file, "line": p.line, "column": p.column, "reason": p.message} for p in problems],
        columns=["file", "line", "column", "reason"],
    )


def problems_label(rejected: int, problems: int) -> str:
    """The heading of the problems list."""
    return f"⚠ {rejected} row(s) rejected, {problems} problem(s) in the data"


def selected_row(events: pd.DataFrame, event_id: str | None) -> pd.Series | None:
    """The event's row, or None when nothing (or an unknown id) is selected."""
    chosen = events[events["id"] == event_id]
    return chosen.iloc[0] if len(chosen) else None


def shown_on_map(selected: pd.Series | None, window_events: pd.DataFrame) -> pd.Series | None:
    """The selected event when it lies in the window (the map marks it), else None."""
    if selected is None or not (window_events["id"] == selected["id"]).any():
        return None
    return selected


def map_center(selected: pd.Series | None) -> tuple[float, float] | None:
    """Where the map centres: on the selected event when it has coordinates, else where the user left it."""
    if selected is None or pd.isna(selected["latitude"]) or pd.isna(selected["longitude"]):
        return None
    return float(selected["latitude"]), float(selected["longitude"])


def table_pick(selection: Mapping[str, Any] | None, ids: Sequence[str]) -> str | None:
    """The event id of the table row a selection picks (indices into the table drawn last run), or None."""
    rows = ((selection or {}).get("selection") or {}).get("rows") or []
    return ids[rows[0]] if rows and 0 <= rows[0] < len(ids) else None


def click_selection(
    returned: Mapping[str, Any] | None, window_events: pd.DataFrame, districts: gpd.GeoDataFrame
) -> tuple[str | None, str | None] | None:
    """(selected event, selected district) after a map click, or None when the click selects nothing."""
    kind, value = click_target(returned, window_events, districts)
    if kind == "event":
        return value, None
    if kind == "district":
        return None, value
    return None


def same_place_choices(others: pd.DataFrame) -> dict[str, str]:
    """Event id -> 'YYYY-MM-DD · title' for the other events at the selected event's point."""
    return dict(zip(others["id"], others["date_start"].dt.strftime("%Y-%m-%d") + " · " + others["title"]))


def toggle_play(playing: bool, window: Window) -> tuple[bool, Window]:
    """Start or stop playback; starting with the window's end at the timeline's end rewinds the end to the start."""
    start, end = window
    if not playing and end >= schema.TIMELINE_END:
        return True, (start, start)
    return not playing, window


def play_tick(window: Window, now: float, last_tick: float) -> tuple[bool, Window | None]:
    """(tick, next window) for a playback timer firing at `now`: no tick when the last was under an interval ago.

    The timer's fragment also runs within every full rerun; the clock keeps those from advancing the
    window early. The next window is None at the timeline's end: playback stops.
    """
    if now - last_tick < PLAY_INTERVAL_S * 0.9:
        return False, window
    return True, next_play_window(window)


def status_key(status: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """A hashable, order-free key of a control status mapping (for caches)."""
    return tuple(sorted(status.items()))


# A click this far off the theatre's land still names the nearest settlement (the coast of a reservoir, a
# border village across the line); farther away it names none.
THEATRE_CLICK_KM = 10.0


def clicked_place(
    returned: Mapping[str, Any] | None, window_events: pd.DataFrame, territory: Territory, when: date
) -> Place | None:
    """The settlement whose control history a map click asks for: the one whose ground the click is on on
    `when` (the window's end, the date the map shows), or the nearest one just off the land; None for a click
    on an event or far from the theatre."""
    if not returned or event_id_from_click(returned, window_events):
        return None
    clicked = returned.get("last_object_clicked")
    if not isinstance(clicked, Mapping) or clicked.get("lat") is None or clicked.get("lng") is None:
        return None
    lat, lon = float(clicked["lat"]), float(clicked["lng"])
    point = to_metric(Point(lon, lat))
    if territory.frontline.theatre.land.distance(point) > THEATRE_CLICK_KM * 1000:
        return None
    return territory.nearest(lat, lon, when)


def linked_event_choices(holdings: Iterable[Holding], events: pd.DataFrame) -> dict[str, str]:
    """Event id -> 'YYYY-MM-DD · title' for the events linked to a settlement's control changes, in order."""
    ids = list(dict.fromkeys(h.cause.event_id for h in holdings if h.cause.event_id))
    linked = events[events["id"].isin(ids)].set_index("id")
    return {i: f"{linked.at[i, 'date_start']:%Y-%m-%d} · {linked.at[i, 'title']}" for i in ids if i in linked.index}
