"""Hostile text in the events file shows literally and never runs, in the real page and the map frame."""

from __future__ import annotations

import re

import pytest

from tests.conftest import csv_text, row, save_screenshot
from tests.support.browser import (
    JS_EVENT_MARKERS,
    JS_MARKER_POINT,
    MAP_FRAME,
    map_frame,
    running_dashboard,
    wait_in_map,
)

pytestmark = pytest.mark.browser

TIMEOUT_MS = 120_000  # generous: a cold first load on a busy 2-core machine; waits poll, never sleep
SCRIPT_TITLE = "<script>window.__pwned = 'title'</script>Shusha"
IMG_SUMMARY = "<img src=x onerror=\"window.__pwned='summary'\"> and `${window.__pwned='template'}`"
QUOTE_SIDE = '" onmouseover="window.__pwned=\'side\'" x="'
JS_SOURCE = "javascript:window.__pwned='source'"
HOSTILE_ROWS = [
    row(
        id="hostile-1",
        title=SCRIPT_TITLE,
        summary=IMG_SUMMARY,
        side_a=QUOTE_SIDE,
        source=JS_SOURCE,
        date_start="1992-05-08",
        date_end="1992-05-08",
    ),
    row(
        id="hostile-2",
        title='=HYPERLINK("http://evil.example")',
        side_b="<svg onload=window.__pwned='svg'>",
        source="https://example.org/report?a=1&b=<2>",
        location="Lachin",
        latitude="39.63742",
        longitude="46.54977",
        date_start="1992-05-18",
        date_end="1992-05-18",
    ),
    row(id="broken-row", title="<b>bad date</b>", date_start="1992-02-30"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "events.csv"
    path.write_text(csv_text(HOSTILE_ROWS), encoding="utf-8")
    with running_dashboard(events=path, offline=True) as running:
        yield running


def pwned_anywhere(page) -> list[str]:
    """The frames in which the hostile flag got set."""
    return [frame.url for frame in page.frames if frame.evaluate("() => window.__pwned !== undefined")]


def marker_position(page, event_id: str) -> tuple[float, float]:
    point = map_frame(page).evaluate(JS_MARKER_POINT, event_id)
    box = page.locator(MAP_FRAME).bounding_box()
    return box["x"] + point["x"], box["y"] + point["y"]


JS_POPUP_HTML = """(id) => {
    const content = Object.values(window.map._layers)
        .find(l => l.options && l.options.eventId === id).getPopup().getContent();
    return typeof content === "string" ? content : content.innerHTML;
}"""


def test_hostile_text_is_shown_literally_and_never_runs(page, server):
    page.goto(f"{server.url}/?start=1992-05-01&end=1992-05-31")
    page.get_by_text(re.compile(r"Showing 2 of 2 events")).wait_for(timeout=TIMEOUT_MS)
    wait_in_map(page, f"() => ({JS_EVENT_MARKERS})().length === 2", TIMEOUT_MS)
    frame = map_frame(page)

    x, y = marker_position(page, "hostile-1")
    page.mouse.move(x, y)
    tooltip = frame.locator(".leaflet-tooltip:not(.country-label):not(.kd-label)")  # not a place name
    tooltip.wait_for(timeout=TIMEOUT_MS)
    assert SCRIPT_TITLE in tooltip.inner_text()
    popup = frame.evaluate(JS_POPUP_HTML, "hostile-1")
    assert "<script>" not in popup and "&lt;script&gt;" in popup and "<img" not in popup
    page.mouse.click(x, y)
    details = page.locator('.kd-details[data-event-id="hostile-1"]')
    details.wait_for(timeout=TIMEOUT_MS)
    text = details.inner_text()
    assert SCRIPT_TITLE in text and "<img src=x onerror=" in text and QUOTE_SIDE in text and JS_SOURCE in text
    # A javascript: source is text, not a link; the only links are the row's http(s) source URLs.
    hrefs = [link.get_attribute("href") or "" for link in details.locator("a").all()]
    assert all(href.startswith(("https://", "http://")) for href in hrefs), hrefs

    page.mouse.click(*marker_position(page, "hostile-2"))
    details = page.locator('.kd-details[data-event-id="hostile-2"]')
    details.wait_for(timeout=TIMEOUT_MS)
    link = details.locator("a").first  # the source; the row's source_url links follow
    assert link.get_attribute("href") == "https://example.org/report?a=1&b=<2>"
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert "<svg onload=" in details.inner_text()

    # The table and the problems list show the raw text too.
    assert page.get_by_text("1 row(s) rejected", exact=False).count() == 1
    save_screenshot(page, "hostile-rows.png")
    assert pwned_anywhere(page) == []
    assert page.external_requests == []
