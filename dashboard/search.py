"""Text and place search: titles, summaries and place names in all three languages, spelling-tolerant.

Every word is folded with the gazetteer's `name_key` (case, diacritics, Azerbaijani letters and
transliteration variants), so "Xankəndi", "Khankendi" and "Hankendi" meet. A query that names a
place the gazetteer knows also matches every other name of that place: "Şuşa" finds events whose
text says "Shusha" or "Shushi", "Ստեփանակերտ" those at Stepanakert.

>>> index = SearchIndex.build(events, default_gazetteer())   # doctest: +SKIP
>>> events[index.matches("Xocalı")]                         # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.gazetteer import Gazetteer, GeocodeError, Place, name_key

_WORD = re.compile(r"\w+")
# Searched columns of the event table, besides the names of the event's place.
TEXT_COLUMNS: tuple[str, ...] = ("title", "summary", "location")


def fold(text: str, keys: dict[str, str] | None = None) -> str:
    """The words of `text`, each folded by `name_key`, joined by single spaces ("Xocalı massacre" -> "hojali massacre").

    `keys` memoises the folding of words already seen (texts of one table share most of their words).
    """
    memo: dict[str, str] = {} if keys is None else keys
    out = []
    for word in _WORD.findall(text):
        key = memo.get(word)
        if key is None:
            key = memo[word] = name_key(word)
        if key:
            out.append(key)
    return " ".join(out)


def place_names_key(place: Place, keys: dict[str, str] | None = None) -> str:
    """Every name of a place, folded, separated by ' | ' (so two names never run into one)."""
    return " | ".join(dict.fromkeys(fold(name, keys) for name in place.names))


@dataclass(frozen=True)
class SearchIndex:
    """Folded searchable text per event (same order as the frame) and place names by their folded form."""

    haystack: np.ndarray  # one folded string per event: " title | summary | location | every name of its place "
    names: Mapping[str, frozenset[str]]  # folded name -> every folded name of the places called so

    @classmethod
    def build(cls, events: pd.DataFrame, gazetteer: Gazetteer) -> SearchIndex:
        """The index of `events` (columns title, summary, location); place names from `gazetteer`."""
        missing = [c for c in TEXT_COLUMNS if c not in events.columns]
        if missing:
            raise ValueError(f"events lack column(s) {', '.join(missing)} to search; they have {list(events.columns)}")
        keys: dict[str, str] = {}
        parts = []
        for column in TEXT_COLUMNS:
            values = events[column].fillna("").astype(str)
            folded = {value: fold(value, keys) for value in values.unique()}
            parts.append(values.map(folded))
        places = _location_names(events["location"].fillna("").astype(str).unique(), gazetteer, keys)
        parts.append(events["location"].fillna("").astype(str).map(places))
        haystack = " " + parts[0]
        for part in parts[1:]:
            haystack = haystack + " | " + part
        return cls((haystack + " ").to_numpy(dtype=object), name_index(gazetteer.settlements, keys))

    def matches(self, query: str) -> np.ndarray:
        """A boolean mask over the events: True where the text matches every word of `query` (all when empty).

        A query naming a known place matches any name of that place; otherwise each word must occur
        (as part of a word, in any language or spelling of a place's name) and may be a place's name too.
        """
        alternatives = self.terms(query)
        mask = np.ones(len(self.haystack), dtype=bool)
        for options in alternatives:
            hit = np.zeros(len(self.haystack), dtype=bool)
            for option in options:
                hit |= _contains(self.haystack, option)
            mask &= hit
        return mask

    def terms(self, query: str) -> list[frozenset[str]]:
        """What `query` asks for: one set of folded alternatives per required term (none for an empty query)."""
        phrase = fold(query)
        if not phrase:
            return []
        if phrase in self.names:
            return [self.names[phrase] | {phrase}]
        return [self.names.get(word, frozenset()) | {word} for word in phrase.split(" ")]


def name_index(places: Iterable[Place], keys: dict[str, str] | None = None) -> dict[str, frozenset[str]]:
    """Each folded name of the places -> the folded names of every place known by it."""
    index: dict[str, set[str]] = {}
    for place in places:
        names = {fold(name, keys) for name in place.names} - {""}
        for name in names:
            index.setdefault(name, set()).update(names)
    return {name: frozenset(found) for name, found in index.items()}


def _location_names(locations: Sequence[str], gazetteer: Gazetteer, keys: dict[str, str]) -> dict[str, str]:
    """Each location as written -> the folded names of the place it resolves to ('' when it resolves to none)."""
    out = {}
    for location in locations:
        try:
            out[location] = place_names_key(gazetteer.resolve(location), keys) if location else ""
        except GeocodeError:
            out[location] = ""
    return out


def _contains(haystack: np.ndarray, needle: str) -> np.ndarray:
    """Where `needle` occurs in each string of `haystack`."""
    return np.fromiter((needle in text for text in haystack), dtype=bool, count=len(haystack))


@dataclass(frozen=True)
class PlaceMatch:
    """A settlement a place search found, with how well its name matched (lower is better)."""

    place: Place
    rank: int

    def label(self, lang: str) -> str:
        """'Shusha (Şuşa · Շուշի)': the name in `lang` with its other names."""
        first = self.place.name(lang)
        others = [
            n for n in dict.fromkeys((self.place.name_en, self.place.name_az, self.place.name_hy)) if n and n != first
        ]
        return f"{first} ({' · '.join(others)})" if others else first


def find_places(gazetteer: Gazetteer, query: str, limit: int = 10) -> list[PlaceMatch]:
    """Settlements whose names match `query` in any language or spelling, best first.

    Exact names first, then names starting with the query, then names containing it; within each,
    larger places (population) first.
    """
    key = fold(query)
    if not key:
        return []
    found = []
    for place in gazetteer.settlements:
        names = {fold(name) for name in place.names}
        rank = (
            0
            if key in names
            else 1
            if any(n.startswith(key) for n in names)
            else 2
            if any(key in n for n in names)
            else 3
        )
        if rank < 3:
            found.append(PlaceMatch(place, rank))
    found.sort(key=lambda m: (m.rank, -(m.place.population or 0), m.place.name_en))
    return found[:limit]
