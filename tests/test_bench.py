"""The benchmark: synthetic tables load cleanly, the step plan, the report; one small real run in Chromium.

Timings are never asserted: only that every figure is measured, a number and not negative.
"""

from __future__ import annotations

import json
import subprocess
import sys
from itertools import islice
from pathlib import Path

import pandas as pd
import pytest

from dashboard import bench, cli, schema
from dashboard.browser import CHROMIUM
from dashboard.data import load_events
from dashboard.gazetteer import default_gazetteer

BROWSER_FIGURES = ("update_ms_p50", "update_ms_p95", "payload_kb", "cold_start_s", "peak_rss_mb")
DATA_FIGURES = ("n_events", "validate_s", "filter_ms")


def test_synthetic_events_load_without_problems(tmp_path):
    path = bench.write_synthetic(400, tmp_path)
    result = load_events(path, default_gazetteer())
    assert result.problems == [] and len(result.events) == 400
    events = result.events
    assert set(events["event_type"]) == set(schema.EVENT_TYPES)
    years = events["date_start"].dt.year
    assert years.min() < 1995 and years.max() > 2015  # spread over the timeline
    assert events["date_start"].min() >= pd.Timestamp(schema.TIMELINE_START)
    assert events["date_end"].max() <= pd.Timestamp(schema.TIMELINE_END)
    bounds = schema.REGION_BOUNDS
    assert events["latitude"].between(bounds["south"], bounds["north"]).all()
    assert events["longitude"].between(bounds["west"], bounds["east"]).all()


def test_synthetic_events_are_the_same_every_time(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert bench.write_synthetic(50, tmp_path / "a").read_bytes() == bench.write_synthetic(50, tmp_path / "b").read_bytes()


def test_steps_slide_the_window_forward_then_back():
    moves = list(islice(bench.step_moves(), 22))
    assert moves[:4] == [(1, "PageUp"), (0, "PageUp"), (1, "PageUp"), (0, "PageUp")]
    assert moves[18:22] == [(0, "PageDown"), (1, "PageDown"), (0, "PageDown"), (1, "PageDown")]


@pytest.mark.parametrize("text, message", [("1000,x", "whole numbers"), ("0", "at least 1"), (" , ", "empty")])
def test_bad_sizes_are_a_clean_command_error(text, message, capsys):
    assert cli.main(["bench", "--sizes", text, "--no-browser"]) == 1
    assert message in capsys.readouterr().err


def test_without_a_browser_only_the_data_figures_are_measured(tmp_path):
    report = bench.run([60], steps=2, browser=False, log=lambda _: None)
    assert [r["dataset"] for r in report["results"]] == ["events.csv", "synthetic 60"]
    synthetic = report["results"][1]
    assert synthetic["n_events"] == 60 and synthetic["validate_s"] >= 0 and synthetic["filter_ms"] >= 0
    assert synthetic["update_ms_p50"] is None and "--no-browser" in synthetic["note"]
    assert "—" in bench.format_table(report)


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium)")
def test_bench_command_measures_every_figure_at_a_small_size(tmp_path):
    pytest.importorskip("playwright.sync_api")
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, "-m", "dashboard", "bench", "--sizes", "200", "--steps", "3",
                           "--out", str(out)], cwd=schema.REPO_ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(out.read_text())
    assert set(report) >= {"machine", "settings", "results"}
    assert {"cpu", "cores", "memory_gb", "python", "chromium", "date"} <= set(report["machine"])
    assert report["machine"]["chromium"]
    assert [r["dataset"] for r in report["results"]] == ["events.csv", "synthetic 200"]
    for result in report["results"]:
        for key in (*DATA_FIGURES, *BROWSER_FIGURES, *(f"naive_{k}" for k in BROWSER_FIGURES),
                    "naive_over_ours_p50"):
            value = result[key]
            assert isinstance(value, (int, float)) and value >= 0, (result["dataset"], key, value)
        assert result["steps_measured"] == result["naive_steps_measured"] == 3
        assert result["note"] == result["naive_note"] == ""
    assert "naive/ours" in done.stdout and "synthetic 200" in done.stdout
