"""Rule analyses for policy authors: rules that decide nothing, cases no rule covers, rules that overlap.

Each question is a question about decision diagrams built from a review's rules (in a copy of the
pack's diagram table, so deciding is never disturbed): a rule decides some case when its condition
holds and no earlier rule's does; no rule holds when none of the conditions does; two rules overlap
when the first decides a case for which the second also holds. Every finding comes with a complete
example case, read off a path of the diagram.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from ..core.compiled import CompiledPack, Period, Review, adjoins, period_words
from ..core.diagrams import Diagrams
from ..frozen import freeze
from ..models import Finding

__all__ = ["analyse"]


@dataclass
class _Seen:
    """A finding as the periods show it: its latest wording and review, the periods it holds in, the cases
    showing it in each (a diagram node per period), and the reasons given in any of them."""

    finding: Finding
    review: Review
    periods: list[Period] = field(default_factory=list)
    witnesses: list[int] = field(default_factory=list)
    reasons: set[str] = field(default_factory=set)


def analyse(pack: CompiledPack) -> list[Finding]:
    """Every finding about the rules of every review, across the periods in which the pack's rules change.

    A finding that holds only in some of the periods in which its review is in force says in which.
    A rule is reported as deciding no case only when it decides none in any period. A finding is
    worded as the latest of its periods has it (the rules ``decide`` applies without a date), and its
    example shows it in every one of its periods where one case can; else the finding says which
    period's rules the example is for.
    """
    d = pack.diagrams.copy()
    found: dict[tuple[str, str, tuple[str, ...]], _Seen] = {}
    applies: dict[str, list[Period]] = {}
    reachable: set[str] = set()
    for rules in pack.rule_sets:
        for review in rules.reviews.values():
            if not review.applies:
                continue
            applies.setdefault(review.id, []).append(rules.period)
            for finding, witness in _review(pack, d, review, reachable):
                key = (finding.kind, finding.review, tuple(finding.rules[:1] if finding.kind == "unreachable_rule"
                                                           else finding.rules))
                seen = found.setdefault(key, _Seen(finding, review))
                seen.finding, seen.review = finding, review  # the latest wording
                seen.periods.append(rules.period)
                seen.witnesses.append(witness)
                seen.reasons.add(finding.message)
    out = []
    for (kind, rid, rules_key), seen in found.items():
        if kind == "unreachable_rule" and rules_key[0] in reachable:
            continue
        finding, periods = seen.finding, seen.periods
        notes = []
        if periods != applies[rid]:
            notes.append(f"in the rules in force {', '.join(period_words(p) for p in _joined(periods))}")
        if len(seen.reasons) > 1:  # e.g. shadowed in one period, impossible in another
            notes.append(f"the reason is that of the rules in force {period_words(periods[-1])}")
        if finding.example is not None and len(periods) > 1:
            finding, shown_in_all = _example_for_all(pack, d, finding, seen.witnesses, seen.review)
            if not shown_in_all:
                notes.append(f"the example is for the rules in force {period_words(periods[-1])}")
        if notes:
            finding = finding.model_copy(update={"message": f"{finding.message} ({'; '.join(notes)})"})
        out.append(finding)
    return [freeze(f) for f in sorted(out, key=_order(pack))]  # made here: no one else holds them yet


def _example_for_all(pack: CompiledPack, d: Diagrams, finding: Finding, witnesses: list[int],
                     review: Review) -> tuple[Finding, bool]:
    """The finding with an example that shows it in each of its periods (``witnesses``: the cases showing
    it, period by period), and whether one case could; else the finding as it is."""
    common = d.true
    for node in witnesses:
        common = d.conjoin(common, node)
    if common == d.false:
        return finding, False
    example = _case(pack, d, common)
    update: dict[str, Any] = {"example": example}
    if finding.kind == "unreachable_rule":  # the earlier rules the new example shows holding
        k = next(k for k, r in enumerate(review.rules) if r.id == finding.rules[0])
        update.update(_shadowed(pack, d, review, k, example))
    return finding.model_copy(update=update), True


def _shadowed(pack: CompiledPack, d: Diagrams, review: Review, k: int,
              example: dict[str, bool | str]) -> dict[str, Any]:
    """The rules and message of the finding that rule ``k`` decides no case: the earlier rules that hold for
    ``example`` too."""
    rule = review.rules[k].id
    shadows = [r.id for r in review.rules[:k] if _holds(d, r.condition.node, example, pack)]
    return {"rules": [rule, *shadows], "message": (f"rule {rule} decides no case: whenever it holds, an earlier rule "
                                                   f"({', '.join(shadows)}) holds too and decides first")}


def _joined(periods: list[Period]) -> list[Period]:
    """Adjoining periods as one."""
    out: list[Period] = []
    for p in periods:
        if out and adjoins(out[-1], p):
            out[-1] = (out[-1][0], p[1])
        else:
            out.append(p)
    return out


def _order(pack: CompiledPack) -> Any:
    reviews = {rid: k for k, rid in enumerate(pack.reviews)}
    kinds = {"unreachable_rule": 0, "no_rule_holds": 1, "overlap": 2}
    return lambda f: (reviews.get(f.review, len(reviews)), kinds[f.kind], f.rules)


def _review(pack: CompiledPack, d: Diagrams, review: Review, reachable: set[str]) -> list[tuple[Finding, int]]:
    """The findings about one period's review, each with the diagram of the cases that show it."""
    out: list[tuple[Finding, int]] = []
    earlier = d.false  # some earlier rule holds
    deciding: list[int] = []  # where each rule is the one that decides
    for rule in review.rules:
        cond = rule.condition.node
        decides = d.conjoin(cond, d.negate(earlier))
        deciding.append(decides)
        if decides != d.false:
            reachable.add(rule.id)
        elif cond == d.false:
            out.append((Finding(kind="unreachable_rule", review=review.id, rules=[rule.id], example=None,
                                message=f"rule {rule.id} decides no case: its condition holds for no case"), d.false))
        else:
            example = _case(pack, d, cond)
            out.append((Finding(kind="unreachable_rule", review=review.id, example=example,
                                **_shadowed(pack, d, review, len(deciding) - 1, example)), cond))
        earlier = d.disjoin(earlier, cond)
    none = d.negate(earlier)
    if none != d.false:
        words = ("the review has no rules, so every case falls" if not review.rules
                 else "some cases match no rule, so they fall")
        out.append((Finding(kind="no_rule_holds", review=review.id, rules=[], example=_case(pack, d, none),
                            message=f"{words} to the default status {review.otherwise!r}"), none))
    for i, first in enumerate(review.rules):
        for second in review.rules[i + 1:]:
            if first.status == second.status:
                continue
            both = d.conjoin(deciding[i], second.condition.node)
            if both != d.false:
                out.append((Finding(
                    kind="overlap", review=review.id, rules=[first.id, second.id], example=_case(pack, d, both),
                    message=(f"{first.id} ({first.status}) and {second.id} ({second.status}) both hold for some "
                             f"cases; {first.id} comes first, so those cases are {first.status}")), both))
    return out


def _case(pack: CompiledPack, d: Diagrams, condition: int) -> dict[str, bool | str]:
    """A complete case for which ``condition`` holds: a path to true, other facts at their first value."""
    path = d.example(condition, d.true) or {}
    return {f.name: _value(path.get(i, f.values[0])) for i, f in enumerate(pack.facts)}


def _value(value: Hashable) -> bool | str:
    assert isinstance(value, (bool, str))
    return value


def _holds(d: Diagrams, condition: int, case: dict[str, bool | str], pack: CompiledPack) -> bool:
    values = tuple(case[f.name] for f in pack.facts)
    return d.walk(condition, values) == d.true
