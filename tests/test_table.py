"""The event table as shown: precision-aware dates, blank unknown fatalities, names in the chosen language."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import i18n
from dashboard.table import TABLE_COLUMNS, date_texts, fatality_texts, table_frame
from tests.support.mapdata import event, events_frame


def dated(precision: str, start: str, end: str) -> dict[str, object]:
    return event(date_precision=precision, date_start=pd.Timestamp(start), date_end=pd.Timestamp(end))


@pytest.mark.parametrize(
    ("row", "text"),
    [
        (dated("day", "1992-05-08", "1992-05-08"), "1992-05-08"),
        (dated("day", "1992-05-08", "1992-05-09"), "1992-05-08 – 1992-05-09"),
        (dated("month", "1992-02-01", "1992-02-29"), "1992-02"),
        (dated("month", "1988-05-01", "1988-06-30"), "1988-05 – 1988-06"),
        (dated("year", "1993-01-01", "1993-12-31"), "1993"),
    ],
)
def test_dates_show_their_precision(row, text):
    frame = events_frame([row])
    assert date_texts(frame).tolist() == [text]
    assert i18n.date_text(frame.iloc[0]) == text  # the same text the details panel shows


@pytest.mark.parametrize(
    ("figures", "text"),
    [
        ({}, ""),
        ({"fatalities_best": 20}, "20"),
        ({"fatalities_low": 10, "fatalities_best": 20, "fatalities_high": 30}, "10–30"),
        ({"fatalities_low": 5}, "5"),
        ({"fatalities_high": 1200, "fatalities_low": 1000}, "1,000–1,200"),
        ({"fatalities_low": 0, "fatalities_high": 0}, "0"),
    ],
)
def test_fatalities_are_blank_when_unknown_and_a_range_when_uncertain(figures, text):
    assert fatality_texts(events_frame([event(**figures)])).tolist() == [text]


def test_rows_carry_the_place_and_type_in_the_chosen_language():
    frame = events_frame([event(event_type="capture", place="Şuşa", claimed_by="NKR", verified=True)])
    table = table_frame(frame, "az")
    assert list(table.columns) == list(TABLE_COLUMNS)
    row = table.iloc[0]
    assert (row["location"], row["type"], row["claim"], row["verified"]) == ("Şuşa", "ələ keçirmə", "NKR", "yes")
    assert "None" not in table.astype(str).to_numpy().ravel().tolist()


def test_an_empty_window_gives_an_empty_table():
    empty = events_frame([event()]).iloc[0:0]
    assert table_frame(empty).empty and fatality_texts(empty).empty and date_texts(empty).empty
