"""Stage 4c, quorum: Dudley's rapid review meeting, the CCG → ICB succession, people with several roles,
one person filling one role (a maximum matching), bounded and checked attendee input."""

from __future__ import annotations

import io
import os
from unittest import mock
import json
import itertools
import time
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from datetime import date
from typing import Any

import pytest
from hypothesis import given, strategies as st

import lif_rules
from lif_rules import QuorumResult, strategies
from lif_rules.cli.app import main
from lif_rules.core.explain import render_quorum
from lif_rules.core.quorum import MAX_ATTENDEES
from lif_rules.errors import short_repr

D = date
MEETING = "rapid_review_meeting"


@pytest.fixture(scope="module")
def dudley() -> lif_rules.PolicyPack:
    return lif_rules.load_pack("dudley")


def test_spec_section_1(dudley: lif_rules.PolicyPack) -> None:
    q = dudley.check_quorum(MEETING, attendees=["police", "local_authority"], on=D(2026, 3, 2))
    assert (q.quorate, q.missing) == (False, ["icb"])
    assert q.citation.startswith("Dudley LIF 2020, The Rapid Review Meeting")


def test_all_three_partners(dudley: lif_rules.PolicyPack) -> None:
    q = dudley.check_quorum(MEETING, attendees=["icb", "police", "local_authority"], on=D(2026, 3, 2))
    assert (q.quorate, q.missing, q.other_attendees) == (True, [], [])
    assert [(s.role, s.role_on_date, s.filled_by, s.satisfied) for s in q.trace] == [
        ("local_authority", "local_authority", ["local_authority"], True),
        ("police", "police", ["police"], True),
        ("icb", "icb", ["icb"], True),
    ]


def test_several_missing_in_the_quorum_rules_order(dudley: lif_rules.PolicyPack) -> None:
    q = dudley.check_quorum(MEETING, attendees=["police"], on=D(2026, 3, 2))
    assert (q.quorate, q.missing) == (False, ["local_authority", "icb"])


# --- the CCG → ICB succession (1 July 2022) -----------------------------------------------------------


def test_ccg_fills_the_health_place_before_july_2022(dudley: lif_rules.PolicyPack) -> None:
    q = dudley.check_quorum(MEETING, attendees=["ccg", "police", "local_authority"], on=D(2022, 6, 30))
    assert (q.quorate, q.missing) == (True, [])
    health = q.trace[2]
    assert (health.role, health.role_on_date, health.filled_by) == ("icb", "ccg", ["ccg"])


def test_missing_names_the_role_as_it_was_on_the_day(dudley: lif_rules.PolicyPack) -> None:
    q = dudley.check_quorum(MEETING, attendees=["police", "local_authority"], on=D(2022, 6, 30))
    assert (q.quorate, q.missing) == (False, ["ccg"])
    q = dudley.check_quorum(MEETING, attendees=["police", "local_authority"], on=D(2022, 7, 1))
    assert (q.quorate, q.missing) == (False, ["icb"])


def test_ccg_after_june_2022_fills_nothing_and_the_trace_says_why(dudley: lif_rules.PolicyPack) -> None:
    q = dudley.check_quorum(MEETING, attendees=["ccg", "police", "local_authority"], on=D(2022, 7, 1))
    assert (q.quorate, q.missing) == (False, ["icb"])
    health = q.trace[2]
    assert health.filled_by == []
    assert "'ccg' attended but held this role only until 2022-06-30" in health.reason


def test_icb_before_july_2022_fills_nothing(dudley: lif_rules.PolicyPack) -> None:
    q = dudley.check_quorum(MEETING, attendees=["icb", "police", "local_authority"], on=D(2022, 6, 30))
    assert (q.quorate, q.missing) == (False, ["ccg"])
    assert "'icb' attended but held this role only from 2022-07-01" in q.trace[2].reason


def test_ccg_era_missing_local_authority(dudley: lif_rules.PolicyPack) -> None:
    q = dudley.check_quorum(MEETING, attendees=["ccg", "police"], on=D(2020, 11, 2))
    assert (q.quorate, q.missing) == (False, ["local_authority"])


# --- attendees -----------------------------------------------------------------------------------------


def test_repeated_attendees_are_counted_once(dudley: lif_rules.PolicyPack) -> None:
    q = dudley.check_quorum(MEETING, attendees=["police", "police", "local_authority", "local_authority"],
                            on=D(2026, 3, 2))
    assert (q.quorate, q.missing) == (False, ["icb"])
    assert [s.filled_by for s in q.trace] == [["local_authority"], ["police"], []]


def test_unknown_roles_are_other_attendees_and_count_for_nothing(dudley: lif_rules.PolicyPack) -> None:
    q = dudley.check_quorum(MEETING, attendees=["police", "education", "chair", "Police", "education"],
                            on=D(2026, 3, 2))
    assert (q.quorate, q.missing) == (False, ["local_authority", "icb"])
    assert q.other_attendees == ["education", "chair", "Police"]


def test_any_ordered_iterable_of_attendees(dudley: lif_rules.PolicyPack) -> None:
    q = dudley.check_quorum(MEETING, attendees=(r for r in ["icb", "police", "local_authority"]), on=D(2026, 3, 2))
    assert q.quorate


def test_on_defaults_to_today(dudley: lif_rules.PolicyPack) -> None:
    q = dudley.check_quorum(MEETING, attendees=["icb", "police", "local_authority"])
    assert q.on == date.today()
    assert q.quorate


def test_result_round_trips_through_json(dudley: lif_rules.PolicyPack) -> None:
    q = dudley.check_quorum(MEETING, attendees=["ccg", "police"], on=D(2022, 7, 1))
    assert QuorumResult.model_validate(q.model_dump(mode="json")) == q


def test_results_are_frozen(dudley: lif_rules.PolicyPack) -> None:
    q = dudley.check_quorum(MEETING, attendees=[JO, "education"], on=D(2026, 3, 2))
    for change in (lambda: q.missing.append("x"), lambda: q.trace.clear(), lambda: q.trace[0].filled_by.append("x"),
                   lambda: q.trace[0].held_as.__init__(["x"]), lambda: q.other_attendees.pop(),
                   lambda: q.notes.__setitem__(0, "x")):
        with pytest.raises(TypeError):
            change()
    with pytest.raises(Exception):
        q.quorate = True  # type: ignore[misc]


# --- errors --------------------------------------------------------------------------------------------


def test_unknown_meeting(dudley: lif_rules.PolicyPack) -> None:
    with pytest.raises(LookupError) as info:
        dudley.check_quorum("rapid_review_meting", attendees=[], on=D(2026, 3, 2))
    assert str(info.value) == (
        "pack 'dudley' has no quorum rule for meeting 'rapid_review_meting' (did you mean 'rapid_review_meeting'?); "
        "meetings with a quorum rule: rapid_review_meeting"
    )


DATED_MEETINGS = """\
pack: test
extends: national
document: {title: T, short_title: Test LIF, publisher: P, source: s.txt, in_force: {from: 2020-01-01}, regime: [care_act_2014]}
reviews:
  sar: {name: SAR, legal_basis: statutory_duty, decided_by: the SAB, citation: "Care Act 2014 s44"}
meetings:
  panel:
    name: Panel
    quorum: {each_of: [local_authority, police]}
    citation: "Test LIF 3"
    in_force: {from: 2023-01-01}
  old_panel:
    name: Old panel
    quorum: {each_of: [local_authority]}
    citation: "Test LIF 2"
    in_force: {to: 2021-12-31}
"""


def test_a_meeting_whose_rule_is_not_in_force_on_the_date_says_when_it_is(write_pack: Callable[..., str]) -> None:
    """Not "the pack sets no quorum for any meeting", nor a suggestion to count under another meeting's rule."""
    pack = lif_rules.load_pack(write_pack(DATED_MEETINGS))
    with pytest.raises(LookupError) as info:
        pack.check_quorum("panel", attendees=["local_authority", "police"], on=D(2021, 5, 1))
    assert str(info.value) == ("the quorum rule for meeting 'panel' of pack 'test' is not in force on 2021-05-01; "
                               "it is in force from 2023-01-01")
    with pytest.raises(LookupError) as info:
        pack.check_quorum("old_panel", attendees=["local_authority"], on=D(2022, 5, 1))
    assert str(info.value) == ("the quorum rule for meeting 'old_panel' of pack 'test' is not in force on 2022-05-01; "
                               "it is in force until 2021-12-31")
    assert pack.check_quorum("old_panel", attendees=["local_authority"], on=D(2021, 12, 31)).quorate
    assert pack.check_quorum("panel", attendees=["local_authority", "police"], on=D(2023, 1, 1)).quorate


def test_a_meeting_without_a_quorum_rule(dudley: lif_rules.PolicyPack) -> None:
    with pytest.raises(LookupError):
        dudley.check_quorum("sar_panel_meeting", attendees=["police"], on=D(2026, 3, 2))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"attendees": "police", "on": D(2026, 3, 2)},
         "attendees must be a list of role ids or of people ({'name': 'Jo Smith', 'roles': ['police']}), got 'police'"),
        ({"attendees": {"police": 1}, "on": D(2026, 3, 2)},
         "attendees must be a list of role ids or of people ({'name': 'Jo Smith', 'roles': ['police']}), "
         "got {'police': 1}"),
        ({"attendees": {"police"}, "on": D(2026, 3, 2)},
         "attendees must be a list of role ids or of people ({'name': 'Jo Smith', 'roles': ['police']}), "
         "got {'police'} (an unordered set)"),
        ({"attendees": None, "on": D(2026, 3, 2)},
         "attendees must be a list of role ids or of people ({'name': 'Jo Smith', 'roles': ['police']}), got None"),
        ({"attendees": ["police", 3], "on": D(2026, 3, 2)},
         "attendee 2 must be a role id (a string) or a person ({'name': 'Jo Smith', 'roles': ['police']}), got 3"),
        ({"attendees": [{"name": "Jo Smith"}], "on": D(2026, 3, 2)},
         "attendee 1 (Jo Smith) has no 'roles': list the role ids the person holds, "
         "e.g. {'name': 'Jo Smith', 'roles': ['police']}"),
        ({"attendees": [{"name": "Jo Smith", "roles": "police"}], "on": D(2026, 3, 2)},
         "attendee 1 (Jo Smith): 'roles' must be a list of role ids, got 'police'"),
        ({"attendees": ["icb", {"name": "Jo Smith", "roles": ["police", 7]}], "on": D(2026, 3, 2)},
         "attendee 2 (Jo Smith): roles must be role ids (strings), got 7"),
        ({"attendees": [{"roles": [None]}], "on": D(2026, 3, 2)},
         "attendee 1 (attendee 1): roles must be role ids (strings), got None"),
        ({"attendees": [{"name": "Jo", "role": ["police"]}], "on": D(2026, 3, 2)},
         "attendee 1 has an unknown key 'role'; a person is written {'name': 'Jo Smith', 'roles': ['police']}"),
        ({"attendees": [{"name": 5, "roles": ["police"]}], "on": D(2026, 3, 2)},
         "attendee 1's name must be text, got 5"),
        ({"attendees": [{"name": " ", "roles": ["police"]}], "on": D(2026, 3, 2)},
         "attendee 1's name must not be empty"),
        ({"attendees": ["x" * 201], "on": D(2026, 3, 2)},
         "attendee 1 is longer than 200 characters: " + short_repr("x" * 201)),
        ({"attendees": ["police"], "on": "2026-03-02"}, "on must be a date (datetime.date), got the str '2026-03-02'"),
    ],
)
def test_bad_arguments(dudley: lif_rules.PolicyPack, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as info:
        dudley.check_quorum(MEETING, **kwargs)
    assert str(info.value) == message


def test_at_most_a_thousand_attendees(dudley: lif_rules.PolicyPack) -> None:
    assert MAX_ATTENDEES == 1000
    q = dudley.check_quorum(MEETING, attendees=["police"] * 998 + ["local_authority", "icb"], on=D(2026, 3, 2))
    assert q.quorate
    with pytest.raises(ValueError) as info:
        dudley.check_quorum(MEETING, attendees=["police"] * 1001, on=D(2026, 3, 2))
    assert str(info.value) == "too many attendees: more than 1,000, the most one quorum check takes"


def test_forty_thousand_attendees_are_refused_at_once(dudley: lif_rules.PolicyPack) -> None:
    """Issue 10: 40,000 attendees took 8.3 s (quadratic de-duplication); now refused after reading 1,001."""
    start = time.perf_counter()
    with pytest.raises(ValueError):
        dudley.check_quorum(MEETING, attendees=["police"] * 40_000, on=D(2026, 3, 2))
    with pytest.raises(ValueError):
        dudley.check_quorum(MEETING, attendees=(f"role{n}" for n in itertools.count()), on=D(2026, 3, 2))
    assert time.perf_counter() - start < 1.0


def test_counting_is_linear_in_the_attendees(dudley: lif_rules.PolicyPack) -> None:
    def timed(n: int) -> float:
        people = [{"name": f"p{k}", "roles": ["police", "local_authority", "education"]} for k in range(n)]
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            dudley.check_quorum(MEETING, attendees=people, on=D(2026, 3, 2))
            best = min(best, time.perf_counter() - start)
        return best

    small, large = timed(250), timed(1000)
    assert large < 12 * small + 0.01  # four times the attendees; quadratic work would be sixteen times


# --- at_least and chair, in a pack of our own ------------------------------------------------------------

PANEL = """\
pack: test
extends: national
document: {title: T, short_title: T, publisher: P, source: s.txt, in_force: {from: 2020-01-01}, regime: [care_act_2014]}
reviews:
  sar:
    name: SAR
    legal_basis: statutory_duty
    decided_by: the SAB
    citation: "Care Act 2014 s44"
meetings:
  panel:
    name: SAR panel
    quorum: {each_of: [local_authority], at_least: 3, chair: icb}
    citation: "Test LIF 3.1"
"""


@pytest.fixture
def panel_pack(write_pack: Callable[..., str]) -> lif_rules.PolicyPack:
    return lif_rules.load_pack(write_pack(PANEL))


def test_at_least_counts_distinct_known_roles(panel_pack: lif_rules.PolicyPack) -> None:
    q = panel_pack.check_quorum("panel", attendees=["local_authority", "police", "icb"], on=D(2023, 1, 1))
    assert (q.quorate, q.missing) == (True, [])
    q = panel_pack.check_quorum("panel", attendees=["local_authority", "local_authority", "icb", "education"],
                                on=D(2023, 1, 1))
    assert q.quorate is False
    assert q.trace[-1].reason == "2 of at least 3 members present"


def test_absent_chair(panel_pack: lif_rules.PolicyPack) -> None:
    q = panel_pack.check_quorum("panel", attendees=["local_authority", "police", "probation"], on=D(2023, 1, 1))
    assert (q.quorate, q.missing) == (False, ["icb"])


def test_ccg_after_june_2022_is_neither_chair_nor_member(panel_pack: lif_rules.PolicyPack) -> None:
    q = panel_pack.check_quorum("panel", attendees=["local_authority", "police", "ccg"], on=D(2023, 1, 1))
    assert (q.quorate, q.missing) == (False, ["icb"])


def test_icb_before_july_2022_is_neither_chair_nor_member(panel_pack: lif_rules.PolicyPack) -> None:
    q = panel_pack.check_quorum("panel", attendees=["local_authority", "police", "icb"], on=D(2021, 1, 1))
    assert (q.quorate, q.missing) == (False, ["ccg"])


# --- people with the roles they hold ----------------------------------------------------------------------

JO = {"name": "Jo Smith", "roles": ["police", "local_authority"]}


def test_plain_role_ids_are_one_attendee_each_with_one_role(dudley: lif_rules.PolicyPack) -> None:
    q = dudley.check_quorum(MEETING, attendees=["police", "local_authority", "icb"], on=D(2026, 3, 2))
    assert (q.quorate, q.missing) == (True, [])
    assert [(s.filled_by, s.held_as) for s in q.trace] == [
        (["local_authority"], ["local_authority"]), (["police"], ["police"]), (["icb"], ["icb"])]


def test_dudley_one_person_counts_for_one_partner_only(dudley: lif_rules.PolicyPack) -> None:
    """Dudley LIF 2020, The Rapid Review Meeting: "at least one representative is present from each of the
    safeguarding partners" — one person holding the police and local authority roles fills one of them."""
    assert dudley.compiled.meetings[MEETING].one_role_per_person
    q = dudley.check_quorum(MEETING, attendees=[JO, "icb"], on=D(2026, 3, 2))
    assert (q.quorate, q.missing) == (False, ["police"])
    assert [(s.role, s.filled_by, s.satisfied) for s in q.trace] == [
        ("local_authority", ["Jo Smith"], True), ("police", [], False), ("icb", ["icb"], True)]
    assert q.trace[1].reason == (
        "no representative of 'police' (the chief officer of police (safeguarding partner)) free to fill it on "
        "2026-03-02: Jo Smith fills 'local_authority' (one person fills one role)")
    assert q.trace[0].reason == "filled by Jo Smith (as 'local_authority')"
    assert q.notes[0] == "Jo Smith holds local_authority and police but counts for one of them only (one person fills one role)"


def test_the_matching_moves_a_person_to_let_another_fill_a_role(dudley: lif_rules.PolicyPack) -> None:
    """A greedy count would give Jo the local authority's place and leave the police empty; the
    maximum matching gives it to Sam, who holds only that role, and Jo fills the police's."""
    sam = {"name": "Sam Patel", "roles": ["local_authority"]}
    q = dudley.check_quorum(MEETING, attendees=[JO, sam, {"name": "Alex Green", "roles": ["icb"]}], on=D(2026, 3, 2))
    assert (q.quorate, q.missing) == (True, [])
    assert [s.filled_by for s in q.trace] == [["Sam Patel"], ["Jo Smith"], ["Alex Green"]]


def test_the_same_name_twice_is_one_person(dudley: lif_rules.PolicyPack) -> None:
    q = dudley.check_quorum(MEETING, attendees=[{"name": "Jo Smith", "roles": ["police"]},
                                                {"name": "Jo Smith", "roles": ["local_authority"]}, "icb"],
                            on=D(2026, 3, 2))
    assert (q.quorate, q.missing) == (False, ["police"])


@pytest.mark.parametrize("again", ["Jo Smith ", " jo  smith", "JO SMITH"])
def test_one_name_written_two_ways_is_still_one_person(dudley: lif_rules.PolicyPack, again: str) -> None:
    q = dudley.check_quorum(MEETING, attendees=[{"name": "Jo Smith", "roles": ["police"]},
                                                {"name": again, "roles": ["local_authority"]}, "icb"],
                            on=D(2026, 3, 2))
    assert (q.quorate, q.missing) == (False, ["police"])
    assert "filled by Jo Smith (as 'local_authority')" in [step.reason for step in q.trace]  # shown as first written


@pytest.mark.parametrize(("first", "again"), [
    ("Jos\u00e9 Ruiz", "Jose\u0301 Ruiz"),  # é as one character, and as e with a combining accent
    ("Jo Smith", "\uff2a\uff4f \uff33\uff4d\uff49\uff54\uff48"),  # in full-width letters
])
def test_one_name_in_two_unicode_forms_is_still_one_person(dudley: lif_rules.PolicyPack, first: str,
                                                            again: str) -> None:
    """The same name typed on two systems is one person: it fills one partner's place, not two."""
    q = dudley.check_quorum(MEETING, attendees=[{"name": first, "roles": ["police"]},
                                                {"name": again, "roles": ["local_authority"]}, "icb"],
                            on=D(2026, 3, 2))
    assert (q.quorate, q.missing) == (False, ["police"])


def test_a_person_without_a_name_is_never_merged_with_a_named_one(dudley: lif_rules.PolicyPack) -> None:
    """A person left unnamed is shown as "attendee N"; someone really called that is somebody else."""
    for attendees in ([{"roles": ["police"]}, {"name": "Attendee 1", "roles": ["local_authority"]}, "icb"],
                      [{"name": "attendee 2", "roles": ["police"]}, {"roles": ["local_authority"]}, "icb"]):
        q = dudley.check_quorum(MEETING, attendees=attendees, on=D(2026, 3, 2))
        assert (q.quorate, q.missing) == (True, []), attendees
        assert not [n for n in q.notes if "counts for one of them only" in n]


@pytest.mark.parametrize("attendees", [[" police"], [{"name": "Jo", "roles": ["police "]}]])
def test_a_role_id_with_spaces_around_it_is_refused(dudley: lif_rules.PolicyPack, attendees: list[Any]) -> None:
    with pytest.raises(ValueError, match="has spaces around it; a role id is written without them"):
        dudley.check_quorum(MEETING, attendees=attendees, on=D(2026, 3, 2))


def test_a_person_may_hold_the_ccg_role_before_july_2022(dudley: lif_rules.PolicyPack) -> None:
    q = dudley.check_quorum(MEETING, attendees=[{"name": "Pat Lee", "roles": ["ccg"]}, "police", "local_authority"],
                            on=D(2022, 6, 30))
    assert (q.quorate, q.missing) == (True, [])
    assert (q.trace[2].filled_by, q.trace[2].held_as, q.trace[2].reason) == (
        ["Pat Lee"], ["ccg"], "filled by Pat Lee (as 'ccg')")
    q = dudley.check_quorum(MEETING, attendees=[{"name": "Pat Lee", "roles": ["ccg"]}, "police", "local_authority"],
                            on=D(2022, 7, 1))
    assert (q.quorate, q.missing) == (False, ["icb"])
    assert "'ccg' attended (Pat Lee) but held this role only until 2022-06-30" in q.trace[2].reason


def test_the_one_role_note_names_the_roles_as_the_person_holds_them_on_the_day(dudley: lif_rules.PolicyPack) -> None:
    """Before July 2022 a person given 'ccg' holds the CCG's place: the note says 'ccg', as 'missing' does."""
    q = dudley.check_quorum(MEETING, attendees=[{"name": "Pat Lee", "roles": ["ccg", "police"]}, "local_authority"],
                            on=D(2022, 6, 30))
    assert (q.quorate, q.missing) == (False, ["ccg"])
    assert q.notes[0] == "Pat Lee holds police and ccg but counts for one of them only (one person fills one role)"


def test_people_with_no_role_of_the_pack_are_other_attendees(dudley: lif_rules.PolicyPack) -> None:
    q = dudley.check_quorum(MEETING, attendees=[{"name": "Ann", "roles": ["education"]}, {"name": "Bo", "roles": []},
                                                "police"], on=D(2026, 3, 2))
    assert q.other_attendees == ["education"]
    assert "holding no role of this pack, counted as other attendees: Ann, Bo" in q.notes


def test_a_person_without_a_name(dudley: lif_rules.PolicyPack) -> None:
    q = dudley.check_quorum(MEETING, attendees=["icb", {"roles": ["police"]}, "local_authority"], on=D(2026, 3, 2))
    assert q.quorate
    assert q.trace[1].filled_by == ["attendee 2"]


def test_without_the_rule_one_person_fills_every_role_they_hold(panel_pack: lif_rules.PolicyPack) -> None:
    assert not panel_pack.compiled.meetings["panel"].one_role_per_person
    q = panel_pack.check_quorum("panel", attendees=[{"name": "Jo", "roles": ["local_authority", "icb", "police"]}],
                                on=D(2023, 1, 1))
    assert (q.quorate, q.missing) == (True, [])
    assert q.trace[-1].reason == "3 of at least 3 members present"


ONE_EACH = PANEL.replace("quorum: {each_of: [local_authority], at_least: 3, chair: icb}",
                         "quorum: {each_of: [local_authority], at_least: 3, chair: icb, one_role_per_person: true}")


def test_at_least_and_chair_with_one_role_per_person(write_pack: Callable[..., str]) -> None:
    pack = lif_rules.load_pack(write_pack(ONE_EACH))
    jo = {"name": "Jo", "roles": ["local_authority", "icb", "police"]}
    q = pack.check_quorum("panel", attendees=[jo], on=D(2023, 1, 1))
    assert (q.quorate, q.missing) == (False, ["icb"])
    assert q.trace[-1].reason == "1 of at least 3 members present, one role each"
    q = pack.check_quorum("panel", attendees=[jo, {"name": "Sam", "roles": ["icb"]}, "police"], on=D(2023, 1, 1))
    assert (q.quorate, q.missing) == (True, [])
    assert [s.filled_by for s in q.trace[:2]] == [["Jo"], ["Sam"]]
    assert q.trace[-1].reason == "3 of at least 3 members present, one role each"


@given(people=st.lists(st.lists(st.sampled_from(["local_authority", "police", "icb", "ccg", "education"]),
                                max_size=3), max_size=5),
       on=st.sampled_from([D(2022, 6, 30), D(2022, 7, 1)]))
def test_the_matching_finds_an_assignment_whenever_one_exists(people: list[list[str]], on: date) -> None:
    """Quorate exactly when some assignment gives each partner's place to a different person (brute force)."""
    dudley = lif_rules.load_pack("dudley")
    health = "ccg" if on <= D(2022, 6, 30) else "icb"
    places = ["local_authority", "police", health]
    exists = any(all(places[n] in people[k] for n, k in enumerate(pick))
                 for pick in itertools.permutations(range(len(people)), 3))
    q = dudley.check_quorum(MEETING, attendees=[{"name": f"p{k}", "roles": r} for k, r in enumerate(people)], on=on)
    assert q.quorate == exists
    fillers = [s.filled_by[0] for s in q.trace if s.filled_by]
    assert len(fillers) == len(set(fillers))  # nobody fills two places
    assert len(fillers) == 3 - len(q.missing)


@given(data=st.data())
def test_strategy_attendees_are_valid_input(data: st.DataObject) -> None:
    dudley = lif_rules.load_pack("dudley")
    people = data.draw(strategies.attendees(dudley, MEETING))
    q = dudley.check_quorum(MEETING, attendees=people, on=D(2026, 3, 2))
    assert q.quorate == (not q.missing)
    assert QuorumResult.model_validate(q.model_dump(mode="json")) == q


def test_names_are_escaped_in_the_text_rendering(dudley: lif_rules.PolicyPack) -> None:
    q = dudley.check_quorum(MEETING, attendees=[{"name": "Jo\x1b[2Kquorate: yes", "roles": ["police"]}], on=D(2026, 3, 2))
    text = render_quorum(q)
    assert "\x1b" not in text
    assert "Jo\\x1b[2Kquorate: yes" in text


# --- the command line -------------------------------------------------------------------------------------


def run_cli(*argv: str) -> tuple[int, str, str]:
    """The command line in-process, in a terminal wide enough that no table wraps."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err), mock.patch.dict(os.environ, {"COLUMNS": "1000"}):
        status = main(list(argv))
    return status, out.getvalue(), err.getvalue()


def test_cli_a_person_with_several_roles() -> None:
    status, out, _ = run_cli("quorum", "dudley", MEETING, "Jo Smith=police,local_authority", "icb", "--on", "2026-03-02")
    assert status == 1
    assert out.splitlines()[1:3] == ["quorate: no", "missing: police"]
    assert "filled by Jo Smith (as 'local_authority')" in out
    status, out, _ = run_cli("quorum", "dudley", MEETING, "Jo Smith=police,local_authority", "Sam Patel=local_authority",
                             "icb", "--on", "2026-03-02", "--json")
    assert status == 0
    assert [s["filled_by"] for s in json.loads(out)["trace"]] == [["Sam Patel"], ["Jo Smith"], ["icb"]]


@pytest.mark.parametrize("attendee", [" police", "Jo Smith=police, local_authority", "Jo Smith=police ,icb"])
def test_cli_refuses_a_role_with_spaces_around_it_as_the_library_does(attendee: str) -> None:
    """The command line gives the answer the library and the service give: a role id with spaces is refused."""
    status, out, err = run_cli("quorum", "dudley", MEETING, attendee, "local_authority", "icb", "--on", "2026-03-02")
    assert (status, out) == (2, "")
    assert "has spaces around it; a role id is written without them" in err


@pytest.mark.parametrize("bad", ["=police", "Jo Smith=", "Jo Smith=police,,icb"])
def test_cli_a_malformed_person_is_a_usage_error(bad: str) -> None:
    status, out, err = run_cli("quorum", "dudley", MEETING, bad, "--on", "2026-03-02")
    assert status == 2
    assert out == ""
    assert "expected a role id or NAME=ROLE,ROLE (e.g. 'Jo Smith=police,local_authority')" in err


def test_cli_too_many_attendees_is_a_usage_error() -> None:
    status, _, err = run_cli("quorum", "dudley", MEETING, *(["police"] * 1001), "--on", "2026-03-02")
    assert status == 2
    assert err.strip() == "lif-rules: error: too many attendees: more than 1,000, the most one quorum check takes"
