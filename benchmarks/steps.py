"""Timing slider steps in headless Chromium against a real `streamlit run` server (the dashboard or the naive page).

A step is one PageUp/PageDown on a handle of the Date window slider (a tenth of the timeline; the two
handles take turns, so the window slides and its count changes every step). update_ms is measured in
the browser, from the key press to the map frame holding only new markers/cells and the page showing
the new "Showing N of M events" (plus the next animation frame, so the canvas has painted);
payload_kb sums the websocket frames the page received for the step. The count shown is checked
against `filter_window` for the window the slider shows, so a step that drew the wrong data fails.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from benchmarks.machine import peak_rss_mb
from dashboard import schema
from dashboard.timeline import filter_window
from tests.support.browser import MAP_FRAME, Server, ServerError, running_dashboard

Page = Any  # a playwright.sync_api.Page; Playwright is an optional extra, so not imported here

COLD_TIMEOUT_S = 120.0
STEP_TIMEOUT_S = 60.0
VIEWPORT = {"width": 1500, "height": 1200}
# Streamlit's date slider moves a handle by a tenth of its range on PageUp/PageDown.
PAGE_FRACTION = 0.1
QUIET_S = 0.3  # a step's frames are over once none arrived for this long


class BenchError(RuntimeError):
    """The benchmark could not measure something it must (a server that does not start, a wrong count)."""


# Run in the top page. Layers of the map inside the streamlit-folium frame (same origin) are reached
# through the iframe element, so a frame that is remounted (the naive page's) is followed too.
_JS_INSTALL = """(selector) => {
    window.__bench = {selector, keyAt: null};
    document.addEventListener('keydown', () => { window.__bench.keyAt = performance.now(); }, true);
    window.__benchMap = () => {
        const frame = document.querySelector(window.__bench.selector);
        const w = frame && frame.contentWindow;
        if (!w || !w.map || !w.L || !w.map._layers) return null;
        // The dashboard registers the event markers and grid cells it shows (also those gathered in a
        // cluster bubble, which are not map layers themselves) as map._kdEventMarkers when their group is added.
        if (w.map._kdEventMarkers !== undefined) return {w, circles: w.map._kdEventMarkers};
        // The naive page: its interactive circle markers (country labels are circle markers too, not interactive).
        return {w, circles: Object.values(w.map._layers)
            .filter(l => l instanceof w.L.CircleMarker && l.options && l.options.interactive !== false)};
    };
    // The count's element is remembered while it stays in the page: the wait below polls every 4 ms on the
    // main thread the step itself needs, so each poll reads one element, not every Markdown element's text.
    const countIn = (el) => {
        const m = el && el.isConnected && /Showing (\\d+) of (\\d+) events/.exec(el.textContent);
        return m ? Number(m[1]) : null;
    };
    window.__benchCount = () => {
        const known = countIn(window.__bench.countEl);
        if (known !== null) return known;
        for (const el of document.querySelectorAll('[data-testid="stMarkdownContainer"]')) {
            const count = countIn(el);
            if (count !== null) { window.__bench.countEl = el; return count; }
        }
        return null;
    };
    window.__benchTag = () => {
        const map = window.__benchMap();
        if (map) map.circles.forEach(l => { l.__benchOld = true; });
        return {count: window.__benchCount(), circles: map ? map.circles.length : 0};
    };
    window.__benchWait = (oldCount, timeoutMs) => new Promise(resolve => {
        const began = performance.now();
        window.__bench.cancel = false;
        const check = () => {
            if (window.__bench.cancel) { resolve(null); return; }
            const count = window.__benchCount();
            // The map is looked at only once the count has changed (the cheaper test first).
            const map = count !== null && count !== oldCount ? window.__benchMap() : null;
            const fresh = map ? map.circles.filter(l => !l.__benchOld).length : 0;
            const stale = map ? map.circles.length - fresh : 0;
            const drawn = map && stale === 0 && (fresh > 0 || count === 0);
            if (drawn) {
                requestAnimationFrame(() => resolve({count, circles: fresh, doneAt: performance.now(),
                                                     keyAt: window.__bench.keyAt}));
            } else if (performance.now() - began > timeoutMs) {
                resolve(null);
            } else {
                setTimeout(check, 4);
            }
        };
        check();
    });
}"""
_JS_START_WAIT = "([oldCount, timeoutMs]) => { window.__benchDone = window.__benchWait(oldCount, timeoutMs); }"
# The Date window slider's handles are the page's first two range inputs (role "slider").
_JS_SLIDER_WINDOW = (
    "() => [...document.querySelectorAll('input[type=range]')].slice(0, 2).map(e => e.getAttribute('aria-valuetext'))"
)
_JS_RUNNING = "() => document.querySelector('[data-testid=\"stStatusWidget\"]') !== null"


@dataclass
class AppRun:
    """What one app showed in the browser: cold start, step timings and payloads, server memory."""

    cold_start_s: float | None = None
    update_ms: list[float] = field(default_factory=list)
    payload_kb: list[float] = field(default_factory=list)
    peak_rss_mb: float | None = None
    note: str = ""

    def summary(self, prefix: str = "") -> dict[str, Any]:
        """The figures for the JSON report: medians, p95, and the note when something was not measured."""
        p50 = statistics.median(self.update_ms) if self.update_ms else None
        p95 = float(np.percentile(self.update_ms, 95)) if self.update_ms else None
        payload = statistics.median(self.payload_kb) if self.payload_kb else None
        return {
            f"{prefix}update_ms_p50": _round(p50, 1),
            f"{prefix}update_ms_p95": _round(p95, 1),
            f"{prefix}payload_kb": _round(payload, 1),
            f"{prefix}cold_start_s": _round(self.cold_start_s, 2),
            f"{prefix}peak_rss_mb": _round(self.peak_rss_mb, 1),
            f"{prefix}steps_measured": len(self.update_ms),
            f"{prefix}note": self.note,
        }


class FrameMeter:
    """Bytes of websocket frames the page received, with the time the last one came."""

    def __init__(self, page: Page):
        self.bytes = 0
        self.frames = 0
        self.last_at = time.monotonic()
        page.on("websocket", lambda ws: ws.on("framereceived", self._received))

    def _received(self, payload: str | bytes) -> None:
        self.bytes += len(payload.encode("utf-8") if isinstance(payload, str) else payload)
        self.frames += 1
        self.last_at = time.monotonic()

    def wait_quiet(self, page: Page, quiet_s: float = QUIET_S, timeout_s: float = 30.0) -> None:
        """Let the page take its remaining frames: none for `quiet_s`, and Streamlit no longer running."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            page.wait_for_timeout(50)  # also lets Playwright deliver the frame events
            if time.monotonic() - self.last_at >= quiet_s and not page.evaluate(_JS_RUNNING):
                return


def page_days() -> int:
    """Days a slider handle moves on PageUp: a tenth of the timeline, as Streamlit's slider does."""
    return round((schema.TIMELINE_END - schema.TIMELINE_START).days * PAGE_FRACTION)


def initial_window() -> tuple[date, date]:
    """The window the steps start from: the timeline's first tenth."""
    return schema.TIMELINE_START, schema.TIMELINE_START + timedelta(days=page_days())


def step_moves() -> Iterator[tuple[int, str]]:
    """(handle index, key) per step, without end: the end and the start handle take turns moving a page.

    The window (a page or two wide) slides forward to the timeline's end, then back to its start, and so on.
    """
    pages = round(1 / PAGE_FRACTION)
    start, end, forward, move_end = 0, 1, True, True
    while True:
        if forward and move_end and end >= pages:
            forward, move_end = False, False
        elif not forward and not move_end and start <= 0:
            forward, move_end = True, True
        delta = 1 if forward else -1
        if move_end:
            end += delta
        else:
            start += delta
        yield (1 if move_end else 0), ("PageUp" if forward else "PageDown")
        move_end = not move_end


def slider_window(page: Page) -> tuple[date, date]:
    """The window the Date window slider shows now.

    Read with a CSS query in the page: it is polled while a step is drawn, on the page's main thread, and
    Playwright's role locator (which works out the ARIA role of every element on the page) cost ~7 ms of that
    thread per step.
    """
    values = page.evaluate(_JS_SLIDER_WINDOW)
    return date.fromisoformat(values[0]), date.fromisoformat(values[1])


def measure_app(
    browser: Any,
    path: Path,
    events: pd.DataFrame | None,
    steps: int,
    app: Path | None = None,
    step_timeout_s: float = STEP_TIMEOUT_S,
) -> AppRun:
    """Cold start, `steps` slider steps and the server's peak RSS of one app on one events file."""
    run = AppRun()
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        meter = FrameMeter(page)
        start, end = initial_window()
        try:
            with running_dashboard(events=path, offline=True, app=app) as server:
                try:
                    _cold_start(page, server, start, end, run)
                    if run.cold_start_s is not None and steps:
                        _steps(page, meter, events, steps, step_timeout_s, run)
                finally:
                    run.peak_rss_mb = peak_rss_mb(server.process.pid)
        except ServerError as error:
            raise BenchError(f"{app or 'dashboard'} did not start: {error}") from error
    finally:
        context.close()
    return run


def _cold_start(page: Page, server: Server, start: date, end: date, run: AppRun) -> None:
    page.goto(f"{server.url}/?start={start.isoformat()}&end={end.isoformat()}")
    page.evaluate(_JS_INSTALL, MAP_FRAME)
    page.evaluate(_JS_START_WAIT, [-1, COLD_TIMEOUT_S * 1000])
    shown = page.evaluate("() => window.__benchDone")
    if shown is None:
        run.note = f"first map not drawn within {COLD_TIMEOUT_S:.0f} s"
        return
    run.cold_start_s = time.monotonic() - server.started_at


def _steps(
    page: Page,
    meter: FrameMeter,
    events: pd.DataFrame,
    steps: int,
    timeout_s: float,
    run: AppRun,
    moves: Iterator[tuple[int, str]] | None = None,
) -> None:
    """Press keys on the slider until `run` holds `steps` steps that changed the count; time and weigh those.
    `moves` continues a plan of key presses (`step_moves`) across calls; a new one starts from the first."""
    sliders = page.get_by_role("slider")
    moves = moves if moves is not None else step_moves()
    for _ in range(4 * steps):  # a press that changes no count is not a step; give up after 4 per step
        if len(run.update_ms) >= steps:
            return
        handle, key = next(moves)
        meter.wait_quiet(page)
        old = page.evaluate("() => window.__benchTag()")
        before_window = slider_window(page)
        page.evaluate(_JS_START_WAIT, [old["count"], timeout_s * 1000])
        before = meter.bytes
        sliders.nth(handle).press(key)
        window = _moved_window(page, before_window)
        expected = len(filter_window(events, *window))
        if expected == old["count"]:
            # Same events in the new window: nothing on the map changes, so there is no redraw to time.
            page.evaluate("() => { window.__bench.cancel = true; return window.__benchDone; }")
            continue
        shown = page.evaluate("() => window.__benchDone")
        if shown is None:
            run.note = f"step {len(run.update_ms) + 1} ({window[0]}..{window[1]}) not drawn within {timeout_s:.0f} s"
            return
        meter.wait_quiet(page)
        if shown["count"] != expected:
            raise BenchError(
                f"the page showed {shown['count']} events for {window[0]}..{window[1]}, filter_window gives {expected}"
            )
        run.update_ms.append(shown["doneAt"] - shown["keyAt"])
        run.payload_kb.append((meter.bytes - before) / 1024)
    run.note = f"only {len(run.update_ms)} of {steps} key presses changed the events shown"


def _moved_window(page: Page, before: tuple[date, date], timeout_s: float = 2.0) -> tuple[date, date]:
    """The slider's window once it differs from `before` (the key press has moved a handle)."""
    deadline = time.monotonic() + timeout_s
    while True:
        window = slider_window(page)
        if window != before or time.monotonic() > deadline:
            return window
        page.wait_for_timeout(5)


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(float(value), digits)
