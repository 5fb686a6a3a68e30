"""An audit of the event table: coverage per year and type, and how citable and balanced its rows are."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from dashboard import schema
from dashboard.gazetteer import SETTLEMENTS_PATH, Gazetteer, load_places, merge_places

# Answers whether a location resolves in the curated gazetteer (places.csv, settlements.csv).
IsCurated = Callable[[str], bool]


@dataclass(frozen=True)
class Audit:
    """The audit's figures; every share is a fraction of `rows`."""

    rows: int
    by_year_family: pd.DataFrame  # one row per year, one column per event family, plus "total"
    by_type: pd.Series
    with_url: int
    with_several_sources: int
    with_fatalities: int
    fatalities_by_side: pd.Series  # rows with figures, by whose deaths they count
    single_party_claims: pd.Series  # rows resting on one party's statement, by claimant
    verified: int
    disputed: int
    fallback_places: tuple[str, ...]  # locations only the GeoNames fallback knows

    def share(self, count: int) -> str:
        """`count` as a percentage of all rows."""
        return f"{100 * count / self.rows:.0f} %" if self.rows else "-"


def audit(events: pd.DataFrame, is_curated: IsCurated | None = None) -> Audit:
    """The audit of a loaded events frame; `is_curated` finds locations resting on the gazetteer's fallback."""
    family = events["event_type"].map(_family_of())
    years = events["date_start"].dt.year
    table = pd.crosstab(years, family).reindex(columns=list(schema.EVENT_FAMILIES), fill_value=0)
    table["total"] = table.sum(axis=1)
    figures = events[list(schema.FATALITY_COLUMNS)].notna().any(axis=1)
    claims = events.loc[events["claimed_by"] != "", "claimed_by"].value_counts()
    locations = sorted(set(events["location"]))
    fallback = tuple(n for n in locations if is_curated is not None and not is_curated(n))
    return Audit(
        rows=len(events),
        by_year_family=table,
        by_type=events["event_type"].value_counts().reindex(list(schema.EVENT_TYPES), fill_value=0),
        with_url=int((events["source_url"] != "").sum()),
        with_several_sources=int(events["source"].str.contains(schema.SOURCE_SEPARATOR, regex=False).sum()),
        with_fatalities=int(figures.sum()),
        fatalities_by_side=events.loc[figures, "fatalities_of"]
        .value_counts()
        .reindex(list(schema.FATALITIES_OF), fill_value=0),
        single_party_claims=claims,
        verified=int(events["verified"].sum()),
        disputed=int(events["disputed"].sum()),
        fallback_places=fallback,
    )


def is_curated_place(name: str) -> bool:
    """Whether the curated gazetteer (places.csv and settlements.csv, no GeoNames) resolves `name`."""
    try:
        _curated_gazetteer().resolve(name)
    except LookupError:
        return False
    return True


@lru_cache(maxsize=1)
def _curated_gazetteer() -> Gazetteer:
    """The gazetteer without its GeoNames tiers."""
    return Gazetteer(merge_places(load_places(schema.PLACES_PATH), load_places(SETTLEMENTS_PATH)))


def _family_of() -> dict[str, str]:
    """Event type → its family."""
    return {t: family for family, types in schema.EVENT_FAMILIES.items() for t in types}


def audit_markdown(result: Audit) -> str:
    """The audit as Markdown tables, as the README's data section shows it."""
    lines = [f"**{result.rows} events.** Sources and claims:", "", "| measure | rows | share |", "|---|---:|---:|"]
    measures = [
        ("with a source URL", result.with_url),
        ("with more than one source", result.with_several_sources),
        ("independently verified (`verified`)", result.verified),
        ("marked `disputed`", result.disputed),
        ("resting on one party's claim (`claimed_by`)", int(result.single_party_claims.sum())),
        *[(f"— claimed by {name}", int(n)) for name, n in result.single_party_claims.items()],
        ("with fatality figures", result.with_fatalities),
        *[(f"— deaths counted: {side}", int(n)) for side, n in result.fatalities_by_side.items()],
        ("placed by the gazetteer's GeoNames fallback", len(result.fallback_places)),
    ]
    lines += [f"| {label} | {count} | {result.share(count)} |" for label, count in measures]
    families = list(result.by_year_family.columns)
    lines += [
        "",
        "Events per year and family:",
        "",
        "| year | " + " | ".join(families) + " |",
        "|---" + "|---:" * len(families) + "|",
    ]
    for year, counts in result.by_year_family.iterrows():
        lines.append(f"| {year} | " + " | ".join(str(int(counts[f])) for f in families) + " |")
    lines += ["", "Events per type: " + ", ".join(f"{t} {int(n)}" for t, n in result.by_type.items()) + "."]
    if result.fallback_places:
        lines += ["", "Locations only the GeoNames fallback knows: " + ", ".join(result.fallback_places) + "."]
    return "\n".join(lines) + "\n"


def audit_record(result: Audit) -> dict[str, object]:
    """The audit as JSON-ready data."""
    return {
        "rows": result.rows,
        "with_url": result.with_url,
        "with_several_sources": result.with_several_sources,
        "verified": result.verified,
        "disputed": result.disputed,
        "with_fatalities": result.with_fatalities,
        "fatalities_by_side": {k: int(v) for k, v in result.fatalities_by_side.items()},
        "single_party_claims": {k: int(v) for k, v in result.single_party_claims.items()},
        "fallback_places": list(result.fallback_places),
        "by_type": {k: int(v) for k, v in result.by_type.items()},
        "by_year_family": {
            str(year): {k: int(v) for k, v in counts.items()} for year, counts in result.by_year_family.iterrows()
        },
    }
