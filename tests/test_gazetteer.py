"""Geocoder: aliases in three languages, diacritics, transliterations, disambiguation, unknown names."""

from __future__ import annotations

import pytest
import shapely

from dashboard.checks import armenia_azerbaijan_outline
from dashboard.gazetteer import Gazetteer, GazetteerError, GeocodeError, Place, default_gazetteer, load_places, name_key


@pytest.mark.parametrize(
    "query, expected",
    [
        ("Stepanakert", "Stepanakert"),
        ("Khankendi", "Stepanakert"),
        ("Xankəndi", "Stepanakert"),
        ("Ստեփանակերտ", "Stepanakert"),
        ("SHUSHI", "Shusha"),
        ("Şuşa", "Shusha"),
        ("shusha", "Shusha"),
        ("Berdzor", "Lachin"),
        ("Laçın", "Lachin"),
        ("Karvachar", "Kalbajar"),
        ("Kəlbəcər", "Kalbajar"),
        ("Khojavend", "Martuni"),
        ("Xocalı", "Khojaly"),
        ("Khojali", "Khojaly"),
        ("Cəbrayıl", "Jabrayil"),
        ("Kirovabad", "Ganja"),
        ("  ganja ", "Ganja"),
    ],
)
def test_names_aliases_and_spellings_resolve(curated, query, expected):
    assert curated.resolve(query).name_en == expected


def test_name_key_folds_azerbaijani_letters_to_english_transliteration():
    assert name_key("Xocalı") == name_key("Khojali")
    assert name_key("Cəbrayıl") == name_key("Jabrayil")
    assert name_key("Kəlbəcər") == name_key("Kalbajar")


def test_unknown_name_raises_with_the_name_in_the_message(curated):
    with pytest.raises(GeocodeError, match="Atlantis.*unknown place"):
        curated.resolve("Atlantis")


def test_duplicate_curated_name_is_ambiguous_and_lists_candidates():
    one = Place("Martuni", "", "", (), "town", 39.79, 47.11, "test")
    two = Place("Martuni", "", "", (), "town", 40.14, 45.30, "test")
    with pytest.raises(GeocodeError) as caught:
        Gazetteer([one, two]).resolve("martuni")
    assert len(caught.value.candidates) == 2


def test_fallback_finds_theatre_places_not_in_the_curated_list():
    place = default_gazetteer().resolve("Kapan")
    assert place.country == "AM" and 39.1 < place.lat < 39.3 and "GeoNames" in place.source


def test_fallback_name_twice_in_the_theatre_is_ambiguous_not_guessed():
    # GeoNames has four places named Agarak in Armenia; the geocoder must not pick one silently.
    with pytest.raises(GeocodeError) as caught:
        default_gazetteer().resolve("Agarak")
    assert len(caught.value.candidates) >= 2 and "qualify" in caught.value.reason


def test_fallback_ignores_namesakes_outside_the_theatre():
    # "Adam" exists in Oman and Romania but not in Armenia or Azerbaijan.
    with pytest.raises(GeocodeError, match="unknown"):
        default_gazetteer().resolve("Adam")


def test_curated_place_wins_over_geonames_namesakes():
    # Martuni in Nagorno-Karabakh is curated; two Armenian villages share the name in GeoNames.
    assert default_gazetteer().resolve("Martuni").lat == pytest.approx(39.79496)
    with pytest.raises(GeocodeError):
        default_gazetteer().resolve("Martuni, Armenia")


def test_display_names_switch_language(curated):
    names = curated.display_names(["Shusha", "Berdzor", "Atlantis"], "hy")
    assert names == {"Shusha": "Շուշի", "Berdzor": "Բերձոր", "Atlantis": "Atlantis"}
    assert curated.display_names(["Stepanakert"], "az") == {"Stepanakert": "Xankəndi"}


def test_every_curated_place_has_a_source_and_places_of_the_theatre_a_local_name():
    outline = armenia_azerbaijan_outline()
    for place in load_places():
        assert place.name_en and place.source, place
        if shapely.contains_xy(outline, place.lon, place.lat):
            assert place.name_az or place.name_hy, place


def test_no_two_curated_places_share_a_name_key():
    seen: dict[str, str] = {}
    for place in load_places():
        for key in {name_key(n) for n in place.names}:
            assert seen.setdefault(key, place.name_en) == place.name_en, (key, place.name_en, seen[key])


def test_bad_places_file_names_file_and_line(tmp_path):
    path = tmp_path / "places.csv"
    path.write_text("name_en,name_az,name_hy,alternates,kind,latitude,longitude,source\nX,X,X,,town,north,1,s\n")
    with pytest.raises(GazetteerError, match=r"places.csv:2"):
        load_places(path)
