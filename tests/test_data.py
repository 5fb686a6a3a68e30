"""Loader and validator: every kind of bad row is reported with its line and reason; good rows load."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import schema
from dashboard.data import EventsError, load_events, parse_events
from tests.conftest import GOOD_ROW, csv_text, row


def test_good_row_loads_with_types(write_events, curated):
    result = load_events(write_events([row()]), curated)
    assert result.problems == []
    event = result.events.iloc[0]
    assert event["date_start"] == pd.Timestamp("1992-05-08")
    assert event["fatalities_best"] == 20 and event["latitude"] == pytest.approx(39.76006)
    assert not event["disputed"]
    assert event["line"] == 2


def test_unknown_fatalities_are_missing_not_zero(write_events):
    result = load_events(
        write_events([row(fatalities_low="", fatalities_best="", fatalities_high="", fatalities_of="")])
    )
    assert result.events["fatalities_best"].isna().all()


@pytest.mark.parametrize(
    "changes, column, fragment",
    [
        ({"date_start": "1992-02-30"}, "date_start", "not a real date"),
        ({"date_start": "08/05/1992"}, "date_start", "not a real date"),
        ({"date_end": "1992-05-01"}, "date_end", "before the start"),
        ({"date_start": "1975-01-01"}, "date_start", "outside the timeline"),
        ({"latitude": "139.5"}, "latitude", "not a number"),
        ({"longitude": "east"}, "longitude", "not a number"),
        ({"latitude": "48.85", "longitude": "2.35"}, "latitude", "outside Armenia/Azerbaijan"),
        ({"outside_region": "true"}, "outside_region", "inside Armenia/Azerbaijan"),
        ({"event_type": "skirmish"}, "event_type", "not one of"),
        ({"date_precision": "week"}, "date_precision", "not one of"),
        ({"geo_precision": "exactish"}, "geo_precision", "not one of"),
        ({"fatalities_best": "-3"}, "fatalities_best", "whole number"),
        ({"fatalities_low": "2.5"}, "fatalities_low", "whole number"),
        ({"fatalities_low": "50"}, "fatalities_best", "low <= best <= high"),
        ({"fatalities_high": "5"}, "fatalities_best", "low <= best <= high"),
        ({"title": ""}, "title", "required"),
        ({"source": ""}, "source", "required"),
        ({"id": "has spaces"}, "id", "must be letters"),
        ({"disputed": "maybe"}, "disputed", "not true or false"),
        ({"latitude": ""}, "latitude", "fill-coords"),
        ({"location": "Atlantis"}, "location", "unknown place"),
        ({"latitude": "40.68157", "longitude": "46.36134"}, "latitude", "km from 'Shusha'"),
        ({"source_url": "javascript:alert(1)"}, "source_url", "http(s)://"),
        ({"source_url": "https://a.example/x, https://b.example/y"}, "source_url", "separated by ' | '"),
        ({"source_url": "ftp://example.org/file"}, "source_url", "http(s)://"),
        ({"claimed_by": "Azerbaijani media"}, "claimed_by", "not one of"),
        ({"verified": "true", "source_url": ""}, "verified", "needs a source_url"),
        ({"verified": "perhaps"}, "verified", "not true or false"),
        ({"fatalities_of": ""}, "fatalities_of", "need fatalities_of"),
        ({"fatalities_of": "civilians"}, "fatalities_of", "not one of"),
        ({"part_of": "no-such-event"}, "part_of", "not the id of an event"),
        ({"part_of": "bad"}, "part_of", "cannot be a part of itself"),
        ({"fatalities_low": "", "fatalities_best": "", "fatalities_high": ""}, "fatalities_of", "no fatality figure"),
    ],
)
def test_each_kind_of_bad_row_is_reported_and_the_good_row_still_loads(
    write_events, curated, changes, column, fragment
):
    path = write_events([row(id="good"), row(**{"id": "bad", **changes})])
    result = load_events(path, curated)
    assert list(result.events["id"]) == ["good"]
    assert result.rejected == 1
    matching = [p for p in result.problems if p.line == 3 and p.column == column and fragment in p.message]
    assert matching, result.problems
    assert str(matching[0]).startswith(f"{path}:3: {column}: ")


def test_duplicate_id_names_the_first_line(write_events):
    result = load_events(write_events([row(), row(), row(id="other")]))
    assert sorted(result.events["id"]) == ["other", "shusha-test"]
    (problem,) = result.problems
    assert (problem.line, problem.column) == (3, "id") and "first used on line 2" in problem.message


def test_line_numbers_count_multiline_fields(write_events):
    path = write_events([row(id="a", summary="two\nlines"), row(id="b", event_type="nope")])
    (problem,) = load_events(path).problems
    assert problem.line == 4


def test_empty_file_is_one_clear_problem(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    result = load_events(path)
    assert result.events.empty and "empty" in result.problems[0].message


def test_missing_file_raises_events_error_naming_it(tmp_path):
    with pytest.raises(EventsError, match="nope.csv"):
        load_events(tmp_path / "nope.csv")


def test_semicolon_delimited_file_is_reported():
    text = csv_text([row()]).replace(",", ";").encode()
    result = parse_events(text, "x.csv")
    assert result.events.empty and "semicolons" in result.problems[0].message


def test_utf16_file_is_reported():
    result = parse_events(csv_text([row()]).encode("utf-16"), "x.csv")
    assert "UTF-16" in result.problems[0].message


def test_invalid_utf8_rejects_only_that_row():
    text = csv_text([row(id="good"), row(id="bad", title="TITLE")]).encode()
    raw = text.replace(b"TITLE", b"caf\xe9")
    result = parse_events(raw, "x.csv")
    assert list(result.events["id"]) == ["good"]
    assert any(p.line == 3 and p.column == "title" and "UTF-8" in p.message for p in result.problems)


def test_utf8_bom_and_names_in_three_scripts_survive(curated):
    raw = ("\ufeff" + csv_text([row(title="Şuşa / Շուշի — ə")])).encode()
    result = parse_events(raw, "x.csv", curated)
    assert result.problems == [] and result.events["title"].iloc[0] == "Şuşa / Շուշի — ə"


def test_header_missing_required_column_loads_nothing():
    columns = tuple(c for c in schema.EVENT_COLUMNS if c != "source")
    result = parse_events(csv_text([row()], columns).encode(), "x.csv")
    assert result.events.empty
    assert any(p.line == 1 and "source" in p.message for p in result.problems)


def test_header_missing_optional_column_still_loads():
    columns = tuple(c for c in schema.EVENT_COLUMNS if c != "disputed")
    result = parse_events(csv_text([row()], columns).encode(), "x.csv")
    assert len(result.events) == 1
    assert [(p.line, p.column) for p in result.problems] == [(1, "disputed")]


def test_extra_column_is_reported_and_ignored():
    text = csv_text([{**GOOD_ROW, "rumour": "x"}], schema.EVENT_COLUMNS + ("rumour",))
    result = parse_events(text.encode(), "x.csv")
    assert len(result.events) == 1 and result.problems[0].column == "rumour"


def test_row_with_wrong_field_count_is_rejected():
    text = csv_text([row(id="good")]) + "only,three,fields\n"
    result = parse_events(text.encode(), "x.csv")
    assert list(result.events["id"]) == ["good"]
    assert result.problems[0].line == 3 and "3 fields" in result.problems[0].message


def test_explicit_outside_region_row_loads(write_events):
    result = load_events(write_events([row(latitude="48.85", longitude="2.35", outside_region="true")]))
    assert result.problems == [] and bool(result.events["outside_region"].iloc[0])


def test_bundled_events_file_is_valid_and_large_enough():
    from dashboard.gazetteer import default_gazetteer

    result = load_events(schema.EVENTS_PATH, default_gazetteer())
    assert result.problems == [], "\n".join(map(str, result.problems))
    events = result.events
    assert len(events) >= 60
    assert events["date_start"].min().year == 1988 and events["date_end"].max().year >= 2023
    assert (events["source"].str.len() > 0).all()
    assert events["id"].is_unique


def test_new_columns_load_with_their_types(write_events, curated):
    path = write_events(
        [row(claimed_by="Armenia MoD", verified="true", source_url="https://a.example/one | http://b.example/two")]
    )
    event = load_events(path, curated).events.iloc[0]
    assert event["claimed_by"] == "Armenia MoD" and bool(event["verified"]) is True
    assert event["source_url"] == "https://a.example/one | http://b.example/two"
    assert event["fatalities_of"] == "both"


def test_a_file_from_before_the_new_columns_loads_with_a_note_per_column(write_events, curated):
    old_columns = tuple(c for c in schema.EVENT_COLUMNS if c not in schema.V2_COLUMNS)
    result = load_events(write_events([row()], columns=old_columns), curated)
    assert list(result.events["id"]) == ["shusha-test"] and result.rejected == 0
    notes = {p.column: p.message for p in result.problems}
    assert set(notes) == set(schema.V2_COLUMNS) and all(p.line == 1 for p in result.problems)
    assert all("note:" in message for message in notes.values())
    assert result.events.loc[0, "source_url"] == "" and bool(result.events.loc[0, "verified"]) is False


def test_the_fast_and_the_record_by_record_reader_agree(write_events, curated):
    rows = [row(id=f"e{i}", title=f"Event {i}") for i in range(5)]
    fast = load_events(write_events(rows), curated)
    # A quoted line break sends the file through the csv module, line by line.
    slow = load_events(write_events([*rows, row(id="multi", summary="two\nlines")], name="slow.csv"), curated)
    assert fast.problems == [] and slow.problems == []
    pd.testing.assert_frame_equal(fast.events, slow.events[slow.events["id"] != "multi"].reset_index(drop=True))
