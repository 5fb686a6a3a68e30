"""The event table as shown: dates with their precision, fatalities blank when unknown, places in the chosen language.

Whole columns at once (no per-row Python), so a window of 100,000 events stays quick; the texts equal
what `i18n.date_text` gives one event.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from dashboard import i18n

TABLE_COLUMNS: tuple[str, ...] = (
    "date",
    "type",
    "title",
    "location",
    "fatalities",
    "claim",
    "verified",
    "source",
    "id",
)
# The numpy units of the date precisions.
_DATE_UNITS: dict[str, Literal["D", "M", "Y"]] = {"day": "D", "month": "M", "year": "Y"}
RANGE_DASH = "–"


def date_texts(events: pd.DataFrame) -> pd.Series:
    """Each event's dates as precise as the data knows them: '1992-05-08', '1992-02', '1993', or 'a – b'."""
    precision = events["date_precision"].astype(str).to_numpy()
    first, last = _date_strings(events["date_start"], precision), _date_strings(events["date_end"], precision)
    spans = (last != "") & (last != first)
    first[spans] = first[spans] + f" {RANGE_DASH} " + last[spans]  # most events are of one day, month or year
    return pd.Series(first, index=events.index, dtype=object)


def _date_strings(dates: pd.Series, precision: np.ndarray) -> np.ndarray:
    """Dates as text at each row's precision (day for an unknown one); '' where there is no date.

    numpy's datetime_as_string, not strftime: the table is made on every slider step.
    """
    raw = dates.to_numpy("datetime64[ns]")
    out = np.full(len(raw), "", dtype=object)
    known = ~np.isnat(raw)
    for name, unit in _DATE_UNITS.items():
        rows = known & ((precision == name) | ((name == "day") & ~np.isin(precision, list(_DATE_UNITS))))
        if rows.any():
            out[rows] = np.datetime_as_string(raw[rows].astype(f"datetime64[{unit}]"), unit=unit)
    return out


def fatality_texts(events: pd.DataFrame) -> pd.Series:
    """'20' for one figure, '10–30' for a range (low–high), '' when no figure is known."""
    low = events["fatalities_low"].fillna(events["fatalities_best"]).fillna(events["fatalities_high"])
    high = events["fatalities_high"].fillna(events["fatalities_best"]).fillna(events["fatalities_low"])
    low_text, high_text = _whole_numbers(low), _whole_numbers(high)
    return pd.Series(np.where(low_text == high_text, low_text, low_text + RANGE_DASH + high_text),
                     index=events.index, dtype=object)  # fmt: skip


def _whole_numbers(values: pd.Series) -> np.ndarray:
    """Numbers as '1,234'; missing ones as ''. Only numbers of four digits or more are formatted one by one."""
    numbers = values.to_numpy(dtype="float64", na_value=np.nan)
    out = np.full(len(numbers), "", dtype=object)
    known = ~np.isnan(numbers)
    small = known & (numbers < 1000)
    out[small] = numbers[small].astype(np.int64).astype(str).astype(object)
    large = known & ~small
    out[large] = [f"{int(v):,}" for v in numbers[large]]
    return out


def table_frame(events: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The table's rows: dates, type (in `lang`), title, place (`place`), fatalities, claim, verified, source, id."""
    i18n.check_lang(lang)
    # eq(True): missing is "not verified" whatever dtype the column was read as (an empty column is float)
    verified = events["verified"].eq(True) if "verified" in events.columns else None
    return pd.DataFrame(
        {
            "date": date_texts(events),
            "type": events["event_type"]
            .astype(object)
            .replace(i18n.TYPE_LABELS[lang]),  # untranslated types as written
            "title": events["title"],
            "location": events["place"] if "place" in events.columns else events["location"],
            "fatalities": fatality_texts(events),
            "claim": events["claimed_by"].astype(object).fillna("") if "claimed_by" in events.columns else "",
            "verified": verified.map({True: "yes", False: ""}) if verified is not None else "",
            "source": events["source"],
            "id": events["id"],
        },
        columns=list(TABLE_COLUMNS),
    ).reset_index(drop=True)
