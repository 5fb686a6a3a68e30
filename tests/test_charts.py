"""Timeline charts: bins adapt to the window, colours match the legend in any window, a brush sets the window."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pandas as pd
import pytest

from dashboard import schema
from dashboard.charts import BRUSH, overview_chart, overview_counts, window_chart, window_from_selection
from dashboard.map import palette
from tests.support.mapdata import event, events_frame

WAR = (date(2020, 9, 27), date(2020, 11, 10))
DAY = pd.Timedelta(days=1)


def dated(day: str, kind: str) -> dict[str, object]:
    return event(date_start=pd.Timestamp(day), date_end=pd.Timestamp(day), event_type=kind)


@pytest.fixture
def events() -> pd.DataFrame:
    return events_frame(
        [
            dated("2020-09-27", "shelling"),
            dated("2020-09-27", "battle"),
            dated("2020-10-10", "ceasefire"),
            dated("1992-05-08", "capture"),
        ]
    )


def bars_layer(spec: dict) -> dict:
    """The layer that draws the bars (the other draws the window)."""
    (bars,) = [layer for layer in spec["layer"] if layer["data"]["name"] in ("bins", "counts")]
    return bars


def colour_scale(spec: dict) -> dict:
    return bars_layer(spec)["encoding"]["color"]["scale"]


def test_family_colours_are_fixed_whatever_the_window_holds(events):
    for window in (WAR, (date(1992, 5, 1), date(1992, 5, 31))):
        spec = window_chart(events, window)
        scale = colour_scale(spec)
        assert scale["domain"] == list(schema.EVENT_FAMILIES)
        assert scale["range"] == [palette.FAMILY_COLORS[f] for f in schema.EVENT_FAMILIES]


def test_the_legend_is_not_cut_and_speaks_the_language(events):
    spec = window_chart(events, WAR, "az")
    assert colour_scale(spec)["domain"][0] == "döyüşlər"
    assert bars_layer(spec)["encoding"]["color"]["legend"]["labelLimit"] >= 300


@pytest.mark.parametrize(("window", "unit"), [(WAR, "day"), ((date(1988, 2, 1), date(1994, 5, 12)), "month")])
def test_bars_span_one_bin_of_the_unit_the_window_asks_for(events, window, unit):
    spec = window_chart(events, window)
    data = spec["datasets"]["bins"]
    spans = (pd.to_datetime(data["next"]) - pd.to_datetime(data["bin"])).dt.days
    assert set(spans) <= ({1} if unit == "day" else {28, 29, 30, 31})
    # drawn cut at the window's edges: 1 Feb 1988 to 12 May 1994 ends in the middle of May
    assert data["left"].min() >= pd.Timestamp(window[0]) and data["right"].max() <= pd.Timestamp(window[1]) + DAY
    assert spec["datasets"]["window"].to_dict("list") == {"start": [pd.Timestamp(window[0])],
                                                          "end": [pd.Timestamp(window[1]) + DAY]}  # fmt: skip


def test_the_overview_covers_the_whole_timeline_and_marks_the_window(events):
    spec = overview_chart(overview_counts(events), WAR)
    bars = bars_layer(spec)
    assert bars["encoding"]["x"]["scale"]["domain"][0] == schema.TIMELINE_START.isoformat()
    assert any(p["name"] == BRUSH for p in spec.get("params", []) + bars.get("params", []))
    counts = spec["datasets"]["counts"]
    assert [f"{b:%Y-%m}" for b in counts.loc[counts["inside"], "bin"]] == ["2020-09", "2020-10"]  # 1992 is outside
    assert spec["datasets"]["window"].to_dict("list") == {
        "start": [pd.Timestamp("2020-09-27")],
        "end": [pd.Timestamp("2020-11-11")],
    }


def without_data(spec: dict) -> dict:
    return {key: value for key, value in spec.items() if key != "datasets"}


@pytest.mark.parametrize("chart", ["overview", "window"])
def test_a_slider_step_changes_the_data_only_and_a_brush_the_spec(events, chart):
    """Same spec for two windows (the browser swaps the data in its view); another after a brush."""
    later = (date(2020, 10, 2), date(2020, 11, 15))  # as long as WAR: the same bins (days)

    def draw(window: tuple[date, date], generation: int = 0) -> dict:
        if chart == "overview":
            return overview_chart(overview_counts(events), window, generation)
        return window_chart(events, window, "en", generation)

    first, second = draw(WAR), draw(later)
    assert without_data(first) == without_data(second)
    assert not first["datasets"]["window"].equals(second["datasets"]["window"])
    assert without_data(draw(later, generation=1)) != without_data(second)


def test_a_filled_chart_leaves_its_template_alone(events):
    first = window_chart(events, WAR)
    second = window_chart(events.iloc[:1], (date(2020, 9, 27), date(2020, 10, 1)), generation=3)
    assert first["datasets"]["window"]["start"][0] == pd.Timestamp("2020-09-27")
    assert first["usermeta"] == {"generation": 0, "embedOptions": {"renderer": "canvas"}}
    assert second["datasets"]["window"]["end"][0] == pd.Timestamp("2020-10-02")
    assert len(first["datasets"]["bins"]) > len(second["datasets"]["bins"])


def ms(day: str, hour: int = 0) -> float:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=timezone.utc).timestamp() * 1000


@pytest.mark.parametrize(
    ("state", "window"),
    [
        ({"selection": {BRUSH: {"bin": [ms("2020-09-27", 5), ms("2020-11-10", 20)]}}}, WAR),
        ({"selection": {BRUSH: {"bin": [ms("2020-11-11"), ms("2020-09-27")]}}}, WAR),  # to a bar's right edge
        ({"selection": {BRUSH: {"bin": ["2020-09-27", "2020-09-27T06:00"]}}}, (date(2020, 9, 27),) * 2),
        (
            {"selection": {BRUSH: {"bin": [ms("1900-01-01"), ms("1990-01-01")]}}},
            (schema.TIMELINE_START, date(1989, 12, 31)),
        ),
        ({"selection": {BRUSH: {}}}, None),
        ({"selection": {}}, None),
        (None, None),
    ],
)
def test_a_brush_becomes_a_window_of_whole_days(state, window):
    assert window_from_selection(state) == window
