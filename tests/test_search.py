"""Search matching: titles, summaries and place names in English, Azerbaijani and Armenian, spelling-tolerant."""

from __future__ import annotations

import pytest

from dashboard.gazetteer import Gazetteer, Place
from dashboard.search import SearchIndex, find_places, fold
from tests.support.mapdata import event, events_frame

PLACES = [
    Place("Stepanakert", "Xankəndi", "Ստեփանակերտ", ("Khankendi",), "city", 39.8177, 46.7528, "test", population=55000),
    Place("Shusha", "Şuşa", "Շուշի", ("Shushi",), "town", 39.7601, 46.7499, "test", population=4000),
    Place("Khojaly", "Xocalı", "Իվանյան", ("Ivanyan",), "town", 39.9136, 46.7921, "test", population=6000),
    Place("Shosh", "Şuşakənd", "Շոշ", (), "village", 39.7936, 46.7383, "test", population=900),
]


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer(PLACES)


@pytest.fixture(scope="module")
def index(gazetteer):
    events = events_frame(
        [
            event(id="capture", title="Capture of Shusha", summary="Forces took the town.", location="Shusha"),
            event(
                id="shelling", title="Shelling of Stepanakert", summary="Rockets hit the city.", location="Stepanakert"
            ),
            event(id="massacre", title="Massacre", summary="Civilians killed near Khojaly.", location="Khojaly"),
            event(
                id="talks", title="Talks in Moscow", summary="Ministers met; Shushi was discussed.", location="Moscow"
            ),
        ]
    )
    return SearchIndex.build(events, gazetteer)


def found(index: SearchIndex, query: str) -> list[str]:
    ids = ["capture", "shelling", "massacre", "talks"]
    return [i for i, hit in zip(ids, index.matches(query)) if hit]


@pytest.mark.parametrize(
    ("text", "key"),
    [("Xocalı massacre", "hojali massajre"), ("KHOJALY", "hojali"), ("Şuşa, 1992", "shusha 1992"), ("", "")],
)
def test_words_fold_like_place_names(text, key):
    assert fold(text) == key


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Şuşa", ["capture", "talks"]),  # Azerbaijani spelling: the event at Shusha and the text saying "Shushi"
        ("Շուշի", ["capture", "talks"]),  # Armenian
        ("shusha", ["capture", "talks"]),
        ("Xankəndi", ["shelling"]),  # Azerbaijani name of Stepanakert, written nowhere in the events
        ("Ստեփանակերտ", ["shelling"]),
        ("Khankendi", ["shelling"]),  # a variant spelling
        ("Xocalı", ["massacre"]),
        ("Իվանյան", ["massacre"]),
        ("Khodjaly", []),  # a spelling the gazetteer does not list and folding does not reach
        ("rocket", ["shelling"]),  # part of a word
        ("SHELLING stepanakert", ["shelling"]),  # every word must match, in any case
        ("shelling shusha", []),
        ("", ["capture", "shelling", "massacre", "talks"]),
    ],
)
def test_queries_match_titles_summaries_and_every_name_of_the_place(index, query, expected):
    assert found(index, query) == expected


def test_a_query_naming_a_place_expands_to_its_other_names(index):
    (terms,) = index.terms("Şuşa")
    assert {"shusha", "shushi", "շուշի"} <= terms


def test_an_index_needs_the_text_columns(gazetteer):
    frame = events_frame([event()]).drop(columns=["summary"])
    with pytest.raises(ValueError, match="summary"):
        SearchIndex.build(frame, gazetteer)


def test_place_search_ranks_exact_then_prefix_then_larger_places(gazetteer):
    assert [m.place.name_en for m in find_places(gazetteer, "Şuşa")] == ["Shusha", "Shosh"]  # exact, then prefix
    assert [m.place.name_en for m in find_places(gazetteer, "Sh")] == ["Shusha", "Shosh"]  # by population
    assert [m.place.name_en for m in find_places(gazetteer, "kert")] == ["Stepanakert"]  # inside a name
    assert [m.place.name_en for m in find_places(gazetteer, "Ստեփ")] == ["Stepanakert"]
    assert find_places(gazetteer, "  ") == []


def test_place_labels_show_the_chosen_language_first(gazetteer):
    (match,) = find_places(gazetteer, "Xankəndi")
    assert match.label("az") == "Xankəndi (Stepanakert · Ստեփանակերտ)"
    assert match.label("en") == "Stepanakert (Xankəndi · Ստեփանակերտ)"
