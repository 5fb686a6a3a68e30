"""The event filters (types, text, place, actors, disputed, verification, fatalities) applied together to one frame.

The page filters once and hands the same frame to the map, the table, the counts, the chart and the
downloads, so they always agree.

>>> window = filter_window(events, start, end)                                  # doctest: +SKIP
>>> shown = apply(window, Filters(query="Şuşa", evidence="verified"), index)    # doctest: +SKIP
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from dashboard import schema
from dashboard.search import SearchIndex

# Disputed accounts: every event, only disputed ones, or none of them.
DISPUTED_CHOICES: tuple[str, ...] = ("any", "only", "hide")
# Verification: every event; hide claims no independent source confirmed; only verified events.
EVIDENCE_CHOICES: tuple[str, ...] = ("all", "hide-unverified-claims", "verified")
ACTOR_SEPARATOR = ";"  # several actors in one side cell
NEAR_KM = 10.0  # default radius of the place filter


@dataclass(frozen=True)
class Near:
    """Events within `km` of a point (a settlement chosen by the place search)."""

    name: str
    lat: float
    lon: float
    km: float = NEAR_KM


@dataclass(frozen=True)
class Filters:
    """Every filter of the page; the defaults let every event through."""

    types: tuple[str, ...] = ()
    query: str = ""
    near: Near | None = None
    actors: tuple[str, ...] = ()
    disputed: str = "any"
    evidence: str = "all"
    min_fatalities: int = 0

    def __post_init__(self) -> None:
        unknown = sorted(set(self.types) - set(schema.EVENT_TYPES))
        if unknown:
            raise ValueError(f"unknown event type(s) {', '.join(unknown)}; known: {', '.join(schema.EVENT_TYPES)}")
        if self.disputed not in DISPUTED_CHOICES:
            raise ValueError(f"disputed must be one of {', '.join(DISPUTED_CHOICES)}, got {self.disputed!r}")
        if self.evidence not in EVIDENCE_CHOICES:
            raise ValueError(f"evidence must be one of {', '.join(EVIDENCE_CHOICES)}, got {self.evidence!r}")
        if self.min_fatalities < 0:
            raise ValueError(f"min_fatalities must be 0 or more, got {self.min_fatalities}")

    @property
    def active(self) -> int:
        """How many filters narrow the events (for the 'Filters (n)' heading)."""
        default = Filters()
        return sum(getattr(self, name) != getattr(default, name) for name in FILTER_FIELDS)

    def cleared(self) -> Filters:
        """The same filters with nothing narrowing the events."""
        return replace(self, **{name: getattr(Filters(), name) for name in FILTER_FIELDS})


FILTER_FIELDS: tuple[str, ...] = ("types", "query", "near", "actors", "disputed", "evidence", "min_fatalities")


def apply(events: pd.DataFrame, filters: Filters, index: SearchIndex | None = None) -> pd.DataFrame:
    """The events that pass every filter; `index` (built on `events`' rows, in order) is needed for a query.

    Rows keep their order and index.
    """
    return events[mask(events, filters, index)]


def mask(events: pd.DataFrame, filters: Filters, index: SearchIndex | None = None) -> np.ndarray:
    """A boolean mask over `events`: True for rows passing every filter."""
    keep = np.ones(len(events), dtype=bool)
    if filters.types:
        keep &= events["event_type"].isin(filters.types).to_numpy()
    if filters.query.strip():
        if index is None or len(index.haystack) != len(events):
            raise ValueError("a text query needs a SearchIndex built on the same events")
        keep &= index.matches(filters.query)
    if filters.near is not None:
        keep &= within_km(events, filters.near)
    if filters.actors:
        keep &= involves(events, filters.actors)
    if filters.disputed != "any":
        disputed = _flag(events, "disputed")
        keep &= disputed if filters.disputed == "only" else ~disputed
    if filters.evidence != "all":
        verified = _flag(events, "verified")
        if filters.evidence == "verified":
            keep &= verified
        else:
            claimed = events["claimed_by"].fillna("").astype(str).str.strip().ne("").to_numpy()
            keep &= verified | ~claimed
    if filters.min_fatalities > 0:
        keep &= (best_fatalities(events).fillna(-1) >= filters.min_fatalities).to_numpy()
    return keep


def best_fatalities(events: pd.DataFrame) -> pd.Series:
    """Each event's best fatality figure there is: the best estimate, else the low, else the high figure."""
    return events["fatalities_best"].fillna(events["fatalities_low"]).fillna(events["fatalities_high"])


def within_km(events: pd.DataFrame, near: Near) -> np.ndarray:
    """True for events whose coordinates lie within `near.km` of its point (great circle); False without any."""
    lat = np.radians(events["latitude"].to_numpy(dtype=float))
    lon = np.radians(events["longitude"].to_numpy(dtype=float))
    lat0, lon0 = math.radians(near.lat), math.radians(near.lon)
    h = np.sin((lat - lat0) / 2) ** 2 + math.cos(lat0) * np.cos(lat) * np.sin((lon - lon0) / 2) ** 2
    distance = 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(h, 0, 1)))
    return np.nan_to_num(distance, nan=np.inf) <= near.km


def actors(events: pd.DataFrame) -> list[str]:
    """Every actor named in side_a or side_b, most frequent first (ties by name)."""
    counts = _actor_rows(events)["actor"].value_counts()
    return sorted(counts.index, key=lambda name: (-int(counts[name]), name))


def involves(events: pd.DataFrame, chosen: tuple[str, ...]) -> np.ndarray:
    """True for events naming any of `chosen` on either side."""
    rows = _actor_rows(events)
    hit = rows.loc[rows["actor"].isin(chosen), "position"].unique()
    out = np.zeros(len(events), dtype=bool)
    out[hit] = True
    return out


def _actor_rows(events: pd.DataFrame) -> pd.DataFrame:
    """One row per (event position, actor) of side_a and side_b, actors split at ';' and stripped."""
    frames = []
    for column in ("side_a", "side_b"):
        names = events[column].fillna("").astype(str).str.split(ACTOR_SEPARATOR)
        frames.append(pd.DataFrame({"position": np.arange(len(events)), "actor": names.to_numpy()}))
    rows = pd.concat(frames).explode("actor")
    rows["actor"] = rows["actor"].astype(str).str.strip()
    return rows[rows["actor"] != ""]


def _flag(events: pd.DataFrame, column: str) -> np.ndarray:
    """A flag column as booleans (missing = False)."""
    return events[column].fillna(False).astype(bool).to_numpy()
