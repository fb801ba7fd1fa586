"""Coverage of a pack's worked examples: which rules no example decides by, which milestones none checks.

A rule is covered when some ``decide`` example's decision names it as the rule that decided a
review (``<review>.otherwise``, the default, counts as a rule where some case reaches it; an
undetermined outcome names none, though a later rule may already hold); a milestone is covered when
some ``schedule`` example checks its dates or status; a meeting when some ``quorum`` example checks it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.schema import DecideExample, QuorumExample, ScheduleExample
from ..core.timetables import occurrence_of
from ..errors import FactError
from ..pack import PolicyPack

__all__ = ["Coverage", "coverage"]


@dataclass(frozen=True)
class Coverage:
    """What a pack's examples exercise, and what they leave out (ids in the pack's order)."""

    pack: str
    rules: list[str] = field(default_factory=list)
    rules_not_covered: list[str] = field(default_factory=list)
    milestones: list[str] = field(default_factory=list)
    milestones_not_covered: list[str] = field(default_factory=list)
    meetings: list[str] = field(default_factory=list)
    meetings_not_covered: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not (self.rules_not_covered or self.milestones_not_covered or self.meetings_not_covered)


def coverage(pack: PolicyPack) -> Coverage:
    """Which rules, milestones and meetings the pack's examples exercise, over every period of its rules."""
    compiled = pack.compiled
    d = compiled.diagrams.copy()  # to ask whether a review's default can decide anything
    rules: dict[str, None] = {}
    milestones: dict[str, None] = {}
    recurring: set[str] = set()
    for rule_set in compiled.rule_sets:
        for review in rule_set.reviews.values():
            if not review.applies:
                continue
            some_rule = d.false
            for rule in review.rules:
                rules.setdefault(rule.id)
                some_rule = d.disjoin(some_rule, rule.condition.node)
            if some_rule != d.true:  # the default decides some cases
                rules.setdefault(f"{review.id}.otherwise")
            for m in review.milestones:
                if not m.start:
                    milestones.setdefault(f"{review.id}.{m.id}")
                if m.every is not None:
                    recurring.add(f"{review.id}.{m.id}")
    meetings = {mid: None for rule_set in compiled.rule_sets for mid in rule_set.meetings}
    decided: set[str] = set()
    checked: set[str] = set()
    met: set[str] = set()
    for example in compiled.examples:
        if isinstance(example, DecideExample):
            try:
                decision = pack.decide(example.facts, as_of=example.as_of)
            except FactError:
                continue  # the example itself fails; `lif-rules test` reports it
            for outcome in decision.outcomes.values():
                if outcome.status != "undetermined":  # an undetermined outcome is decided by no rule yet
                    decided.update(s.rule_id for s in outcome.trace if s.result == "true")
        elif isinstance(example, ScheduleExample):
            for mid in example.expect:
                checked.add(f"{example.review}.{mid}")
                found = occurrence_of(mid)  # an occurrence of a recurring milestone checks that milestone
                if found is not None and f"{example.review}.{found[0]}" in recurring:
                    checked.add(f"{example.review}.{found[0]}")
        elif isinstance(example, QuorumExample):
            met.add(example.meeting)
    return Coverage(
        pack=pack.id, rules=list(rules), rules_not_covered=[r for r in rules if r not in decided],
        milestones=list(milestones), milestones_not_covered=[m for m in milestones if m not in checked],
        meetings=list(meetings), meetings_not_covered=[m for m in meetings if m not in met])
