"""The page as a reader meets it, in Debian's Chromium: default mode with the internet blocked, place names,
the histogram brush, playback day by day, a shared link, a phone screen. Every wait polls; none sleeps."""

from __future__ import annotations

import re
from datetime import date

import pytest

from dashboard import schema
from dashboard.filters import Filters, apply
from dashboard.gazetteer import default_gazetteer
from dashboard.map.base import LAYER_CORRIDOR, LAYER_TERRITORY
from dashboard.map.dated import DATED_LAYERS
from dashboard.search import SearchIndex
from dashboard.timeline import filter_window
from tests.conftest import save_screenshot
from tests.support.browser import JS_DISTRICTS, JS_EVENT_MARKERS, MAP_FRAME, is_local, map_frame, running_dashboard

pytestmark = pytest.mark.browser

TIMEOUT_MS = 120_000  # a cold first load on a busy 2-core machine; waits poll, never sleep
URL_PARAM = "(name) => new URL(location.href).searchParams.get(name)"
# The dated groups the map frame keeps between reruns, by index: [[index, group], ...].
JS_KEPT = "() => Object.entries(window.kdKept || {}).filter(([k]) => k !== 'map').map(([k, v]) => [Number(k), v.group])"
JS_TAG_KEPT = f"() => ({JS_KEPT})().forEach(([index, group]) => {{ group.kdTag = index; }})"
JS_KEPT_TAGGED = f"() => ({JS_KEPT})().filter(([index, group]) => group.kdTag === index).map(([index]) => index)"
# Per canvas renderer, the index of the group of each shape it draws, in drawing order (the events' group: 99).
JS_DRAW_ORDER = f"""() => {{
    const of = new Map();
    const mark = (layer, index) => {{
        of.set(layer, index);
        if (layer.eachLayer) layer.eachLayer(l => mark(l, index));
    }};
    ({JS_KEPT})().forEach(([index, group]) => mark(group, index));
    window.feature_group.forEach(group => mark(group, 99));
    const renderers = new Set([...of.keys()].map(l => l._renderer).filter(r => r && '_drawFirst' in r));
    return [...renderers].map(r => {{
        const order = [];
        for (let o = r._drawFirst; o; o = o.next) if (of.has(o.layer)) order.push(of.get(o.layer));
        return order;
    }});
}}"""
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
    # after all those steps the frame holds one group per dynamic layer, not every group ever sent: this step's
    # events (the list streamlit-folium empties next time) and the dated groups it keeps while they stay the same
    assert frame.evaluate(f"() => [window.feature_group.length, ({JS_KEPT})().length]") == [1, len(DATED_LAYERS)]
    save_screenshot(page, "playing-2020-war.png")


def day_until_rebuilt(page, frame, index: int, days: int = 8) -> list[int]:
    """Step a day at a time until the dated group at `index` is rebuilt; the indices of the groups kept."""
    for _ in range(days):
        frame.evaluate(JS_TAG_KEPT)
        frame.evaluate("() => { window.feature_group[0].kdOld = true; }")  # this day's events group
        page.get_by_role("button", name="+1 day").click()
        frame.wait_for_function(
            "() => window.feature_group.length === 1 && !window.feature_group[0].kdOld", timeout=TIMEOUT_MS
        )
        kept = frame.evaluate(JS_KEPT_TAGGED)
        if index not in kept:
            return kept
    pytest.fail(f"dated group {index} was never rebuilt in {days} days")


def test_the_frame_keeps_unchanged_dated_groups_and_draws_them_in_order(page, server):
    frame = open_page(page, server, "?start=2020-10-15&end=2020-10-15")
    territory, corridor = DATED_LAYERS.index(LAYER_TERRITORY), DATED_LAYERS.index(LAYER_CORRIDOR)
    kept = day_until_rebuilt(page, frame, territory)  # the front moved most days of the 2020 war
    assert corridor in kept  # the corridor did not change: the same group stayed on the map
    orders = frame.evaluate(JS_DRAW_ORDER)
    # the territory, rebuilt, was added after the kept corridor, which was then brought to the front again
    assert any(territory in order and corridor in order for order in orders)
    assert all(order == sorted(order) for order in orders)
    # layers hidden in the layer control stay hidden on the next days, kept or rebuilt
    hidden = [territory, corridor]
    hide = f"(hide) => ({JS_KEPT})().forEach(([i, g]) => {{ if (hide.includes(i)) window.map.removeLayer(g); }})"
    frame.evaluate(hide, hidden)
    day_until_rebuilt(page, frame, territory)
    shown = frame.evaluate(f"() => ({JS_KEPT})().filter(([i, group]) => group._map).map(([i]) => i)")
    assert sorted(shown) == [i for i in range(len(DATED_LAYERS)) if i not in hidden]


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
