"""The README's Layout section matches the tree: every module it names exists, every module is named."""

from __future__ import annotations

import re

from dashboard import schema

ROOT = schema.REPO_ROOT
FOLDERS = ("dashboard", "dashboard/map", "tools", "tools/geodata_build", "benchmarks", "tests/support")


def layout_block() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Layout\n") :]
    return section[section.index("```") + 3 : section.index("```", section.index("```") + 3)]


def test_every_module_of_the_tree_is_named_in_the_layout() -> None:
    named = set(re.findall(r"[\w]+\.py", layout_block()))
    modules = {p.name for folder in FOLDERS for p in (ROOT / folder).glob("*.py") if p.name != "__init__.py"}
    assert sorted(modules - named - {"__main__.py"}) == []


def test_every_module_the_layout_names_exists() -> None:
    named = set(re.findall(r"[\w]+\.py", layout_block()))
    modules = {p.name for folder in FOLDERS for p in (ROOT / folder).glob("*.py")}
    assert sorted(named - modules) == []


def test_every_folder_of_the_layout_exists() -> None:
    folders = re.findall(r"^ *([\w/]+)/ ", layout_block(), re.MULTILINE)
    assert folders and all((ROOT / folder).is_dir() or (ROOT / "dashboard" / folder).is_dir()
                           or (ROOT / "tools" / folder).is_dir() or (ROOT / "tests" / folder).is_dir()
                           for folder in folders), folders  # fmt: skip
