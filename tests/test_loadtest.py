"""The load test runs bounded on loopback and reports steps, errors, latency quantiles and server memory."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from benchmarks.loadtest import percentile, run_load
from tests.support.browser import CHROMIUM, running_dashboard


def test_percentile_is_nearest_rank():
    assert percentile([5, 1, 4, 2, 3], 0.5) == 3
    assert percentile(list(range(1, 101)), 0.95) == 95
    assert percentile([], 0.95) is None


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed (.ci/run installs it)")
def test_small_load_run_reports_every_figure_without_errors():
    pytest.importorskip("playwright.async_api")
    with running_dashboard(offline=True) as server:
        report = asyncio.run(run_load(server.url, server.process.pid, sessions=2, seconds=8))
    assert report.errors == 0, report.error_samples
    assert report.steps >= 2
    assert report.step_ms_p50 <= report.step_ms_p95 < 8_000 + 30_000  # no step longer than its timeout
    assert report.server_rss_mb_peak > 50  # a Streamlit server with pandas and geopandas loaded
