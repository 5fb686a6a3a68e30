"""Districts' control: the district-level file, the settlement model behind it, events inside a district."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from dashboard import schema
from dashboard.data import load_events
from dashboard.gazetteer import GeocodeError
from dashboard.periods import (
    ControlError,
    continuity_problems,
    event_link_problems,
    events_in_territory,
    history,
    status_at,
)
from dashboard.schema import ARMENIA_UNITS, UNITS
from dashboard.territory import control_problems, load_control, load_territory

HEADER = "territory,date_start,date_end,controlled_by,event_id,note\n"


def control_file(tmp_path, body: str):
    path = tmp_path / "control.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def real_periods():
    # Without the district-level control.csv, the periods are derived from the settlement-level files.
    periods, problems = load_control(schema.CONTROL_PATH)
    assert problems == [], problems
    return periods


def test_real_history_covers_every_territory_without_gaps(real_periods):
    for territory in schema.TERRITORY_NAMES:
        own = history(real_periods, territory)
        assert own[0].start == schema.TIMELINE_START and own[-1].end == schema.TIMELINE_END
        assert all(a.end == b.start for a, b in zip(own, own[1:]))


@pytest.mark.parametrize(
    "when, expected",
    [
        (date(1990, 6, 1), {"Lachin": "azerbaijan", "Kalbajar": "azerbaijan", "Aghdam": "azerbaijan"}),
        (
            date(2000, 6, 1),
            {
                "Lachin": "armenian",
                "Kalbajar": "armenian",
                "Qubadli": "armenian",
                "Jabrayil": "armenian",
                "Zangilan": "armenian",
                "Aghdam": "partial",
                "Fuzuli": "partial",
                # Slivers of the former NKAO east of the 1994 line stayed on the Azerbaijani side.
                "NKAO": "partial",
            },
        ),
        # Aghdam reads partial in 2021 only by the coarse district outline (a few cells of NKAO villages reach
        # into it): its share is checked in test_aghdam_was_handed_over_in_november_2020.
        (date(2021, 6, 1), {"Kalbajar": "azerbaijan", "Jabrayil": "azerbaijan", "Lachin": "partial"}),
        (date(2024, 6, 1), {name: "azerbaijan" for name in schema.TERRITORY_NAMES}),
        (schema.TIMELINE_END, {name: "azerbaijan" for name in schema.TERRITORY_NAMES}),
    ],
)
def test_status_inside_periods(real_periods, when, expected):
    status = status_at(real_periods, when)
    assert set(status) == set(schema.TERRITORY_NAMES)
    assert {k: status[k] for k in expected} == expected


def test_status_flips_exactly_at_the_change(real_periods):
    for territory in schema.TERRITORY_NAMES:
        own = history(real_periods, territory)
        for before, after in zip(own, own[1:]):
            change = after.start
            assert status_at(real_periods, change - timedelta(days=1))[territory] == before.controlled_by
            assert status_at(real_periods, change)[territory] == after.controlled_by


def test_aghdam_was_handed_over_in_november_2020():
    territory, _ = load_territory()
    share = {r["territory"]: r["armenian_share"] for r in territory.district_shares(date(2021, 6, 1))}
    before = {r["territory"]: r["armenian_share"] for r in territory.district_shares(date(2020, 11, 19))}
    assert before["Aghdam"] > 0.5 and share["Aghdam"] < 0.1


def test_kalbajar_fell_in_april_1993_and_returned_in_november_2020(real_periods):
    assert status_at(real_periods, date(1993, 3, 1))["Kalbajar"] == "azerbaijan"
    assert status_at(real_periods, date(1993, 5, 1))["Kalbajar"] == "armenian"
    assert status_at(real_periods, date(2020, 11, 1))["Kalbajar"] == "armenian"
    assert status_at(real_periods, date(2020, 12, 1))["Kalbajar"] == "azerbaijan"


def test_every_change_links_an_existing_event(real_periods):
    events = load_events(schema.EVENTS_PATH).events
    assert event_link_problems(real_periods, events["id"], "control.csv") == []
    assert all(p.event_id for p in real_periods if p.start != schema.TIMELINE_START)


def test_unknown_event_link_is_reported(tmp_path):
    body = "Lachin,1988-01-01,2024-12-31,azerbaijan,ghost-event,\n"
    periods, _ = load_control(control_file(tmp_path, body))
    (problem,) = event_link_problems(periods, ["real-event"], "control.csv")
    assert "ghost-event" in problem.message


def test_bad_rows_and_gaps_are_reported(tmp_path):
    body = (
        "Lachin,1988-01-01,1992-05-18,azerbaijan,,\n"
        "Lachin,1992-06-01,2024-12-31,armenian,e,\n"
        "Atlantis,1988-01-01,2024-12-31,armenian,e,\n"
        "Kalbajar,1988-01-01,2024-12-31,occupied,e,\n"
    )
    periods, problems = load_control(control_file(tmp_path, body))
    messages = " | ".join(str(p) for p in problems)
    assert "control.csv:4: territory: 'Atlantis'" in messages
    assert "control.csv:5: controlled_by: 'occupied'" in messages
    assert "Lachin: gap or overlap" in messages
    assert "no control history for Qubadli" in messages


def test_unreadable_control_file_names_it(tmp_path):
    with pytest.raises(ControlError, match="control_rules.csv"):
        load_control(tmp_path / "missing.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("just,some\nother,columns\n")
    with pytest.raises(ControlError, match="bad.csv:1: header lacks"):
        load_control(bad)


def test_history_and_status_give_the_day_control_changed_and_its_event(tmp_path):
    body = "Lachin,1988-01-01,1992-05-18,azerbaijan,,\nLachin,1992-05-18,2024-12-31,armenian,cap,n\n"
    periods, _ = load_control(control_file(tmp_path, body))
    before, taken = history(periods, "Lachin")
    assert (before.controlled_by, taken.start, taken.event_id) == ("azerbaijan", date(1992, 5, 18), "cap")
    assert status_at(periods, date(1992, 5, 17))["Lachin"] == "azerbaijan"
    assert status_at(periods, date(1992, 5, 18))["Lachin"] == "armenian"


def test_events_in_territory_is_a_spatial_join():
    # Two 1°-squares; events inside, outside and on another square.
    squares = gpd.GeoDataFrame(
        {"name_en": ["A", "B"]}, geometry=[box(46, 39, 47, 40), box(47, 39, 48, 40)], crs="EPSG:4326"
    )
    events = pd.DataFrame(
        {"id": ["in-a", "in-b", "nowhere"], "latitude": [39.5, 39.5, 41.0], "longitude": [46.5, 47.5, 46.5]}
    )
    assert list(events_in_territory(events, squares, "A")["id"]) == ["in-a"]
    assert list(events_in_territory(events, squares, "C")["id"]) == []


# --- The settlement-level model behind it -------------------------------------------------------------

RULES_HEADER = "unit,earliest,latest,controlled_by,event_id,source,source_url,note\n"
CHANGES_HEADER = "place,earliest,latest,controlled_by,event_id,claimed_by,source,source_url,note\n"
SETTLEMENTS_HEADER = (
    "name_en,name_az,name_hy,alternates,kind,latitude,longitude,district,population,source,source_url\n"
)


def geodata_dir(tmp_path: Path, rules: str = "", changes: str = "", settlements: str = "") -> Path:
    """The bundled geodata with small control files: every unit Azerbaijani in 1988 (Armenian ones Armenian)."""
    folder = tmp_path / "geodata"
    folder.mkdir()
    for name in (
        "places.csv",
        "settlements_geonames.csv",
        "districts.geojson",
        "nkao.geojson",
        "countries.geojson",
        "line_of_contact.geojson",
    ):
        shutil.copy(schema.GEODATA_DIR / name, folder / name)
    start = "".join(
        f"{unit},1988-01-01,1988-01-01,{'armenian' if unit in ARMENIA_UNITS else 'azerbaijan'},,,,\n" for unit in UNITS
    )
    (folder / "control_rules.csv").write_text(RULES_HEADER + start + rules, encoding="utf-8")
    (folder / "control_changes.csv").write_text(CHANGES_HEADER + changes, encoding="utf-8")
    (folder / "settlements.csv").write_text(SETTLEMENTS_HEADER + settlements, encoding="utf-8")
    return folder


SMALL_HISTORY = {
    "rules": (
        "Lachin,1992-05-17,1992-05-18,armenian,capture-of-lachin,s,,\n"
        "Kalbajar,1993-03-27,1993-04-03,armenian,capture-of-kalbajar,s,,\n"
        "line_of_contact,1994-05-12,1994-05-12,,ceasefire-1994,s,,\n"
    ),
    "changes": (
        "Shusha,1992-05-08,1992-05-09,armenian,capture-of-shusha,,s,https://e.org,taken\n"
        "Shusha,2020-11-08,2020-11-09,azerbaijan,shusha-2020,Azerbaijan government,s,,claimed 8 Nov\n"
    ),
    "settlements": "Karaglukh,Qaraqlux,Քարագլուխ,,village,39.75,47.05,Martuni,,s,https://e.org\n",
}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    territory, problems = load_territory(geodata_dir(tmp_path_factory.mktemp("small"), **SMALL_HISTORY))
    assert problems == [], problems
    return territory


def test_holder_of_a_place_at_a_date_with_since_event_and_source(small):
    before, after = small.record("Shushi", date(2020, 11, 7)), small.record("Şuşa", date(2020, 11, 9))
    assert (before["place"], before["controlled_by"], before["since"], before["event_id"]) == (
        "Shusha",
        "armenian",
        "1992-05-09",
        "capture-of-shusha",
    )
    assert (after["controlled_by"], after["since"], after["claimed_by"]) == (
        "azerbaijan",
        "2020-11-09",
        "Azerbaijan government",
    )
    assert small.record("Shusha", date(2020, 11, 8))["controlled_by"] == "contested"


def test_the_line_of_contact_rule_gives_places_their_side(small):
    assert small.record("Stepanakert", date(2000, 1, 1))["controlled_by"] == "armenian"
    assert small.record("Barda", date(2000, 1, 1))["controlled_by"] == "azerbaijan"
    assert small.record("Karaglukh", date(1993, 1, 1))["controlled_by"] == "azerbaijan"


def test_a_clicked_point_gives_the_timeline_of_the_settlement_whose_ground_it_is(small):
    place = small.nearest(39.7601, 46.7499, date(2000, 1, 1))
    assert place.name_en == "Shusha"
    records = small.timeline_records(place)
    assert [r["controlled_by"] for r in records] == ["azerbaijan", "contested", "armenian", "contested", "azerbaijan"]
    assert records[2]["event_id"] == "capture-of-shusha" and records[-1]["end"] is None


def test_unknown_place_is_an_error_listing_candidates(small):
    with pytest.raises(GeocodeError) as caught:
        small.record("Shushaa", date(2000, 1, 1))
    assert any("Shusha" in c for c in caught.value.candidates)
    with pytest.raises(GeocodeError, match="not a settlement of the theatre"):
        small.record("Moscow", date(2000, 1, 1))


def test_district_shares_add_up_to_each_district_area(small):
    for row in small.district_shares(date(2000, 1, 1)):
        held = row["armenian_km2"] + row["azerbaijan_km2"] + row["contested_km2"]
        assert held == pytest.approx(row["area_km2"], abs=0.5)
    shares = {r["territory"]: r for r in small.district_shares(date(2000, 1, 1))}
    assert shares["Kalbajar"]["controlled_by"] == "armenian" and shares["Aghdam"]["controlled_by"] == "partial"


def test_district_periods_cover_the_timeline_without_gaps(small):
    periods = small.district_periods()
    assert continuity_problems(periods, "derived") == []
    lachin = history(periods, "Lachin")
    assert lachin[0].controlled_by == "azerbaijan"
    assert status_at(periods, date(1993, 1, 1))["Lachin"] == "armenian"
    held = next(p for p in lachin if p.controlled_by == "armenian")
    assert held.event_id == "capture-of-lachin" and held.start <= date(1993, 1, 1) < held.end


def test_without_control_csv_the_districts_come_from_the_settlement_files(small, tmp_path):
    folder = geodata_dir(tmp_path, **SMALL_HISTORY)
    periods, problems = load_control(folder / "control.csv")
    assert problems == [] and status_at(periods, date(1995, 1, 1))["Kalbajar"] == "armenian"


def test_validate_reports_changes_with_file_and_line(tmp_path):
    changes = (
        "Atlantis,1992-05-08,1992-05-09,armenian,capture-of-shusha,,s,,\n"
        "Shusha,1992-05-08,1992-05-09,armenian,ghost-event,,s,,\n"
        "Shusha,1992-05-09,1992-05-10,armenian,capture-of-shusha,,s,,\n"
        "Shusha,1992-05-08,1992-05-11,armenian,capture-of-shusha,,s,,\n"
        "Lachin,1992-01-01,1992-01-02,armenian,capture-of-shusha,,s,,\n"
    )
    settlements = "Nowhere,,,,village,39.7,46.9,Atlantis,,s,\n"
    folder = geodata_dir(tmp_path, changes=changes, settlements=settlements)
    events = {"capture-of-shusha": (date(1992, 5, 8), date(1992, 5, 9))}
    found = {f"{Path(p.file).name}:{p.line}: {p.column}" for p in control_problems(folder, events)}
    assert found == {
        "control_changes.csv:2: place",
        "control_changes.csv:3: event_id",
        "control_changes.csv:4: earliest",
        "control_changes.csv:5: earliest",
        "control_changes.csv:6: earliest",
        "settlements.csv:2: district",
    }
