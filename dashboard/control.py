"""Settlement-level control: read and check the area rules and per-settlement changes; who held a place when."""

from __future__ import annotations

import csv
from bisect import bisect_right
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Generic, Protocol, TypeVar

from dashboard import schema
from dashboard.problems import Problem
from dashboard.schema import (
    CHANGE_COLUMNS,
    CHANGES_PATH,
    HOLDERS,
    RULE_COLUMNS,
    RULES_PATH,
    UNITS,
)

# The area rule whose holder, for each place of Azerbaijan, is the side of the 1994 line of contact it lies on.
LINE_OF_CONTACT = "line_of_contact"
# On the same `earliest` date a per-settlement change beats the line of contact, which beats a unit's rule.
PRIORITY = {"rule": 0, LINE_OF_CONTACT: 1, "change": 2}


@dataclass(frozen=True)
class Assertion:
    """One row of a control file: from `latest` on, `target` is held by `controlled_by`; contested before."""

    kind: str  # "rule", "line_of_contact" or "change"
    target: str  # the unit of a rule, the place (as written) of a change
    earliest: date
    latest: date
    controlled_by: str
    event_id: str
    source: str
    source_url: str
    note: str
    file: str
    line: int
    claimed_by: str = ""

    @property
    def where(self) -> str:
        """FILE:LINE of the row."""
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Holding:
    """A place held by `controlled_by` over [start, end) (end None: to the end of the record), and why."""

    start: date
    end: date | None
    controlled_by: str
    cause: Assertion

    def covers(self, when: date) -> bool:
        """Whether `when` falls inside the period."""
        return self.start <= when and (self.end is None or when < self.end)


class Linked(Protocol):
    """A row that names the event behind it: an assertion, a corridor period."""

    @property
    def event_id(self) -> str: ...
    @property
    def target(self) -> str: ...
    @property
    def earliest(self) -> date: ...
    @property
    def latest(self) -> date: ...
    @property
    def file(self) -> str: ...
    @property
    def line(self) -> int: ...


# The key a model knows a place by (the gazetteer's Place in the package, plain names in tests).
P = TypeVar("P", bound=Hashable)


class ControlFileError(Exception):
    """A control file that cannot be read at all (missing, undecodable, header lacking columns)."""


def read_rows(path: Path, columns: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(first line, row) for each CSV row, cells stripped; ControlFileError for an unreadable file."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ControlFileError(f"{path}: cannot read: {error}") from error
    reader = csv.DictReader(text.splitlines(keepends=True))
    missing = [c for c in columns if c not in (reader.fieldnames or ())]
    if missing:
        raise ControlFileError(f"{path}:1: header lacks {', '.join(missing)}")
    line = 2
    for row in reader:
        yield line, {key: (value or "").strip() for key, value in row.items() if key is not None}
        line = reader.line_num + 1


def read_rules(path: Path = RULES_PATH) -> tuple[list[Assertion], list[Problem]]:
    """The area rules of a file and the problems of the rows that could not be used."""
    rules: list[Assertion] = []
    problems: list[Problem] = []
    for line, row in read_rows(path, RULE_COLUMNS):
        unit = row["unit"]
        kind = LINE_OF_CONTACT if unit == LINE_OF_CONTACT else "rule"
        found = _assertion(kind, unit, row, str(path), line)
        if unit not in UNITS and kind == "rule":
            found = Problem(
                str(path), line, "unit", f"unknown unit {unit!r}; one of {', '.join(UNITS)}, {LINE_OF_CONTACT}"
            )
        _collect(found, rules, problems)
    return rules, problems


def read_changes(path: Path = CHANGES_PATH) -> tuple[list[Assertion], list[Problem]]:
    """The per-settlement changes of a file (places as written) and the problems of unusable rows."""
    changes: list[Assertion] = []
    problems: list[Problem] = []
    for line, row in read_rows(path, CHANGE_COLUMNS):
        found = _assertion("change", row["place"], row, str(path), line)
        if isinstance(found, Assertion) and not found.event_id:
            found = Problem(str(path), line, "event_id", "every change names the event that caused it")
        if row["claimed_by"] and row["claimed_by"] not in schema.CLAIMANTS:
            found = Problem(
                str(path), line, "claimed_by", f"{row['claimed_by']!r} is not one of {', '.join(schema.CLAIMANTS)}"
            )
        if not row["place"]:
            found = Problem(str(path), line, "place", "empty")
        _collect(found, changes, problems)
    return changes, problems


def _collect(found: Assertion | Problem, assertions: list[Assertion], problems: list[Problem]) -> None:
    """Append the assertion or the problem to its list."""
    (problems if isinstance(found, Problem) else assertions).append(found)  # type: ignore[arg-type]


def _assertion(kind: str, target: str, row: Mapping[str, str], file: str, line: int) -> Assertion | Problem:
    """An Assertion from a checked row, or the first problem of the row."""
    try:
        earliest, latest = (date.fromisoformat(row[c]) for c in ("earliest", "latest"))
    except ValueError:
        return Problem(
            file, line, "earliest", f"dates must be real YYYY-MM-DD dates: {row['earliest']!r}, {row['latest']!r}"
        )
    checks = [
        (latest < earliest, "latest", f"latest {latest} is before earliest {earliest}"),
        (
            earliest < schema.TIMELINE_START or latest > schema.TIMELINE_END,
            "earliest",
            f"outside the timeline {schema.TIMELINE_START}..{schema.TIMELINE_END}",
        ),
        (
            kind != LINE_OF_CONTACT and row["controlled_by"] not in HOLDERS,
            "controlled_by",
            f"{row['controlled_by']!r} is not one of {', '.join(HOLDERS)}",
        ),
        (
            not row["source"] and earliest > schema.TIMELINE_START,
            "source",
            "every row names its source (only the starting rules of 1988 may go without)",
        ),
        (
            bool(row["source_url"]) and not row["source_url"].startswith(("http://", "https://")),
            "source_url",
            "not an http(s) URL",
        ),
    ]
    for failed, column, message in checks:
        if failed:
            return Problem(file, line, column, message)
    return Assertion(
        kind,
        target,
        earliest,
        latest,
        row["controlled_by"],
        row["event_id"],
        row["source"],
        row["source_url"],
        row["note"],
        file,
        line,
        row.get("claimed_by", ""),
    )


def overlap_problems(assertions: Iterable[Assertion], key: Callable[[Assertion], Hashable]) -> list[Problem]:
    """Two assertions for one target (same `key`) whose windows overlap or that start the same day."""
    by_target: dict[Hashable, list[Assertion]] = {}
    for assertion in assertions:
        by_target.setdefault(key(assertion), []).append(assertion)
    problems = []
    for own in by_target.values():
        own.sort(key=lambda a: (a.earliest, a.latest, a.line))
        for before, after in zip(own, own[1:]):
            if after.earliest < before.latest or after.earliest == before.earliest:
                problems.append(
                    Problem(
                        after.file,
                        after.line,
                        "earliest",
                        f"{after.target}: window {after.earliest}..{after.latest} overlaps "
                        f"{before.earliest}..{before.latest} of line {before.line}",
                    )
                )
    return problems


def event_problems(
    assertions: Iterable[Linked], events: Mapping[str, tuple[date, date]], check_dates: bool = True
) -> list[Problem]:
    """Unknown event ids, and (with `check_dates`) rows whose window does not meet the dates of the event
    that caused them."""
    problems = []
    for a in assertions:
        if not a.event_id:
            continue
        if a.event_id not in events:
            problems.append(Problem(a.file, a.line, "event_id", f"event {a.event_id!r} is not in the event table"))
            continue
        start, end = events[a.event_id]
        if check_dates and (a.latest < start or a.earliest > end):
            problems.append(
                Problem(
                    a.file,
                    a.line,
                    "earliest",
                    f"{a.target}: window {a.earliest}..{a.latest} lies outside the dates "
                    f"{start}..{end} of event {a.event_id!r}",
                )
            )
    return problems


def start_problems(rules: Iterable[Assertion], units: Iterable[str], file: str) -> list[Problem]:
    """Every unit a settlement belongs to needs a rule from the first day of the timeline."""
    starting = {r.target for r in rules if r.earliest == schema.TIMELINE_START}
    return [
        Problem(file, 1, "unit", f"{unit}: no area rule from {schema.TIMELINE_START} (the starting holder)")
        for unit in sorted(set(units) & set(UNITS) - starting)
    ]


class ControlModel(Generic[P]):
    """Who held each place when: area rules by unit, the line of contact by side, changes by place.

    `units` gives each place's unit; `sides` the holder of its side of the 1994 line of contact (places of
    Armenia have none); `changes` the per-settlement changes of each place. Places are any hashable keys.
    """

    def __init__(
        self,
        rules: Iterable[Assertion],
        changes: Mapping[P, Sequence[Assertion]],
        units: Mapping[P, str],
        sides: Mapping[P, str],
    ):
        self.rules = tuple(rules)
        self.changes = changes
        self.units = units
        self.sides = sides
        self._by_unit: dict[str, list[Assertion]] = {}
        for rule in self.rules:
            self._by_unit.setdefault(rule.target, []).append(rule)
        self._timelines: dict[P, list[Holding]] = {}

    @property
    def places(self) -> tuple[P, ...]:
        """The places the model knows (those with a unit)."""
        return tuple(self.units)

    def assertions(self, place: P) -> list[tuple[Assertion, str]]:
        """The assertions bearing on a place with the holder each gives it, in the order they take effect."""
        found = [(a, a.controlled_by) for a in self._by_unit.get(self.units.get(place, ""), [])]
        if place in self.sides:
            found += [(a, self.sides[place]) for a in self._by_unit.get(LINE_OF_CONTACT, [])]
        found += [(a, a.controlled_by) for a in self.changes.get(place, ())]
        return sorted(found, key=lambda pair: (pair[0].earliest, PRIORITY[pair[0].kind], pair[0].line))

    def timeline(self, place: P) -> list[Holding]:
        """The place's periods in order; consecutive periods of one holder merged (the first one's cause kept)."""
        if place not in self._timelines:
            self._timelines[place] = merge_periods(periods(self.assertions(place)))
        return self._timelines[place]

    def holding_at(self, place: P, when: date) -> Holding | None:
        """The period of `place` containing `when`; None before anything is known of it."""
        own = self.timeline(place)
        index = bisect_right([h.start for h in own], when) - 1
        return own[index] if index >= 0 and own[index].covers(when) else None

    def holder_at(self, place: P, when: date) -> str | None:
        """armenian, azerbaijan or contested; None when unknown."""
        holding = self.holding_at(place, when)
        return holding.controlled_by if holding else None

    def change_dates(self) -> list[date]:
        """Every date on which some place's holder may change, in order."""
        return sorted(
            {h.start for place in self.places for h in self.timeline(place)}
            | {h.end for place in self.places for h in self.timeline(place) if h.end}
        )


def periods(assertions: Sequence[tuple[Assertion, str]]) -> list[Holding]:
    """Periods from ordered assertions: each rules from its `earliest` until the next one's `earliest`.

    Of several assertions with one `earliest`, the last in order (highest priority) rules. Inside
    [earliest, latest) the place is contested, unless it already was the holder's: a window is when a
    place changed hands, and a rule for a whole unit (19-20 September 2023) does not make the places
    that side already held contested.
    """
    ruling = [
        pair
        for i, pair in enumerate(assertions)
        if i + 1 == len(assertions) or assertions[i + 1][0].earliest != pair[0].earliest
    ]
    out: list[Holding] = []
    for i, (assertion, holder) in enumerate(ruling):
        until = ruling[i + 1][0].earliest if i + 1 < len(ruling) else None
        turn = assertion.latest if until is None else min(assertion.latest, until)
        if out and out[-1].controlled_by == holder and out[-1].end == assertion.earliest:
            turn = assertion.earliest
        if turn > assertion.earliest:
            out.append(Holding(assertion.earliest, turn, "contested", assertion))
        if until is None or turn < until:
            out.append(Holding(turn, until, holder, assertion))
    return out


def merge_periods(holdings: Sequence[Holding]) -> list[Holding]:
    """Consecutive periods of one holder as one period, with the cause of the first."""
    out: list[Holding] = []
    for holding in holdings:
        if out and out[-1].controlled_by == holding.controlled_by and out[-1].end == holding.start:
            out[-1] = Holding(out[-1].start, holding.end, holding.controlled_by, out[-1].cause)
        else:
            out.append(holding)
    return out


def holding_record(place: str, when: date, holding: Holding | None) -> dict[str, object]:
    """The JSON answer of `control --at`: who held the place that day, since when, and on what grounds."""
    if holding is None:
        return {
            "place": place,
            "date": when.isoformat(),
            "controlled_by": "unknown",
            "since": None,
            "until": None,
            "event_id": None,
            "source": None,
            "source_url": None,
            "claimed_by": None,
            "note": None,
        }
    cause = holding.cause
    return {
        "place": place,
        "date": when.isoformat(),
        "controlled_by": holding.controlled_by,
        "since": holding.start.isoformat(),
        "until": holding.end.isoformat() if holding.end else None,
        "event_id": cause.event_id or None,
        "source": cause.source,
        "source_url": cause.source_url or None,
        "claimed_by": cause.claimed_by or None,
        "note": cause.note or None,
    }
