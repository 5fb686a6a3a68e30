"""The map's groups that follow the window's end date, from the control model: what each shows on a date,
and a key that is the same for every date showing the same thing (the page renders a group once per key).

The keys are what keeps a slider step as fast as before: the territory changes on ~80 dates in 37 years,
the corridor on 8, the line of contact twice, so almost every step reuses rendered groups.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date, timedelta

import folium
import geopandas as gpd
from shapely.geometry.base import BaseGeometry

from dashboard.corridor import PEACEKEEPING_END, PEACEKEEPING_START, ZONE_FROZEN_FROM
from dashboard.map.base import (
    DYNAMIC_LAYERS,
    LAYER_CONTACT_LINE,
    LAYER_CORRIDOR,
    LAYER_DISTRICTS,
    LAYER_EVENTS,
    LAYER_PEACEKEEPING,
    LAYER_TERRITORY,
)
from dashboard.map.layers import districts_layer
from dashboard.map.territory_layers import (
    corridor_layer,
    dated_contact_line_layer,
    peacekeeping_layer,
    territory_layer,
)
from dashboard.territory import Territory

# The line of contact drawn from the ceasefire of 12 May 1994 (the `line_of_contact` rule of
# geodata/control_rules.csv) until the statement of 10 November 2020 ended the war that overran it.
CONTACT_LINE_START = date(1994, 5, 12)
CONTACT_LINE_END = PEACEKEEPING_START
RECENT_DAYS = 30  # ground that changed hands this many days before the window's end is marked
# The groups built here, in the order the page sends them (the events group comes last, on top).
DATED_LAYERS: tuple[str, ...] = tuple(name for name in DYNAMIC_LAYERS if name != LAYER_EVENTS)


def contact_line_shown(when: date) -> bool:
    """Whether the 1994 line of contact existed on `when`."""
    return CONTACT_LINE_START <= when < CONTACT_LINE_END


@dataclass(frozen=True)
class DatedLayers:
    """The control model with the geodata the dated groups draw: the line of contact and the districts."""

    territory: Territory
    contact_line: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    _front_lines: dict[Hashable, BaseGeometry] = field(default_factory=dict, repr=False, compare=False)

    def key(self, name: str, when: date) -> Hashable:
        """A key of what group `name` shows on `when`: two dates with one key show the same group."""
        frontline, corridor = self.territory.frontline, self.territory.corridor
        if name == LAYER_TERRITORY:
            return frontline.key(when), frontline.key(when - timedelta(days=RECENT_DAYS))
        if name == LAYER_DISTRICTS:
            return frontline.key(when)
        if name == LAYER_CONTACT_LINE:
            return contact_line_shown(when)
        if name == LAYER_PEACEKEEPING:
            if not PEACEKEEPING_START <= when < PEACEKEEPING_END:
                return None
            as_of = min(when, ZONE_FROZEN_FROM - timedelta(days=1))
            period = corridor.period_at(as_of)
            return frontline.key(as_of), period and period.start
        if name == LAYER_CORRIDOR:
            period = corridor.period_at(when)
            return period and (period.route, period.status, period.start)
        raise ValueError(f"no dated layer {name!r}; one of {', '.join(DATED_LAYERS)}")

    def group(self, name: str, when: date, lang: str) -> folium.FeatureGroup:
        """Group `name` as it stood on `when`, its text in `lang`."""
        territory = self.territory
        if name == LAYER_TERRITORY:
            front, changed = territory.front(when), territory.changed_since(when, RECENT_DAYS)
            return territory_layer(front, changed, self.front_line(when), lang)
        if name == LAYER_DISTRICTS:
            held = self.held(when)
            status = {name: str(row["controlled_by"]) for name, row in held.items()}
            return districts_layer(self.districts, status, lang, held=held)
        if name == LAYER_CONTACT_LINE:
            return dated_contact_line_layer(self.contact_line, contact_line_shown(when))
        if name == LAYER_PEACEKEEPING:
            return peacekeeping_layer(territory.peacekeeping_zone(when), lang)
        if name == LAYER_CORRIDOR:
            return corridor_layer(territory.corridor_at(when), lang)
        raise ValueError(f"no dated layer {name!r}; one of {', '.join(DATED_LAYERS)}")

    def front_line(self, when: date) -> BaseGeometry:
        """Territory.front_line on `when`, computed once per change date (the same for every language)."""
        key = self.territory.frontline.key(when)
        if key not in self._front_lines:
            self._front_lines[key] = self.territory.front_line(when)
        return self._front_lines[key]

    def held(self, when: date) -> dict[str, dict[str, object]]:
        """Each district's and the NKAO's row of Territory.district_shares on `when`, by name."""
        return {str(row["territory"]): row for row in self.territory.district_shares(when)}
