"""The page's decisions without Streamlit: settings, control labels, selection, the map's view and legend.

app.py reads widgets and session state, calls these functions (and those of dashboard.state,
dashboard.urlstate, dashboard.filters and dashboard.table) and renders what they return; every
function here takes what it needs as arguments and is tested in tests/test_page.py.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyarrow as pa
from shapely.geometry import Point

from dashboard import schema
from dashboard.control import Holding
from dashboard.corridor import PEACEKEEPING_END, PEACEKEEPING_START
from dashboard.filters import Near, actors
from dashboard.gazetteer import Gazetteer, Place
from dashboard.map.dated import contact_line_shown
from dashboard.search import SearchIndex
from dashboard.selection import click_target, event_id_from_click
from dashboard.table import table_frame
from dashboard.territory import Territory
from dashboard.theatre import to_metric

Window = tuple[date, date]
MAP_HEIGHT = 480  # px: the map and the window's controls fit a 390×844 phone screen
PLACE_ZOOM = 12  # the zoom the map flies to for a place found by the place search
DISPUTED_LABELS: dict[str, str] = {"any": "all accounts", "only": "only disputed", "hide": "hide disputed"}
EVIDENCE_LABELS: dict[str, str] = {
    "all": "all events",
    "hide-unverified-claims": "hide unverified claims",
    "verified": "independently verified only",
}
# Keyboard shortcuts of the timeline's buttons (Streamlit shows them on the buttons).
SHORTCUTS: dict[str, str] = {"earlier": "J", "later": "L", "previous": "P", "next": "N", "play": "K"}


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


class EventsView:
    """The valid events of one file with place names in one language, and what the page derives from them:
    the search index and the list of actors (each made on first use), the markers' HTML (filled as drawn).

    The page keeps one per file and language for every session; nothing in it changes once made.
    """

    def __init__(self, events: pd.DataFrame, gazetteer: Gazetteer, lang: str):
        self.frame = with_place_names(events, gazetteer, lang)
        self.marker_html: dict[str, tuple[str, str]] = {}
        self._gazetteer = gazetteer
        self._lang = lang

    @cached_property
    def table(self) -> pa.Table:
        """The event table's row of every event, in the order of `frame`, as Arrow: a slider step takes its
        window's rows instead of formatting them again (~25 ms at 15,000 rows), and Streamlit sends an Arrow
        table as it is instead of converting a frame on every step (~15 ms at 15,000 rows)."""
        return pa.Table.from_pandas(table_frame(self.frame, self._lang), preserve_index=False)

    def table_rows(self, shown: pd.DataFrame) -> pa.Table:
        """The table's rows of `shown` (a subset of `frame`), in its order."""
        return self.table.take(self.frame.index.get_indexer(shown.index))

    @cached_property
    def index(self) -> SearchIndex:
        """The text search index of `frame` (same rows, same order); ~0.2 ms an event, so made on first search."""
        return SearchIndex.build(self.frame, self._gazetteer)

    @cached_property
    def actors(self) -> list[str]:
        """Every actor named on either side, most frequent first."""
        return actors(self.frame)


def with_all_place_names(events: pd.DataFrame, gazetteer: Gazetteer) -> pd.DataFrame:
    """The events with place_en, place_az and place_hy: each location's name in the three languages (for exports)."""
    names = {f"place_{lang}": with_place_names(events, gazetteer, lang)["place"] for lang in ("en", "az", "hy")}
    return events.assign(**names)


def with_place_names(events: pd.DataFrame, gazetteer: Gazetteer, lang: str) -> pd.DataFrame:
    """The events with a `place` column: each location's name in `lang` (as written when unknown)."""
    names = gazetteer.display_names(events["location"].unique(), lang)
    return events.assign(place=events["location"].map(names))


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
    if event_id is None:  # most reruns: nothing chosen, no need to compare every id
        return None
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


def map_view(selected: pd.Series | None, near: Near | None) -> tuple[tuple[float, float] | None, int | None]:
    """(centre, zoom) the map is sent: the selected event's point, else the searched place's closer up, else
    nothing (the map stays where the user left it)."""
    center = map_center(selected)
    if center is not None:
        return center, None
    if near is not None:
        return (near.lat, near.lon), PLACE_ZOOM
    return None, None


def table_change(selection: Mapping[str, Any] | None, ids: Sequence[str], last_pick: str | None) -> str | None:
    """What the table's selection asks for: 'pick' a newly ticked row, 'clear' when the row ticked before was
    unticked, None when nothing changed."""
    picked = table_pick(selection, ids)
    if picked and picked != last_pick:
        return "pick"
    if not picked and last_pick:
        return "clear"
    return None


def dated_legend(corridor_status: str | None, when: date) -> dict[str, Any]:
    """Which dated layers the legend lists on `when` (the window's end): the line of contact, the corridor
    (with its status, None before it existed) and the peacekeeping zone."""
    return {
        "contact_line": contact_line_shown(when),
        "corridor_status": corridor_status,
        "peacekeeping": PEACEKEEPING_START <= when < PEACEKEEPING_END,
    }


def table_key(generation: int) -> str:
    """The table widget's key. Streamlit keeps a ticked row by its index whatever rows come next, so the page
    starts a new widget (no tick) when that index would name another event: see `table_tick_stale`."""
    return f"table-{generation}"


def table_tick_stale(
    ticked: str | None, selected_event: str | None, drawn: Sequence[str], shown: Sequence[str]
) -> bool:
    """Whether the ticked row (`ticked`, an event id of the rows `drawn` last run) must go before `shown` is
    drawn: the rows changed under it, or something else (map, list, steps, "Clear selection") is the selection."""
    return ticked is not None and (ticked != selected_event or list(drawn) != list(shown))


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
