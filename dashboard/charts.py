"""The timeline charts as Vega-Lite specs: the whole timeline with the window marked, and the window's events by
family in bins that adapt to the window.

Both carry an interval selection named `brush` on x: dragging a range on either sets the window (the page
reads the selection with `window_from_selection`). Colours come from the palette, in the order of
schema.EVENT_FAMILIES whatever the window holds, so a family keeps its colour and matches the map legend.

The specs are written with Altair once per language and unit (`lru_cache`) on named datasets; each call
only fills in the data and the window. Building and validating an Altair chart costs ~60 ms, twice per
slider step; a filled template costs under 1 ms. The page draws them with `st.vega_lite_chart`, whose
selections work as `st.altair_chart`'s do. The window is data too (each chart's `window` dataset), so a
slider step leaves the spec as it was: the browser then swaps the chart's data in the view it has instead
of building a new one. `generation` (the page counts brushes) changes the spec after a brush, so the
dragged range is cleared once it has become the window.
"""

from __future__ import annotations

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
WINDOW_TITLE = "Events in the window by family (drag to narrow the window)"
Spec = dict[str, Any]


def _brush() -> alt.Parameter:
    return alt.selection_interval(name=BRUSH, encodings=["x"])


def _bars(counts: pd.DataFrame) -> pd.DataFrame:
    """Counts with `next` (the day after the bin's last), so each bar spans its bin exactly."""
    return counts.assign(next=counts["bin_end"] + pd.Timedelta(days=1))


def overview_counts(events: pd.DataFrame) -> pd.DataFrame:
    """Events per month over the whole timeline (`bin`, `next`, `events`): what the overview draws, made once
    per set of filters rather than on every slider step."""
    counts = events_per_bin(events, OVERVIEW_UNIT).groupby(["bin", "bin_end"], as_index=False)["events"].sum()
    return _bars(counts)


def overview_chart(counts: pd.DataFrame, window: tuple[date, date], generation: int = 0, height: int = 110) -> Spec:
    """The monthly `counts` (from `overview_counts`); the window shaded and its bars dark; drag to choose a window."""
    start, end = _window_edges(window)
    counts = counts.assign(inside=(counts["next"] > start) & (counts["bin"] < end))
    return _filled(_overview_template(height), generation, counts=counts, window=_window_frame(start, end))


def _window_edges(window: tuple[date, date]) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The window's first day and the day after its last, as timestamps."""
    return pd.Timestamp(window[0]), pd.Timestamp(window[1]) + pd.Timedelta(days=1)


def _window_frame(start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    return pd.DataFrame({"start": [start], "end": [end]})


def _filled(template: Spec, generation: int, **datasets: pd.DataFrame) -> Spec:
    """A shallow copy of `template` with its named datasets and, in Vega-Lite's usermeta, the brush generation
    and the canvas renderer (a step redraws one canvas instead of updating a few hundred SVG nodes: ~20 ms less
    of the browser's main thread per step, measured in Chromium on the bundled data)."""
    meta = {"generation": generation, "embedOptions": {"renderer": "canvas"}}
    return {**template, "usermeta": meta, "datasets": datasets}


def _window_rect(**mark: Any) -> alt.Chart:
    """A rectangle over the window, from each chart's `window` dataset (start, and the day after the end)."""
    return alt.Chart(alt.Data(name="window")).mark_rect(**mark).encode(x=alt.X("start:T", title=None), x2="end:T")


@lru_cache(maxsize=4)
def _overview_template(height: int) -> Spec:
    last = schema.TIMELINE_END + timedelta(days=1)
    x_scale = alt.Scale(domain=[schema.TIMELINE_START.isoformat(), last.isoformat()])
    mark = _window_rect(color=MARK_COLOR, opacity=0.9)
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


def window_chart(
    events: pd.DataFrame, window: tuple[date, date], lang: str = "en", generation: int = 0, height: int = 170
) -> Spec:
    """The window's events per bin (day, week, month or year, whichever gives at most ~120 bars), stacked by family.

    Bars are cut at the window's edges (a month bin of a window that starts mid-month starts there), and an
    invisible frame from the `window` dataset makes the x scale span the whole window, empty ends included.
    """
    i18n.check_lang(lang)
    unit = bin_unit(*window)
    start, end = _window_edges(window)
    # An event that began before the window counts in the window's first bin.
    clipped = events.assign(date_start=events["date_start"].where(events["date_start"] >= start, start))
    counts = _bars(events_per_bin(clipped, unit))
    names = {family: i18n.family_label(lang, family) for family in schema.EVENT_FAMILIES}
    counts = counts.assign(
        family_name=counts["family"].map(names).fillna(counts["family"]),
        left=counts["bin"].clip(lower=start),
        right=counts["next"].clip(upper=end),
    )
    return _filled(_window_template(lang, unit, height), generation, bins=counts, window=_window_frame(start, end))


@lru_cache(maxsize=32)
def _window_template(lang: str, unit: str, height: int) -> Spec:
    names = [i18n.family_label(lang, family) for family in schema.EVENT_FAMILIES]
    colour = alt.Color(
        "family_name:N",
        scale=alt.Scale(domain=names, range=[palette.FAMILY_COLORS[f] for f in schema.EVENT_FAMILIES]),
        legend=alt.Legend(orient="bottom", title=None, columns=2, labelLimit=400, symbolType="circle"),
    )
    frame = _window_rect(opacity=0)
    bars = (
        alt.Chart(alt.Data(name="bins"))
        .mark_rect(stroke="#ffffff", strokeWidth=0.3)
        .encode(
            x=alt.X("left:T", title=None),
            x2="right:T",
            y=alt.Y("sum(events):Q", title=None, stack="zero", axis=alt.Axis(tickMinStep=1)),
            color=colour,
            tooltip=[
                alt.Tooltip("bin:T", title=unit, format=FORMATS[unit]),
                alt.Tooltip("family_name:N", title=""),
                alt.Tooltip("events:Q"),
            ],
        )
        .add_params(_brush())
    )
    # The chart's title in the chart (no caption element of its own: one element fewer to send each step).
    title = alt.TitleParams(WINDOW_TITLE, anchor="start", fontWeight="normal", fontSize=13, color="#555555")
    return alt.layer(frame, bars).properties(height=height, title=title).to_dict()


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
