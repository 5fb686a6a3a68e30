"""Synthetic event tables for the benchmark: the real schema, valid rows, places from the gazetteer, seeded."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from dashboard import schema
from dashboard.gazetteer import Place, default_gazetteer, load_places

SEED = 1988
PLACE_KINDS = frozenset({"city", "town", "village", "bridge", "pass"})
# Periods of heavy fighting get a share of the synthetic events, as in real conflict data.
WAR_PERIODS: tuple[tuple[date, date], ...] = (
    (date(1991, 9, 1), date(1994, 5, 12)),
    (date(2016, 4, 1), date(2016, 4, 5)),
    (date(2020, 9, 27), date(2020, 11, 10)),
    (date(2023, 9, 19), date(2023, 9, 20)),
)
WAR_SHARE = 0.4
# Columns of schema v2 (written only when the schema has them; DictWriter leaves the others out).
FATALITIES_OF: tuple[str, ...] = getattr(schema, "FATALITIES_OF", ("armenian", "azerbaijani", "both", "other"))
CLAIMANTS: tuple[str, ...] = getattr(schema, "CLAIMANTS", ("Azerbaijan MoD", "Armenia MoD"))
_SIDES = (
    "Armenian forces",
    "Azerbaijani forces",
    "Karabakh Armenian forces",
    "Azerbaijani police",
    "Armenian civilians",
    "Azerbaijani civilians",
    "",
)


class NoPlacesError(LookupError):
    """The gazetteer has no place the synthetic rows could use."""


def benchmark_places() -> list[Place]:
    """Gazetteer places inside the region that resolve to themselves by their English name."""
    gazetteer = default_gazetteer()
    bounds = schema.REGION_BOUNDS
    places = []
    for place in load_places():
        if place.kind not in PLACE_KINDS:
            continue
        if not (bounds["south"] <= place.lat <= bounds["north"] and bounds["west"] <= place.lon <= bounds["east"]):
            continue
        try:
            resolved = gazetteer.resolve(place.name_en)
        except LookupError:
            continue
        if abs(resolved.lat - place.lat) < 1e-6 and abs(resolved.lon - place.lon) < 1e-6:
            places.append(place)
    if not places:
        raise NoPlacesError(f"no usable places in {schema.PLACES_PATH}")
    return places


def synthetic_rows(n: int, seed: int = SEED, places: Sequence[Place] | None = None) -> list[dict[str, str]]:
    """`n` valid event rows (the real schema), the same for the same n and seed.

    Places from the gazetteer, coordinates within ~3 km of them; dates over 1988–2024 with a share in
    the periods of heavy fighting; every event type; fatalities missing, known or a range.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    places = list(places or benchmark_places())
    rng = np.random.default_rng(seed + n)
    first, last = schema.TIMELINE_START, schema.TIMELINE_END
    span = (last - first).days
    day = rng.integers(0, span + 1, n)
    wars = rng.random(n) < WAR_SHARE
    period = rng.integers(0, len(WAR_PERIODS), wars.sum())
    war_days = [(a - first).days + int(rng.integers(0, (b - a).days + 1)) for a, b in (WAR_PERIODS[p] for p in period)]
    day[wars] = war_days
    length = np.where(rng.random(n) < 0.7, 0, rng.integers(1, 31, n))
    monthly = rng.random(n) < 0.1
    place_index = rng.integers(0, len(places), n)
    dlat, dlon = rng.uniform(-0.03, 0.03, n), rng.uniform(-0.04, 0.04, n)
    types = rng.integers(0, len(schema.EVENT_TYPES), n)
    best = np.floor(rng.pareto(1.2, n) * 3).astype(int)
    spread = rng.integers(0, 20, n)
    known = rng.random(n)
    side_a, side_b = rng.integers(0, len(_SIDES), n), rng.integers(0, len(_SIDES), n)
    disputed = rng.random(n) < 0.15
    whose = rng.integers(0, len(FATALITIES_OF), n)
    claimed = rng.integers(0, len(CLAIMANTS), n)
    verified = rng.random(n) < 0.5
    rows = []
    for i in range(n):
        start = first + timedelta(days=int(day[i]))
        if monthly[i]:
            start = start.replace(day=1)
            following = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
            end, precision = min(following - timedelta(days=1), last), "month"
        else:
            end, precision = min(start + timedelta(days=int(length[i])), last), "day"
        place = places[place_index[i]]
        kind = schema.EVENT_TYPES[types[i]]
        low, high = max(0, best[i] - spread[i]), best[i] + spread[i]
        fatalities = (
            ("", "", "")
            if known[i] < 0.3
            else ((str(best[i]),) * 3 if known[i] < 0.7 else (str(low), str(best[i]), str(high)))
        )
        rows.append(
            {
                "id": f"bench-{n}-{i:06d}",
                "date_start": start.isoformat(),
                "date_end": end.isoformat(),
                "date_precision": precision,
                "event_type": kind,
                "title": f"Synthetic {kind} near {place.name_en} ({i})",
                "summary": (
                    f"Benchmark row {i}: a {kind} reported near {place.name_en} from {start.isoformat()} to "
                    f"{end.isoformat()}. Generated by python -m benchmarks bench; not a real event."
                ),
                "location": place.name_en,
                "latitude": f"{place.lat + dlat[i]:.5f}",
                "longitude": f"{place.lon + dlon[i]:.5f}",
                "geo_precision": "exact",
                "outside_region": "false",
                "side_a": _SIDES[side_a[i]],
                "side_b": _SIDES[side_b[i]],
                "fatalities_low": fatalities[0],
                "fatalities_best": fatalities[1],
                "fatalities_high": fatalities[2],
                "disputed": "true" if disputed[i] else "false",
                "source": "Synthetic benchmark data (python -m benchmarks bench)",
                "fatalities_of": FATALITIES_OF[whose[i]] if fatalities[0] else "",
                "claimed_by": CLAIMANTS[claimed[i]] if disputed[i] else "",
                "verified": "false" if disputed[i] else ("true" if verified[i] else "false"),
                "source_url": f"https://example.org/benchmark/{n}/{i}",
            }
        )
    return rows


def write_synthetic(n: int, directory: Path, seed: int = SEED) -> Path:
    """Write `synthetic_rows(n)` as an events CSV in `directory`; return its path."""
    path = Path(directory) / f"events_{n}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=list(schema.EVENT_COLUMNS), lineterminator="\n", extrasaction="ignore"
        )
        writer.writeheader()
        writer.writerows(synthetic_rows(n, seed))
    return path
