"""Who held what when: the settlement-level control model with its geometry, and the districts' share of it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from dashboard import geodata, schema
from dashboard.control import (
    CHANGES_PATH,
    HOLDERS,
    LINE_OF_CONTACT,
    RULES_PATH,
    UNITS,
    Assertion,
    ControlFileError,
    ControlModel,
    Holding,
    event_problems,
    holding_record,
    overlap_problems,
    read_changes,
    read_rows,
    read_rules,
    start_problems,
)
from dashboard.corridor import (
    NOT_AFFECTED,
    PEACEKEEPING_END,
    PEACEKEEPING_START,
    ROUTES_PATH,
    STATUS_PATH,
    ZONE_FROZEN_FROM,
    Corridor,
    load_corridor,
    peacekeeping_zone,
)
from dashboard.frontline import Frontline
from dashboard.gazetteer import (
    GEONAMES_SETTLEMENTS_PATH,
    SETTLEMENTS_PATH,
    Gazetteer,
    GazetteerError,
    GeocodeError,
    Place,
    geonames_fallback,
    load_gazetteer,
)
from dashboard.periods import (
    ControlError,
    ControlPeriod,
    continuity_problems,
    event_link_problems,
    events_in_territory,
    history,
    period_from_row,
    share_note,
    status,
    status_at,
)
from dashboard.problems import Problem
from dashboard.theatre import Theatre, in_azerbaijan, is_held_ground, load_theatre, metric_point, unit_centres, unit_of

# Re-exported: the page and the CLI ask the district-level questions here.
__all__ = [
    "ControlError",
    "ControlPeriod",
    "Territory",
    "event_link_problems",
    "events_in_territory",
    "history",
    "load_control",
    "load_territory",
    "status_at",
]


def load_control(path: Path = schema.CONTROL_PATH) -> tuple[list[ControlPeriod], list[Problem]]:
    """Each district's and the NKAO's periods, and the problems of the files they come from.

    From the district-level control.csv while it exists; without it, derived from the settlement-level
    files next to it (control_rules.csv, control_changes.csv) through `Territory.district_periods`.
    """
    path = Path(path)
    if not path.exists():
        rules = path.parent / RULES_PATH.name
        if not rules.exists():
            raise ControlError(f"{rules}: cannot read the control history: the file is missing")
        territory, found = load_territory(path.parent)
        return territory.district_periods(), found
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise ControlError(f"{path}: cannot read the control history: {error}") from error
    missing = set(schema.CONTROL_COLUMNS) - set(frame.columns)
    if missing:
        raise ControlError(f"{path}:1: header lacks {', '.join(sorted(missing))}")
    periods: list[ControlPeriod] = []
    problems: list[Problem] = []
    for offset, row in enumerate(frame.to_dict("records")):
        period, problem = period_from_row({str(k): str(v) for k, v in row.items()}, str(path), offset + 2)
        if period is not None:
            periods.append(period)
        if problem is not None:
            problems.append(problem)
    return periods, problems + continuity_problems(periods, str(path))


# --- The settlement-level model ---------------------------------------------------------------------------


class Territory:
    """The control model of every settlement with its geometry: holders, territory polygons, corridor.

    Made by `load_territory`; every question the page and the CLI ask of control goes through it.
    """

    def __init__(
        self, gazetteer: Gazetteer, model: ControlModel[Place], frontline: Frontline[Place], corridor: Corridor
    ):
        self.gazetteer = gazetteer
        self.model = model
        self.frontline = frontline
        self.corridor = corridor
        self._zones: dict[tuple[object, ...], gpd.GeoDataFrame] = {}

    def place(self, query: str) -> Place:
        """The settlement a name resolves to; GeocodeError (with candidates) when unknown, ambiguous or not
        a place of the theatre whose holder is recorded."""
        place = self.gazetteer.resolve(query)
        if place not in self.model.units:
            raise GeocodeError(
                query, f"{place.name_en} is not a settlement of the theatre", self.gazetteer.suggestions(query)
            )
        return place

    def holding(self, place: Place, when: date) -> Holding | None:
        """Who held the place on `when`, since when and why; None before anything is recorded."""
        return self.model.holding_at(place, when)

    def record(self, query: str, when: date) -> dict[str, object]:
        """The `control --at` answer: place, date, controlled_by, since, event_id, source (and more)."""
        place = self.place(query)
        return holding_record(place.name_en, when, self.holding(place, when))

    def timeline(self, place: Place) -> list[Holding]:
        """The place's control periods in order, each with the assertion (event, source) that began it."""
        return self.model.timeline(place)

    def timeline_records(self, place: Place) -> list[dict[str, object]]:
        """The place's periods as plain records for the details panel: start, end (None: open), holder, and
        the event, source, claim and note of the change that began each."""
        return [
            {
                "start": h.start.isoformat(),
                "end": h.end.isoformat() if h.end else None,
                "controlled_by": h.controlled_by,
                "event_id": h.cause.event_id or None,
                "source": h.cause.source,
                "source_url": h.cause.source_url or None,
                "claimed_by": h.cause.claimed_by or None,
                "note": h.cause.note or None,
            }
            for h in self.timeline(place)
        ]

    def nearest(self, lat: float, lon: float, when: date) -> Place | None:
        """The settlement whose ground a clicked point is on (the nearest one off the land)."""
        return self.frontline.place_at(lat, lon, when)

    def front(self, when: date) -> gpd.GeoDataFrame:
        """Territory per holder (and per contested area) on `when`: controlled_by, area_km2, geometry."""
        return self.frontline.at(when)

    def changed_since(self, when: date, days: int = 30) -> gpd.GeoDataFrame:
        """Ground that changed hands in the `days` before `when`: controlled_by, previously, area_km2."""
        return self.frontline.changed_since(when, days)

    def front_line(self, when: date) -> BaseGeometry:
        """The line where Armenian-held ground meets the rest on `when` (lon/lat)."""
        return self.frontline.front_line(when)

    def corridor_at(self, when: date) -> gpd.GeoDataFrame:
        """The Lachin corridor in force on `when` (road and strip with status); empty before it existed."""
        return self.corridor.at(when)

    def peacekeeping_zone(self, when: date) -> gpd.GeoDataFrame:
        """The Russian peacekeeping zone on `when`; empty outside 2020-11-10 .. June 2024. Made once per
        change date and corridor period."""
        as_of = min(when, ZONE_FROZEN_FROM - timedelta(days=1))
        period = self.corridor.period_at(as_of)
        key = (PEACEKEEPING_START <= when < PEACEKEEPING_END, self.frontline.key(as_of), period and period.start)
        if key not in self._zones:
            self._zones[key] = peacekeeping_zone(self._armenian_held, self.corridor, when)
        return self._zones[key]

    def _armenian_held(self, when: date) -> BaseGeometry:
        """The Armenian-held ground on a date (lon/lat)."""
        front = self.front(when)
        return shapely.union_all(front.loc[front["controlled_by"] == "armenian"].geometry.values)

    def district_shares(self, when: date) -> list[dict[str, object]]:
        """Each district's and the NKAO's km2 per holder on `when`, its share held by Armenian forces and
        its status (armenian, azerbaijan or partial)."""
        rows = []
        for name, km2 in self.frontline.shares(when).items():
            total = km2["area_km2"] or 1.0
            shares = {holder: km2[holder] / total for holder in HOLDERS}
            rows.append(
                {
                    "territory": name,
                    "date": when.isoformat(),
                    "controlled_by": status(shares),
                    "area_km2": km2["area_km2"],
                    **{f"{h}_km2": km2[h] for h in HOLDERS},
                    "armenian_share": round(shares["armenian"], 3),
                }
            )
        return rows

    def district_periods(self) -> list[ControlPeriod]:
        """Each district's and the NKAO's periods of one status, from the change dates of the settlements in
        it; each names the event of the first settlement change that began it, its note the range of the
        share held by Armenian forces over the period."""
        keys = self.frontline.keys or [schema.TIMELINE_START]
        by_key = {key: {str(r["territory"]): r for r in self.district_shares(key)} for key in keys}
        periods: list[ControlPeriod] = []
        for name in self.frontline.theatre.territories:
            runs: list[tuple[date, date, str, list[float]]] = []
            for start, end in zip([schema.TIMELINE_START, *keys[1:]], [*keys[1:], schema.TIMELINE_END]):
                row = by_key[start if start in by_key else keys[0]][name]
                held, share = str(row["controlled_by"]), float(row["armenian_share"])  # type: ignore[arg-type]
                if runs and runs[-1][2] == held:
                    runs[-1] = (runs[-1][0], end, held, [*runs[-1][3], share])
                else:
                    runs.append((start, end, held, [share]))
            periods += [
                ControlPeriod(name, start, end, held, self._cause(name, start), share_note(shares))
                for start, end, held, shares in runs
            ]
        return periods

    def _cause(self, territory: str, when: date) -> str:
        """The event of the first settlement in a territory whose period begins on `when` ("" if none)."""
        polygon = self.frontline.theatre.territories[territory]
        for place, point in zip(self.frontline.places, self.frontline.points):
            holding = self.holding(place, when)
            if holding and holding.start == when and holding.cause.event_id and polygon.covers(point):
                return holding.cause.event_id
        return ""


def load_territory(
    geodata_dir: Path = schema.GEODATA_DIR, gazetteer: Gazetteer | None = None
) -> tuple[Territory, list[Problem]]:
    """The territory model from a geodata folder and the problems of its control files.

    ControlError when a file cannot be read at all (missing, undecodable, header lacking columns).
    """
    try:
        gazetteer = gazetteer or load_gazetteer(
            geodata_dir / schema.PLACES_PATH.name,
            geodata_dir / SETTLEMENTS_PATH.name,
            geodata_dir / GEONAMES_SETTLEMENTS_PATH.name,
            geonames_fallback,
        )
        theatre = load_theatre(geodata_dir)
        rules, problems = read_rules(geodata_dir / RULES_PATH.name)
        changes, more = read_changes(geodata_dir / CHANGES_PATH.name)
        corridor, corridor_problems = _corridor(geodata_dir, theatre)
        problems += more + corridor_problems + settlement_problems(geodata_dir / SETTLEMENTS_PATH.name)
    except (ControlFileError, GazetteerError, geodata.GeodataError) as error:
        raise ControlError(str(error)) from error
    by_place, resolve_problems = resolve_changes(changes, gazetteer)
    settlements = list(dict.fromkeys([*filter(is_held_ground, gazetteer.settlements), *by_place]))
    centres = unit_centres(gazetteer)
    units = {p: u for p in settlements if (u := unit_of(p, theatre, centres))}
    sides = {p: theatre.side_of(metric_point(p)) for p, unit in units.items() if in_azerbaijan(unit)}
    model = ControlModel(rules, by_place, units, sides)
    loc = [r.latest for r in rules if r.kind == LINE_OF_CONTACT]
    frontline = Frontline(model, theatre, list(units), [metric_point(p) for p in units], min(loc, default=None))
    corridor.keep_out(shapely.union_all([frontline.cell_of(gazetteer.resolve(name)) for name in NOT_AFFECTED]))
    problems += (
        resolve_problems
        + overlap_problems(rules, lambda r: r.target)
        + overlap_problems([c for cs in by_place.values() for c in cs], lambda c: c.target)
        + start_problems(rules, set(units.values()), str(geodata_dir / RULES_PATH.name))
    )
    return Territory(gazetteer, model, frontline, corridor), sorted(problems)


def _corridor(geodata_dir: Path, theatre: Theatre) -> tuple[Corridor, list[Problem]]:
    """The corridor of the folder; none (no periods) while its files are missing."""
    routes, status_path = geodata_dir / ROUTES_PATH.name, geodata_dir / STATUS_PATH.name
    if not routes.exists() and not status_path.exists():
        return Corridor({}, []), []
    return load_corridor(routes, status_path, theatre.armenia)


def resolve_changes(
    changes: Iterable[Assertion], gazetteer: Gazetteer
) -> tuple[dict[Place, list[Assertion]], list[Problem]]:
    """The changes by the place each names, and a problem for each place that is unknown or ambiguous."""
    by_place: dict[Place, list[Assertion]] = {}
    problems = []
    for change in changes:
        try:
            place = gazetteer.resolve(change.target)
        except GeocodeError as error:
            problems.append(Problem(change.file, change.line, "place", str(error)))
            continue
        by_place.setdefault(place, []).append(change)
    return by_place, problems


def settlement_problems(path: Path) -> list[Problem]:
    """Rows of the curated settlements file whose district is not a unit of 1988."""
    if not path.exists():
        return []
    return [
        Problem(str(path), line, "district", f"unknown unit {row['district']!r}; one of {', '.join(UNITS)}")
        for line, row in read_rows(path, ("name_en", "district"))
        if row["district"] not in UNITS
    ]


def control_problems(territory_dir: Path, events: dict[str, tuple[date, date]]) -> list[Problem]:
    """Every problem of the control files of a folder, event links included (for `validate`)."""
    territory, problems = load_territory(territory_dir)
    changes = [c for cs in territory.model.changes.values() for c in cs]
    # A corridor status runs for months or years from its event (a road opened days after a handover): only
    # its event id is checked.
    return sorted(
        problems
        + event_problems([*territory.model.rules, *changes], events)
        + event_problems(territory.corridor.periods, events, check_dates=False)
    )
