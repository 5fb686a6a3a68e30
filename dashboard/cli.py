"""Thin commands over the package: validate, events, control, frontline, corridor, audit, geocode, fill-coords, serve.

Each command is a `cmd_*` function over package calls, registered in `build_parser`; user errors are
CommandError, printed as one line. The benchmark and load test live in benchmarks/ (`python -m benchmarks`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely

from dashboard import schema, territory
from dashboard.audit import audit, audit_markdown, audit_record, is_curated_place
from dashboard.control import RULES_PATH
from dashboard.data import EventsError, LoadResult, Problem, fill_coordinates, load_events
from dashboard.export import events_csv, events_geojson_text
from dashboard.gazetteer import GazetteerError, GeocodeError, default_gazetteer, place_record
from dashboard.territory import ControlError, Territory, event_link_problems, load_control, load_territory, status_at
from dashboard.timeline import clamp_window, filter_window


class CommandError(Exception):
    """A user error: printed as one clean line, exit status 1."""


def iso_date(text: str) -> date:
    """argparse type for YYYY-MM-DD dates."""
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in YYYY-MM-DD form") from error


def load_checked(events_path: Path) -> LoadResult:
    """Load events with the gazetteer as locator; file-level failures become CommandError."""
    try:
        return load_events(events_path, default_gazetteer())
    except (EventsError, GazetteerError) as error:
        raise CommandError(str(error)) from error


def cmd_validate(args: argparse.Namespace) -> int:
    """Print one line per problem in the events and control files; exit 1 if any.

    The control history is checked against the bundled events, or against --events when --control is given.
    """
    result = load_checked(args.events)
    problems: list[Problem] = list(result.problems)
    matching = args.events.resolve() == schema.EVENTS_PATH
    if args.control or (matching and schema.CONTROL_PATH.exists()):
        problems += control_problems(args.control or schema.CONTROL_PATH, set(result.events["id"]))
    if (args.geodata or matching) and (geodata_dir(args) / RULES_PATH.name).exists():
        problems += settlement_control_problems(geodata_dir(args), result)
    for problem in problems:
        print(problem)
    total = len(result.events) + result.rejected
    print(f"{len(result.events)} of {total} events valid; {len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


def control_problems(path: Path, event_ids: set[str]) -> list[Problem]:
    """Problems of the control file, including links to events that do not exist."""
    try:
        periods, problems = load_control(path)
    except ControlError as error:
        raise CommandError(str(error)) from error
    return problems + event_link_problems(periods, event_ids, str(path))


def settlement_control_problems(folder: Path, result: LoadResult) -> list[Problem]:
    """Problems of the settlement-level control and corridor files, event links and dates included."""
    events = result.events
    dates = dict(zip(events["id"], zip(events["date_start"].dt.date, events["date_end"].dt.date)))
    try:
        return territory.control_problems(folder, dates)
    except ControlError as error:
        raise CommandError(str(error)) from error


def geodata_dir(args: argparse.Namespace) -> Path:
    """The geodata folder of the control files (--geodata, else the bundled one)."""
    return args.geodata or schema.GEODATA_DIR


def territory_checked(args: argparse.Namespace) -> Territory:
    """The territory model of the geodata folder; its problems go to stderr, a file error is CommandError."""
    try:
        loaded, problems = load_territory(geodata_dir(args))
    except ControlError as error:
        raise CommandError(str(error)) from error
    for problem in problems:
        print(problem, file=sys.stderr)
    return loaded


def geojson_text(frame: gpd.GeoDataFrame, **extra: object) -> str:
    """A FeatureCollection, one feature per line, coordinates snapped to 5 decimals (~1 m); `extra` is added
    to each feature's properties."""
    features = []
    for row in frame.to_dict("records"):
        geometry = json.loads(shapely.to_geojson(shapely.set_precision(row.pop("geometry"), 1e-5)))
        feature = {"type": "Feature", "properties": {**row, **extra}, "geometry": geometry}
        features.append(json.dumps(feature, ensure_ascii=False, sort_keys=True, separators=(",", ":")))
    return '{"type":"FeatureCollection","features":[' + "".join(f"\n{f}," for f in features).rstrip(",") + "\n]}"


def cmd_events(args: argparse.Namespace) -> int:
    """Print the events overlapping the window as CSV or GeoJSON."""
    result = load_checked(args.events)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    start, end = clamp_window(args.start, args.end)
    selected = filter_window(result.events, start, end, args.type)
    if args.format == "geojson":
        print(events_geojson_text(selected))
    else:
        sys.stdout.write(events_csv(selected, spreadsheet_safe=False))
    return 0


def cmd_control(args: argparse.Namespace) -> int:
    """Who held a place on a date (--at), else each district's and the NKAO's holder and held share."""
    if args.at:
        return control_at(args)
    if args.control:
        return legacy_control(args)
    rows = territory_checked(args).district_shares(args.date)
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            print(
                f"{row['territory']:<10} {row['controlled_by']:<10} {row['armenian_share']:>6.1%} of "
                f"{row['area_km2']:,.0f} km2 held by Armenian forces"
            )
    return 0


def control_at(args: argparse.Namespace) -> int:
    """The holder of one place on a date: place, date, controlled_by, since, event_id, source."""
    try:
        record = territory_checked(args).record(args.at, args.date)
    except GeocodeError as error:
        raise CommandError(str(error)) from error
    if args.format == "json":
        print(json.dumps(record, ensure_ascii=False, indent=2))
    else:
        for key, value in record.items():
            print(f"{key:<14} {'' if value is None else value}")
    return 0


def legacy_control(args: argparse.Namespace) -> int:
    """Each territory's holder on a date from a district-level control file (--control)."""
    try:
        periods, problems = load_control(args.control)
    except ControlError as error:
        raise CommandError(str(error)) from error
    for problem in problems:
        print(problem, file=sys.stderr)
    status = status_at(periods, args.date)
    rows = [
        {"territory": t, "controlled_by": status.get(t, "unknown"), "date": args.date.isoformat()}
        for t in schema.TERRITORY_NAMES
    ]
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            print(f"{row['territory']:<10} {row['controlled_by']}")
    return 0


def cmd_frontline(args: argparse.Namespace) -> int:
    """Territory per holder (and per contested area) on a date: GeoJSON, or a table of areas."""
    return print_layer(
        territory_checked(args).front(args.date),
        args,
        lambda row: f"{row.controlled_by:<11} {row.area_km2:>10,.1f} km2",
    )


def cmd_corridor(args: argparse.Namespace) -> int:
    """The Lachin corridor in force on a date (road and strip with status); no features before it existed."""
    return print_layer(
        territory_checked(args).corridor_at(args.date),
        args,
        lambda row: f"{row.kind:<9} route {row.route}: {row.status} ({row.since} .. {row.until})",
    )


def print_layer(frame: gpd.GeoDataFrame, args: argparse.Namespace, table_line: Callable[[Any], str]) -> int:
    """The features of a date as GeoJSON (each with the date), or one table line per feature."""
    if args.format == "geojson":
        print(geojson_text(frame, date=args.date.isoformat()))
    else:
        for row in frame.itertuples():
            print(table_line(row))
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    """Print the audit of the event table: Markdown tables (as in the README) or JSON."""
    report = audit(load_checked(args.events).events, is_curated_place)
    if args.format == "json":
        print(json.dumps(audit_record(report), ensure_ascii=False, indent=2))
    else:
        print(audit_markdown(report), end="")
    return 0


def cmd_geocode(args: argparse.Namespace) -> int:
    """Resolve a place name; exit 1 with candidates when unknown or ambiguous."""
    try:
        place = default_gazetteer().resolve(args.name)
    except (GeocodeError, GazetteerError) as error:
        raise CommandError(str(error)) from error
    record = place_record(place, args.name)
    if args.json:
        print(json.dumps(record, ensure_ascii=False))
    else:
        print(f"{record['name']}  {record['lat']:.5f}, {record['lon']:.5f}  ({record['source']})")
    return 0


def cmd_fill_coords(args: argparse.Namespace) -> int:
    """Fill empty coordinates in the events file from the gazetteer."""
    try:
        filled, problems = fill_coordinates(args.events, default_gazetteer())
    except (OSError, UnicodeDecodeError, GazetteerError) as error:
        raise CommandError(f"{args.events}: {error}") from error
    for problem in problems:
        print(problem)
    print(f"filled {filled} row(s) in {args.events}", file=sys.stderr)
    return 1 if problems else 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Become `streamlit run dashboard/app.py` in the project root, so .streamlit/config.toml (localhost only)
    applies and signals reach the server itself.

    Every argument after `serve` goes to `streamlit run` as it is (`serve --server.port 8611`).
    """
    app = schema.REPO_ROOT / "dashboard" / "app.py"
    os.chdir(schema.REPO_ROOT)
    os.execv(sys.executable, [sys.executable, "-m", "streamlit", "run", str(app), *args.streamlit_args])
    return 0  # not reached: this process has become the server


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    events_opt: dict[str, Any] = {
        "type": Path,
        "default": schema.EVENTS_PATH,
        "help": "events CSV (default: the bundled events.csv)",
    }

    p = sub.add_parser("validate", help="check the events and control files")
    p.add_argument("--events", **events_opt)
    p.add_argument("--control", type=Path, help="district-level control file to check (default: the bundled one)")
    p.add_argument("--geodata", type=Path, help="folder of the settlement-level control files (default: geodata/)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("events", help="events overlapping a date window")
    p.add_argument("--events", **events_opt)
    p.add_argument("--start", type=iso_date)
    p.add_argument("--end", type=iso_date)
    p.add_argument("--type", action="append", choices=schema.EVENT_TYPES, help="repeat for several types")
    p.add_argument("--format", choices=("csv", "geojson"), default="csv")
    p.set_defaults(func=cmd_events)

    geodata_opt: dict[str, Any] = {"type": Path, "help": "folder of the geodata and control files (default: geodata/)"}
    p = sub.add_parser("control", help="who held a place (--at) or each district on a date")
    p.add_argument("--date", type=iso_date, required=True)
    p.add_argument("--at", metavar="PLACE", help="a settlement, in any language or spelling the gazetteer knows")
    p.add_argument("--control", type=Path, help="read the districts from this district-level file instead")
    p.add_argument("--geodata", **geodata_opt)
    p.add_argument("--format", choices=("json", "table"), default="table")
    p.set_defaults(func=cmd_control)

    p = sub.add_parser("frontline", help="territory per holder on a date")
    p.add_argument("--date", type=iso_date, required=True)
    p.add_argument("--geodata", **geodata_opt)
    p.add_argument("--format", choices=("geojson", "table"), default="geojson")
    p.set_defaults(func=cmd_frontline)

    p = sub.add_parser("corridor", help="the Lachin corridor in force on a date")
    p.add_argument("--date", type=iso_date, required=True)
    p.add_argument("--geodata", **geodata_opt)
    p.add_argument("--format", choices=("geojson", "table"), default="geojson")
    p.set_defaults(func=cmd_corridor)

    p = sub.add_parser("audit", help="coverage, sources, claims and fatality figures of the event table")
    p.add_argument("--events", **events_opt)
    p.add_argument("--format", choices=("markdown", "json"), default="markdown")
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("geocode", help="resolve a place name")
    p.add_argument("name")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_geocode)

    p = sub.add_parser("fill-coords", help="fill empty latitude/longitude from the gazetteer")
    p.add_argument("--events", **events_opt)
    p.set_defaults(func=cmd_fill_coords)

    p = sub.add_parser(
        "serve",
        help="start the dashboard in the browser; every option after it goes to streamlit run",
        description="Start the dashboard; every option goes to `streamlit run`, e.g. serve --server.port 8611",
    )
    p.add_argument("streamlit_args", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_serve)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: parse, run, turn user errors into one line and exit 1."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if argv[:1] == ["serve"] and not {"-h", "--help"} & set(argv[1:]):
        # Streamlit's own options (--server.port 8611) are not ours to parse: all of them pass through.
        args = argparse.Namespace(command="serve", func=cmd_serve, streamlit_args=argv[1:])
    else:
        args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except CommandError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
