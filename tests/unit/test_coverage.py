"""``lif-rules test --coverage``: which milestones a pack's schedule examples check."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import lif_rules
from lif_rules.analyses.coverage import coverage

from pack_texts import DEMO  # tests/ is on sys.path through its conftest

TIMETABLE = DEMO.replace(
    '      - {id: decision, name: Decision, due: {after: request_received, working_days: 10}, citation: "Demo LIF 2"}\n',
    '      - {id: decision, name: Decision, due: {after: request_received, working_days: 10}, citation: "Demo LIF 2"}\n'
    '      - {id: decision_2, name: Second decision, due: {after: decision, working_days: 5}, citation: "Demo LIF 2"}\n'
    '      - id: update\n'
    '        name: Update\n'
    '        recurring: {every: {after: request_received, weeks: 1}, until: decision_2}\n'
    '        citation: "Demo LIF 3"\n')


def example(expect: str) -> str:
    return TIMETABLE + f"""\
examples:
  - kind: schedule
    description: the timetable of a request made on a Monday
    cite: "Demo LIF 2"
    review: sar
    start: 2024-03-04
    expect: {{{expect}}}
"""


def test_a_milestone_whose_id_ends_in_a_number_does_not_cover_another(write_pack: Callable[..., str]) -> None:
    covered = coverage(lif_rules.load_pack(write_pack(example("decision_2: {due: 2024-03-25}"))))
    assert covered.milestones_not_covered == ["sar.decision", "sar.update"]


def test_an_occurrence_covers_its_recurring_milestone(write_pack: Callable[..., str]) -> None:
    covered = coverage(lif_rules.load_pack(write_pack(example("update_1: {due: 2024-03-11}"))))
    assert covered.milestones_not_covered == ["sar.decision", "sar.decision_2"]


@pytest.mark.parametrize("mid", ["update_0", "update_x", "update_601", "decision_3"])
def test_an_example_naming_no_milestone_or_occurrence_is_a_located_problem(write_pack: Callable[..., str],
                                                                          mid: str) -> None:
    with pytest.raises(lif_rules.PackError, match=f"unknown milestone '{mid}'"):
        lif_rules.load_pack(write_pack(example(f"{mid}: {{due: 2024-03-11}}")))
