"""Admin-1 polygons picked by the admin centres they contain, never by their labels; coarse borders settled."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import geopandas as gpd
import pandas as pd

from dashboard.gazetteer import name_key
from tools.geodata_build.common import (
    BuildError,
    BuildLog,
    Centre,
    metric_point,
    to_metric,
)

# Natural Earth admin-1 borders are generalised for 1:10m maps, so a town within a couple of km
# of a border can fall on the wrong side (Lachin, Jabrayil do). Polygons this close count as candidates.
CENTRE_TOLERANCE_M = 3_000.0
# After matching, an admin centre left outside its own polygon gets the neighbour's land within
# (its distance to its polygon + this margin), so point-in-polygon lookups downstream are right.
CENTRE_MARGIN_M = 1_000.0
# City municipalities (Shusha, Stepanakert) are small polygons beside or inside a district; they
# are merged into the neighbour they share the longest border with. Decided by size, not by label.
SMALL_UNIT_KM2 = 50.0


def merge_small_units(units: gpd.GeoDataFrame, log: BuildLog) -> gpd.GeoDataFrame:
    """Merge each polygon smaller than SMALL_UNIT_KM2 into the neighbour sharing the longest border."""
    units = units.assign(merged_codes=units["adm1_code"])
    small = units.geometry.area / 1e6 < SMALL_UNIT_KM2
    merged = []
    for index, row in units[small].iterrows():
        shared = units[~small].geometry.boundary.intersection(row.geometry.boundary).length
        if shared.max() <= 0:
            continue  # an island municipality keeps its own polygon
        host = shared.idxmax()
        units.loc[host, "geometry"] = units.loc[host, "geometry"].union(row.geometry)
        units.loc[host, "merged_codes"] += "+" + row["adm1_code"]
        merged.append(index)
        log.merged_units.append(
            f"{row['adm1_code']} ({row['name']}, {row.geometry.area / 1e6:.1f} km2) "
            f"merged into {units.loc[host, 'adm1_code']} ({units.loc[host, 'name']})"
        )
    return units.drop(index=merged)


def pick_by_centre(units: gpd.GeoDataFrame, centre: Centre) -> pd.Series:
    """The single polygon row that contains the centre (metric CRS); BuildError if none or several."""
    inside = units[units.geometry.contains(metric_point(centre))]
    if len(inside) != 1:
        raise BuildError(f"{centre.name}: expected one polygon containing it, found {list(inside['adm1_code'])}")
    return inside.iloc[0]


def candidate_codes(units: gpd.GeoDataFrame, centre: Centre) -> list[str]:
    """Codes of polygons within CENTRE_TOLERANCE_M of the centre, nearest first."""
    distance = units.geometry.distance(metric_point(centre))
    near = units.assign(distance=distance)[distance <= CENTRE_TOLERANCE_M]
    return list(near.sort_values(["distance", "adm1_code"])["adm1_code"])


def assign_centres(units: gpd.GeoDataFrame, centres: Sequence[Centre]) -> dict[str, str]:
    """Match every centre to its own polygon, one to one, or raise BuildError if that is not unique.

    A centre clearly inside a polygon (no other within the tolerance) claims it; a centre near a
    border takes the one candidate its neighbours have not claimed. This repeats until nothing changes.
    """
    candidates = {centre.name: candidate_codes(units, centre) for centre in centres}
    assigned: dict[str, str] = {}
    while len(assigned) < len(centres):
        claimed = set(assigned.values())
        progress = False
        for name, codes in candidates.items():
            if name in assigned:
                continue
            free = [code for code in codes if code not in claimed]
            if not free:
                raise BuildError(f"{name}: every polygon near it is claimed by another centre ({codes})")
            if len(free) == 1:
                assigned[name] = free[0]
                claimed.add(free[0])
                progress = True
        if not progress:
            open_ = {n: c for n, c in candidates.items() if n not in assigned}
            raise BuildError(f"ambiguous match of centres to polygons: {open_}")
    if len(set(assigned.values())) != len(assigned):
        raise BuildError(f"two centres matched the same polygon: {assigned}")
    return assigned


def label_mismatches(row: pd.Series, centre: Centre) -> list[str]:
    """The polygon's name fields that match none of the centre's spellings."""
    known = {name_key(label) for label in centre.labels} | {name_key(centre.name)}
    wrong = []
    for column in ("name", "name_alt"):
        value = row[column]
        if isinstance(value, str) and value and not any(name_key(part) in known for part in value.split("|")):
            wrong.append(f"{column}={value!r}")
    return wrong


def record_matches(
    units: gpd.GeoDataFrame,
    admin1: gpd.GeoDataFrame,
    assigned: Mapping[str, str],
    centres: Mapping[str, Centre],
    log: BuildLog,
) -> None:
    """Log each match, and every matched or merged polygon whose labels contradict the place it contains."""
    by_code = admin1.set_index("adm1_code")
    for name, code in assigned.items():
        row = units[units["adm1_code"] == code].iloc[0]
        alt = row["name_alt"] if isinstance(row["name_alt"], str) else "-"
        log.matches.append(f"{name} -> {row['merged_codes']} (labelled {row['name']!r} / {alt!r})")
        for member in row["merged_codes"].split("+"):
            original = by_code.loc[member]
            # A merged municipality is judged by the town it contains, the host by its own centre.
            holders = (
                [centres[name]]
                if member == code
                else [c for c in centres.values() if original.geometry.contains(c.point)]
            )
            for holder in holders:
                wrong = label_mismatches(original, holder)
                if wrong:
                    log.mislabeled.append(
                        f"{member} is labelled {', '.join(wrong)} (region "
                        f"{original['region']!r}) but contains {holder.name}"
                    )


def settle_centre(units: gpd.GeoDataFrame, code: str, centre: Centre, log: BuildLog) -> gpd.GeoDataFrame:
    """Move the neighbour's land around a centre into its own polygon when a coarse border cut it off."""
    point = metric_point(centre)
    own = units.index[units["adm1_code"] == code][0]
    if units.loc[own, "geometry"].contains(point):
        return units
    host = units.index[units.geometry.contains(point)][0]
    gap = units.loc[own, "geometry"].distance(point)
    patch = units.loc[host, "geometry"].intersection(point.buffer(gap + CENTRE_MARGIN_M, quad_segs=16))
    units = units.copy()
    units.loc[own, "geometry"] = units.loc[own, "geometry"].union(patch)
    units.loc[host, "geometry"] = units.loc[host, "geometry"].difference(patch)
    host_code, radius_km = units.loc[host, "adm1_code"], (gap + CENTRE_MARGIN_M) / 1000
    moved = f"the {patch.area / 1e6:.1f} km2 of {host_code} within {radius_km:.1f} km of {centre.name} town added"
    log.adjustments.setdefault(centre.name, []).append(moved)
    log.corrections.append(
        f"{centre.name} ({centre.lat}, {centre.lon}) lies {gap / 1000:.1f} km inside "
        f"{host_code} ({units.loc[host, 'name']}), not in its own polygon {code}; {moved}"
    )
    return units


def match_units(
    admin1: gpd.GeoDataFrame, matched: Sequence[Centre], centres: Mapping[str, Centre], log: BuildLog
) -> tuple[gpd.GeoDataFrame, dict[str, str]]:
    """Metric polygons with small units merged and borders settled, and each matched centre's polygon code."""
    units = merge_small_units(to_metric(admin1), log)
    assigned = assign_centres(units, matched)
    record_matches(units, admin1, assigned, centres, log)
    for centre in matched:
        units = settle_centre(units, assigned[centre.name], centre, log)
    return units, assigned
