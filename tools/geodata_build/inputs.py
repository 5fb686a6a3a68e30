"""The build's inputs besides the package: admin centres from the gazetteer and hand-placed geometry from data/*.csv.

Hand-placed geometry is data, not code: tools/geodata_build/data/ holds the two town anchors not in
the gazetteer (anchors.csv), the approximate ring of the former Martakert raion (martakert_raion.csv),
and the waypoints of the 1994-2020 line of contact with what each is placed against
(line_of_contact.csv). A bad value is a BuildError naming FILE:LINE.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pandas as pd

from dashboard.schema import DISTRICT_NAMES
from tools.geodata_build.common import BuildError, Centre

DATA_DIR = Path(__file__).resolve().parent / "data"
Waypoint = tuple[float, float, str]  # lat, lon, what it is placed against

# Place names read from places.csv: the seven districts' centres and the NKAO's units.
NKAO_UNIT_CENTRES: tuple[str, ...] = ("Shusha", "Khojaly", "Martuni")
NKAO_CHECK_CENTRES: tuple[str, ...] = ("Stepanakert", "Shusha", "Khojaly", "Martuni")


def _rows(path: Path, columns: Iterable[str]) -> list[tuple[int, dict[str, str]]]:
    """(line, row) of a data file whose header has `columns`."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = set(columns) - set(reader.fieldnames or ())
            if missing:
                raise BuildError(f"{path}:1: header lacks {', '.join(sorted(missing))}")
            return [(reader.line_num, row) for row in reader]
    except OSError as error:
        raise BuildError(f"{path}: cannot read: {error}") from error


def _number(path: Path, line: int, row: dict[str, str], column: str) -> float:
    try:
        return float(row[column])
    except (TypeError, ValueError):
        raise BuildError(f"{path}:{line}: {column}: {row[column]!r} is not a number") from None


def _waypoints(path: Path, note_column: str = "placed_against") -> list[tuple[dict[str, str], Waypoint]]:
    return [
        (row, (_number(path, line, row, "lat"), _number(path, line, row, "lon"), row.get(note_column) or ""))
        for line, row in _rows(path, ("lat", "lon"))
    ]


@cache
def anchors(path: Path = DATA_DIR / "anchors.csv") -> dict[str, Centre]:
    """Town anchors that are not in places.csv (approximate coordinates), by name."""
    return {
        row["name"]: Centre(row["name"], lat, lon, tuple(filter(None, row["labels"].split("|"))), note)
        for row, (lat, lon, note) in _waypoints(path, "note")
    }


@cache
def martakert_raion(path: Path = DATA_DIR / "martakert_raion.csv") -> tuple[tuple[float, float], ...]:
    """The approximate ring of the former Martakert raion, (lat, lon) waypoints."""
    return tuple((lat, lon) for _, (lat, lon, _) in _waypoints(path))


@cache
def contact_line_waypoints(path: Path = DATA_DIR / "line_of_contact.csv") -> tuple[Waypoint, ...]:
    """The 1994-2020 line of contact, north to south, each waypoint with what it is placed against."""
    return tuple(point for _, point in _waypoints(path))


def ring_note(ring: Iterable[tuple[float, float]]) -> str:
    """The ring's waypoints as text, for the NKAO description."""
    return "ring waypoints, lat lon: " + "; ".join(f"{lat:.3f} {lon:.3f}" for lat, lon in ring)


def read_places(path: Path, names: Iterable[str]) -> dict[str, Centre]:
    """Centres for the given names from the gazetteer; exactly one row per name is required."""
    places = pd.read_csv(path, dtype=str, keep_default_na=False)
    centres: dict[str, Centre] = {}
    for name in names:
        rows = places[places["name_en"] == name]
        if len(rows) != 1:
            raise BuildError(f"{path}: expected one row named {name!r}, found {len(rows)}")
        row = rows.iloc[0]
        labels = (row["name_en"], row["name_az"], *row["alternates"].split("|"))
        centres[name] = Centre(
            name, float(row["latitude"]), float(row["longitude"]), tuple(label for label in labels if label)
        )
    return centres


def place_names(path: Path, name: str) -> tuple[str, str]:
    """The Azerbaijani and Armenian names of one gazetteer entry."""
    places = pd.read_csv(path, dtype=str, keep_default_na=False)
    row = places[places["name_en"] == name].iloc[0]
    return row["name_az"], row["name_hy"]


def all_centres(places_path: Path) -> tuple[list[Centre], dict[str, Centre]]:
    """The centres that are matched one-to-one to polygons, and every named centre by name."""
    from_places = read_places(places_path, (*DISTRICT_NAMES, *NKAO_CHECK_CENTRES))
    towns = anchors()
    matched = [from_places[name] for name in (*DISTRICT_NAMES, *NKAO_UNIT_CENTRES)] + [towns["Martakert"]]
    return matched, {**from_places, **towns}
