"""Date windows: overlap semantics at the edges, quick ranges, playback steps."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from dashboard import schema
from dashboard.timeline import (
    QUICK_RANGES,
    clamp_window,
    events_per_month,
    filter_window,
    next_play_window,
    parse_iso_date,
)


def frame(*spans: tuple[str, str]) -> pd.DataFrame:
    """Events named e0, e1, … spanning the given (start, end) ISO dates."""
    return pd.DataFrame(
        {
            "id": [f"e{i}" for i in range(len(spans))],
            "date_start": pd.to_datetime([s for s, _ in spans]),
            "date_end": pd.to_datetime([e for _, e in spans]),
            "event_type": ["battle"] * len(spans),
        }
    )


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
            expected = [
                r.id for r in events.itertuples() if r.date_start.date() <= window[1] and r.date_end.date() >= window[0]
            ]
            assert ids(filter_window(events, *window)) == expected


def test_clamp_window_orders_and_bounds():
    assert clamp_window(date(2030, 1, 1), date(1990, 1, 1)) == (date(1990, 1, 1), schema.TIMELINE_END)
    assert clamp_window(None, None) == (schema.TIMELINE_START, schema.TIMELINE_END)


@pytest.mark.parametrize(
    "text, expected", [("2020-09-27", date(2020, 9, 27)), ("2020-02-30", None), ("", None), (None, None), ("x", None)]
)
def test_parse_iso_date(text, expected):
    assert parse_iso_date(text) == expected


def test_quick_ranges_lie_inside_the_timeline():
    for start, end in QUICK_RANGES.values():
        assert schema.TIMELINE_START <= start <= end <= schema.TIMELINE_END


def test_playback_advances_the_end_and_keeps_the_start():
    assert next_play_window((date(2020, 1, 1), date(2020, 1, 1)), step_days=100) == (
        date(2020, 1, 1),
        date(2020, 4, 10),
    )


def test_playback_stops_at_the_timeline_end():
    near_end = schema.TIMELINE_END - timedelta(days=10)
    assert next_play_window((date(2020, 1, 1), near_end)) == (date(2020, 1, 1), schema.TIMELINE_END)
    assert next_play_window((date(2020, 1, 1), schema.TIMELINE_END)) is None


def test_playback_reaches_the_end_in_whole_steps():
    window: tuple[date, date] | None = (schema.TIMELINE_START, schema.TIMELINE_START)
    ends = []
    while window is not None:
        ends.append(window[1])
        window = next_play_window(window, step_days=365)
    assert ends[-1] == schema.TIMELINE_END and ends == sorted(set(ends))
    assert len(ends) == -(-(schema.TIMELINE_END - schema.TIMELINE_START).days // 365) + 1


def test_playback_step_must_be_positive():
    with pytest.raises(ValueError, match="step_days"):
        next_play_window((date(2020, 1, 1), date(2020, 2, 1)), step_days=0)


def test_events_per_month_counts():
    events = frame(("2020-10-01", "2020-10-01"), ("2020-10-20", "2020-10-20"), ("2020-11-08", "2020-11-08"))
    counts = events_per_month(events)
    assert counts["events"].tolist() == [2, 1]
