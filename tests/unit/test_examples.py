"""``run_examples``: a pack's worked examples as a policy author's test suite."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import lif_rules
from lif_rules.analyses.examples import ExampleResult, run_example, run_examples
from lif_rules.core.schema import DecideExample, QuorumExample, ScheduleExample

from pack_texts import DEMO  # tests/ is on sys.path through its conftest

PACK = DEMO + """\
notifications:
  panel:
    name: Panel notification
    by: the local authority
    to: [the Panel]
    when: subject == child and died
    deadline: within 5 working days
    citation: "Demo LIF 3"
roles:
  local_authority: {name: the local authority}
  police: {name: the police}
meetings:
  panel_meeting:
    name: Panel meeting
    quorum: {each_of: [local_authority, police]}
    citation: "Demo LIF 4"
examples:
"""

GOOD = """\
  - kind: decide
    description: an adult died
    cite: "Care Act 2014 s44(2)"
    facts: {subject: adult, died: true}
    expect: {sar: required}
    notifications: []
  - kind: decide
    description: an adult, death unknown
    cite: "Care Act 2014 s44"
    facts: {subject: adult}
    expect: {sar: undetermined}
    missing: {sar: [died]}
  - kind: decide
    description: a child died
    cite: "Demo LIF 3"
    facts: {subject: child, died: true}
    expect: {sar: not_eligible}
    notifications: [panel]
  - kind: schedule
    description: a request on Friday 22 December 2023
    cite: "Demo LIF 2"
    review: sar
    start: 2023-12-22
    today: 2024-01-11
    expect:
      decision: {due: 2024-01-10, earliest: null, status: overdue}
  - kind: quorum
    description: police absent
    cite: "Demo LIF 4"
    meeting: panel_meeting
    attendees: [local_authority]
    on: 2024-03-01
    expect_quorate: false
    expect_missing: [police]
"""

BAD = """\
  - kind: decide
    description: wrong status, notification and missing
    cite: "c1"
    facts: {subject: adult}
    expect: {sar: required}
    missing: {sar: [subject]}
    notifications: [panel]
  - kind: schedule
    description: wrong due date and status
    cite: "c2"
    review: sar
    start: 2023-12-22
    today: 2024-01-10
    expect:
      decision: {due: 2024-01-09, status: overdue}
  - kind: quorum
    description: wrong quorum
    cite: "c3"
    meeting: panel_meeting
    attendees: [local_authority, police]
    on: 2024-03-01
    expect_quorate: false
    expect_missing: [police]
"""


def load(tmp_path: Path, examples: str) -> lif_rules.PolicyPack:
    path = tmp_path / "demo.yaml"
    path.write_text(PACK + examples, encoding="utf-8")
    return lif_rules.load_pack(path)


def test_bundled_dudley_examples_all_pass() -> None:
    results = run_examples(lif_rules.load_pack("dudley"))
    assert results, "dudley carries worked examples"
    assert [r.problems for r in results if not r.passed] == []
    assert {r.kind for r in results} == {"decide", "schedule", "quorum"}
    assert [r.index for r in results] == list(range(len(results)))
    assert all(r.cite and r.description for r in results)
    assert all(r.file == "policies/dudley.yaml" and r.line for r in results)


def test_passing_examples_of_every_kind(tmp_path: Path) -> None:
    results = run_examples(load(tmp_path, GOOD))
    assert [(r.kind, r.passed, r.problems) for r in results] == [
        ("decide", True, []), ("decide", True, []), ("decide", True, []), ("schedule", True, []),
        ("quorum", True, []),
    ]
    first = results[0]
    assert first == ExampleResult(index=0, kind="decide", description="an adult died", cite="Care Act 2014 s44(2)",
                                  passed=True, problems=[], file=str(tmp_path / "demo.yaml"), line=first.line)
    assert first.where == f"{tmp_path / 'demo.yaml'}:{first.line}"
    lines = (tmp_path / "demo.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[first.line - 1].strip() == "- kind: decide"


def test_failing_examples_say_what_differs(tmp_path: Path) -> None:
    decide, schedule, quorum = run_examples(load(tmp_path, BAD))
    assert not decide.passed
    assert decide.problems == [
        "sar: expected required, got undetermined (missing: died)",
        "sar: expected missing [subject], got [died]",
        "notifications: expected but not triggered: panel",
    ]
    assert schedule.problems == [
        "decision: due expected 2024-01-09, got 2024-01-10",
        "decision: status expected overdue, got due",
    ]
    assert quorum.problems == ["quorate: expected no, got yes", "missing: expected [police], got []"]


def test_unexpected_notification_fails(tmp_path: Path) -> None:
    (result,) = run_examples(load(tmp_path, """\
  - kind: decide
    description: a child died
    cite: c
    facts: {subject: child, died: true}
    expect: {}
    notifications: []
"""))
    assert result.problems == ["notifications: triggered but not expected: panel"]


def test_possible_notification_is_not_triggered(tmp_path: Path) -> None:
    (result,) = run_examples(load(tmp_path, """\
  - kind: decide
    description: a child, death unknown
    cite: c
    facts: {subject: child}
    expect: {}
    notifications: [panel]
"""))
    assert result.problems == ["notifications: expected but not triggered: panel (only possible; missing: died)"]


def test_references_the_pack_lacks_are_reported(tmp_path: Path) -> None:
    pack = load(tmp_path, GOOD)
    decide = run_example(pack, DecideExample(kind="decide", description="d", cite="c", facts={"subject": "adult"},
                                             expect={"sra": "required"}, notifications=["nothing"]))
    assert decide.problems == [
        "sra: the pack has no review 'sra' (reviews: sar)",
        "notifications: expected but not triggered: nothing (the pack has no such notification)",
    ]
    schedule = run_example(pack, ScheduleExample(kind="schedule", description="d", cite="c", review="sar",
                                                 start=date(2024, 1, 1), expect={"report": {"due": "2024-06-01"}}))
    assert schedule.problems == [
        "report: review 'sar' has no milestone 'report' (milestones: request_received, decision)"]


@pytest.mark.parametrize("example, problem", [
    (DecideExample(kind="decide", description="d", cite="c", facts={"subject": "chlid"}, expect={"sar": "required"}),
     "FactError: fact 'subject' must be one of: child, adult"),
    (DecideExample(kind="decide", description="d", cite="c", facts={"dyed": True}, expect={}),
     "FactError: unknown fact 'dyed' (did you mean 'died'?)"),
    (ScheduleExample(kind="schedule", description="d", cite="c", review="cspr", start=date(2024, 1, 1), expect={}),
     "LookupError: pack 'demo' has no review 'cspr'"),
    (ScheduleExample(kind="schedule", description="d", cite="c", review="sar", start=date(2024, 1, 1),
                     actual={"meeting": date(2024, 1, 2)}, expect={}),
     "LookupError: review 'sar' has no milestone 'meeting'"),
    (QuorumExample(kind="quorum", description="d", cite="c", meeting="board", attendees=[], on=date(2024, 1, 1),
                   expect_quorate=True),
     "LookupError: pack 'demo' has no quorum rule for meeting 'board'"),
])
def test_an_example_that_raises_fails_with_the_error(tmp_path: Path, example: object, problem: str) -> None:
    result = run_example(load(tmp_path, GOOD), example, 7)
    assert not result.passed
    assert result.index == 7
    assert len(result.problems) == 1
    assert result.problems[0].startswith(problem)
    assert result.where == "$.examples[8]"  # the eighth example: paths count from 1


def test_a_pack_without_examples_has_no_results(tmp_path: Path) -> None:
    assert run_examples(load(tmp_path, " []\n")) == []
