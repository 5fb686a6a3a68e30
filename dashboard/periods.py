"""District-level control: periods of each district and the NKAO, and questions asked of them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import geopandas as gpd
import pandas as pd

from dashboard import schema
from dashboard.problems import Problem

# A territory counts as held by one side when that side holds at least this share of it; else `partial`.
WHOLE_SHARE = 0.98


@dataclass(frozen=True)
class ControlPeriod:
    """A territory's status over [start, end): from start up to, not including, end."""

    territory: str
    start: date
    end: date
    controlled_by: str
    event_id: str
    note: str


class ControlError(Exception):
    """The control file cannot be read at all; the message names it."""


def period_from_row(row: dict[str, str], name: str, line: int) -> tuple[ControlPeriod | None, Problem | None]:
    """A ControlPeriod from one row, or the problem with it."""
    if row["territory"] not in schema.TERRITORY_NAMES:
        return None, Problem(
            name, line, "territory", f"{row['territory']!r} is not one of {', '.join(schema.TERRITORY_NAMES)}"
        )
    if row["controlled_by"] not in schema.CONTROL_STATES:
        return None, Problem(
            name, line, "controlled_by", f"{row['controlled_by']!r} is not one of {', '.join(schema.CONTROL_STATES)}"
        )
    try:
        start, end = date.fromisoformat(row["date_start"]), date.fromisoformat(row["date_end"])
    except ValueError:
        return None, Problem(name, line, "date_start", "dates must be real YYYY-MM-DD dates")
    if end <= start:
        return None, Problem(name, line, "date_end", "period ends before or when it starts")
    return ControlPeriod(
        row["territory"], start, end, row["controlled_by"], row["event_id"].strip(), row["note"].strip()
    ), None


def continuity_problems(periods: list[ControlPeriod], name: str) -> list[Problem]:
    """Each territory's periods must run from the timeline's start to its end without gap or overlap."""
    problems = []
    for territory in schema.TERRITORY_NAMES:
        own = sorted((p for p in periods if p.territory == territory), key=lambda p: p.start)
        if not own:
            problems.append(Problem(name, 1, "territory", f"no control history for {territory}"))
            continue
        if own[0].start > schema.TIMELINE_START or own[-1].end < schema.TIMELINE_END:
            problems.append(Problem(name, 1, "territory", f"{territory}: history does not cover the whole timeline"))
        for before, after in zip(own, own[1:]):
            if before.end != after.start:
                problems.append(
                    Problem(
                        name, 1, "date_start", f"{territory}: gap or overlap between {before.end} and {after.start}"
                    )
                )
    return problems


def event_link_problems(periods: list[ControlPeriod], event_ids: Iterable[str], name: str) -> list[Problem]:
    """Every change of control names an event that exists in the event table."""
    known = set(event_ids)
    return [
        Problem(name, 1, "event_id", f"{p.territory} {p.start}: event {p.event_id!r} is not in the event table")
        for p in periods
        if p.event_id and p.event_id not in known
    ]


def status_at(periods: Iterable[ControlPeriod], when: date) -> dict[str, str]:
    """Each territory's controller on `when`; the timeline's last day counts as inside the last period."""
    status = {}
    for p in periods:
        if p.start <= when < p.end or (when == p.end == schema.TIMELINE_END):
            status[p.territory] = p.controlled_by
    return status


def history(periods: Iterable[ControlPeriod], territory: str) -> list[ControlPeriod]:
    """One territory's periods in order."""
    return sorted((p for p in periods if p.territory == territory), key=lambda p: p.start)


def events_points(events: pd.DataFrame) -> gpd.GeoDataFrame:
    """Events as a point GeoDataFrame (EPSG:4326)."""
    geometry = gpd.points_from_xy(events["longitude"], events["latitude"], crs="EPSG:4326")
    return gpd.GeoDataFrame(events, geometry=geometry)


def events_in_territory(events: pd.DataFrame, territories: gpd.GeoDataFrame, name: str) -> pd.DataFrame:
    """The events that lie inside the territory whose name_en is `name` (a spatial join)."""
    area = territories[territories["name_en"] == name]
    if area.empty or events.empty:
        return events.iloc[0:0]
    joined = gpd.sjoin(events_points(events), area[["name_en", "geometry"]], predicate="within", how="inner")
    return events.loc[joined.index.unique()]


def share_note(shares: Iterable[float]) -> str:
    """'held by Armenian forces: 66%' or, when it moved over the period, '0-66%'."""
    low, high = min(shares), max(shares)
    spread = f"{low:.0%}" if round(low, 2) == round(high, 2) else f"{low:.0%}–{high:.0%}"
    return f"share held by Armenian forces: {spread}"


def status(shares: dict[str, float]) -> str:
    """armenian or azerbaijan when one side holds (almost) all of a territory, else partial."""
    for holder in ("armenian", "azerbaijan"):
        if shares[holder] >= WHOLE_SHARE:
            return holder
    return "partial"
