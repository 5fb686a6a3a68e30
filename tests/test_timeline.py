"""Date windows: overlap semantics at the edges, quick ranges, playback steps."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard import schema
from dashboard.timeline import (
    QUICK_RANGES,
    bin_unit,
    clamp_window,
    count_in_window,
    events_per_bin,
    filter_window,
    first_play_window,
    next_moving_window,
    parse_iso_date,
    shift,
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
    for window, expected in [
        ((date(1993, 1, 31), date(1993, 2, 28)), ["e0"]),
        ((date(1992, 12, 1), date(1993, 1, 1)), ["e0"]),
        ((date(1993, 2, 1), date(1993, 2, 28)), []),
    ]:
        assert ids(filter_window(events, *window)) == expected
        assert count_in_window(events, *window) == len(expected)


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


@pytest.mark.parametrize(
    ("day", "unit", "count", "expected"),
    [
        (date(2020, 9, 27), "day", 1, date(2020, 9, 28)),
        (date(2020, 9, 27), "week", 2, date(2020, 10, 11)),
        (date(2020, 1, 31), "month", 1, date(2020, 2, 29)),  # the month's last day when the day does not exist
        (date(1992, 12, 15), "month", 1, date(1993, 1, 15)),
        (date(2020, 2, 29), "year", 1, date(2021, 2, 28)),
        (date(2020, 3, 1), "month", -1, date(2020, 2, 1)),
    ],
)
def test_shift_moves_by_calendar_units(day, unit, count, expected):
    assert shift(day, unit, count) == expected


def test_shift_names_an_unknown_unit():
    with pytest.raises(ValueError, match="fortnight"):
        shift(date(2020, 1, 1), "fortnight")


def test_playback_by_day_moves_a_one_day_window_across_the_2020_war():
    war = (date(2020, 9, 27), date(2020, 11, 10))
    window = first_play_window(war, "day")
    windows = [window]
    while (window := next_moving_window(window, war, "day")) is not None:
        windows.append(window)
    assert windows[0] == (date(2020, 9, 27), date(2020, 9, 27))
    assert windows[-1] == (date(2020, 11, 10), date(2020, 11, 10))
    assert len(windows) == 45 and all(start == end for start, end in windows)


def test_playback_by_month_shows_one_month_at_a_time_and_stops_at_the_range_end():
    first_war = (date(1988, 2, 1), date(1994, 5, 12))
    window = first_play_window(first_war, "month")
    assert window == (date(1988, 2, 1), date(1988, 2, 29))
    assert next_moving_window(window, first_war, "month") == (date(1988, 3, 1), date(1988, 3, 31))
    last = (date(1994, 5, 1), date(1994, 5, 12))  # cut to the range
    assert next_moving_window((date(1994, 4, 1), date(1994, 4, 30)), first_war, "month") == last
    assert next_moving_window(last, first_war, "month") is None


@pytest.mark.parametrize(
    ("window", "unit"),
    [
        ((date(2020, 9, 27), date(2020, 11, 10)), "day"),
        ((date(2020, 1, 1), date(2021, 6, 30)), "week"),
        ((date(1988, 2, 1), date(1994, 5, 12)), "month"),
        ((schema.TIMELINE_START, schema.TIMELINE_END), "year"),
    ],
)
def test_histogram_bins_adapt_to_the_window(window, unit):
    assert bin_unit(*window) == unit


def test_events_are_counted_per_bin_and_family():
    events = frame(("2020-09-27", "2020-09-27"), ("2020-09-29", "2020-10-02"), ("2020-10-05", "2020-10-05"))
    events["event_type"] = ["shelling", "battle", "battle"]
    weekly = events_per_bin(events, "week")
    assert weekly.to_dict("list") == {
        "bin": [pd.Timestamp("2020-09-21"), pd.Timestamp("2020-09-28"), pd.Timestamp("2020-10-05")],
        "bin_end": [pd.Timestamp("2020-09-27"), pd.Timestamp("2020-10-04"), pd.Timestamp("2020-10-11")],
        "family": ["strikes", "fighting", "fighting"],
        "events": [1, 1, 1],
    }
    monthly = events_per_bin(events, "month", by="event_type")
    assert monthly[["event_type", "events"]].values.tolist() == [["battle", 1], ["shelling", 1], ["battle", 1]]
    assert monthly["bin_end"].tolist() == [pd.Timestamp("2020-09-30")] * 2 + [pd.Timestamp("2020-10-31")]
