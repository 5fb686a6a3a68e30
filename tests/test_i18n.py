"""Languages and words: one list of languages, every label in each, dates as precise as known, fatalities."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from dashboard import i18n, schema


def test_there_is_one_list_of_languages() -> None:
    assert list(i18n.LANGUAGES) == ["en", "az", "hy"]
    defined = [
        path.name
        for path in (schema.REPO_ROOT / "dashboard").rglob("*.py")
        if re.search(r"^LANGUAGES\b.*=", path.read_text(encoding="utf-8"), re.MULTILINE)
    ]
    assert defined == ["i18n.py"]


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_every_label_control_state_and_event_type_has_words_in_each_language(lang: str) -> None:
    assert set(i18n.LABELS[lang]) == set(i18n.LABELS["en"])
    assert set(i18n.CONTROL_LABELS[lang]) == {*schema.CONTROL_STATES, "unknown"}
    if lang != "en":
        assert set(schema.EVENT_TYPES) <= set(i18n.TYPE_LABELS[lang])


def test_unknown_words_and_languages() -> None:
    assert i18n.type_label("hy", "rumour") == "rumour"
    with pytest.raises(ValueError, match="en, az, hy"):
        i18n.check_lang("ru")


@pytest.mark.parametrize(
    "precision, start, end, expected",
    [
        ("day", "1992-05-08", "1992-05-08", "1992-05-08"),
        ("day", "1992-05-08", "1992-05-09", "1992-05-08 – 1992-05-09"),
        ("month", "1994-05-01", "1994-05-31", "1994-05"),
        ("year", "1993-01-01", "1993-12-31", "1993"),
        ("month", "1991-09-01", "1992-01-31", "1991-09 – 1992-01"),
    ],
)
def test_dates_are_as_precise_as_the_data(precision: str, start: str, end: str, expected: str) -> None:
    record = {"date_precision": precision, "date_start": pd.Timestamp(start), "date_end": pd.Timestamp(end)}
    assert i18n.date_text(record) == expected


def test_fatality_text_for_known_and_unknown_counts() -> None:
    assert i18n.fatalities_text(5, 5, 5, "en") == "5"
    assert i18n.fatalities_text(pd.NA, 7, pd.NA, "en") == "7"
    assert i18n.fatalities_text(1, pd.NA, 9, "en") == "1–9"
    assert i18n.fatalities_text(1, 4, 9, "az") == "1–9 (ən ehtimal olunan 4)"
    assert i18n.fatalities_text(pd.NA, pd.NA, pd.NA, "hy") == "անհայտ"


def test_event_counts_in_words() -> None:
    assert [i18n.events_label("en", n) for n in (1, 5)] == ["1 event", "5 events"]
