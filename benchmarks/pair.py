"""Two or more checkouts of the project side by side, one slider step at a time (`python -m benchmarks pair A B`).

Each tree serves the page from its own `streamlit run` (started in the tree, so its own code and config, on the
bundled or given events) to its own page in one headless Chromium; the pages take turns, one step each, over the
same windows (the benchmark's plan of key presses and its timing, see steps.py). Per tree: the p50 of its steps,
the page's main-thread time per step (Chromium's TaskDuration, the step and what it leaves to render after it),
and against the first tree the median of the per-step differences. The machine's load moves p50s of separate runs
by 10–30 ms; the paired median tells a change of a few milliseconds from that drift.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from benchmarks.steps import (
    STEP_TIMEOUT_S,
    VIEWPORT,
    AppRun,
    BenchError,
    FrameMeter,
    _cold_start,
    _steps,
    initial_window,
    step_moves,
)
from dashboard.data import load_events
from dashboard.gazetteer import default_gazetteer
from tests.support.browser import launch_chromium, running_dashboard


@dataclass
class Side:
    """One tree's page in the shared browser, its plan of key presses and what its steps measured."""

    tree: Path
    page: Any
    meter: FrameMeter
    cdp: Any
    moves: Iterator[tuple[int, str]] = field(default_factory=step_moves)
    run: AppRun = field(default_factory=AppRun)
    busy_ms: list[float] = field(default_factory=list)

    def main_thread_ms(self) -> float:
        """The page's main-thread time so far (Chromium's TaskDuration), in milliseconds."""
        metrics = self.cdp.send("Performance.getMetrics")["metrics"]
        return 1000 * next(m["value"] for m in metrics if m["name"] == "TaskDuration")

    def step(self, events: pd.DataFrame) -> None:
        """One more step that changes the count (skipping presses that do not), with its main-thread time."""
        self.meter.wait_quiet(self.page)
        before, busy = len(self.run.update_ms), self.main_thread_ms()
        _steps(self.page, self.meter, events, before + 1, STEP_TIMEOUT_S, self.run, self.moves)
        if len(self.run.update_ms) == before:
            raise BenchError(f"{self.tree}: {self.run.note}")
        self.meter.wait_quiet(self.page)
        self.busy_ms.append(self.main_thread_ms() - busy)


def tree_app(tree: Path) -> Path:
    """The page script of a checkout; a clear error for a folder that is not one."""
    app = tree.resolve() / "dashboard" / "app.py"
    if not app.is_file():
        raise ValueError(f"{tree}: not a checkout of this project (no dashboard/app.py)")
    return app


def summary(sides: Sequence[Side]) -> list[dict[str, Any]]:
    """Per tree: steps, p50, main-thread p50, and the median of its per-step differences from the first tree."""
    first = sides[0].run.update_ms
    rows = []
    for side in sides:
        ours = side.run.update_ms
        differences = [b - a for a, b in zip(first, ours)]
        rows.append(
            {
                "tree": str(side.tree),
                "steps": len(ours),
                "update_ms_p50": round(statistics.median(ours), 1),
                "main_thread_ms_p50": round(statistics.median(side.busy_ms), 1),
                "paired_difference_ms_median": round(statistics.median(differences), 1),
            }
        )
    return rows


def run(trees: Sequence[Path], steps: int, events_path: Path) -> list[dict[str, Any]]:
    """`steps` steps per tree, the trees taking turns; the figures of `summary`."""
    if len(trees) < 2 or steps < 1:
        raise ValueError("pair needs at least two trees and one step")
    apps = [tree_app(tree) for tree in trees]
    events = load_events(events_path, default_gazetteer()).events
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, ExitStack() as stack:
        browser = launch_chromium(playwright)
        stack.callback(browser.close)
        sides = []
        for tree, app in zip(trees, apps):
            page = browser.new_context(viewport=VIEWPORT).new_page()
            meter = FrameMeter(page)  # before the page opens its websocket
            # From the tree's root, `python -m streamlit` imports that tree's package (and reads its config).
            root = tree.resolve()
            server = stack.enter_context(running_dashboard(events_path, True, {"PYTHONPATH": str(root)}, app, root))
            side = Side(tree, page, meter, page.context.new_cdp_session(page))
            side.cdp.send("Performance.enable")
            _cold_start(page, server, *initial_window(), side.run)
            if side.run.cold_start_s is None:
                raise BenchError(f"{tree}: {side.run.note}")
            sides.append(side)
        for _ in range(steps):
            for side in sides:
                side.page.bring_to_front()
                side.step(events)
        return summary(sides)
