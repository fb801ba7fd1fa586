"""The public surface: ``lif_rules.__all__`` is exactly the package's public names, and the documented names resolve."""

from __future__ import annotations

import __future__
import types
from datetime import date
from pathlib import Path

import pytest

import lif_rules
from lif_rules.pack import bundled_dir

# The names of the public contract (docs/api.md), importable from the package itself.
SPEC_NAMES = [
    "load_pack", "available_packs", "calendar", "PolicyPack", "PackError", "FactError", "Problem",
    "Decision", "Outcome", "TraceStep", "Notification", "PossibleNotification",
    "Schedule", "Milestone", "QuorumResult",
]


def public_names() -> set[str]:
    names = set()
    for name in dir(lif_rules):
        value = getattr(lif_rules, name)
        if name.startswith("_") or isinstance(value, types.ModuleType):
            continue
        if isinstance(value, __future__._Feature):  # `from __future__ import annotations` leaves one behind
            continue
        names.add(name)
    return names


def test_all_is_exactly_the_public_names() -> None:
    assert sorted(lif_rules.__all__) == sorted(public_names())
    assert len(lif_rules.__all__) == len(set(lif_rules.__all__))


def test_star_import_gives_all() -> None:
    namespace: dict[str, object] = {}
    exec("from lif_rules import *", namespace)  # noqa: S102 - the star import is what is under test
    assert {n for n in namespace if not n.startswith("__")} == set(lif_rules.__all__)


@pytest.mark.parametrize("name", SPEC_NAMES)
def test_spec_names_are_importable_from_the_package(name: str) -> None:
    assert name in lif_rules.__all__
    exec(f"from lif_rules import {name}", {})  # noqa: S102


def test_errors() -> None:
    assert issubclass(lif_rules.PackError, ValueError)
    assert issubclass(lif_rules.FactError, ValueError)
    assert issubclass(lif_rules.PackError, lif_rules.LifRulesError)
    assert issubclass(lif_rules.FactError, lif_rules.LifRulesError)
    problem = lif_rules.Problem("x.yaml", 3, 7, "$.reviews", "a message")
    assert str(problem) == "x.yaml:3:7: $.reviews: a message"
    error = lif_rules.PackError([problem])
    assert error.errors == (problem,)
    assert str(error) == "x.yaml:3:7: $.reviews: a message"


def test_results_are_the_exported_types() -> None:
    pack = lif_rules.load_pack("dudley")
    assert isinstance(pack, lif_rules.PolicyPack)
    decision = pack.decide({"subject": "child", "died": True, "abuse_or_neglect": "suspected"})
    assert type(decision) is lif_rules.Decision
    assert type(decision.outcomes["rapid_review"]) is lif_rules.Outcome
    assert type(decision.outcomes["rapid_review"].trace[0]) is lif_rules.TraceStep
    assert type(decision.notifications[0]) is lif_rules.Notification
    assert type(decision.possible_notifications[0]) is lif_rules.PossibleNotification
    schedule = pack.schedule("rapid_review", start=date(2026, 12, 18))
    assert type(schedule) is lif_rules.Schedule
    assert type(schedule["rapid_review_meeting"]) is lif_rules.Milestone
    result = pack.check_quorum("rapid_review_meeting", attendees=["police"], on=date(2026, 3, 2))
    assert type(result) is lif_rules.QuorumResult


def test_available_packs_are_sorted_ids() -> None:
    packs = lif_rules.available_packs()
    assert packs == sorted(packs)
    assert "dudley" in packs
    assert all(isinstance(p, str) and not p.endswith(".yaml") for p in packs)
    assert "national" not in packs  # a baseline is not a partnership pack


def test_unknown_pack_id_is_a_lookup_error() -> None:
    with pytest.raises(LookupError) as info:
        lif_rules.load_pack("dudly")
    assert str(info.value).startswith("no bundled pack 'dudly' (did you mean 'dudley'?); bundled packs: ")


def test_load_pack_by_id_and_by_path_agree() -> None:
    by_id = lif_rules.load_pack("dudley")
    by_path = lif_rules.load_pack(bundled_dir() / "dudley.yaml")
    facts = {"subject": "adult", "care_and_support_needs": True}
    assert by_path.decide(facts).outcomes == by_id.decide(facts).outcomes


def test_calendar_from_spec_section_1() -> None:
    cal = lif_rules.calendar("england")
    assert isinstance(cal, lif_rules.WorkingDayCalendar)
    assert cal.add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)


def test_typed_package() -> None:
    assert (Path(lif_rules.__file__).parent / "py.typed").exists()
