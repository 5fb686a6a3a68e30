"""A pinned npm package: its tarball packed with `npm pack` into a cache folder and checked against the
digests the registry publishes (`npm view PACKAGE@VERSION dist`), so a build reads exactly that file."""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


class NpmError(Exception):
    """The tarball cannot be packed or does not match its published digests."""


@dataclass(frozen=True)
class Pinned:
    """A package version with its published sha512 integrity and sha1 shasum."""

    name: str
    version: str
    integrity: str
    shasum: str

    @property
    def tarball_name(self) -> str:
        """The file `npm pack` writes."""
        return f"{self.name}-{self.version}.tgz"


def integrity_of(path: Path) -> str:
    """The npm-style sha512 integrity string of a file."""
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode("ascii")


def verify(path: Path, package: Pinned) -> None:
    """Raise NpmError unless the file matches the package's sha512 and sha1 digests."""
    sha1 = hashlib.sha1(path.read_bytes()).hexdigest()
    integrity = integrity_of(path)
    if integrity != package.integrity or sha1 != package.shasum:
        raise NpmError(
            f"{path}: digest mismatch (sha512 {integrity}, sha1 {sha1}); "
            f"expected {package.integrity}, sha1 {package.shasum}"
        )


def fetch(package: Pinned, cache_dir: Path) -> Path:
    """The verified tarball in cache_dir, packed with npm if it is not there yet."""
    tarball = cache_dir / package.tarball_name
    if not tarball.is_file():
        npm = shutil.which("npm")
        if npm is None:
            raise NpmError(f"{tarball} is not cached and npm is not on PATH")
        cache_dir.mkdir(parents=True, exist_ok=True)
        spec = f"{package.name}@{package.version}"
        done = subprocess.run(
            [npm, "pack", spec, "--pack-destination", str(cache_dir)],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if done.returncode != 0 or not tarball.is_file():
            raise NpmError(f"npm pack {spec} failed: {done.stderr.strip()[-500:]}")
    verify(tarball, package)
    return tarball
