"""The benchmark: synthetic tables load cleanly, the step plan, the report, its CLI; one small run in Chromium."""

from __future__ import annotations

import json
import subprocess
import sys
from itertools import islice
from pathlib import Path

import pandas as pd
import pytest

from benchmarks import bench, steps, synthetic
from benchmarks.__main__ import main as benchmarks_main
from benchmarks.machine import machine_info, peak_rss_mb, proc_field, rss_mb
from dashboard import schema
from dashboard.data import load_events
from dashboard.gazetteer import default_gazetteer
from tests.support.browser import CHROMIUM

BROWSER_FIGURES = ("update_ms_p50", "update_ms_p95", "payload_kb", "cold_start_s", "peak_rss_mb")
DATA_FIGURES = ("n_events", "validate_s", "read_csv_s", "validate_over_read_csv", "filter_ms")


def test_synthetic_events_load_without_problems(tmp_path):
    path = synthetic.write_synthetic(400, tmp_path)
    result = load_events(path, default_gazetteer())
    assert result.problems == [] and len(result.events) == 400
    events = result.events
    assert set(events["event_type"]) <= set(schema.EVENT_TYPES) and events["event_type"].nunique() >= 10
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
    first = synthetic.write_synthetic(50, tmp_path / "a").read_bytes()
    assert first == synthetic.write_synthetic(50, tmp_path / "b").read_bytes()


def test_steps_slide_the_window_forward_then_back():
    moves = list(islice(steps.step_moves(), 22))
    assert moves[:4] == [(1, "PageUp"), (0, "PageUp"), (1, "PageUp"), (0, "PageUp")]
    assert moves[18:22] == [(0, "PageDown"), (1, "PageDown"), (0, "PageDown"), (1, "PageDown")]


@pytest.mark.parametrize("text, message", [("1000,x", "whole numbers"), ("0", "at least 1"), (" , ", "empty")])
def test_bad_sizes_are_one_line_on_stderr(text, message, capsys):
    assert benchmarks_main(["bench", "--sizes", text, "--no-browser"]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_without_the_bench_extra_the_benchmark_says_what_to_install(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # as if Playwright were not installed
    assert benchmarks_main(["bench", "--sizes", "20", "--steps", "1"]) == 1
    err = capsys.readouterr().err
    assert "pip install -e '.[bench]'" in err and "Traceback" not in err


def test_without_a_browser_only_the_data_figures_are_measured():
    report = bench.run([60], steps=2, browser=False, log=lambda _: None)
    assert [r["dataset"] for r in report["results"]] == ["events.csv", "synthetic 60"]
    synthetic_result = report["results"][1]
    assert synthetic_result["n_events"] == 60
    for key in DATA_FIGURES:
        assert synthetic_result[key] > 0, key
    assert synthetic_result["update_ms_p50"] is None and "--no-browser" in synthetic_result["note"]
    table = bench.format_table(report)
    assert "—" in table and "read_csv s" in table


def test_proc_fields_are_read_from_their_line(tmp_path):
    status = tmp_path / "status"
    status.write_text("Name:\tpython\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\n")
    assert proc_field(status, "VmRSS") == "1024 kB"
    assert proc_field(status, "VmSwap") is None
    assert proc_field(tmp_path / "missing", "VmRSS") is None


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_this_process_has_memory_and_the_machine_a_cpu():
    import os

    assert peak_rss_mb(os.getpid()) >= rss_mb(os.getpid()) > 10
    info = machine_info(None)
    assert info["cpu"] and info["cores"] >= 1 and info["memory_gb"] > 0


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium)")
def test_bench_command_measures_every_figure_at_a_small_size(tmp_path):
    pytest.importorskip("playwright.sync_api")
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "bench", "--sizes", "200", "--steps", "3", "--out", str(out)],
        cwd=schema.REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(out.read_text())
    assert set(report) >= {"machine", "settings", "results"}
    assert {"cpu", "cores", "memory_gb", "python", "chromium", "date"} <= set(report["machine"])
    assert report["machine"]["chromium"]
    assert [r["dataset"] for r in report["results"]] == ["events.csv", "synthetic 200"]
    for result in report["results"]:
        for key in (*DATA_FIGURES, *BROWSER_FIGURES, *(f"naive_{k}" for k in BROWSER_FIGURES), "naive_over_ours_p50"):
            value = result[key]
            assert isinstance(value, (int, float)) and value > 0, (result["dataset"], key, value)
        assert result["steps_measured"] == result["naive_steps_measured"] == 3
        assert result["note"] == result["naive_note"] == ""
    assert "naive/ours" in done.stdout and "synthetic 200" in done.stdout


def test_pair_needs_two_checkouts_of_the_project(tmp_path, capsys):
    assert benchmarks_main(["pair", str(schema.REPO_ROOT), str(tmp_path), "--steps", "1"]) == 1
    assert f"{tmp_path}: not a checkout of this project" in capsys.readouterr().err
    assert benchmarks_main(["pair", str(schema.REPO_ROOT), "--steps", "1"]) == 1
    assert "at least two trees" in capsys.readouterr().err


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium)")
def test_pair_steps_two_trees_in_turn_over_the_same_windows():
    pytest.importorskip("playwright.sync_api")
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "pair", str(schema.REPO_ROOT), str(schema.REPO_ROOT), "--steps", "2"],
        cwd=schema.REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    first, second = json.loads(done.stdout)
    assert first["steps"] == second["steps"] == 2 and first["paired_difference_ms_median"] == 0
    for figure in ("update_ms_p50", "main_thread_ms_p50"):
        assert first[figure] > 0 and second[figure] > 0
    assert isinstance(second["paired_difference_ms_median"], float)
