"""Behavioural diff: two versions of a pack → ``PackDiff``, what decides or schedules differently.

Text changes that change nothing (wording, citations, notes) are not reported. For each review type
both versions have, every complete combination of the facts its rules read (in either version) is
decided by both (or, when there are too many to decide one by one, the two versions' decision
diagrams are compared cube by cube, with the same counts and examples; see :mod:`.cubes`), and
changed outcomes are grouped by old → new status with a count and one example case. A fact only one
version declares, or a value only one version allows, is unknown to the other. Notifications are compared the same way, and by who notifies whom, by when, and the
working-day deadline ``pack.schedule`` counts; milestones by their rule and by the dates both
versions give from an example start date; meetings by their quorum rule and the roles it counts.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from ..core.compiled import CompiledPack, Fact, Meeting, MilestoneRule, Role
from ..core.explain import show_facts
from ..pack import PolicyPack
from .cubes import changes_between, cubes_of

__all__ = [
    "PackDiff", "OutcomeChange", "DecisionDiff", "DetailChange", "MilestoneChange", "diff_packs", "render_diff",
    "EXAMPLE_START", "MAX_FACTS", "MAX_CASES", "SAMPLE_SIZE", "SAMPLE_SEED",
]

EXAMPLE_START = date(2026, 1, 5)
"""The start date both versions are scheduled from to show how milestone dates move (a Monday)."""
MAX_FACTS = 16
"""A review that reads more facts than this is compared through its decision diagrams, not case by case (and
on a random sample of cases only when those are too large: see :data:`.cubes.CUBE_LIMIT`)."""
MAX_CASES = 2 ** 16
"""Likewise a review whose facts have more combinations than this."""
SAMPLE_SIZE = 5_000
SAMPLE_SEED = 0

FactValue = bool | str


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OutcomeChange(_Model):
    """The cases whose status goes from ``old`` to ``new``: how many, and one of them."""

    old: str
    new: str
    count: int
    example: dict[str, FactValue]


class DecisionDiff(_Model):
    """How one review type (or notification) decides differently across the cases compared."""

    kind: Literal["review", "notification"]
    id: str
    facts: list[str]
    cases: int
    total: int
    sampled: bool
    changes: list[OutcomeChange]

    @property
    def changed(self) -> int:
        """How many of the compared cases change."""
        return sum(c.count for c in self.changes)


class DetailChange(_Model):
    """Something added, removed or changed that is not a status: a fact, a notification's details, a quorum rule."""

    what: str
    id: str
    change: Literal["added", "removed", "changed"]
    old: str | None
    new: str | None


class MilestoneChange(_Model):
    """A milestone added, removed, given a new rule, or whose example dates move."""

    review: str
    milestone: str
    change: Literal["added", "removed", "changed", "moved"]
    old_rule: str | None
    new_rule: str | None
    old_dates: str | None
    new_dates: str | None


class PackDiff(_Model):
    """Everything two versions of a pack do differently."""

    old: str
    new: str
    reviews_added: list[str]
    reviews_removed: list[str]
    facts: list[DetailChange]
    decisions: list[DecisionDiff]
    notifications_added: list[str]
    notifications_removed: list[str]
    notifications: list[DecisionDiff]
    notification_details: list[DetailChange]
    example_start: date
    milestones: list[MilestoneChange]
    meetings: list[DetailChange]
    sampled: list[str]

    @property
    def changed(self) -> bool:
        """True when the two versions behave differently in any way reported here."""
        return bool(self.reviews_added or self.reviews_removed or self.facts or self.decisions
                    or self.notifications_added or self.notifications_removed or self.notifications
                    or self.notification_details or self.milestones or self.meetings)


def diff_packs(old: PolicyPack, new: PolicyPack, *, old_as_of: date | None = None,
               new_as_of: date | None = None) -> PackDiff:
    """Compare two versions of a pack (or one pack on two dates) by what they decide, schedule and count as quorate.

    Args:
        old: the earlier version.
        new: the later version.
        old_as_of: compare the rules ``old`` has in force on this date (default: its latest rules).
        new_as_of: likewise for ``new``.
    """
    old_label, new_label = _label(old, old_as_of), _label(new, new_as_of)
    old, new = _rules_of(old, old_as_of), _rules_of(new, new_as_of)
    a, b = old.compiled, new.compiled
    a_reviews, b_reviews = list(a.reviews), list(b.reviews)
    facts = _facts_of(a), _facts_of(b)
    decisions: list[DecisionDiff] = []
    sampled: list[str] = []
    for rid in a_reviews:
        if rid not in b.reviews:
            continue
        names = _union([a.facts[i].name for i in a.reviews[rid].reads], [b.facts[i].name for i in b.reviews[rid].reads])
        d = _compare("review", rid, names, old, new, facts, _review_status(rid))
        if d.sampled:
            sampled.append(f"review {rid}")
        if d.changes:
            decisions.append(d)
    notifications: list[DecisionDiff] = []
    details: list[DetailChange] = []
    for nid, rule in a.notifications.items():
        if nid not in b.notifications:
            continue
        other = b.notifications[nid]
        names = _union(list(rule.condition.names), list(other.condition.names))
        d = _compare("notification", nid, names, old, new, facts, _notification_status(nid))
        if d.sampled:
            sampled.append(f"notification {nid}")
        if d.changes:
            notifications.append(d)
        for what, x, y in (("by", rule.by, other.by), ("to", ", ".join(rule.to), ", ".join(other.to)),
                           ("deadline", rule.deadline, other.deadline),
                           ("working-day deadline", _working_days(rule.deadline_working_days),
                            _working_days(other.deadline_working_days))):
            if x != y:
                details.append(DetailChange(what=f"notification {what}", id=nid, change="changed", old=x, new=y))
    return PackDiff(
        old=old_label, new=new_label,
        reviews_added=[r for r in b_reviews if r not in a.reviews],
        reviews_removed=[r for r in a_reviews if r not in b.reviews],
        facts=_fact_changes(*facts),
        decisions=decisions,
        notifications_added=[n for n in b.notifications if n not in a.notifications],
        notifications_removed=[n for n in a.notifications if n not in b.notifications],
        notifications=notifications,
        notification_details=details,
        example_start=EXAMPLE_START,
        milestones=_milestone_changes(old, new),
        meetings=_meeting_changes(a, b),
        sampled=sampled,
    )


def _rules_of(pack: PolicyPack, as_of: date | None) -> PolicyPack:
    """The pack with only the rules compared: those in force on ``as_of``, else its latest rules.

    Then every part of the comparison sees the same rules: a schedule from the example start date
    would otherwise use the rules in force on that date, not the latest ones beside it.
    """
    if as_of is not None:
        return pack.rules_on(as_of)
    changes = pack.compiled.changes
    return pack.rules_on(changes[-1]) if changes else pack


def _working_days(days: int | None) -> str:
    """The deadline ``pack.schedule`` counts for a duty to notify, in words (``none``: it cannot be scheduled)."""
    return "none" if days is None else f"{days} working day{'' if days == 1 else 's'}"


def _label(pack: PolicyPack, as_of: date | None) -> str:
    version = pack.document.version
    where = f"{version}, {pack.compiled.file}" if version else pack.compiled.file
    if as_of is not None:
        return f"{pack.id} ({where}) as of {as_of.isoformat()}"
    changes = pack.compiled.changes  # dated rules: say which of them are compared (the latest; PACK@DATE for others)
    return f"{pack.id} ({where}){f', its latest rules (from {changes[-1].isoformat()})' if changes else ''}"


def _union(first: list[str], second: list[str]) -> list[str]:
    return list(dict.fromkeys(first + second))


# -- decisions ------------------------------------------------------------------------------------

Status = Callable[[PolicyPack, dict[str, FactValue]], str]
"""What one version decides for a case."""


def _review_status(rid: str) -> Status:
    def status(pack: PolicyPack, case: dict[str, FactValue]) -> str:
        return pack.decide(case, review=rid).outcomes[rid].status
    return status


def _notification_status(nid: str) -> Status:
    def status(pack: PolicyPack, case: dict[str, FactValue]) -> str:
        d = pack.decide(case, review=next(iter(pack.compiled.reviews)))  # any review's decision lists the notifications
        if any(n.id == nid for n in d.notifications):
            return "notified"
        if any(n.id == nid for n in d.possible_notifications):
            return "undetermined"
        return "not notified"
    return status


def _facts_of(pack: CompiledPack) -> dict[str, Fact]:
    return {f.name: f for f in pack.facts}


def _domain(name: str, old: dict[str, Fact], new: dict[str, Fact]) -> list[FactValue]:
    values: list[FactValue] = []
    for catalogue in (old, new):
        fact = catalogue.get(name)
        if fact is None:
            continue
        for v in fact.values:
            if not any(v is w or (type(v) is type(w) and v == w) for w in values):
                values.append(v)
    return values


def _accepts(fact: Fact | None, value: FactValue) -> bool:
    return fact is not None and any(type(value) is type(v) and value == v for v in fact.values)


def _restrict(case: dict[str, FactValue], catalogue: dict[str, Fact]) -> dict[str, FactValue]:
    """The case as one version sees it: facts or values it does not know are left unknown."""
    return {k: v for k, v in case.items() if _accepts(catalogue.get(k), v)}


def _cases(names: list[str], domains: list[list[FactValue]]) -> tuple[Iterator[dict[str, FactValue]], int, bool]:
    total = 1
    for d in domains:
        total *= len(d)
    if len(names) <= MAX_FACTS and total <= MAX_CASES:
        return (dict(zip(names, combo)) for combo in itertools.product(*domains)), total, False
    rng = random.Random(SAMPLE_SEED)
    sample = (dict(zip(names, (rng.choice(d) for d in domains))) for _ in range(SAMPLE_SIZE))
    return sample, total, True


def _compare(kind: Literal["review", "notification"], ident: str, names: list[str], old: PolicyPack,
             new: PolicyPack, facts: tuple[dict[str, Fact], dict[str, Fact]], status: Status) -> DecisionDiff:
    """How ``old`` and ``new`` decide differently; ``facts`` are their fact catalogues (see :func:`_facts_of`).

    Every case is decided by both when there are few enough; else the two versions' decision diagrams
    are compared cube by cube (see :mod:`.cubes`), and only when those are too many, a sample of cases.
    """
    old_facts, new_facts = facts
    domains = [_domain(n, old_facts, new_facts) for n in names]
    cases, total, sampled = _cases(names, domains)
    if sampled:
        exact = _by_cubes(kind, ident, names, domains, old.compiled, new.compiled)
        if exact is not None:
            return DecisionDiff(kind=kind, id=ident, facts=names, cases=total, total=total, sampled=False,
                                changes=exact)
    groups: dict[tuple[str, str], list[Any]] = {}
    compared = 0
    for case in cases:
        compared += 1
        before = status(old, _restrict(case, old_facts))
        after = status(new, _restrict(case, new_facts))
        if before != after:
            group = groups.setdefault((before, after), [0, case])
            group[0] += 1
    changes = [OutcomeChange(old=o, new=n, count=g[0], example=g[1]) for (o, n), g in groups.items()]
    changes.sort(key=lambda c: -c.count)
    return DecisionDiff(kind=kind, id=ident, facts=names, cases=compared, total=total, sampled=sampled, changes=changes)


def _by_cubes(kind: Literal["review", "notification"], ident: str, names: list[str], domains: list[list[FactValue]],
              old: CompiledPack, new: CompiledPack) -> list[OutcomeChange] | None:
    """Every changed case, counted from the two versions' decision diagrams (``None``: too many cubes)."""
    split = []
    word: Callable[[Any], str]
    for pack in (old, new):
        if kind == "review":
            root, word = pack.reviews[ident].diagram, str
        else:
            root, word = pack.notifications[ident].condition.node, _notified
        found = cubes_of(pack, root, word, names, domains)
        if found is None:
            return None
        split.append(found)
    groups = changes_between(split[0], split[1], [len(d) for d in domains])
    if groups is None:
        return None
    ordered = sorted(groups.items(), key=lambda item: (-item[1][0], item[1][1]))  # as enumeration orders them
    return [OutcomeChange(old=before, new=after, count=count,
                          example={n: domains[p][k] for p, (n, k) in enumerate(zip(names, first))})
            for (before, after), (count, first) in ordered]


def _notified(value: Any) -> str:
    """A duty's condition's leaf as the comparison words it."""
    return "notified" if value is True else "not notified"


def _fact_changes(old: dict[str, Fact], new: dict[str, Fact]) -> list[DetailChange]:
    out = []
    for name in _union(list(old), list(new)):
        x, y = old.get(name), new.get(name)
        if x is None or y is None or x.type != y.type or set(x.values) != set(y.values):  # the order is no behaviour
            out.append(DetailChange(
                what="fact", id=name, change="added" if x is None else "removed" if y is None else "changed",
                old=_fact_words(x), new=_fact_words(y)))
    return out


def _fact_words(fact: Fact | None) -> str | None:
    if fact is None:
        return None
    if fact.type == "bool":
        return "true or false"
    return "one of: " + ", ".join(str(v) for v in fact.values)


# -- milestones -----------------------------------------------------------------------------------

def _timetable(pack: PolicyPack, rid: str) -> tuple[dict[str, MilestoneRule], dict[str, str]]:
    """A review's milestone rules by id, and the dates each gives from the example start, in words."""
    review = pack.compiled.reviews.get(rid)
    if review is None or not review.milestones:
        return {}, {}
    rules = {m.id: m for m in review.milestones}
    try:
        schedule = pack.schedule(rid, start=EXAMPLE_START)
    except (LookupError, ValueError) as e:
        return rules, {mid: f"cannot be scheduled: {e}" for mid in rules}
    words = {}
    for mid, rule in rules.items():
        if rule.every is not None:
            pattern = re.compile(re.escape(mid) + r"_[0-9]+")
            dates = [m.due for m in schedule if pattern.fullmatch(m.id) and m.due is not None]
            if not dates:
                words[mid] = "no occurrences"
            else:
                words[mid] = (f"{len(dates)} occurrence{'s' if len(dates) != 1 else ''}, "
                              f"{dates[0].isoformat()} to {dates[-1].isoformat()}")
        elif mid in schedule:
            m = schedule[mid]
            parts = []
            if m.earliest is not None:
                parts.append(f"earliest {m.earliest.isoformat()}")
            if m.due is not None:
                parts.append(f"due {m.due.isoformat()}")
            words[mid] = ", ".join(parts) or "no dates"
    return rules, words


def _milestone_changes(old: PolicyPack, new: PolicyPack) -> list[MilestoneChange]:
    out = []
    for rid in old.compiled.reviews:
        if rid not in new.compiled.reviews:
            continue
        a_rules, a_dates = _timetable(old, rid)
        b_rules, b_dates = _timetable(new, rid)
        for mid in _union(list(a_rules), list(b_rules)):
            x, y = a_rules.get(mid), b_rules.get(mid)
            if x is None and y is not None:
                out.append(MilestoneChange(review=rid, milestone=mid, change="added", old_rule=None, new_rule=y.rule,
                                           old_dates=None, new_dates=b_dates.get(mid)))
            elif y is None and x is not None:
                out.append(MilestoneChange(review=rid, milestone=mid, change="removed", old_rule=x.rule, new_rule=None,
                                           old_dates=a_dates.get(mid), new_dates=None))
            elif x is not None and y is not None:
                rule_changed = x.rule != y.rule or x.anchors != y.anchors
                dates_changed = a_dates.get(mid) != b_dates.get(mid)
                if rule_changed or dates_changed:
                    out.append(MilestoneChange(
                        review=rid, milestone=mid, change="changed" if rule_changed else "moved",
                        old_rule=x.rule, new_rule=y.rule, old_dates=a_dates.get(mid), new_dates=b_dates.get(mid)))
    return out


# -- meetings -------------------------------------------------------------------------------------

def _quorum_words(m: Meeting | None) -> str | None:
    if m is None:
        return None
    parts = []
    if m.each_of:
        parts.append("each of " + ", ".join(m.each_of))
    if m.at_least is not None:
        parts.append(f"at least {m.at_least} members")
    if m.chair is not None:
        parts.append(f"chaired by {m.chair}")
    words = " and ".join(parts) or "no rule"
    return words + (", one role per person" if m.one_role_per_person else "")


def _role_words(r: Role | None) -> str | None:
    if r is None:
        return None
    held = [f"{pid} until {until.isoformat()}" for pid, _name, until in r.predecessors]
    return f"{r.id}" + (f" (before it: {', '.join(held)})" if held else "")


def _meeting_changes(a: CompiledPack, b: CompiledPack) -> list[DetailChange]:
    out = []
    for mid in _union(list(a.meetings), list(b.meetings)):
        x, y = a.meetings.get(mid), b.meetings.get(mid)
        same = x is not None and y is not None and set(x.each_of) == set(y.each_of) \
            and x.at_least == y.at_least and x.chair == y.chair and x.one_role_per_person == y.one_role_per_person
        if not same:
            out.append(DetailChange(what="quorum", id=mid,
                                    change="added" if x is None else "removed" if y is None else "changed",
                                    old=_quorum_words(x), new=_quorum_words(y)))
    meetings = list(a.meetings.values()) + list(b.meetings.values())
    roles = _union(list(a.roles), list(b.roles))
    # at_least counts every role of the pack represented, so then every role counts; else those the rules name
    used = set(roles) if any(m.at_least is not None for m in meetings) else {r for m in meetings for r in m.asked}
    for rid in roles:
        x_role, y_role = a.roles.get(rid), b.roles.get(rid)
        if rid in used and (x_role is None or y_role is None or x_role.predecessors != y_role.predecessors):
            out.append(DetailChange(what="role", id=rid,
                                    change="added" if x_role is None else "removed" if y_role is None else "changed",
                                    old=_role_words(x_role), new=_role_words(y_role)))
    return out


# -- text -----------------------------------------------------------------------------------------

def _decision_lines(d: DecisionDiff) -> list[str]:
    lines = []
    of = f"{d.cases:,} sampled" if d.sampled else f"{d.cases:,}"
    for c in d.changes:
        verb = "changes" if c.count == 1 else "change"
        lines.append(f"  {d.id}: {c.count:,} of {of} cases {verb} from {c.old} to {c.new}, e.g. {show_facts(c.example)}")
    return lines


def render_diff(diff: PackDiff) -> str:
    """The diff in words a policy author can read, ending with a one-line summary."""
    lines = [f"old: {diff.old}", f"new: {diff.new}", ""]
    if diff.reviews_added:
        lines.append(f"Review types added: {', '.join(diff.reviews_added)}")
    if diff.reviews_removed:
        lines.append(f"Review types removed: {', '.join(diff.reviews_removed)}")
    if diff.facts:
        lines.append("Facts:")
        for f in diff.facts:
            if f.change == "added":
                lines.append(f"  {f.id}: added ({f.new})")
            elif f.change == "removed":
                lines.append(f"  {f.id}: removed (was {f.old}); cases stating it are now refused")
            else:
                lines.append(f"  {f.id}: was {f.old}; now {f.new}")
    if diff.decisions:
        lines.append("Decisions that change (every combination of the facts each review reads):")
        for d in diff.decisions:
            lines += _decision_lines(d)
    if diff.notifications_added:
        lines.append(f"Notifications added: {', '.join(diff.notifications_added)}")
    if diff.notifications_removed:
        lines.append(f"Notifications removed: {', '.join(diff.notifications_removed)}")
    if diff.notifications:
        lines.append("Notifications that change:")
        for d in diff.notifications:
            lines += _decision_lines(d)
    for n in diff.notification_details:
        lines.append(f"  {n.id}: {n.what.split(' ', 1)[1]} was {n.old!r}; now {n.new!r}")
    if diff.milestones:
        lines.append(f"Milestones (dates from an example start on {diff.example_start.isoformat()}):")
        for m in diff.milestones:
            name = f"{m.review}.{m.milestone}"
            if m.change == "added":
                lines.append(f"  {name}: added: {m.new_rule} ({m.new_dates})")
            elif m.change == "removed":
                lines.append(f"  {name}: removed: was {m.old_rule} ({m.old_dates})")
            elif m.change == "changed":
                lines.append(f"  {name}: rule changed")
                lines.append(f"      was: {m.old_rule} ({m.old_dates})")
                lines.append(f"      now: {m.new_rule} ({m.new_dates})")
            else:
                lines.append(f"  {name}: same rule, but its dates move because a milestone it counts from moved: "
                             f"{m.old_dates} -> {m.new_dates}")
    if diff.meetings:
        lines.append("Quorum rules:")
        for q in diff.meetings:
            if q.what == "role" and q.change == "added":
                lines.append(f"  role {q.id}: added: {q.new}")
            elif q.what == "role" and q.change == "removed":
                lines.append(f"  role {q.id}: removed (was {q.old})")
            elif q.what == "role":
                lines.append(f"  role {q.id}: was {q.old}; now {q.new}")
            elif q.change == "added":
                lines.append(f"  {q.id}: added: quorate with {q.new}")
            elif q.change == "removed":
                lines.append(f"  {q.id}: removed (was quorate with {q.old})")
            else:
                lines.append(f"  {q.id}: was quorate with {q.old}; now {q.new}")
    for what in diff.sampled:
        lines.append(f"Note: {what} reads too many facts to compare every combination; compared {SAMPLE_SIZE:,} "
                     f"random cases (seed {SAMPLE_SEED})")
    if diff.changed:
        lines.append("")
        lines.append("the two versions behave differently")
    elif diff.sampled:  # a change outside the sample is possible: say what was shown, not more
        lines.append("no behavioural change in the cases compared (some only sampled: see the notes above)")
    else:
        lines.append("no behavioural change")
    return "\n".join(lines) + "\n"
