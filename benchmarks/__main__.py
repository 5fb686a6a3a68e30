"""`python -m benchmarks bench|loadtest|boundary|pair …`: benchmark, load test and side-by-side steps (`bench`
extra, Chromium), map boundary."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from dashboard import schema


def cmd_bench(args: argparse.Namespace) -> int:
    """Run the benchmark, print the table, write the JSON."""
    from benchmarks import bench

    sizes = bench.parse_sizes(args.sizes)
    if args.steps < 1:
        raise ValueError(f"--steps must be at least 1, got {args.steps}")
    report = bench.run(
        sizes, args.steps, browser=not args.no_browser, log=lambda text: print(text, file=sys.stderr, flush=True)
    )
    print(bench.format_table(report))
    if args.out:
        bench.write_report(report, args.out)
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


def cmd_loadtest(args: argparse.Namespace) -> int:
    """Run the load test, print and optionally save the report; exit 1 if any session saw an error."""
    from benchmarks import loadtest

    if args.sessions < 1 or args.seconds <= 0:
        raise ValueError("--sessions must be at least 1 and --seconds positive")
    report = loadtest.run(args.sessions, args.seconds, args.events)
    text = json.dumps(asdict(report), indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(
        f"{report.steps} steps, {report.errors} errors, p50 {report.step_ms_p50} ms, "
        f"p95 {report.step_ms_p95} ms, server RSS peak {report.server_rss_mb_peak} MB",
        file=sys.stderr,
    )
    return 1 if report.errors else 0


def cmd_boundary(args: argparse.Namespace) -> int:
    """Time the map boundary's contenders in-process and print the figures as JSON."""
    from benchmarks import boundary

    if args.steps < 2:
        raise ValueError(f"--steps must be at least 2, got {args.steps}")
    print(json.dumps(boundary.run(args.events, args.steps), indent=2))
    return 0


def cmd_pair(args: argparse.Namespace) -> int:
    """Step checkouts side by side and print their figures as JSON."""
    from benchmarks import pair

    print(json.dumps(pair.run(args.trees, args.steps, args.events), indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The benchmarks' command line."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("bench", help="performance benchmark against the naive approach")
    p.add_argument("--sizes", default="1000,10000,100000", help="comma-separated event counts")
    p.add_argument("--out", type=Path, help="write the results as JSON here")
    # 40: the window (a tenth of the timeline, one handle at a time) sweeps all of it there and back; with 12 it
    # never got past 2013, so the densest periods (the 2020 war, 2023) were never measured.
    p.add_argument("--steps", type=int, default=40, help="slider steps measured per size")
    p.add_argument("--no-browser", action="store_true", help="only the in-process figures (load, filter)")
    p.set_defaults(func=cmd_bench)
    p = sub.add_parser("loadtest", help="concurrent browser sessions move the slider on a local server")
    p.add_argument("--sessions", type=int, default=20)
    p.add_argument("--seconds", type=float, default=60.0)
    p.add_argument("--events", type=Path, help="events CSV to serve (default: the bundled one)")
    p.add_argument("--out", type=Path, help="write the report as JSON here")
    p.set_defaults(func=cmd_loadtest)
    p = sub.add_parser("boundary", help="st_folium against the page's map boundary, per step, in-process")
    p.add_argument("--events", type=Path, default=schema.EVENTS_PATH, help="events CSV (default: the bundled one)")
    p.add_argument("--steps", type=int, default=24)
    p.set_defaults(func=cmd_boundary)
    p = sub.add_parser("pair", help="checkouts of the project side by side, one slider step each in turn")
    p.add_argument("trees", type=Path, nargs="+", help="project folders (e.g. a git worktree of another commit)")
    p.add_argument("--events", type=Path, default=schema.EVENTS_PATH, help="events CSV (default: the bundled one)")
    p.add_argument("--steps", type=int, default=40, help="steps measured per tree")
    p.set_defaults(func=cmd_pair)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse, run; a bad argument, a missing extra or a failed measurement is one line on stderr and exit 1."""
    from benchmarks.steps import BenchError

    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ModuleNotFoundError as error:
        print(f"error: {error.name} is not installed; install the extra: pip install -e '.[bench]'", file=sys.stderr)
    except (ValueError, BenchError) as error:
        print(f"error: {error}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
