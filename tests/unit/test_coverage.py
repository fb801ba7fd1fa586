"""``lif-rules test --coverage``: which milestones a pack's schedule examples check."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

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


TWO_RULES = """\
pack: two
document: {title: t, short_title: t, publisher: p, source: s, in_force: {from: 2020-01-01}, regime: [care_act_2014]}
facts:
  a: {type: bool, description: first}
  b: {type: bool, description: second}
reviews:
  r:
    name: r
    legal_basis: non_statutory
    decided_by: x
    citation: c
    otherwise: not_eligible
    rules:
      - {id: x, when: a, status: required, citation: c}
      - {id: y, when: b, status: consider, citation: c}
examples:
  - {kind: decide, cite: c, description: b alone, facts: {b: true}, expect: {r: undetermined}}
"""


def test_an_undetermined_outcome_covers_no_rule(write_pack: Callable[..., str]) -> None:
    # y holds, but x is unknown and comes first: the outcome is decided by no rule yet
    covered = coverage(lif_rules.load_pack(write_pack(TWO_RULES)))
    assert covered.rules_not_covered == ["r.x", "r.y", "r.otherwise"]
    decided = TWO_RULES + ("  - {kind: decide, cite: c, description: b only, facts: {a: false, b: true}, "
                           "expect: {r: consider}}\n")
    assert coverage(lif_rules.load_pack(write_pack(decided))).rules_not_covered == ["r.x", "r.otherwise"]


DATED = TWO_RULES.split("examples:")[0].replace(
    "      - {id: x, when: a, status: required, citation: c}\n",
    "      - id: x\n"
    "        versions:\n"
    "          - {when: a, status: required, citation: c, in_force: {to: 2021-12-31}}\n"
    "          - {when: not a, status: required, citation: c, in_force: {from: 2022-01-01}}\n")


def test_a_finding_across_periods_has_an_example_true_in_each_or_says_which_rules_it_is_for(
        write_pack: Callable[..., str]) -> None:
    # x is "a" until 2021, "not a" from 2022: no one case shows a gap or the overlap in both periods
    pack = lif_rules.load_pack(write_pack(DATED))
    findings = {(f.kind, tuple(f.rules)): f for f in pack.analyse()}
    for key, last_step in ((("no_rule_holds", ()), "r.otherwise"), (("overlap", ("r.x", "r.y")), "r.x")):
        assert findings[key].message.endswith("(the example is for the rules in force from 2022-01-01)")
        assert pack.decide(findings[key].example).outcomes["r"].trace[-1].rule_id == last_step  # the latest rules
    # x is "a" until 2021, "a and b" from 2022: one case shows each finding in both periods, and no note is needed
    both = lif_rules.load_pack(write_pack(DATED.replace("when: not a, status", "when: a and b, status"), "y.yaml"))
    findings = {(f.kind, tuple(f.rules)): f for f in both.analyse()}
    for key, last_step in ((("no_rule_holds", ()), "r.otherwise"), (("overlap", ("r.x", "r.y")), "r.x")):
        assert "the example is for" not in findings[key].message
        for day in (None, date(2021, 6, 1)):
            trace = both.decide(findings[key].example, as_of=day).outcomes["r"].trace
            assert trace[-1].rule_id == last_step
            if key[0] == "overlap":  # y holds too, though x decides
                assert both.decide({**findings[key].example}, review="r", as_of=day).outcomes["r"].status == "required"
                assert findings[key].example["b"] is True


def test_a_rule_dead_for_different_reasons_in_different_periods_gives_the_latest_reason(
        write_pack: Callable[..., str]) -> None:
    text = TWO_RULES.split("examples:")[0].replace(
        "      - {id: y, when: b, status: consider, citation: c}\n",
        "      - id: y\n"
        "        versions:\n"
        "          - {when: a and not a, status: consider, citation: c, in_force: {to: 2021-12-31}}\n"
        "          - {when: a, status: consider, citation: c, in_force: {from: 2022-01-01}}\n")
    [dead] = [f for f in lif_rules.load_pack(write_pack(text)).analyse() if f.kind == "unreachable_rule"]
    # impossible until 2021, shadowed by x from 2022: worded as the latest rules have it, and saying so
    assert dead.rules == ["r.y", "r.x"] and dead.example is not None and dead.example["a"] is True
    assert dead.message == ("rule r.y decides no case: whenever it holds, an earlier rule (r.x) holds too and decides "
                            "first (the reason is that of the rules in force from 2022-01-01; the example is for the "
                            "rules in force from 2022-01-01)")
