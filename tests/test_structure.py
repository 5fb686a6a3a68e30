"""The package's shape: one job per module, no import cycles, streamlit only in the page, no test extras at run time."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import schema

PACKAGE = schema.REPO_ROOT / "dashboard"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "static" not in p.parts)
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = path.relative_to(schema.REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Top-level names of every module the file imports (absolute imports; the package uses no relative ones)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_only_the_page_imports_streamlit_and_only_the_boundary_streamlit_folium() -> None:
    streamlit = {module_name(p) for p in MODULES if any(n.split(".")[0] == "streamlit" for n in imports(p))}
    folium_component = {module_name(p) for p in MODULES if any(n.startswith("streamlit_folium") for n in imports(p))}
    assert streamlit == {"dashboard.app"}
    assert folium_component == {"dashboard.map.boundary"}


def test_importing_the_package_outside_the_page_loads_no_streamlit() -> None:
    names = [
        module_name(p)
        for p in MODULES
        if module_name(p) not in ("dashboard.app", "dashboard.map.boundary", "dashboard.__main__")
    ]
    code = (
        f"import importlib, sys\nfor n in {names!r}: importlib.import_module(n)\nsys.exit('streamlit' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=schema.REPO_ROOT).returncode == 0


def test_the_package_has_no_import_cycles() -> None:
    known = {module_name(p): p for p in MODULES}
    graph = {name: {n for n in imports(path) if n in known and n != name} for name, path in known.items()}
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                pytest.fail("import cycle: " + " -> ".join([*trail[trail.index(target) :], target]))
            if target not in state:
                visit(target, [*trail, target])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])


def test_the_runtime_package_needs_no_test_or_benchmark_code() -> None:
    for path in MODULES:
        outside = {
            n
            for n in imports(path)
            if n.split(".")[0] in ("tests", "benchmarks", "tools", "playwright", "pytest", "hypothesis")
        }
        assert not outside, f"{path.name} imports {outside}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_module_is_short_and_says_its_job(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_LINES
    assert ast.get_docstring(ast.parse(text)), f"{path.name} has no module docstring"
