"""The timeline charts as Vega-Lite specs: the whole timeline with the window marked, and the window's events by
family in bins that adapt to the window.

Both carry an interval selection named `brush` on x: dragging a range on either sets the window (the page
reads the selection with `window_from_selection`). Colours come from the palette, in the order of
schema.EVENT_FAMILIES whatever the window holds, so a family keeps its colour and matches the map legend.

The specs are written with Altair once per language and unit (`lru_cache`) on named datasets; each call
only fills in the data and the window. Building and validating an Altair chart costs ~60 ms, twice per
slider step; a filled template costs under 1 ms. The page draws them with `st.vega_lite_chart`, whose
selections work as `st.altair_chart`'s do.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

import altair as alt
import pandas as pd

from dashboard import i18n, schema
from dashboard.map import palette
from dashboard.timeline import bin_unit, clamp_window, events_per_bin

BRUSH = "brush"
OVERVIEW_UNIT = "month"
WINDOW_COLOR, OUTSIDE_COLOR, MARK_COLOR = "#444444", "#c8c8c8", "#fde9a9"
FORMATS = {"day": "%Y-%m-%d", "week": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}
Spec = dict[str, Any]


def _brush() -> alt.Parameter:
    return alt.selection_interval(name=BRUSH, encodings=["x"])


def _bars(counts: pd.DataFrame) -> pd.DataFrame:
    """Counts with `next` (the day after the bin's last), so each bar spans its bin exactly."""
    return counts.assign(next=counts["bin_end"] + pd.Timedelta(days=1))


def overview_chart(events: pd.DataFrame, window: tuple[date, date], height: int = 110) -> Spec:
    """Events per month over the whole timeline; the window shaded and its bars dark; drag to choose a window."""
    counts = events_per_bin(events, OVERVIEW_UNIT).groupby(["bin", "bin_end"], as_index=False)["events"].sum()
    start, end = pd.Timestamp(window[0]), pd.Timestamp(window[1]) + pd.Timedelta(days=1)
    counts = _bars(counts).assign(inside=lambda f: (f["next"] > start) & (f["bin"] < end))
    spec = dict(_overview_template(height))
    spec["datasets"] = {"counts": counts, "window": pd.DataFrame({"start": [start], "end": [end]})}
    return spec


@lru_cache(maxsize=4)
def _overview_template(height: int) -> Spec:
    last = schema.TIMELINE_END + timedelta(days=1)
    x_scale = alt.Scale(domain=[schema.TIMELINE_START.isoformat(), last.isoformat()])
    mark = (
        alt.Chart(alt.Data(name="window"))
        .mark_rect(color=MARK_COLOR, opacity=0.9)
        .encode(x=alt.X("start:T", title=None), x2="end:T")
    )
    bars = (
        alt.Chart(alt.Data(name="counts"))
        .mark_rect()
        .encode(
            x=alt.X("bin:T", scale=x_scale, title=None, axis=alt.Axis(format="%Y", tickCount=12)),
            x2="next:T",
            # a square-root scale: the months of 2020 (100+ events) would flatten every other month
            y=alt.Y("events:Q", title=None, scale=alt.Scale(type="sqrt"), axis=alt.Axis(tickCount=2)),
            color=alt.condition("datum.inside", alt.value(WINDOW_COLOR), alt.value(OUTSIDE_COLOR)),
            tooltip=[alt.Tooltip("bin:T", title="month", format="%Y-%m"), alt.Tooltip("events:Q")],
        )
        .add_params(_brush())
    )
    return alt.layer(mark, bars).properties(height=height).to_dict()


def window_chart(events: pd.DataFrame, window: tuple[date, date], lang: str = "en", height: int = 170) -> Spec:
    """The window's events per bin (day, week, month or year, whichever gives at most ~120 bars), stacked by family."""
    i18n.check_lang(lang)
    unit = bin_unit(*window)
    start = pd.Timestamp(window[0])
    # An event that began before the window counts in the window's first bin.
    clipped = events.assign(date_start=events["date_start"].where(events["date_start"] >= start, start))
    counts = _bars(events_per_bin(clipped, unit))
    names = {family: i18n.family_label(lang, family) for family in schema.EVENT_FAMILIES}
    counts = counts.assign(family_name=counts["family"].map(names).fillna(counts["family"]))
    spec = copy.deepcopy(_window_template(lang, unit, height))
    last = pd.Timestamp(window[1]) + pd.Timedelta(days=1)
    spec["encoding"]["x"]["scale"] = {"domain": [start.isoformat(), last.isoformat()]}
    spec["datasets"] = {"bins": counts}
    return spec


@lru_cache(maxsize=32)
def _window_template(lang: str, unit: str, height: int) -> Spec:
    names = [i18n.family_label(lang, family) for family in schema.EVENT_FAMILIES]
    colour = alt.Color(
        "family_name:N",
        scale=alt.Scale(domain=names, range=[palette.FAMILY_COLORS[f] for f in schema.EVENT_FAMILIES]),
        legend=alt.Legend(orient="bottom", title=None, columns=2, labelLimit=400, symbolType="circle"),
    )
    chart = (
        alt.Chart(alt.Data(name="bins"))
        .mark_rect(stroke="#ffffff", strokeWidth=0.3)
        .encode(
            x=alt.X("bin:T", title=None),
            x2="next:T",
            y=alt.Y("sum(events):Q", title=None, stack="zero", axis=alt.Axis(tickMinStep=1)),
            color=colour,
            tooltip=[
                alt.Tooltip("bin:T", title=unit, format=FORMATS[unit]),
                alt.Tooltip("family_name:N", title=""),
                alt.Tooltip("events:Q"),
            ],
        )
        .add_params(_brush())
        .properties(height=height)
    )
    return chart.to_dict()


def window_from_selection(state: Mapping[str, Any] | None) -> tuple[date, date] | None:
    """The window a chart's brush selects, from Streamlit's selection state; None when nothing is brushed.

    Streamlit reports {"selection": {"brush": {"<x field>": [low, high]}}} with times as epoch milliseconds
    (or ISO text); the window runs from the day holding `low` to the day holding the instant before `high`
    (a brush to a bar's right edge ends on that bar's last day).
    """
    brushed = ((state or {}).get("selection") or {}).get(BRUSH) or {}
    for values in brushed.values():
        if isinstance(values, (list, tuple)) and len(values) == 2:
            first, last = sorted(values, key=lambda v: _day(v, 0) or date.min)
            low, high = _day(first, 0), _day(last, -1)
            if low is None or high is None:
                return None
            return clamp_window(low, max(low, high))
    return None


def _day(value: Any, shift_ms: int) -> date | None:
    """The (UTC) day of epoch milliseconds plus `shift_ms`, or of ISO text; None for anything else."""
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp((value + shift_ms) / 1000, tz=timezone.utc).date()
    try:
        return pd.Timestamp(str(value)).date()
    except ValueError:
        return None
