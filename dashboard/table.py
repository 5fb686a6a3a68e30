"""The event table as shown: dates with their precision, fatalities blank when unknown, places in the chosen language.

Whole columns at once (no per-row Python), so a window of 100,000 events stays quick; the texts equal
what `i18n.date_text` gives one event.
"""

from __future__ import annotations

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
_DATE_FORMATS = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}
RANGE_DASH = "–"


def date_texts(events: pd.DataFrame) -> pd.Series:
    """Each event's dates as precise as the data knows them: '1992-05-08', '1992-02', '1993', or 'a – b'."""
    precision = events["date_precision"].astype(str)
    first = pd.Series("", index=events.index, dtype=object)
    last = pd.Series("", index=events.index, dtype=object)
    for name, fmt in _DATE_FORMATS.items():
        rows = (precision == name) | ((name == "day") & ~precision.isin(list(_DATE_FORMATS)))
        if rows.any():
            first[rows] = events.loc[rows, "date_start"].dt.strftime(fmt).fillna("")
            last[rows] = events.loc[rows, "date_end"].dt.strftime(fmt).fillna("")
    single = (last == "") | (last == first)
    return first.where(single, first + " " + RANGE_DASH + " " + last)


def fatality_texts(events: pd.DataFrame) -> pd.Series:
    """'20' for one figure, '10–30' for a range (low–high), '' when no figure is known."""
    low = events["fatalities_low"].fillna(events["fatalities_best"]).fillna(events["fatalities_high"])
    high = events["fatalities_high"].fillna(events["fatalities_best"]).fillna(events["fatalities_low"])
    low_text, high_text = _whole_numbers(low), _whole_numbers(high)
    return low_text.where(low_text == high_text, low_text + RANGE_DASH + high_text).astype(object)


def _whole_numbers(values: pd.Series) -> pd.Series:
    """Numbers as '1,234'; missing ones as ''."""
    return pd.Series(["" if pd.isna(v) else f"{int(v):,}" for v in values], index=values.index, dtype=object)


def table_frame(events: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The table's rows: dates, type (in `lang`), title, place (`place`), fatalities, claim, verified, source, id."""
    i18n.check_lang(lang)
    verified = events["verified"].fillna(False).astype(bool) if "verified" in events.columns else None
    return pd.DataFrame(
        {
            "date": date_texts(events),
            "type": events["event_type"].map(lambda t: i18n.type_label(lang, str(t))),
            "title": events["title"],
            "location": events["place"] if "place" in events.columns else events["location"],
            "fatalities": fatality_texts(events),
            "claim": events["claimed_by"].fillna("") if "claimed_by" in events.columns else "",
            "verified": verified.map({True: "yes", False: ""}) if verified is not None else "",
            "source": events["source"],
            "id": events["id"],
        },
        columns=list(TABLE_COLUMNS),
    ).reset_index(drop=True)
