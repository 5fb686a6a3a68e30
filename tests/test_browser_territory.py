"""The territory on the real page in Chromium: Shusha changes holder as the window's end crosses 8 November 2020,
and a click on the map opens the control history of the settlement there."""

from __future__ import annotations

import re

import pytest

from dashboard.gazetteer import default_gazetteer
from tests.conftest import save_screenshot
from tests.support.browser import MAP_FRAME, map_frame, running_dashboard, wait_in_map

pytestmark = pytest.mark.browser

TIMEOUT_MS = 120_000  # a cold first load on a busy 2-core machine; every wait polls, none sleeps
POLL_MS = 250
RUNNING = '[data-testid="stStatusWidget"]'  # Streamlit's "Running… Stop" badge, shown while the script runs

# The holder of the territory feature drawn at a point: ray casting over the feature's GeoJSON rings (Leaflet
# has no point-in-polygon of its own; a canvas layer has no DOM node to hit-test).
JS_HOLDER_AT = """([lat, lng]) => {
    const inRing = (ring) => {
        let inside = false;
        for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
            const [xi, yi] = ring[i], [xj, yj] = ring[j];
            if ((yi > lat) !== (yj > lat) && lng < (xj - xi) * (lat - yi) / (yj - yi) + xi) inside = !inside;
        }
        return inside;
    };
    const inPolygon = (rings) => inRing(rings[0]) && !rings.slice(1).some(inRing);
    if (!window.map) return null;
    for (const layer of Object.values(window.map._layers)) {
        const f = layer.feature;
        if (!f || !f.properties || f.properties.kind !== "territory" || !layer._map) continue;
        const g = f.geometry;
        const polygons = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
        if (polygons.some(inPolygon)) return f.properties.controlled_by;
    }
    return null;
}"""
JS_POINT = """([lat, lng]) => {
    const p = window.map.latLngToContainerPoint([lat, lng]);
    const box = window.map.getContainer().getBoundingClientRect();
    return {x: box.left + p.x, y: box.top + p.y};
}"""


@pytest.fixture(scope="module")
def server():
    with running_dashboard(offline=True) as running:
        yield running


@pytest.fixture(scope="module")
def shusha() -> tuple[float, float]:
    place = default_gazetteer().resolve("Shusha")
    return place.lat, place.lon


def open_at(page, server, query: str):
    """Load the page and wait (by polling) until the map has drawn its territory and the page is idle."""
    page.goto(f"{server.url}/{query}")
    page.get_by_text(re.compile(r"Showing \d+ of \d+ events")).wait_for(timeout=TIMEOUT_MS)
    frame = map_frame(page)
    frame.wait_for_function(
        "() => window.map && Object.values(window.map._layers).some(l => l.feature && l.feature.properties"
        " && l.feature.properties.kind === 'territory')",
        timeout=TIMEOUT_MS,
        polling=POLL_MS,
    )
    wait_idle(page)
    return frame


def wait_idle(page) -> None:
    """Poll until no script run is under way (a key pressed during one may be undone when the run ends)."""
    page.wait_for_function(f"() => !document.querySelector('{RUNNING}')", timeout=TIMEOUT_MS, polling=POLL_MS)


def test_scrubbing_across_8_november_2020_hands_shusha_over(page, server, shusha):
    open_at(page, server, "?start=2020-09-27&end=2020-11-06")
    holder_is = "() => ({})({}) === '{}'".format  # read in the map frame, looked up afresh on every poll
    assert wait_in_map(page, holder_is(JS_HOLDER_AT, list(shusha), "armenian"))
    url_end = "new URL(location.href).searchParams.get('end')"
    # One day a key press, each awaited: the map follows the window's end day by day across the fall of Shusha.
    for end, holder in [("2020-11-07", "armenian"), ("2020-11-08", "contested"), ("2020-11-09", "azerbaijan")]:
        handle = page.get_by_role("slider").nth(1)  # the window's end, found again after each rerun
        handle.focus()
        handle.press("ArrowRight")
        page.wait_for_function(f"() => {url_end} === '{end}'", timeout=TIMEOUT_MS, polling=POLL_MS)
        assert wait_in_map(page, holder_is(JS_HOLDER_AT, list(shusha), holder))
        wait_idle(page)
    save_screenshot(page, "territory-2020-11-09.png")
    assert page.external_requests == []


def test_clicking_the_map_opens_the_settlements_control_history(page, server, shusha):
    frame = open_at(page, server, "?start=2001-06-01&end=2001-06-02")  # a window without events
    point = frame.evaluate(JS_POINT, list(shusha))
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    details = page.locator(".kd-settlement")
    details.wait_for(timeout=TIMEOUT_MS)
    text = details.inner_text()
    assert "Shusha" in text and "Şuşa" in text and "Control history" in text
    assert "On 2001-06-02: Armenian forces" in text
    assert re.search(r"1992-05-0\d", text)  # the 1992 capture begins a period
    assert page.external_requests == []
