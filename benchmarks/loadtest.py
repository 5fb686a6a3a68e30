"""Bounded load test on loopback: N browser sessions move the date slider for S seconds, then stop."""

from __future__ import annotations

import asyncio
import math
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.machine import rss_mb
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, running_dashboard

STEP_TIMEOUT_MS = 30_000
JS_END_PARAM = "() => new URL(location.href).searchParams.get('end')"


@dataclass
class LoadReport:
    """What the load test saw: steps, errors and latencies of slider steps, and the server's memory."""

    sessions: int
    seconds: float
    steps: int = 0
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    step_ms_p50: float | None = None
    step_ms_p95: float | None = None
    server_rss_mb_peak: float = 0.0


def percentile(values: list[float], share: float) -> float | None:
    """The share-quantile of values (nearest rank), None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


async def session(browser: Any, url: str, seconds: float, latencies: list[float], errors: list[str]) -> None:
    """One user: open the page, then press the end handle left and right for `seconds`."""
    from playwright.async_api import Error as PlaywrightError

    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    try:
        await page.goto(f"{url}/?start=1988-01-01&end=2010-01-01", timeout=STEP_TIMEOUT_MS * 2)
        handle = page.get_by_role("slider").nth(1)
        await handle.wait_for(timeout=STEP_TIMEOUT_MS * 2)
        await page.wait_for_function(f"() => ({JS_END_PARAM})() === '2010-01-01'", timeout=STEP_TIMEOUT_MS * 2)
        direction = "ArrowRight"
        deadline = time.monotonic() + seconds  # the page load is not part of the measured window
        while time.monotonic() < deadline:
            before = await page.evaluate(JS_END_PARAM)
            started = time.perf_counter()
            await handle.focus()
            await handle.press(direction)
            await page.wait_for_function(
                f"(before) => ({JS_END_PARAM})() !== before", arg=before, timeout=STEP_TIMEOUT_MS
            )
            latencies.append((time.perf_counter() - started) * 1000)
            if await page.locator('[data-testid="stException"]').count():
                errors.append("the page shows an exception")
            direction = "ArrowLeft" if direction == "ArrowRight" else "ArrowRight"
    except PlaywrightError as error:  # a timeout or a crashed page is a finding: counted and reported
        errors.append(f"{type(error).__name__}: {str(error).splitlines()[0][:200]}")
    finally:
        await context.close()


async def sample_rss(pid: int, samples: list[float]) -> None:
    """Record the server's resident memory once a second until cancelled."""
    while True:
        samples.append(rss_mb(pid))
        await asyncio.sleep(1.0)


async def run_load(url: str, pid: int, sessions: int, seconds: float) -> LoadReport:
    """Drive `sessions` concurrent pages for `seconds` each after their page loaded; the run ends by itself."""
    from playwright.async_api import async_playwright

    latencies: list[float] = []
    errors: list[str] = []
    memory: list[float] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        users = asyncio.gather(*(session(browser, url, seconds, latencies, errors) for _ in range(sessions)))
        sampler = asyncio.create_task(sample_rss(pid, memory))
        await users
        sampler.cancel()
        await browser.close()
    report = LoadReport(
        sessions,
        seconds,
        steps=len(latencies),
        errors=len(errors),
        error_samples=errors[:5],
        server_rss_mb_peak=round(max(memory, default=0.0), 1),
    )
    if latencies:
        report.step_ms_p50 = round(statistics.median(latencies), 1)
        report.step_ms_p95 = round(percentile(latencies, 0.95) or 0.0, 1)
    return report


def run(sessions: int, seconds: float, events: Path | None = None) -> LoadReport:
    """Start an offline server on loopback, drive it with `sessions` pages for `seconds` each, stop it."""
    with running_dashboard(events=events, offline=True) as server:
        return asyncio.run(run_load(server.url, server.process.pid, sessions, seconds))
