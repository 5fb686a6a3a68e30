"""The view in the URL: filters, window, selection, language and playback, to and from query parameters.

`to_params` writes only what differs from the defaults (start and end always), so links stay short;
`from_params` reads what `st.query_params.to_dict()` gives and drops what it cannot read instead of
failing, so an old or hand-edited link still opens. `from_params(to_params(state)) == state`.

>>> to_params(ViewState(date(2020, 9, 27), date(2020, 11, 10), lang="hy", types=("capture",)))
{'start': '2020-09-27', 'end': '2020-11-10', 'lang': 'hy', 'types': 'capture'}
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date

from dashboard import schema
from dashboard.filters import ACTOR_SEPARATOR, DISPUTED_CHOICES, EVIDENCE_CHOICES, NEAR_KM, Filters, Near
from dashboard.i18n import LANGUAGES
from dashboard.timeline import PLAY_SPEEDS, PLAY_UNITS, clamp_window, parse_iso_date

BASEMAPS: tuple[str, ...] = ("vector", "osm")  # the bundled vector basemap; OpenStreetMap tiles (online)
LIST_SEPARATOR = ","  # between event types in the URL (actors use ';', as in the data)


@dataclass(frozen=True)
class ViewState:
    """Everything a shared link restores."""

    start: date = schema.TIMELINE_START
    end: date = schema.TIMELINE_END
    event: str | None = None
    district: str | None = None
    lang: str = "en"
    q: str = ""
    types: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    disputed: str = "any"
    evidence: str = "all"
    min_fatalities: int = 0
    place: str | None = None
    km: float = NEAR_KM
    step: str = "day"
    speed: str = "normal"
    basemap: str = "vector"

    @property
    def window(self) -> tuple[date, date]:
        """(start, end)."""
        return self.start, self.end

    def filters(self, near: Near | None = None) -> Filters:
        """The filters this view asks for; `near` is the place search's point (the page resolves `place`)."""
        return Filters(
            types=self.types,
            query=self.q,
            near=near,
            actors=self.actors,
            disputed=self.disputed,
            evidence=self.evidence,
            min_fatalities=self.min_fatalities,
        )


_DEFAULT = ViewState()


def to_params(state: ViewState) -> dict[str, str]:
    """Query parameters reproducing `state`: start and end always, the rest when not the default."""
    params = {"start": state.start.isoformat(), "end": state.end.isoformat()}
    for item in fields(ViewState):
        name = item.name
        value = getattr(state, name)
        if name in ("start", "end") or value == getattr(_DEFAULT, name):
            continue
        if name == "types":
            params[name] = LIST_SEPARATOR.join(value)
        elif name == "actors":
            params[name] = ACTOR_SEPARATOR.join(value)
        elif name == "km":
            params[name] = f"{value:g}"
        else:
            params[name] = str(value)
    return params


def from_params(params: Mapping[str, str | Sequence[str]]) -> ViewState:
    """The view a URL's query parameters describe; missing or unreadable values take the defaults."""
    get = {key: _last(value) for key, value in params.items()}
    start, end = clamp_window(parse_iso_date(get.get("start")), parse_iso_date(get.get("end")))
    types = tuple(t for t in _split(get.get("types"), LIST_SEPARATOR) if t in schema.EVENT_TYPES)
    return ViewState(
        start=start,
        end=end,
        event=get.get("event") or None,
        district=get.get("district") if get.get("district") in schema.TERRITORY_NAMES else None,
        lang=_choice(get.get("lang"), tuple(LANGUAGES), _DEFAULT.lang),
        q=(get.get("q") or "").strip(),
        types=tuple(dict.fromkeys(types)),
        actors=tuple(dict.fromkeys(_split(get.get("actors"), ACTOR_SEPARATOR))),
        disputed=_choice(get.get("disputed"), DISPUTED_CHOICES, _DEFAULT.disputed),
        evidence=_choice(get.get("evidence"), EVIDENCE_CHOICES, _DEFAULT.evidence),
        min_fatalities=_whole(get.get("min_fatalities")),
        place=(get.get("place") or "").strip() or None,
        km=_radius(get.get("km")),
        step=_choice(get.get("step"), PLAY_UNITS, _DEFAULT.step),
        speed=_choice(get.get("speed"), tuple(PLAY_SPEEDS), _DEFAULT.speed),
        basemap=_choice(get.get("basemap"), BASEMAPS, _DEFAULT.basemap),
    )


def with_filters(state: ViewState, filters: Filters) -> ViewState:
    """`state` with the filters' values (the place keeps its name; `filters.near` carries the radius)."""
    return replace(
        state,
        types=filters.types,
        q=filters.query,
        actors=filters.actors,
        disputed=filters.disputed,
        evidence=filters.evidence,
        min_fatalities=filters.min_fatalities,
        place=filters.near.name if filters.near else None,
        km=filters.near.km if filters.near else state.km,
    )


def _last(value: str | Sequence[str]) -> str:
    """The last of a repeated parameter (what st.query_params returns for one key)."""
    if isinstance(value, str):
        return value
    return str(value[-1]) if len(value) else ""


def _split(text: str | None, separator: str) -> list[str]:
    return [part.strip() for part in (text or "").split(separator) if part.strip()]


def _choice(value: str | None, allowed: Sequence[str], default: str) -> str:
    return value if value is not None and value in allowed else default


def _whole(text: str | None) -> int:
    """A whole number of 0 or more; 0 for anything else."""
    try:
        return max(0, int(text or 0))
    except ValueError:
        return 0


def _radius(text: str | None) -> float:
    """A radius in km between 1 and 100; the default for anything else."""
    try:
        km = float(text) if text else NEAR_KM
    except ValueError:
        return NEAR_KM
    return min(max(km, 1.0), 100.0) if math.isfinite(km) else NEAR_KM
