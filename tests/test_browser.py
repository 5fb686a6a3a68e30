"""The real page in Debian's Chromium: map, districts, markers, window, clicks, offline; screenshots saved."""

from __future__ import annotations

import re
from datetime import date

import pytest

from dashboard import schema
from dashboard.timeline import filter_window
from tests.conftest import save_screenshot
from tests.support.browser import (
    JS_DISTRICT_POINT,
    JS_DISTRICTS,
    JS_EVENT_MARKERS,
    JS_MARKER_POINT,
    JS_SHOW_MARKER,
    MAP_FRAME,
    map_frame,
    running_dashboard,
)

pytestmark = pytest.mark.browser

TIMEOUT_MS = 120_000  # generous: a cold first load on a busy 2-core machine; waits poll, never sleep
# True once the URL's end is the date the given slider handle shows.
JS_URL_END_IS = "(handle) => new URL(location.href).searchParams.get('end') === handle.getAttribute('aria-valuetext')"
JS_IDLE = "() => document.querySelector('[data-testid=\"stStatusWidget\"]') === null"  # no rerun running


@pytest.fixture(scope="module")
def server():
    with running_dashboard(offline=True) as running:
        yield running


def open_dashboard(page, server, query: str = ""):
    """Load the page and wait (by polling) until the map has drawn its seven districts and the count shows."""
    page.goto(f"{server.url}/{query}")
    page.get_by_text(re.compile(r"Showing \d+ of \d+ events")).wait_for(timeout=TIMEOUT_MS)
    frame = map_frame(page)
    frame.wait_for_function(f"() => ({JS_DISTRICTS})().length === 7", timeout=TIMEOUT_MS)
    return frame


def shown_count(page) -> int:
    text = page.get_by_text(re.compile(r"Showing \d+ of \d+ events")).inner_text()
    return int(re.search(r"Showing (\d+) of", text).group(1))


def wait_for_markers(frame, expected: int) -> list[str]:
    """Poll until the map shows `expected` event markers; return their ids."""
    frame.wait_for_function(f"() => ({JS_EVENT_MARKERS})().length === {expected}", timeout=TIMEOUT_MS)
    return frame.evaluate(JS_EVENT_MARKERS)


def wait_for_count(page, expected: int) -> None:
    page.get_by_text(re.compile(rf"Showing {expected} of \d+ events")).wait_for(timeout=TIMEOUT_MS)


def test_map_renders_districts_and_markers_offline(page, server, all_events):
    frame = open_dashboard(page, server, "?start=1988-01-01&end=2024-12-31")
    districts = dict(frame.evaluate(JS_DISTRICTS))
    assert sorted(districts) == sorted(schema.DISTRICT_NAMES)
    assert set(districts.values()) == {"azerbaijan"}  # on 2024-12-31 every district is back under Baku
    assert sorted(wait_for_markers(frame, len(all_events))) == sorted(all_events["id"])
    assert frame.locator(".leaflet-container").count() == 1
    save_screenshot(page, "dashboard.png")
    assert page.external_requests == []


def test_narrowing_the_window_reduces_markers_and_rows(page, server, all_events):
    frame = open_dashboard(page, server, "?start=1988-01-01&end=2024-12-31")
    wait_for_markers(frame, len(all_events))
    expected = filter_window(all_events, date(1993, 1, 1), date(1999, 12, 31))
    frame = open_dashboard(page, server, "?start=1993-01-01&end=1999-12-31")
    shown = wait_for_markers(frame, len(expected))
    assert shown_count(page) == len(expected) < len(all_events)
    assert sorted(shown) == sorted(expected["id"])
    assert dict(frame.evaluate(JS_DISTRICTS))["Kalbajar"] == "armenian"  # coloured for 1999-12-31
    save_screenshot(page, "window-1993-1999.png")
    assert page.external_requests == []


def test_moving_the_slider_with_the_keyboard_updates_map_and_table(page, server, all_events):
    frame = open_dashboard(page, server, "?start=2020-09-27&end=2020-11-10")
    before = len(filter_window(all_events, date(2020, 9, 27), date(2020, 11, 10)))
    wait_for_markers(frame, before)
    handle = page.get_by_role("slider").nth(1)  # the window's end
    handle.focus()
    for _ in range(20):
        handle.press("ArrowLeft")
        # A reader sees each step: the page has caught up when its URL says what the slider shows. (Presses
        # sent while a rerun is still running can be lost: the slider then shows the server's window again.)
        page.wait_for_function(JS_URL_END_IS, arg=handle.element_handle(), timeout=TIMEOUT_MS)
    end = date.fromisoformat(page.evaluate("() => new URL(location.href).searchParams.get('end')"))
    assert end < date(2020, 11, 10)
    expected = filter_window(all_events, date(2020, 9, 27), end)
    wait_for_count(page, len(expected))
    assert len(expected) <= before
    assert sorted(wait_for_markers(map_frame(page), len(expected))) == sorted(expected["id"])
    # The typed dates live outside the part of the page a step reruns: opened, they show where the slider is now.
    page.get_by_role("button", name="Dates").click()
    to_input = page.locator('[data-testid="stPopoverBody"] [data-testid="stDateInput"]').nth(1).locator("input")
    page.wait_for_function("([el, day]) => el.value === day", arg=[to_input.element_handle(), end.isoformat()],
                           timeout=TIMEOUT_MS)  # fmt: skip


def test_clicking_a_marker_shows_its_details(page, server, all_events):
    event = all_events[all_events["event_type"] == "capture"].iloc[0]
    start, end = event["date_start"].date().isoformat(), event["date_end"].date().isoformat()
    frame = open_dashboard(page, server, f"?start={start}&end={end}")
    wait_for_markers(frame, len(filter_window(all_events, event["date_start"].date(), event["date_end"].date())))
    assert frame.evaluate(JS_SHOW_MARKER, event["id"])  # spread its cluster bubble, if it is in one
    frame.wait_for_function(f"(id) => ({JS_MARKER_POINT})(id) !== null", arg=event["id"], timeout=TIMEOUT_MS)
    point = frame.evaluate(JS_MARKER_POINT, event["id"])
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    details = page.locator(".kd-details[data-event-id]")
    details.wait_for(timeout=TIMEOUT_MS)
    clicked = details.get_attribute("data-event-id")
    same = (all_events["latitude"] == event["latitude"]) & (all_events["longitude"] == event["longitude"])
    at_same_point = all_events[same]
    assert clicked in set(at_same_point["id"])  # overlapping markers: the top one is clicked
    assert all_events.set_index("id").loc[clicked, "title"] in details.inner_text()
    page.wait_for_function(f"() => location.search.includes('event={clicked}')", timeout=TIMEOUT_MS)
    save_screenshot(page, "marker-click.png")
    assert page.external_requests == []


def test_clicking_a_district_shows_its_control_history(page, server):
    frame = open_dashboard(page, server, "?start=2001-06-01&end=2001-06-02")  # a window without events
    wait_for_markers(frame, 0)
    point = frame.evaluate(JS_DISTRICT_POINT, "Lachin")
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    details = page.locator(".kd-district")
    details.wait_for(timeout=TIMEOUT_MS)
    text = details.inner_text()
    assert "Lachin" in text and "Laçın" in text and "Բերձոր" in text
    assert "Control history" in text and "18 May 1992" in text
    save_screenshot(page, "district-click.png")
    assert page.external_requests == []


def test_play_advances_the_window_until_paused(page, server):
    # The page's clock runs in real time until the test takes it over; its timers then fire only when told.
    sent: list[int] = []
    page.on("websocket", lambda socket: socket.on("framesent", lambda payload: sent.append(len(payload))))
    page.clock.install()
    open_dashboard(page, server, "?start=1992-01-01&end=1992-12-31&step=month&speed=fast")
    page.get_by_role("button", name="Play").click()
    end_param = "new URL(location.href).searchParams.get('end')"
    page.wait_for_function(f"() => {end_param} >= '1992-03-31'", timeout=TIMEOUT_MS)  # two steps at least
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for(timeout=TIMEOUT_MS)
    page.wait_for_function(JS_IDLE, timeout=TIMEOUT_MS)
    paused_at, before = page.evaluate(f"() => {end_param}"), len(sent)
    # Ten seconds of page time at once: a playback timer left running would ask for about eight reruns.
    page.clock.pause_at(page.evaluate("() => Date.now()") + 10)
    page.clock.run_for(10_000)
    page.wait_for_function(JS_IDLE, timeout=TIMEOUT_MS)
    assert len(sent) == before, "the paused page still asked the server for reruns"
    assert page.evaluate(f"() => {end_param}") == paused_at
    assert page.evaluate("() => new URL(location.href).searchParams.get('start')") == paused_at[:8] + "01"
