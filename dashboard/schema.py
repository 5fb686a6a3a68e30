"""Column names, types and vocabularies of the event table and the geodata: the one place they are defined."""

from __future__ import annotations

from datetime import date
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
EVENTS_PATH = REPO_ROOT / "events.csv"
GEODATA_DIR = REPO_ROOT / "geodata"
PLACES_PATH = GEODATA_DIR / "places.csv"
CONTROL_PATH = GEODATA_DIR / "control.csv"
DISTRICTS_PATH = GEODATA_DIR / "districts.geojson"
NKAO_PATH = GEODATA_DIR / "nkao.geojson"
CONTACT_LINE_PATH = GEODATA_DIR / "line_of_contact.geojson"
COUNTRIES_PATH = GEODATA_DIR / "countries.geojson"

# Event table columns, in file order.
EVENT_COLUMNS: tuple[str, ...] = (
    "id",
    "date_start",
    "date_end",
    "date_precision",
    "event_type",
    "title",
    "summary",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "outside_region",
    "side_a",
    "side_b",
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
    "fatalities_of",
    "disputed",
    "claimed_by",
    "verified",
    "source",
    "source_url",
    "part_of",
)
REQUIRED_COLUMNS: frozenset[str] = frozenset(
    {
        "id",
        "date_start",
        "date_end",
        "date_precision",
        "event_type",
        "title",
        "summary",
        "location",
        "geo_precision",
        "source",
    }
)
FATALITY_COLUMNS: tuple[str, ...] = ("fatalities_low", "fatalities_best", "fatalities_high")
TEXT_COLUMNS: tuple[str, ...] = (
    "id",
    "title",
    "summary",
    "location",
    "side_a",
    "side_b",
    "fatalities_of",
    "claimed_by",
    "source",
    "source_url",
    "part_of",
)
FLAG_COLUMNS: tuple[str, ...] = ("outside_region", "disputed", "verified")
# Columns added in schema v2: a file without them still loads (they read as empty) and gets a note.
V2_COLUMNS: tuple[str, ...] = ("fatalities_of", "claimed_by", "verified", "source_url", "part_of")
# Several sources (and their URLs, in the same order) are separated by this.
SOURCE_SEPARATOR = " | "

DATE_PRECISIONS: tuple[str, ...] = ("day", "month", "year")
GEO_PRECISIONS: tuple[str, ...] = ("exact", "near", "district", "region")
EVENT_TYPES: tuple[str, ...] = (
    "battle",
    "offensive",
    "capture",
    "handover",
    "shelling",
    "airstrike",
    "massacre",
    "pogrom",
    "ceasefire",
    "diplomacy",
    "political",
    "protest",
    "blockade",
    "displacement",
    "incident",
)
# Event families share a hue on the map, the legend and the chart.
EVENT_FAMILIES: dict[str, tuple[str, ...]] = {
    "fighting": ("battle", "offensive", "capture", "handover"),
    "strikes": ("shelling", "airstrike", "incident"),
    "violence against civilians": ("massacre", "pogrom", "displacement"),
    "politics": ("ceasefire", "diplomacy", "political", "protest", "blockade"),
}
# Each event type's family.
EVENT_FAMILY: dict[str, str] = {kind: family for family, kinds in EVENT_FAMILIES.items() for kind in kinds}
# Whose deaths the fatality figures count: one convention for every side.
FATALITIES_OF: tuple[str, ...] = ("armenian", "azerbaijani", "both", "other")
# Parties whose statement is the only basis of an event ("claimed by").
CLAIMANTS: tuple[str, ...] = (
    "Azerbaijan MoD",
    "Azerbaijan government",
    "Armenia MoD",
    "Armenia government",
    "NKR",
    "Russia MoD",
)
# The controlled columns and their words (an empty field is allowed; the checks say where it is not).
VOCABULARIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("event_type", EVENT_TYPES),
    ("date_precision", DATE_PRECISIONS),
    ("geo_precision", GEO_PRECISIONS),
    ("claimed_by", CLAIMANTS),
    ("fatalities_of", FATALITIES_OF),
)
# Boolean flag columns accept these spellings; empty means false.
TRUE_WORDS: frozenset[str] = frozenset({"true", "yes", "1"})
FALSE_WORDS: frozenset[str] = frozenset({"false", "no", "0", ""})

# The theatre: Armenia, Azerbaijan (with Nakhchivan) and their borders, WGS84 degrees.
# Events outside it (a protest in Paris, talks in Bishkek) must set outside_region=true.
REGION_BOUNDS: dict[str, float] = {"south": 38.2, "north": 42.0, "west": 43.3, "east": 51.0}
MAP_CENTER: tuple[float, float] = (39.85, 46.75)

TIMELINE_START = date(1988, 1, 1)
TIMELINE_END = date(2024, 12, 31)

# Territories and their control vocabulary.
DISTRICT_NAMES: tuple[str, ...] = ("Kalbajar", "Lachin", "Qubadli", "Jabrayil", "Zangilan", "Aghdam", "Fuzuli")
NKAO_NAME = "NKAO"
TERRITORY_NAMES: tuple[str, ...] = DISTRICT_NAMES + (NKAO_NAME,)
CONTROL_STATES: tuple[str, ...] = ("armenian", "azerbaijan", "partial")
CONTROL_COLUMNS: tuple[str, ...] = ("territory", "date_start", "date_end", "controlled_by", "event_id", "note")

# Gazetteer columns; alternates are separated by "|".
PLACE_COLUMNS: tuple[str, ...] = (
    "name_en",
    "name_az",
    "name_hy",
    "alternates",
    "kind",
    "latitude",
    "longitude",
    "source",
)

# Settlement-level control (dashboard/control.py): area rules and per-settlement changes.
RULES_PATH = GEODATA_DIR / "control_rules.csv"
CHANGES_PATH = GEODATA_DIR / "control_changes.csv"
RULE_COLUMNS: tuple[str, ...] = (
    "unit",
    "earliest",
    "latest",
    "controlled_by",
    "event_id",
    "source",
    "source_url",
    "note",
)
CHANGE_COLUMNS: tuple[str, ...] = (
    "place",
    "earliest",
    "latest",
    "controlled_by",
    "event_id",
    "claimed_by",
    "source",
    "source_url",
    "note",
)
HOLDERS: tuple[str, ...] = ("armenian", "azerbaijan", "contested")

# Units of 1988: the raions of the NKAO, of the Azerbaijan SSR around it, and of Armenia along the border.
NKAO_UNITS: tuple[str, ...] = ("Askeran", "Hadrut", "Martakert", "Martuni", "Shusha", "Stepanakert")
AZERBAIJAN_UNITS: tuple[str, ...] = (
    *DISTRICT_NAMES,
    "Shahumyan",
    "Goranboy",
    "Tartar",
    "Barda",
    "Aghjabadi",
    "Beylagan",
    "Gazakh",
    "Tovuz",
    "Nakhchivan",
)
ARMENIA_UNITS: tuple[str, ...] = ("Tavush", "Gegharkunik", "Vayots Dzor", "Syunik")
UNITS: tuple[str, ...] = NKAO_UNITS + AZERBAIJAN_UNITS + ARMENIA_UNITS
