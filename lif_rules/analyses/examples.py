"""The policy author's test suite: a pack's worked ``examples:`` → one ``ExampleResult`` each.

A ``decide`` example states facts and the statuses it expects (and, optionally, the notifications
triggered and the facts ``missing``); a ``schedule`` example states start, actual and today dates
and the milestone dates or statuses it expects; a ``quorum`` example states attendees and a date,
and whether the meeting is quorate and who is missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..errors import FactError
from ..pack import PolicyPack
from ..core.schema import DecideExample, QuorumExample, ScheduleExample

__all__ = ["ExampleResult", "run_examples", "run_example"]


@dataclass(frozen=True)
class ExampleResult:
    """How one worked example of a pack came out.

    ``index`` is the example's 0-based position in the pack's ``examples:`` list (shown to authors
    counted from 1, as every path is: ``$.examples[index + 1]``); ``file`` and ``line`` locate it when known.
    """

    index: int
    kind: str
    description: str
    cite: str
    passed: bool
    problems: list[str] = field(default_factory=list)
    file: str | None = None
    line: int | None = None

    @property
    def where(self) -> str:
        """``file:line`` of the example, or its YAML path when the file is not known."""
        if self.file is not None and self.line is not None:
            return f"{self.file}:{self.line}"
        return f"$.examples[{self.index + 1}]"


def run_examples(pack: PolicyPack) -> list[ExampleResult]:
    """Run every worked example the pack carries, in the pack's order."""
    compiled = pack.compiled
    out = []
    for index, example in enumerate(compiled.examples):
        where = compiled.example_sources[index] if index < len(compiled.example_sources) else (None, None)
        out.append(run_example(pack, example, index, file=where[0], line=where[1]))
    return out


def run_example(pack: PolicyPack, example: Any, index: int = 0, *, file: str | None = None,
                line: int | None = None) -> ExampleResult:
    """Run one example (a ``DecideExample``, ``ScheduleExample`` or ``QuorumExample``)."""
    try:
        if isinstance(example, DecideExample):
            problems = _decide(pack, example)
        elif isinstance(example, ScheduleExample):
            problems = _schedule(pack, example)
        elif isinstance(example, QuorumExample):
            problems = _quorum(pack, example)
        else:
            problems = [f"unknown kind of example: {type(example).__name__}"]
    except FactError as e:
        problems = [f"FactError: {e}"]
    except (LookupError, ValueError, TypeError) as e:
        problems = [f"{type(e).__name__}: {e.args[0] if e.args else e}"]
    return ExampleResult(index=index, kind=str(getattr(example, "kind", "?")),
                         description=str(getattr(example, "description", "")), cite=str(getattr(example, "cite", "")),
                         passed=not problems, problems=problems, file=file, line=line)


def _decide(pack: PolicyPack, ex: DecideExample) -> list[str]:
    decision = pack.decide(ex.facts, as_of=ex.as_of)
    problems = []
    for rid, expected in ex.expect.items():
        if rid not in decision.outcomes:
            problems.append(f"{rid}: the pack has no review {rid!r} (reviews: {', '.join(decision.outcomes)})")
            continue
        got = decision.outcomes[rid].status
        if got != expected:
            problems.append(f"{rid}: expected {expected}, got {got}{_missing_note(decision.outcomes[rid].missing)}")
    for rid, expected_missing in (ex.missing or {}).items():
        if rid not in decision.outcomes:
            if rid not in ex.expect:
                problems.append(f"{rid}: the pack has no review {rid!r}")
            continue
        got_missing = list(decision.outcomes[rid].missing)
        if got_missing != list(expected_missing):
            problems.append(f"{rid}: expected missing [{', '.join(expected_missing)}], got [{', '.join(got_missing)}]")
    if ex.notifications is not None:
        got_ids = [n.id for n in decision.notifications]
        expected_ids = list(ex.notifications)
        extra = [n for n in got_ids if n not in expected_ids]
        absent = [n for n in expected_ids if n not in got_ids]
        if absent:
            possible = {p.id: p.missing for p in decision.possible_notifications}
            shown = []
            for n in absent:
                if n in possible:
                    shown.append(f"{n} (only possible; missing: {', '.join(possible[n])})")
                elif n not in pack.compiled.notifications:
                    shown.append(f"{n} (the pack has no such notification)")
                else:
                    shown.append(n)
            problems.append(f"notifications: expected but not triggered: {', '.join(shown)}")
        if extra:
            problems.append(f"notifications: triggered but not expected: {', '.join(extra)}")
    return problems


def _missing_note(missing: list[str]) -> str:
    return f" (missing: {', '.join(missing)})" if missing else ""


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _schedule(pack: PolicyPack, ex: ScheduleExample) -> list[str]:
    schedule = pack.schedule(ex.review, start=ex.start, actual=dict(ex.actual), today=ex.today)
    problems = []
    for mid, expected in ex.expect.items():
        if mid not in schedule:
            known = ", ".join(m.id for m in schedule)
            problems.append(f"{mid}: review {ex.review!r} has no milestone {mid!r} (milestones: {known})")
            continue
        milestone = schedule[mid]
        for key in ("earliest", "due", "status"):
            if key not in expected.model_fields_set:  # only what the example states is checked
                continue
            want = _iso(getattr(expected, key))
            got = _iso(getattr(milestone, key))
            if want != got:
                problems.append(f"{mid}: {key} expected {want or 'none'}, got {got or 'none'}")
    return problems


def _quorum(pack: PolicyPack, ex: QuorumExample) -> list[str]:
    attendees = [a if isinstance(a, str) else {"name": a.name, "roles": list(a.roles)} for a in ex.attendees]
    result = pack.check_quorum(ex.meeting, attendees=attendees, on=ex.on)
    problems = []
    if result.quorate != ex.expect_quorate:
        problems.append(f"quorate: expected {_yes(ex.expect_quorate)}, got {_yes(result.quorate)}")
    if sorted(result.missing) != sorted(ex.expect_missing):
        problems.append(f"missing: expected [{', '.join(ex.expect_missing)}], got [{', '.join(result.missing)}]")
    return problems


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"
