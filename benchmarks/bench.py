"""The benchmark: the dashboard against the naive full-rebuild Streamlit + Folium page, per table size.

`python -m benchmarks bench --sizes 1000,10000,100000 --out bench.json` writes synthetic event tables
(benchmarks/synthetic.py) as CSV files in a temporary directory and, for the bundled events.csv and
each size, measures in one run:

* validate_s: `load_events(path, default_gazetteer())`, as the app loads a file (gazetteer built
  beforehand), and read_csv_s: a bare `pandas.read_csv` of the same file, side by side (interleaved,
  median of a few runs each), with their ratio validate_over_read_csv;
* filter_ms: one date-window filter (`filter_window`), median over windows of a tenth of the timeline
  (all of these for every file first, before any browser or server runs);
* in headless Chromium against a real `streamlit run` (offline), for the dashboard and for
  benchmarks/naive_app.py on the same file, one after the other: cold_start_s, then `steps` slider
  steps (benchmarks/steps.py), and the server's peak RSS. One untimed start of the dashboard comes
  first, so the first cold start measured does not also pay for the operating system's first reads.

A naive step that takes longer than NAIVE_STEP_TIMEOUT_S stops the naive measurement at that size;
its figures are then null and `naive_note` says why.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from benchmarks.machine import machine_info
from benchmarks.steps import AppRun, BenchError, initial_window, measure_app, page_days
from benchmarks.synthetic import SEED, write_synthetic
from dashboard import schema
from dashboard.data import LoadResult, load_events
from dashboard.gazetteer import default_gazetteer
from dashboard.timeline import filter_window

NAIVE_APP = schema.REPO_ROOT / "benchmarks" / "naive_app.py"
NAIVE_STEP_TIMEOUT_S = 60.0
LOAD_REPEATS = 5  # runs of each loader per file, interleaved; the medians are reported
Log = Callable[[str], None]


def time_validate(path: Path) -> tuple[float, LoadResult]:
    """(seconds, LoadResult) of loading and validating the file as the app does."""
    gazetteer = default_gazetteer()
    started = time.perf_counter()
    result = load_events(path, gazetteer)
    return time.perf_counter() - started, result


def time_read_csv(path: Path) -> float:
    """Seconds of a bare `pandas.read_csv` of the file (no checks, pandas' default options)."""
    started = time.perf_counter()
    pd.read_csv(path)
    return time.perf_counter() - started


def time_filter(events: pd.DataFrame, repeats: int = 21) -> float:
    """Median milliseconds of one `filter_window` over windows a tenth of the timeline wide."""
    width = timedelta(days=page_days())
    span = (schema.TIMELINE_END - schema.TIMELINE_START).days - width.days
    timings = []
    for i in range(repeats):
        start = schema.TIMELINE_START + timedelta(days=(i * 617) % span)
        began = time.perf_counter()
        filter_window(events, start, start + width)
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


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


def measure_data(label: str, path: Path, repeats: int = LOAD_REPEATS) -> tuple[dict[str, Any], pd.DataFrame]:
    """(figures, events): the in-process figures of one events file, and its events for checking the page."""
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, got {repeats}")
    validate, read = [], []
    result: LoadResult | None = None
    for _ in range(repeats):  # interleaved, so both see the same machine load
        # The previous load's frame freed first: each load runs as the app's does, with no other copy alive
        # (as each read_csv's frame is gone before the next).
        result = None
        seconds, result = time_validate(path)
        validate.append(seconds)
        read.append(time_read_csv(path))
    assert result is not None  # repeats >= 1
    if result.rejected:  # notes (e.g. an older file's missing optional column) do not stop the benchmark
        raise BenchError(f"{path}: {result.rejected} row(s) rejected, e.g. {result.problems[0]}")
    validate_s, read_csv_s = statistics.median(validate), statistics.median(read)
    return {
        "dataset": label,
        "n_events": len(result.events),
        "validate_s": round(validate_s, 3),
        "read_csv_s": round(read_csv_s, 3),
        "validate_over_read_csv": round(validate_s / read_csv_s, 1),
        "filter_ms": round(time_filter(result.events), 3),
    }, result.events


def measure_dataset(
    figures: dict[str, Any], path: Path, events: pd.DataFrame, browser: Any, steps: int
) -> dict[str, Any]:
    """Every figure for one events file; browser figures null (with a note) when browser is None."""
    figures = dict(figures)
    if browser is None:
        ours = naive = AppRun(note="not measured (--no-browser)")
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


def run(
    sizes: Sequence[int], steps: int, browser: bool = True, real: Path | None = schema.EVENTS_PATH, log: Log = print
) -> dict[str, Any]:
    """The whole benchmark: the bundled events file (unless real is None), then each synthetic size."""
    if steps < 1:
        raise ValueError(f"--steps must be at least 1, got {steps}")
    results: list[dict[str, Any]] = []
    version = None
    load_before = os.getloadavg()[0]  # the machine may be shared: its load is part of the figures' context
    with tempfile.TemporaryDirectory(prefix="dashboard-bench-") as tmp:
        datasets = [(real.name, real)] if real is not None else []
        for n in sizes:
            started = time.perf_counter()
            datasets.append((f"synthetic {n}", write_synthetic(n, Path(tmp))))
            log(f"wrote {n} synthetic events in {time.perf_counter() - started:.1f} s")
        loaded = []  # loading first, with no browser or server running beside it
        for label, path in datasets:
            log(f"loading {label} …")
            loaded.append((path, *measure_data(label, path)))
        if browser:
            results, version = _in_browser(loaded, steps, log)
        else:
            results = [measure_dataset(figures, path, events, None, steps) for path, figures, events in loaded]
    start, end = initial_window()
    return {
        # The machine may be shared: its load around the run is part of the figures' context.
        "machine": {**machine_info(version), "load_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)]},
        "settings": {
            "steps": steps,
            "seed": SEED,
            "initial_window": [start.isoformat(), end.isoformat()],
            "step": f"PageUp/PageDown on one slider handle ({page_days()} days), handles taking turns",
            "naive_step_timeout_s": NAIVE_STEP_TIMEOUT_S,
            "offline": True,
            "load_repeats": LOAD_REPEATS,
        },
        "results": results,
    }


def _in_browser(
    loaded: list[tuple[Path, dict[str, Any], pd.DataFrame]], steps: int, log: Log
) -> tuple[list[dict[str, Any]], str]:
    from playwright.sync_api import sync_playwright

    from tests.support.browser import launch_chromium

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        try:
            log("warming up (one untimed dashboard start) …")
            measure_app(chromium, schema.EVENTS_PATH, None, 0)
            results = []
            for path, figures, events in loaded:
                log(f"measuring {figures['dataset']} in Chromium …")
                results.append(measure_dataset(figures, path, events, chromium, steps))
            return results, chromium.version
        finally:
            chromium.close()


_COLUMNS = (
    ("dataset", "data", "{}"),
    ("n_events", "events", "{:,}"),
    ("validate_s", "validate s", "{:.2f}"),
    ("read_csv_s", "read_csv s", "{:.2f}"),
    ("validate_over_read_csv", "÷", "{:.1f}×"),
    ("filter_ms", "filter ms", "{:.2f}"),
    ("update_ms_p50", "update p50 ms", "{:.0f}"),
    ("update_ms_p95", "p95 ms", "{:.0f}"),
    ("naive_update_ms_p50", "naive p50 ms", "{:.0f}"),
    ("naive_over_ours_p50", "naive/ours", "{:.1f}×"),
    ("payload_kb", "payload kB", "{:.0f}"),
    ("naive_payload_kb", "naive kB", "{:.0f}"),
    ("cold_start_s", "cold s", "{:.1f}"),
    ("naive_cold_start_s", "naive cold s", "{:.1f}"),
    ("peak_rss_mb", "RSS MB", "{:.0f}"),
    ("naive_peak_rss_mb", "naive RSS MB", "{:.0f}"),
)


def format_table(report: dict[str, Any]) -> str:
    """The results as an aligned text table (medians of the steps; — where not measured), machine, notes."""
    header = [title for _, title, _ in _COLUMNS]
    rows = [
        [("—" if r.get(key) is None else fmt.format(r[key])) for key, _, fmt in _COLUMNS] for r in report["results"]
    ]
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows)]
    lines = [
        "  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths)))
        for row in (header, *rows)
    ]
    machine = report["machine"]
    lines.append(
        f"machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB, Python "
        f"{machine['python']}, Chromium {machine['chromium'] or '—'}, {machine['date']}; load average (1 min) "
        f"{' at the start, '.join(map(str, machine.get('load_1min', ['?', '?'])))} at the end"
    )
    lines.append(f"steps: {report['settings']['steps']} × {report['settings']['step']}; update/payload are medians")
    for r in report["results"]:
        for prefix in ("", "naive_"):
            if r.get(f"{prefix}note"):
                lines.append(f"note ({r['dataset']}, {'naive' if prefix else 'dashboard'}): {r[f'{prefix}note']}")
    return "\n".join(lines)


def write_report(report: dict[str, Any], out: Path) -> None:
    """The report as JSON."""
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
