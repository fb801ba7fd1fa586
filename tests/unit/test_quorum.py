"""Stage 4c, quorum: Dudley's rapid review meeting, the CCG → ICB succession, attendees counted once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

import lif_rules
from lif_rules import QuorumResult

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


def test_any_iterable_of_attendees(dudley: lif_rules.PolicyPack) -> None:
    q = dudley.check_quorum(MEETING, attendees=(r for r in ["icb", "police", "local_authority"]), on=D(2026, 3, 2))
    assert q.quorate


def test_on_defaults_to_today(dudley: lif_rules.PolicyPack) -> None:
    q = dudley.check_quorum(MEETING, attendees=["icb", "police", "local_authority"])
    assert q.on == date.today()
    assert q.quorate


def test_result_round_trips_through_json(dudley: lif_rules.PolicyPack) -> None:
    q = dudley.check_quorum(MEETING, attendees=["ccg", "police"], on=D(2022, 7, 1))
    assert QuorumResult.model_validate(q.model_dump(mode="json")) == q


# --- errors --------------------------------------------------------------------------------------------


def test_unknown_meeting(dudley: lif_rules.PolicyPack) -> None:
    with pytest.raises(LookupError) as info:
        dudley.check_quorum("rapid_review_meting", attendees=[], on=D(2026, 3, 2))
    assert str(info.value) == (
        "pack 'dudley' has no quorum rule for meeting 'rapid_review_meting' (did you mean 'rapid_review_meeting'?); "
        "meetings with a quorum rule: rapid_review_meeting"
    )


def test_a_meeting_without_a_quorum_rule(dudley: lif_rules.PolicyPack) -> None:
    with pytest.raises(LookupError):
        dudley.check_quorum("sar_panel_meeting", attendees=["police"], on=D(2026, 3, 2))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"attendees": "police", "on": D(2026, 3, 2)}, "attendees must be a list of role ids, got 'police'"),
        ({"attendees": ["police", 3], "on": D(2026, 3, 2)}, "attendees must be role ids (strings), got 3"),
        ({"attendees": ["police"], "on": "2026-03-02"}, "on must be a date (datetime.date), got '2026-03-02'"),
    ],
)
def test_bad_arguments(dudley: lif_rules.PolicyPack, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as info:
        dudley.check_quorum(MEETING, **kwargs)
    assert str(info.value) == message


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
