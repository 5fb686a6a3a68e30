"""Date windows: overlap semantics at the edges, quick ranges, playback steps."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard import schema
from dashboard.timeline import QUICK_RANGES, clamp_window, events_per_month, filter_window, parse_iso_date, play_steps


def frame(*spans: tuple[str, str]) -> pd.DataFrame:
    """Events named e0, e1, … spanning the given (start, end) ISO dates."""
    return pd.DataFrame({
        "id": [f"e{i}" for i in range(len(spans))],
        "date_start": pd.to_datetime([s for s, _ in spans]),
        "date_end": pd.to_datetime([e for _, e in spans]),
        "event_type": ["battle"] * len(spans),
    })


def ids(events: pd.DataFrame) -> list[str]:
    return list(events["id"])


def test_one_day_window_keeps_events_of_that_day_only():
    events = frame(("1992-05-08", "1992-05-08"), ("1992-05-09", "1992-05-09"), ("1992-05-07", "1992-05-07"))
    assert ids(filter_window(events, date(1992, 5, 8), date(1992, 5, 8))) == ["e0"]


def test_window_edges_are_inclusive():
    events = frame(("1993-01-01", "1993-01-31"))
    assert ids(filter_window(events, date(1993, 1, 31), date(1993, 2, 28))) == ["e0"]
    assert ids(filter_window(events, date(1992, 12, 1), date(1993, 1, 1))) == ["e0"]
    assert ids(filter_window(events, date(1993, 2, 1), date(1993, 2, 28))) == []


def test_event_spanning_the_whole_window_is_kept():
    events = frame(("2022-12-12", "2023-09-19"))
    assert ids(filter_window(events, date(2023, 3, 1), date(2023, 3, 2))) == ["e0"]


def test_type_filter_combines_with_window():
    events = frame(("2020-10-01", "2020-10-01"), ("2020-10-02", "2020-10-02"))
    events.loc[1, "event_type"] = "shelling"
    assert ids(filter_window(events, date(2020, 1, 1), date(2020, 12, 31), ["shelling"])) == ["e1"]


def test_filter_agrees_with_brute_force_on_many_windows():
    events = frame(*[(f"2000-01-{d:02d}", f"2000-01-{min(d + w, 31):02d}") for d in range(1, 29) for w in (0, 2, 5)])
    for start in range(1, 31, 3):
        for end in range(start, 32, 4):
            window = (date(2000, 1, start), date(2000, 1, end))
            expected = [r.id for r in events.itertuples()
                        if r.date_start.date() <= window[1] and r.date_end.date() >= window[0]]
            assert ids(filter_window(events, *window)) == expected


def test_clamp_window_orders_and_bounds():
    assert clamp_window(date(2030, 1, 1), date(1990, 1, 1)) == (date(1990, 1, 1), schema.TIMELINE_END)
    assert clamp_window(None, None) == (schema.TIMELINE_START, schema.TIMELINE_END)


@pytest.mark.parametrize("text, expected", [("2020-09-27", date(2020, 9, 27)), ("2020-02-30", None), ("", None), (None, None), ("x", None)])
def test_parse_iso_date(text, expected):
    assert parse_iso_date(text) == expected


def test_quick_ranges_lie_inside_the_timeline():
    for start, end in QUICK_RANGES.values():
        assert schema.TIMELINE_START <= start <= end <= schema.TIMELINE_END


def test_play_steps_advance_to_the_end():
    steps = play_steps(date(2020, 1, 1), date(2020, 12, 31), step_days=100)
    assert steps[0] == (date(2020, 1, 1), date(2020, 1, 1)) and steps[-1] == (date(2020, 1, 1), date(2020, 12, 31))
    assert all(a[1] < b[1] for a, b in zip(steps, steps[1:]))
    with pytest.raises(ValueError):
        play_steps(date(2020, 1, 1), date(2020, 2, 1), step_days=0)


def test_events_per_month_counts():
    events = frame(("2020-10-01", "2020-10-01"), ("2020-10-20", "2020-10-20"), ("2020-11-08", "2020-11-08"))
    counts = events_per_month(events)
    assert counts["events"].tolist() == [2, 1]
