"""Performance benchmark: the dashboard against the naive full-rebuild Streamlit + Folium page, per table size.

`python -m dashboard bench --sizes 1000,10000,100000 --out bench.json` writes synthetic event tables
(the real schema, valid rows, places from geodata/places.csv) as CSV files in a temporary directory and,
for the bundled events.csv and each size, measures in one run:

* validate_s: `load_events(path, default_gazetteer())`, as the app loads a file (gazetteer built beforehand);
* filter_ms: one date-window filter (`filter_window`), median over windows of a tenth of the timeline
  (both for every file first, before any browser or server runs);
* in headless Chromium against a real `streamlit run` (offline), for the dashboard and for
  dashboard/naive_app.py on the same file, one after the other: cold_start_s (server launched → first map
  drawn), then `steps` slider steps, each a PageUp on one handle of the Date window slider (a tenth of
  the timeline; the two handles take turns, so the window slides and its count changes every step).
  update_ms is measured in the browser, from the key press to the map frame holding only new
  markers/cells and the page showing the new "Showing N of M events" (plus the next animation frame,
  so the canvas has painted); payload_kb sums the websocket frames the page received for the step; the
  server's peak RSS (VmHWM) is read before it stops. The count shown is checked against
  `filter_window` for the window the slider shows, so a step that drew the wrong data fails the run.
  One untimed start of the dashboard comes first, so the first cold start measured does not also pay
  for the operating system's first read of the libraries and Chromium's first page.

A naive step that takes longer than NAIVE_STEP_TIMEOUT_S (or a cold start longer than COLD_TIMEOUT_S)
stops the naive measurement at that size; its figures are then null and `naive_note` says why.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np

from dashboard import schema
from dashboard.browser import MAP_FRAME, ServerError, launch_chromium, peak_rss_mb, running_dashboard
from dashboard.data import load_events
from dashboard.gazetteer import Place, default_gazetteer, load_places
from dashboard.timeline import filter_window

SEED = 1988
NAIVE_APP = schema.REPO_ROOT / "dashboard" / "naive_app.py"
NAIVE_STEP_TIMEOUT_S = 60.0
COLD_TIMEOUT_S = 120.0
STEP_TIMEOUT_S = 60.0
VIEWPORT = {"width": 1500, "height": 1200}
# Streamlit's date slider moves a handle by a tenth of its range on PageUp/PageDown.
PAGE_FRACTION = 0.1
QUIET_S = 0.3  # a step's frames are over once none arrived for this long
PLACE_KINDS = frozenset({"city", "town", "village", "bridge", "pass"})
# Periods of heavy fighting get a share of the synthetic events, as in real conflict data.
WAR_PERIODS: tuple[tuple[date, date], ...] = (
    (date(1991, 9, 1), date(1994, 5, 12)), (date(2016, 4, 1), date(2016, 4, 5)),
    (date(2020, 9, 27), date(2020, 11, 10)), (date(2023, 9, 19), date(2023, 9, 20)),
)
WAR_SHARE = 0.4
_SIDES = ("Armenian forces", "Azerbaijani forces", "Karabakh Armenian forces", "Azerbaijani police",
          "Armenian civilians", "Azerbaijani civilians", "")
_COUNT = re.compile(r"Showing (\d+) of (\d+) events")


class BenchError(RuntimeError):
    """The benchmark could not measure something it must (a server that does not start, a wrong count)."""


# --- synthetic data -----------------------------------------------------------------------------------


def benchmark_places() -> list[Place]:
    """Gazetteer places inside the region that resolve to themselves by their English name."""
    gazetteer = default_gazetteer()
    bounds = schema.REGION_BOUNDS
    places = []
    for place in load_places():
        if place.kind not in PLACE_KINDS:
            continue
        if not (bounds["south"] <= place.lat <= bounds["north"] and bounds["west"] <= place.lon <= bounds["east"]):
            continue
        try:
            resolved = gazetteer.resolve(place.name_en)
        except LookupError:
            continue
        if abs(resolved.lat - place.lat) < 1e-6 and abs(resolved.lon - place.lon) < 1e-6:
            places.append(place)
    if not places:
        raise BenchError(f"no usable places in {schema.PLACES_PATH}")
    return places


def synthetic_rows(n: int, seed: int = SEED, places: Sequence[Place] | None = None) -> list[dict[str, str]]:
    """`n` valid event rows (the real schema), the same for the same n and seed.

    Places from the gazetteer, coordinates within ~3 km of them; dates over 1988–2024 with a share in
    the periods of heavy fighting; every event type; fatalities missing, known or a range.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    places = list(places or benchmark_places())
    rng = np.random.default_rng(seed + n)
    first, last = schema.TIMELINE_START, schema.TIMELINE_END
    span = (last - first).days
    day = rng.integers(0, span + 1, n)
    wars = rng.random(n) < WAR_SHARE
    period = rng.integers(0, len(WAR_PERIODS), wars.sum())
    war_days = [(a - first).days + int(rng.integers(0, (b - a).days + 1)) for a, b in
                (WAR_PERIODS[p] for p in period)]
    day[wars] = war_days
    length = np.where(rng.random(n) < 0.7, 0, rng.integers(1, 31, n))
    monthly = rng.random(n) < 0.1
    place_index = rng.integers(0, len(places), n)
    dlat, dlon = rng.uniform(-0.03, 0.03, n), rng.uniform(-0.04, 0.04, n)
    types = rng.integers(0, len(schema.EVENT_TYPES), n)
    best = np.floor(rng.pareto(1.2, n) * 3).astype(int)
    spread = rng.integers(0, 20, n)
    known = rng.random(n)
    side_a, side_b = rng.integers(0, len(_SIDES), n), rng.integers(0, len(_SIDES), n)
    disputed = rng.random(n) < 0.15
    rows = []
    for i in range(n):
        start = first + timedelta(days=int(day[i]))
        if monthly[i]:
            start = start.replace(day=1)
            following = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
            end, precision = min(following - timedelta(days=1), last), "month"
        else:
            end, precision = min(start + timedelta(days=int(length[i])), last), "day"
        place = places[place_index[i]]
        kind = schema.EVENT_TYPES[types[i]]
        low, high = max(0, best[i] - spread[i]), best[i] + spread[i]
        fatalities = ("", "", "") if known[i] < 0.3 else (
            (str(best[i]),) * 3 if known[i] < 0.7 else (str(low), str(best[i]), str(high)))
        rows.append({
            "id": f"bench-{n}-{i:06d}", "date_start": start.isoformat(), "date_end": end.isoformat(),
            "date_precision": precision, "event_type": kind,
            "title": f"Synthetic {kind} near {place.name_en} ({i})",
            "summary": (f"Benchmark row {i}: a {kind} reported near {place.name_en} from {start.isoformat()} to "
                        f"{end.isoformat()}. Generated by python -m dashboard bench; not a real event."),
            "location": place.name_en, "latitude": f"{place.lat + dlat[i]:.5f}",
            "longitude": f"{place.lon + dlon[i]:.5f}", "geo_precision": "exact", "outside_region": "false",
            "side_a": _SIDES[side_a[i]], "side_b": _SIDES[side_b[i]],
            "fatalities_low": fatalities[0], "fatalities_best": fatalities[1], "fatalities_high": fatalities[2],
            "disputed": "true" if disputed[i] else "false",
            "source": "Synthetic benchmark data (python -m dashboard bench)",
        })
    return rows


def write_synthetic(n: int, directory: Path, seed: int = SEED) -> Path:
    """Write `synthetic_rows(n)` as an events CSV in `directory`; return its path."""
    path = Path(directory) / f"events_{n}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(schema.EVENT_COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(synthetic_rows(n, seed))
    return path


# --- in-process timings -------------------------------------------------------------------------------


def page_days() -> int:
    """Days a slider handle moves on PageUp: a tenth of the timeline, as Streamlit's slider does."""
    return round((schema.TIMELINE_END - schema.TIMELINE_START).days * PAGE_FRACTION)


def time_validate(path: Path):
    """(seconds, LoadResult) of loading and validating the file as the app does."""
    gazetteer = default_gazetteer()
    started = time.perf_counter()
    result = load_events(path, gazetteer)
    return time.perf_counter() - started, result


def time_filter(events, repeats: int = 21) -> float:
    """Median milliseconds of one `filter_window` over windows a tenth of the timeline wide."""
    width = timedelta(days=page_days())
    timings = []
    for i in range(repeats):
        start = schema.TIMELINE_START + timedelta(days=(i * 617) % ((schema.TIMELINE_END - schema.TIMELINE_START).days
                                                                   - width.days))
        began = time.perf_counter()
        filter_window(events, start, start + width)
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


# --- in-browser timings -------------------------------------------------------------------------------

# Run in the top page. Layers of the map inside the streamlit-folium frame (same origin) are reached
# through the iframe element, so a frame that is remounted (the naive page's) is followed too.
_JS_INSTALL = """(selector) => {
    window.__bench = {selector, keyAt: null};
    document.addEventListener('keydown', () => { window.__bench.keyAt = performance.now(); }, true);
    window.__benchMap = () => {
        const frame = document.querySelector(window.__bench.selector);
        const w = frame && frame.contentWindow;
        if (!w || !w.map || !w.L || !w.map._layers) return null;
        // Event markers and grid cells; the country labels are circle markers too, but not interactive.
        return {w, circles: Object.values(w.map._layers)
            .filter(l => l instanceof w.L.CircleMarker && l.options && l.options.interactive !== false)};
    };
    window.__benchCount = () => {
        for (const el of document.querySelectorAll('[data-testid="stMarkdownContainer"]')) {
            const m = /Showing (\\d+) of (\\d+) events/.exec(el.textContent);
            if (m) return Number(m[1]);
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
            const map = window.__benchMap();
            const fresh = map ? map.circles.filter(l => !l.__benchOld).length : 0;
            const stale = map ? map.circles.length - fresh : 0;
            const drawn = map && stale === 0 && (fresh > 0 || count === 0);
            if (count !== null && count !== oldCount && drawn) {
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
        return {f"{prefix}update_ms_p50": _round(p50, 1), f"{prefix}update_ms_p95": _round(p95, 1),
                f"{prefix}payload_kb": _round(payload, 1), f"{prefix}cold_start_s": _round(self.cold_start_s, 2),
                f"{prefix}peak_rss_mb": _round(self.peak_rss_mb, 1), f"{prefix}steps_measured": len(self.update_ms),
                f"{prefix}note": self.note}


class FrameMeter:
    """Bytes of websocket frames the page received, with the time the last one came."""

    def __init__(self, page):
        self.bytes = 0
        self.frames = 0
        self.last_at = time.monotonic()
        page.on("websocket", lambda ws: ws.on("framereceived", self._received))

    def _received(self, payload: str | bytes) -> None:
        self.bytes += len(payload.encode("utf-8") if isinstance(payload, str) else payload)
        self.frames += 1
        self.last_at = time.monotonic()

    def wait_quiet(self, page, quiet_s: float = QUIET_S, timeout_s: float = 30.0) -> None:
        """Let the page take its remaining frames: none for `quiet_s`, and Streamlit no longer running."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            page.wait_for_timeout(50)  # also lets Playwright deliver the frame events
            if time.monotonic() - self.last_at >= quiet_s and not page.evaluate(_JS_RUNNING):
                return


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


def slider_window(page) -> tuple[date, date]:
    """The window the Date window slider shows now."""
    sliders = page.get_by_role("slider")
    values = [sliders.nth(i).get_attribute("aria-valuetext") for i in (0, 1)]
    return date.fromisoformat(values[0]), date.fromisoformat(values[1])


def measure_app(browser, path: Path, events, steps: int, app: Path | None = None,
                step_timeout_s: float = STEP_TIMEOUT_S) -> AppRun:
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


def _cold_start(page, server, start: date, end: date, run: AppRun) -> None:
    page.goto(f"{server.url}/?start={start.isoformat()}&end={end.isoformat()}")
    page.evaluate(_JS_INSTALL, MAP_FRAME)
    page.evaluate(_JS_START_WAIT, [-1, COLD_TIMEOUT_S * 1000])
    shown = page.evaluate("() => window.__benchDone")
    if shown is None:
        run.note = f"first map not drawn within {COLD_TIMEOUT_S:.0f} s"
        return
    run.cold_start_s = time.monotonic() - server.started_at


def _steps(page, meter: FrameMeter, events, steps: int, timeout_s: float, run: AppRun) -> None:
    """Press keys on the slider until `steps` steps changed the count; time and weigh those."""
    sliders = page.get_by_role("slider")
    moves = step_moves()
    for press in range(1, 4 * steps + 1):
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
            raise BenchError(f"the page showed {shown['count']} events for {window[0]}..{window[1]}, "
                             f"filter_window gives {expected}")
        run.update_ms.append(shown["doneAt"] - shown["keyAt"])
        run.payload_kb.append((meter.bytes - before) / 1024)
    run.note = f"only {len(run.update_ms)} of {steps} key presses changed the events shown"


def _moved_window(page, before: tuple[date, date], timeout_s: float = 2.0) -> tuple[date, date]:
    """The slider's window once it differs from `before` (the key press has moved a handle)."""
    deadline = time.monotonic() + timeout_s
    while True:
        window = slider_window(page)
        if window != before or time.monotonic() > deadline:
            return window
        page.wait_for_timeout(5)


# --- the run ------------------------------------------------------------------------------------------


def parse_sizes(text: str) -> list[int]:
    """Event counts from '1000,10000,100000'; raises ValueError naming a bad one."""
    sizes = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        try:
            size = int(part.replace("_", ""))
        except ValueError:
            raise ValueError(f"--sizes takes whole numbers separated by commas, got {part!r}") from None
        if size < 1:
            raise ValueError(f"--sizes: each size must be at least 1, got {size}")
        sizes.append(size)
    if not sizes:
        raise ValueError("--sizes is empty")
    return sizes


def machine_info(chromium_version: str | None) -> dict[str, Any]:
    """CPU, cores, memory, Python, Chromium and library versions, and the date of the run."""
    from importlib.metadata import version

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gb = round(int(line.split()[1]) / 1024 ** 2, 1)
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": memory_gb, "os": platform.platform(),
            "python": platform.python_version(), "chromium": chromium_version,
            "streamlit": version("streamlit"), "folium": version("folium"),
            "streamlit_folium": version("streamlit-folium"),
            "date": datetime.now(timezone.utc).isoformat(timespec="seconds")}


def measure_data(label: str, path: Path):
    """(figures, events): the in-process figures of one events file, and its events for checking the page."""
    validate_s, result = time_validate(path)
    if result.problems:
        raise BenchError(f"{path}: {len(result.problems)} problem(s), e.g. {result.problems[0]}")
    events = result.events
    return {"dataset": label, "n_events": len(events), "validate_s": round(validate_s, 3),
            "filter_ms": round(time_filter(events), 3)}, events


def measure_dataset(figures: dict[str, Any], path: Path, events, browser, steps: int) -> dict[str, Any]:
    """Every figure for one events file; browser figures null (with a note) when browser is None."""
    figures = dict(figures)
    if browser is None:
        ours = AppRun(note="not measured (--no-browser)")
        naive = AppRun(note="not measured (--no-browser)")
    else:
        ours = measure_app(browser, path, events, steps)
        naive = measure_app(browser, path, events, steps, app=NAIVE_APP, step_timeout_s=NAIVE_STEP_TIMEOUT_S)
    figures.update(ours.summary())
    figures.update(naive.summary("naive_"))
    ratio = None
    if figures["update_ms_p50"] and figures["naive_update_ms_p50"]:
        ratio = round(figures["naive_update_ms_p50"] / figures["update_ms_p50"], 1)
    figures["naive_over_ours_p50"] = ratio
    return figures


def run(sizes: Sequence[int], steps: int, browser: bool = True, real: Path | None = schema.EVENTS_PATH,
        log=print) -> dict[str, Any]:
    """The whole benchmark: the bundled events file (unless real is None), then each synthetic size."""
    if steps < 1:
        raise ValueError(f"--steps must be at least 1, got {steps}")
    results = []
    with tempfile.TemporaryDirectory(prefix="dashboard-bench-") as tmp:
        datasets = [(real.name, real)] if real is not None else []
        for n in sizes:
            started = time.perf_counter()
            datasets.append((f"synthetic {n}", write_synthetic(n, Path(tmp))))
            log(f"wrote {n} synthetic events in {time.perf_counter() - started:.1f} s")
        # Loading first, with no browser or server running beside it.
        loaded = []
        for label, path in datasets:
            log(f"loading {label} …")
            loaded.append((path, *measure_data(label, path)))
        version = None
        if browser:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as playwright:
                chromium = launch_chromium(playwright)
                try:
                    log("warming up (one untimed dashboard start) …")
                    measure_app(chromium, schema.EVENTS_PATH, None, 0)
                    for path, figures, events in loaded:
                        log(f"measuring {figures['dataset']} in Chromium …")
                        results.append(measure_dataset(figures, path, events, chromium, steps))
                    version = chromium.version
                finally:
                    chromium.close()
        else:
            results = [measure_dataset(figures, path, events, None, steps) for path, figures, events in loaded]
    start, end = initial_window()
    return {"machine": machine_info(version),
            "settings": {"steps": steps, "seed": SEED, "initial_window": [start.isoformat(), end.isoformat()],
                         "step": f"PageUp/PageDown on one slider handle ({page_days()} days), handles taking turns",
                         "naive_step_timeout_s": NAIVE_STEP_TIMEOUT_S, "offline": True},
            "results": results}


_COLUMNS = (("dataset", "data", "{}"), ("n_events", "events", "{:,}"), ("validate_s", "validate s", "{:.2f}"),
            ("filter_ms", "filter ms", "{:.2f}"), ("update_ms_p50", "update p50 ms", "{:.0f}"),
            ("update_ms_p95", "p95 ms", "{:.0f}"), ("naive_update_ms_p50", "naive p50 ms", "{:.0f}"),
            ("naive_over_ours_p50", "naive/ours", "{:.1f}×"), ("payload_kb", "payload kB", "{:.0f}"),
            ("naive_payload_kb", "naive kB", "{:.0f}"), ("cold_start_s", "cold s", "{:.1f}"),
            ("naive_cold_start_s", "naive cold s", "{:.1f}"), ("peak_rss_mb", "RSS MB", "{:.0f}"),
            ("naive_peak_rss_mb", "naive RSS MB", "{:.0f}"))


def format_table(report: dict[str, Any]) -> str:
    """The results as an aligned text table (medians of the steps; — where not measured), machine, notes."""
    header = [title for _, title, _ in _COLUMNS]
    rows = [[("—" if r.get(key) is None else fmt.format(r[key])) for key, _, fmt in _COLUMNS]
            for r in report["results"]]
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows)]
    lines = ["  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths)))
             for row in (header, *rows)]
    machine = report["machine"]
    lines.append(f"machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB, Python "
                 f"{machine['python']}, Chromium {machine['chromium'] or '—'}, {machine['date']}")
    lines.append(f"steps: {report['settings']['steps']} × {report['settings']['step']}; update/payload are medians")
    for r in report["results"]:
        for prefix in ("", "naive_"):
            if r.get(f"{prefix}note"):
                lines.append(f"note ({r['dataset']}, {'naive' if prefix else 'dashboard'}): {r[f'{prefix}note']}")
    return "\n".join(lines)


def main(args: argparse.Namespace) -> int:
    """`python -m dashboard bench`: run, print the table, write the JSON."""
    from dashboard.cli import CommandError

    try:
        sizes = parse_sizes(args.sizes)
        if args.steps < 1:
            raise ValueError(f"--steps must be at least 1, got {args.steps}")
    except ValueError as error:
        raise CommandError(str(error)) from error
    try:
        report = run(sizes, args.steps, browser=not args.no_browser,
                     log=lambda text: print(text, file=sys.stderr, flush=True))
    except BenchError as error:
        raise CommandError(str(error)) from error
    print(format_table(report))
    if args.out:
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(float(value), digits)
