"""The audit and the fatality tallies on small hand-made tables whose figures can be checked by eye."""

from __future__ import annotations

from dashboard.audit import audit, audit_markdown
from dashboard.data import load_events
from dashboard.fatalities import tallies
from tests.conftest import row


def small_table(write_events, curated):
    rows = [
        row(
            id="a",
            date_start="1992-05-08",
            date_end="1992-05-08",
            event_type="capture",
            source="One | Two",
            source_url="https://a.example/1 | https://b.example/2",
            fatalities_low="10",
            fatalities_best="20",
            fatalities_high="30",
            fatalities_of="armenian",
        ),
        row(
            id="b",
            date_start="1992-06-01",
            date_end="1992-06-01",
            event_type="shelling",
            claimed_by="NKR",
            source_url="",
            fatalities_low="",
            fatalities_best="5",
            fatalities_high="",
            fatalities_of="azerbaijani",
        ),
        row(
            id="c",
            date_start="2020-10-04",
            date_end="2020-10-04",
            event_type="diplomacy",
            verified="true",
            fatalities_low="",
            fatalities_best="",
            fatalities_high="",
            fatalities_of="",
            disputed="true",
        ),
    ]
    result = load_events(write_events(rows), curated)
    assert result.problems == []
    return result.events


def test_audit_counts_sources_claims_and_figures_by_side(write_events, curated):
    result = audit(small_table(write_events, curated), is_curated=lambda name: name != "Shusha")
    assert result.rows == 3 and result.with_url == 2 and result.with_several_sources == 1
    assert result.verified == 1 and result.disputed == 1
    assert result.with_fatalities == 2
    assert dict(result.fatalities_by_side) == {"armenian": 1, "azerbaijani": 1, "both": 0, "other": 0}
    assert dict(result.single_party_claims) == {"NKR": 1}
    assert result.fallback_places == ("Shusha",)
    assert result.by_year_family.loc[1992, "fighting"] == 1 and result.by_year_family.loc[1992, "strikes"] == 1
    assert result.by_year_family.loc[2020, "politics"] == 1
    assert list(result.by_year_family["total"]) == [2, 1]


def test_audit_markdown_shows_the_shares(write_events, curated):
    text = audit_markdown(audit(small_table(write_events, curated), is_curated=lambda name: True))
    assert "| with a source URL | 2 | 67 % |" in text
    assert "| — claimed by NKR | 1 | 33 % |" in text
    assert "| 1992 | 1 | 1 | 0 | 0 | 2 |" in text


def test_a_part_is_not_counted_when_its_whole_is_among_the_events(write_events, curated):
    whole = row(
        id="war",
        date_start="2016-04-02",
        date_end="2016-04-05",
        fatalities_low="100",
        fatalities_best="",
        fatalities_high="200",
        fatalities_of="both",
    )
    part = row(
        id="day",
        date_start="2016-04-02",
        date_end="2016-04-02",
        part_of="war",
        fatalities_low="3",
        fatalities_best="3",
        fatalities_high="3",
        fatalities_of="armenian",
    )
    events = load_events(write_events([whole, part]), curated).events
    assert (tallies(events)["all"].low, tallies(events)["all"].high) == (100, 200)
    only_part = events[events["id"] == "day"]
    assert (tallies(only_part)["armenian"].low, tallies(only_part)["armenian"].high) == (3, 3)


def test_tallies_are_ranges_per_side_with_single_figures_counted_at_both_ends(write_events, curated):
    result = tallies(small_table(write_events, curated))
    assert (result["armenian"].low, result["armenian"].high) == (10, 30)
    assert (result["azerbaijani"].low, result["azerbaijani"].high) == (5, 5)
    assert (result["all"].low, result["all"].high, result["all"].events_with_figures) == (15, 35, 2)
    assert result["all"].label() == "15–35" and result["azerbaijani"].label() == "5"
    assert result["both"].events_with_figures == 0
