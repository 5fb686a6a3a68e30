"""The page as a reader meets it, in Debian's Chromium: default mode with the internet blocked, place names,
the histogram brush, playback day by day, a shared link, a phone screen. Every wait polls; none sleeps."""

from __future__ import annotations

import re
from datetime import date

import pytest

from dashboard import schema
from dashboard.filters import Filters, apply
from dashboard.gazetteer import default_gazetteer
from dashboard.map.base import DYNAMIC_LAYERS
from dashboard.search import SearchIndex
from dashboard.timeline import filter_window
from tests.conftest import save_screenshot
from tests.support.browser import JS_DISTRICTS, JS_EVENT_MARKERS, MAP_FRAME, is_local, map_frame, running_dashboard

pytestmark = pytest.mark.browser

TIMEOUT_MS = 120_000  # a cold first load on a busy 2-core machine; waits poll, never sleep
URL_PARAM = "(name) => new URL(location.href).searchParams.get(name)"
JS_VISIBLE_LABELS = """() => [...document.querySelectorAll('.kd-label')]
    .filter(e => e.offsetParent !== null && getComputedStyle(e).display !== 'none').map(e => e.textContent)"""


@pytest.fixture(scope="module")
def server():
    """The page in its default mode (no DASHBOARD_OFFLINE): it must still need nothing from the internet."""
    with running_dashboard(offline=False) as running:
        yield running


def block_the_internet(page) -> list[str]:
    """Abort every request that would leave this machine; return the list the blocked URLs go into."""
    blocked: list[str] = []

    def route(request_route):
        if is_local(request_route.request.url):
            request_route.continue_()
        else:
            blocked.append(request_route.request.url)
            request_route.abort()

    page.context.route("**/*", route)
    return blocked


def open_page(page, server, query: str = ""):
    page.goto(f"{server.url}/{query}")
    page.get_by_text(re.compile(r"Showing \d+ of \d+ events")).wait_for(timeout=TIMEOUT_MS)
    frame = map_frame(page)
    frame.wait_for_function(f"() => ({JS_DISTRICTS})().length === 7", timeout=TIMEOUT_MS)
    return frame


def url_param(page, name: str) -> str | None:
    return page.evaluate(URL_PARAM, name)


def test_the_default_mode_draws_the_map_with_every_external_request_blocked(page, server, all_events):
    blocked = block_the_internet(page)
    frame = open_page(page, server, "?start=2020-09-27&end=2020-11-10")
    expected = filter_window(all_events, date(2020, 9, 27), date(2020, 11, 10))
    frame.wait_for_function(f"() => ({JS_EVENT_MARKERS})().length === {len(expected)}", timeout=TIMEOUT_MS)
    assert frame.locator(".leaflet-container").count() == 1
    assert frame.evaluate("() => window.map.getSize().y") > 300  # the frame has its height, not 0 px
    assert blocked == [] and page.external_requests == []  # nothing even tried to leave
    attribution = frame.locator(".leaflet-control-attribution").inner_text()
    assert "Natural Earth" in attribution and "GeoNames" in attribution and "🇺🇦" not in attribution


def test_place_names_show_without_hovering_and_more_as_the_map_zooms_in(page, server):
    frame = open_page(page, server, "?start=2020-09-27&end=2020-11-10")
    frame.wait_for_function(f"() => ({JS_VISIBLE_LABELS})().includes('Stepanakert')", timeout=TIMEOUT_MS)
    shown = frame.evaluate(JS_VISIBLE_LABELS)
    assert {"Stepanakert", "Shusha", "Lachin"} <= set(shown) and "Karkijahan" not in shown  # a village waits
    assert {"Kalbajar", "Aghdam"} <= set(shown)  # district names
    frame.evaluate("() => { window.map.setView([39.8177, 46.7528], 11, {animate: false}); }")
    frame.wait_for_function(f"() => ({JS_VISIBLE_LABELS})().includes('Karkijahan')", timeout=TIMEOUT_MS)
    assert len(frame.evaluate(JS_VISIBLE_LABELS)) > 0


def test_dragging_a_range_on_the_histogram_sets_the_window(page, server):
    open_page(page, server)
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    y = box["y"] + box["height"] * 0.3  # inside the plot, above the axis
    page.mouse.move(box["x"] + box["width"] * 0.60, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.72, y, steps=8)
    page.mouse.up()
    page.wait_for_function(f"() => ({URL_PARAM})('start') !== '{schema.TIMELINE_START}'", timeout=TIMEOUT_MS)
    start, end = (date.fromisoformat(url_param(page, name)) for name in ("start", "end"))
    assert date(2005, 1, 1) < start < end < date(2019, 1, 1) and 2 < (end - start).days / 365 < 8
    assert page.get_by_role("slider").first.get_attribute("aria-valuetext") == start.isoformat()


def test_playing_the_2020_war_day_by_day_changes_the_map(page, server, all_events):
    frame = open_page(page, server, "?start=2020-09-27&end=2020-11-10&step=day&speed=normal")

    def markers_of(day: str) -> list[str]:
        expected = sorted(filter_window(all_events, date.fromisoformat(day), date.fromisoformat(day))["id"])
        frame.wait_for_function(
            f"(ids) => JSON.stringify(({JS_EVENT_MARKERS})().sort()) === JSON.stringify(ids)",
            arg=expected,
            timeout=TIMEOUT_MS,
        )
        return expected

    page.get_by_role("button", name="Play").click()
    page.wait_for_function(f"() => ({URL_PARAM})('end') === '2020-09-27'", timeout=TIMEOUT_MS)
    first = markers_of("2020-09-27")  # the first step: the war's first day alone
    page.wait_for_function(f"() => ({URL_PARAM})('end') >= '2020-09-29'", timeout=TIMEOUT_MS)
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for(timeout=TIMEOUT_MS)
    day = url_param(page, "end")
    assert url_param(page, "start") == day  # a one-day window moved along, inside the war
    later = markers_of(day)
    assert later != first
    # after all those steps the frame holds this step's dynamic groups only, not every group ever sent
    assert frame.evaluate("() => window.feature_group.length") == len(DYNAMIC_LAYERS)
    save_screenshot(page, "playing-2020-war.png")


def test_a_shared_link_with_filters_and_language_reopens_the_same_view(page, server, all_events):
    link = "?start=2020-09-27&end=2020-11-10&lang=hy&types=capture,shelling&evidence=hide-unverified-claims&q=Շուշի"
    frame = open_page(page, server, link)
    window = filter_window(all_events, date(2020, 9, 27), date(2020, 11, 10))
    index = SearchIndex.build(window, default_gazetteer())
    filters = Filters(types=("capture", "shelling"), evidence="hide-unverified-claims", query="Շուշի")
    expected = apply(window, filters, index)
    assert 0 < len(expected) < len(window)
    page.get_by_text(re.compile(rf"Showing {len(expected)} of \d+ events")).wait_for(timeout=TIMEOUT_MS)
    frame.wait_for_function(f"() => ({JS_EVENT_MARKERS})().length === {len(expected)}", timeout=TIMEOUT_MS)
    assert sorted(frame.evaluate(JS_EVENT_MARKERS)) == sorted(expected["id"])
    frame.wait_for_function(f"() => ({JS_VISIBLE_LABELS})().includes('Ստեփանակերտ')", timeout=TIMEOUT_MS)
    assert page.get_by_role("radio", name="Հայերեն").is_checked()
    for name, value in (("lang", "hy"), ("types", "capture,shelling"), ("q", "Շուշի"), ("end", "2020-11-10")):
        assert url_param(page, name) == value
    save_screenshot(page, "shared-link-armenian.png")


def test_on_a_phone_the_map_is_within_the_first_screen(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    try:
        open_page(page, server, "?start=2020-09-27&end=2020-11-10")
        top = page.locator(MAP_FRAME).bounding_box()["y"]
        assert top < 844 * 0.8  # the map starts on the first screen, not below a third of title
        save_screenshot(page, "phone.png", full_page=False)
    finally:
        context.close()
