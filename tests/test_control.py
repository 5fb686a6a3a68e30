"""Control files and the assertion model: FILE:LINE checks, the contested window, precedence, timelines."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.control import (
    LINE_OF_CONTACT,
    ControlFileError,
    ControlModel,
    event_problems,
    holding_record,
    overlap_problems,
    read_changes,
    read_rules,
    start_problems,
)

RULES_HEADER = "unit,earliest,latest,controlled_by,event_id,source,source_url,note\n"
CHANGES_HEADER = "place,earliest,latest,controlled_by,event_id,claimed_by,source,source_url,note\n"
START = "Askeran,1988-01-01,1988-01-01,azerbaijan,,,,starting state\n"


@pytest.fixture
def write(tmp_path):
    """Write a control file in tmp_path and return its path."""

    def write(name: str, text: str):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def rules_of(write, body: str):
    rules, problems = read_rules(write("control_rules.csv", RULES_HEADER + START + body))
    assert problems == [], problems
    return rules


def changes_of(write, body: str):
    changes, problems = read_changes(write("control_changes.csv", CHANGES_HEADER + body))
    assert problems == [], problems
    return changes


def model(rules, changes=(), sides=None, place="Village"):
    return ControlModel(rules, {place: list(changes)}, {place: "Askeran"}, sides or {})


# --- Reading and checking the files --------------------------------------------------------------


@pytest.mark.parametrize(
    "row, where",
    [
        ("Atlantis,1992-01-01,1992-01-01,armenian,e,s,,\n", "control_rules.csv:3: unit: unknown unit 'Atlantis'"),
        ("Askeran,1992-01-01,1992-01-01,russian,e,s,,\n", "control_rules.csv:3: controlled_by: 'russian'"),
        ("Askeran,1992-02-30,1992-03-01,armenian,e,s,,\n", "control_rules.csv:3: earliest: dates must be real"),
        ("Askeran,1992-03-01,1992-02-01,armenian,e,s,,\n", "control_rules.csv:3: latest: latest 1992-02-01 is before"),
        ("Askeran,1987-03-01,1992-02-01,armenian,e,s,,\n", "control_rules.csv:3: earliest: outside the timeline"),
        ("Askeran,1992-01-01,1992-01-01,armenian,e,,,\n", "control_rules.csv:3: source: every row names its source"),
        ("Askeran,1992-01-01,1992-01-01,armenian,e,s,ftp://x,\n", "control_rules.csv:3: source_url: not an http(s)"),
    ],
)
def test_bad_rule_rows_are_reported_with_file_and_line(write, row, where):
    rules, problems = read_rules(write("control_rules.csv", RULES_HEADER + START + row))
    assert len(rules) == 1 and len(problems) == 1
    assert where in str(problems[0])


def test_starting_rules_of_1988_may_go_without_source_and_event(write):
    (rule,) = rules_of(write, "")
    assert rule.controlled_by == "azerbaijan" and rule.where.endswith("control_rules.csv:2")


def test_a_change_without_event_is_reported(write):
    changes, problems = read_changes(
        write("control_changes.csv", CHANGES_HEADER + "Khojaly,1992-02-26,1992-02-26,armenian,,,s,,\n")
    )
    assert changes == [] and "control_changes.csv:2: event_id: every change names the event" in str(problems[0])


def test_claimed_by_must_name_a_known_claimant(write):
    changes, problems = read_changes(
        write("control_changes.csv", CHANGES_HEADER + "Hadrut,2020-10-09,2020-10-17,azerbaijan,e,Aliyev,s,,\n")
    )
    assert changes == [] and "control_changes.csv:2: claimed_by: 'Aliyev' is not one of" in str(problems[0])


def test_a_multiline_note_keeps_the_next_row_on_its_own_line(write):
    text = CHANGES_HEADER + 'A,1992-01-01,1992-01-01,armenian,e,,s,,"two\nlines"\nB,1992-01-01,1992-01-01,x,e,,s,,\n'
    _, problems = read_changes(write("control_changes.csv", text))
    assert [p.line for p in problems] == [4]


def test_a_file_lacking_columns_is_a_file_error(write):
    with pytest.raises(ControlFileError, match=r"control_rules.csv:1: header lacks controlled_by"):
        read_rules(write("control_rules.csv", "unit,earliest,latest\n"))


def test_overlapping_windows_for_one_place_are_reported_at_the_later_row(write):
    changes = changes_of(
        write,
        "Shusha,1992-05-01,1992-05-09,armenian,e,,s,,\n"
        "Shusha,1992-05-05,1992-05-06,azerbaijan,e,,s,,\n"
        "Lachin,1992-05-05,1992-05-06,armenian,e,,s,,\n",
    )
    (problem,) = overlap_problems(changes, lambda c: c.target)
    assert problem.line == 3 and "overlaps 1992-05-01..1992-05-09 of line 2" in problem.message


def test_two_changes_of_one_place_on_the_same_day_are_reported(write):
    changes = changes_of(
        write, "Shusha,1992-05-09,1992-05-09,armenian,e,,s,,\nShusha,1992-05-09,1992-05-09,azerbaijan,e,,s,,\n"
    )
    assert [p.line for p in overlap_problems(changes, lambda c: c.target)] == [3]


def test_unknown_event_and_a_window_outside_the_event_dates_are_reported(write):
    changes = changes_of(
        write,
        "Shusha,1992-05-08,1992-05-09,armenian,capture-of-shusha,,s,,\n"
        "Lachin,1992-05-18,1992-05-18,armenian,capture-of-shusha,,s,,\n"
        "Kalbajar,1993-04-02,1993-04-03,armenian,no-such-event,,s,,\n",
    )
    events = {"capture-of-shusha": (date(1992, 5, 8), date(1992, 5, 9))}
    problems = event_problems(changes, events)
    assert [(p.line, p.column) for p in problems] == [(3, "earliest"), (4, "event_id")]
    assert "lies outside the dates 1992-05-08..1992-05-09" in problems[0].message


def test_every_unit_in_use_needs_a_starting_rule(write):
    rules = rules_of(write, "")
    (problem,) = start_problems(rules, {"Askeran", "Lachin"}, "control_rules.csv")
    assert "Lachin: no area rule from 1988-01-01" in str(problem)


# --- The assertion model -------------------------------------------------------------------------


def test_inside_the_window_the_place_is_contested_never_guessed(write):
    rules = rules_of(write, "")
    changes = changes_of(write, "Village,1992-05-08,1992-05-10,armenian,e,,s,,\n")
    village = model(rules, changes)
    assert village.holder_at("Village", date(1992, 5, 7)) == "azerbaijan"
    assert village.holder_at("Village", date(1992, 5, 8)) == "contested"
    assert village.holder_at("Village", date(1992, 5, 9)) == "contested"
    assert village.holder_at("Village", date(1992, 5, 10)) == "armenian"


def test_a_window_leaves_a_place_the_side_already_held_uncontested(write):
    # A rule for the whole unit (as on 19-20 September 2023) does not make the places that side held contested.
    rules = rules_of(
        write, "Askeran,1992-01-01,1992-01-01,armenian,e,s,,\nAskeran,2023-09-19,2023-09-20,azerbaijan,e,s,,\n"
    )
    changes = changes_of(write, "Village,2020-11-09,2020-11-09,azerbaijan,e,,s,,\n")
    village = model(rules, changes)
    assert village.holder_at("Village", date(2023, 9, 19)) == "azerbaijan"
    (holding,) = [h for h in village.timeline("Village") if h.covers(date(2023, 9, 19))]
    assert holding.start == date(2020, 11, 9)
    # A place the other side held until then is contested inside the window.
    assert model(rules).holder_at("Village", date(2023, 9, 19)) == "contested"


def test_a_change_beats_an_area_rule_of_the_same_date(write):
    rules = rules_of(write, "Askeran,1993-06-01,1993-06-01,armenian,e,s,,\n")
    changes = changes_of(write, "Village,1993-06-01,1993-06-01,azerbaijan,e,,s,,\n")
    assert model(rules, changes).holder_at("Village", date(1993, 7, 1)) == "azerbaijan"


def test_the_assertion_with_the_latest_earliest_date_wins(write):
    rules = rules_of(write, "Askeran,1993-06-01,1993-06-01,armenian,e,s,,\n")
    changes = changes_of(write, "Village,1992-01-01,1992-01-01,contested,e,,s,,\n")
    village = model(rules, changes)
    assert village.holder_at("Village", date(1992, 6, 1)) == "contested"  # the change, later than 1988
    assert village.holder_at("Village", date(1993, 6, 1)) == "armenian"  # the rule, later than the change


def test_a_window_cut_short_by_the_next_assertion_stays_contested_until_then(write):
    rules = rules_of(write, "Askeran,1992-06-01,1992-06-01,azerbaijan,e,s,,\n")
    changes = changes_of(write, "Village,1992-05-01,1992-07-01,armenian,e,,s,,\n")
    village = model(rules, changes)
    assert village.holder_at("Village", date(1992, 5, 20)) == "contested"
    assert village.holder_at("Village", date(1992, 6, 15)) == "azerbaijan"


def test_the_line_of_contact_gives_each_place_its_side(write):
    rules = rules_of(
        write, f"Askeran,1992-01-01,1992-01-01,armenian,e,s,,\n{LINE_OF_CONTACT},1994-05-12,1994-05-12,,ceasefire,s,,\n"
    )
    east = ControlModel(rules, {}, {"East": "Askeran", "West": "Askeran"}, {"East": "azerbaijan", "West": "armenian"})
    assert east.holder_at("East", date(1994, 5, 11)) == "armenian"
    assert east.holder_at("East", date(1994, 5, 12)) == "azerbaijan"
    assert east.holder_at("West", date(1994, 5, 12)) == "armenian"


def test_timeline_merges_a_repeated_holder_and_keeps_the_first_cause(write):
    rules = rules_of(write, f"{LINE_OF_CONTACT},1994-05-12,1994-05-12,,ceasefire,s,,\n")
    changes = changes_of(write, "Village,1992-05-08,1992-05-09,armenian,capture,,s,,\n")
    village = ControlModel(rules, {"Village": changes}, {"Village": "Askeran"}, {"Village": "armenian"})
    timeline = village.timeline("Village")
    assert [(h.start, h.controlled_by) for h in timeline] == [
        (date(1988, 1, 1), "azerbaijan"),
        (date(1992, 5, 8), "contested"),
        (date(1992, 5, 9), "armenian"),
    ]
    assert timeline[-1].end is None and timeline[-1].cause.event_id == "capture"
    assert village.change_dates() == [date(1988, 1, 1), date(1992, 5, 8), date(1992, 5, 9)]


def test_holding_record_answers_place_date_holder_since_event_source(write):
    changes = changes_of(write, "Shusha,1992-05-08,1992-05-09,armenian,capture,,Some source,https://e.org,n\n")
    shusha = model(rules_of(write, ""), changes, place="Shusha")
    record = holding_record("Shusha", date(2000, 1, 1), shusha.holding_at("Shusha", date(2000, 1, 1)))
    assert {k: record[k] for k in ("place", "date", "controlled_by", "since", "event_id", "source")} == {
        "place": "Shusha",
        "date": "2000-01-01",
        "controlled_by": "armenian",
        "since": "1992-05-09",
        "event_id": "capture",
        "source": "Some source",
    }
    assert holding_record("X", date(1990, 1, 1), None)["controlled_by"] == "unknown"


def test_a_place_of_a_unit_without_rules_is_unknown(write):
    unknown = ControlModel(rules_of(write, ""), {}, {"Far": "Tavush"}, {})
    assert unknown.holding_at("Far", date(2000, 1, 1)) is None and unknown.timeline("Far") == []
