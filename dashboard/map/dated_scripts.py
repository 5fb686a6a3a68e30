"""The dated groups' scripts of one language, each rendered once per key, and all of them ahead of need.

A slider step that lands on a date key no one has shown yet used to render its groups on the spot (~20 ms for
the territory, more on a loaded machine); with 236 keys over 1988–2024 (~2.3 s to render for one language)
scrubbing through the years met one on almost every step. `warm` renders every key on a daemon thread
once the page has drawn, so later steps only look theirs up.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from datetime import date, timedelta

import folium

from dashboard import schema
from dashboard.map.dated import DATED_LAYERS, DatedLayers

Render = Callable[[folium.FeatureGroup, int], str]  # a group and its place among the dynamic groups → script


def key_dates(dated: DatedLayers) -> dict[tuple[str, Hashable], date]:
    """Every (group, key) of the timeline with the first date that shows it."""
    first: dict[tuple[str, Hashable], date] = {}
    day = schema.TIMELINE_START
    while day <= schema.TIMELINE_END:
        for name in DATED_LAYERS:
            first.setdefault((name, dated.key(name, day)), day)
        day += timedelta(days=1)
    return first


class GroupScripts:
    """The scripts of the dated groups in `lang`, by (group, key); rendered on first use or by `warm`."""

    def __init__(self, dated: DatedLayers, lang: str, render: Render):
        self._dated, self._lang, self._render = dated, lang, render
        # Read and written by the page and the warming thread: a key rendered by both at once is rendered
        # twice, to the same script, and a dict's get and set are atomic; no lock needed.
        self._scripts: dict[tuple[str, Hashable], str] = {}
        self._warming: threading.Thread | None = None

    def get(self, name: str, when: date) -> str:
        """The script of group `name` as it stood on `when`."""
        key = (name, self._dated.key(name, when))
        script = self._scripts.get(key)
        if script is None:
            script = self._scripts[key] = self._render(self._dated.group(name, when, self._lang), _index(name))
        return script

    def warm(self) -> threading.Thread:
        """Render every key not rendered yet on a daemon thread, started by the first call; the thread (so a
        caller may wait for it)."""
        if self._warming is None:
            self._warming = threading.Thread(target=self._warm_all, name=f"dated-scripts-{self._lang}", daemon=True)
            self._warming.start()
        return self._warming

    def _warm_all(self) -> None:
        for (name, _), when in key_dates(self._dated).items():
            self.get(name, when)


def _index(name: str) -> int:
    return DATED_LAYERS.index(name)
