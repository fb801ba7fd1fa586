"""The compiled form of a pack: what the compiler hands to decide, schedule and check quorum.

Frozen dataclasses, built once per pack by :mod:`lif_rules.core.compile`. Conditions and review
rule lists are decision diagrams (:mod:`lif_rules.core.diagrams`) over the pack's facts. The rules
that change over time are compiled once per period in which nothing changes (a ``RuleSet``), so
choosing the rules for a date is a binary search over the dates where something changes.
"""

from __future__ import annotations

import functools
import sys
from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from . import expr
from .diagrams import Diagrams
from .loading import Document, SourceMap
from .schema import DocumentSpec, ExampleSpec, NoteSpec, PackSpec

__all__ = [
    "Period", "ALWAYS", "Fact", "Condition", "Definition", "Rule", "Review", "NotificationRule", "Offset", "MilestoneRule", "Role",
    "Meeting", "RuleSet", "Layer", "CompiledPack", "period_words", "in_period", "adjoins", "plural",
]

Period = tuple[date | None, date | None]
"""When an item is in force: first and last day, inclusive; ``None`` is open-ended."""
ALWAYS: Period = (None, None)


def in_period(period: Period, day: date) -> bool:
    """Whether ``day`` falls within ``period``."""
    start, end = period
    return (start is None or start <= day) and (end is None or day <= end)


def adjoins(first: Period, second: Period) -> bool:
    """Whether ``second`` starts the day after ``first`` ends."""
    return first[1] is not None and second[0] is not None and first[1] + timedelta(days=1) == second[0]


def period_words(period: Period) -> str:
    """``from 2018-06-29``, ``until 2018-06-28``, ``from 2017-01-01 to 2019-09-29`` or ``at all times``."""
    start, end = period
    if start is None and end is None:
        return "at all times"
    if end is None:
        return f"from {start}"
    if start is None:
        return f"until {end}"
    return f"from {start} to {end}"


@dataclass(frozen=True)
class Fact:
    """A fact a case may state, with its allowed values (``(True, False)`` for a boolean)."""

    name: str
    type: str
    values: tuple[Any, ...]
    description: str

    def __post_init__(self) -> None:
        # Interned, as a caller's literal names and values are: a case's dict is then read by identity.
        object.__setattr__(self, "name", sys.intern(self.name))
        object.__setattr__(self, "values", tuple(sys.intern(v) if type(v) is str else v for v in self.values))


@dataclass(frozen=True)
class Condition:
    """A compiled condition: its text, its parsed form, its diagram, and the facts its truth depends on.

    ``reads`` are those facts (indices, in the pack's order), and ``names`` their names.
    """

    text: str
    tree: expr.Node
    node: int
    reads: tuple[int, ...]
    names: tuple[str, ...]


@dataclass(frozen=True)
class Definition:
    """A named condition (e.g. a statutory definition), with its citation and description."""

    name: str
    condition: Condition
    citation: str
    description: str | None
    in_force: Period = ALWAYS


@dataclass(frozen=True)
class Rule:
    """An eligibility rule of a review (``id`` is ``review.rule``)."""

    id: str
    status: str
    citation: str
    because: str | None
    condition: Condition
    in_force: Period = ALWAYS


@dataclass(frozen=True)
class Review:
    """A compiled review type, as its rules stand in one period.

    ``diagram`` decides its status for every complete case (leaves are statuses); ``fallthrough`` is
    true exactly when no rule holds (the default applies); ``reads`` are the facts any of its rules'
    conditions depend on. A review type not in force in the period has ``applies`` false, no rules,
    and decides ``not_eligible``.
    """

    id: str
    name: str
    legal_basis: str
    decided_by: str
    citation: str
    rules: tuple[Rule, ...]
    otherwise: str
    otherwise_because: str | None
    reads: tuple[int, ...]
    milestones: tuple[MilestoneRule, ...]
    diagram: int
    fallthrough: int
    in_force: Period = ALWAYS
    applies: bool = True


@dataclass(frozen=True)
class NotificationRule:
    """A compiled duty to notify."""

    id: str
    name: str
    by: str
    to: tuple[str, ...]
    deadline: str
    deadline_working_days: int | None
    citation: str
    condition: Condition
    in_force: Period = ALWAYS


@dataclass(frozen=True)
class Offset:
    """A date rule from an anchor: ``working_days``, ``day`` (Day N, Day 1 = anchor) or calendar units."""

    after: str
    working_days: int | None = None
    day: int | None = None
    months: int = 0
    weeks: int = 0
    days: int = 0

    @functools.cached_property
    def span(self) -> timedelta:
        """The weeks and days of a calendar-unit offset as one timedelta."""
        return timedelta(weeks=self.weeks, days=self.days)

    @functools.cached_property
    def text(self) -> str:
        """Plain words, e.g. ``2 working days after rapid_review_meeting`` (computed once)."""
        return self.words()

    def words(self) -> str:
        """Plain words, e.g. ``2 working days after rapid_review_meeting``."""
        if self.working_days is not None:
            return f"{plural(self.working_days, 'working day')} after {self.after}"
        if self.day is not None:
            return f"Day {self.day}, counting {self.after} as Day 1 (working days)"
        parts = [plural(n, unit) for n, unit in ((self.months, "month"), (self.weeks, "week"), (self.days, "day")) if n]
        return f"{' and '.join(parts) or '0 days'} after {self.after}"


def plural(n: int, unit: str) -> str:
    """``1 day``, ``2 days``."""
    return f"{n} {unit}{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class MilestoneRule:
    """A compiled milestone of a review's timetable."""

    id: str
    name: str
    citation: str
    start: bool
    due: tuple[Offset, ...]
    earliest: tuple[Offset, ...]
    every: Offset | None
    until: str | None
    roll: str | None
    note: str | None
    rule: str
    anchors: tuple[str, ...]
    position: int = 0  # where the pack defines it: ties in a schedule keep this order
    in_force: Period = ALWAYS
    before_start: bool = False  # an event on or before the start: its actual date, else the start date


@dataclass(frozen=True)
class Role:
    """A role at meetings and the bodies that held it before (id, name, last day)."""

    id: str
    name: str
    predecessors: tuple[tuple[str, str, date], ...]
    in_force: Period = ALWAYS

    @functools.cached_property
    def holders(self) -> tuple[tuple[str, date | None, date | None], ...]:
        """(body id, first day, last day) for each body that has held the role, the current one last."""
        out: list[tuple[str, date | None, date | None]] = []
        first: date | None = None
        for pid, _name, until in self.predecessors:
            out.append((pid, first, until))
            first = date.fromordinal(until.toordinal() + 1)
        out.append((self.id, first, None))
        return tuple(out)


@dataclass(frozen=True)
class Meeting:
    """A meeting with a quorum rule (``one_role_per_person``: one attendee fills at most one role)."""

    id: str
    name: str
    each_of: tuple[str, ...]
    at_least: int | None
    chair: str | None
    citation: str
    note: str | None
    in_force: Period = ALWAYS
    one_role_per_person: bool = False

    @functools.cached_property
    def asked(self) -> tuple[str, ...]:
        """The roles the rule names, each once: ``each_of``, then the chair."""
        chair = (self.chair,) if self.chair is not None and self.chair not in self.each_of else ()
        return self.each_of + chair


@dataclass(frozen=True)
class RuleSet:
    """Every review, notification, definition, role and meeting as it stands in one period.

    A period begins on a date where some item of the pack (or of its baselines) comes into or goes
    out of force, and lasts until the next such date; nothing changes within it.
    """

    period: Period
    definitions: Mapping[str, Definition]
    reviews: Mapping[str, Review]
    notifications: Mapping[str, NotificationRule]
    roles: Mapping[str, Role]
    meetings: Mapping[str, Meeting]

    @functools.cached_property
    def bodies(self) -> frozenset[str]:
        """Every body that has held a role of the period: an attendee of any other counts for nothing."""
        return frozenset(body for role in self.roles.values() for body, _first, _last in role.holders)


@dataclass(frozen=True)
class Layer:
    """One pack file in the chain: a baseline or the partnership pack itself."""

    spec: PackSpec
    doc: Document

    @property
    def source(self) -> SourceMap:
        return self.doc.source

    @property
    def name(self) -> str:
        return self.spec.pack or self.spec.baseline or "?"


@dataclass(frozen=True)
class CompiledPack:
    """Everything ``decide``, ``schedule`` and ``check_quorum`` need, checked and resolved.

    ``rule_sets`` hold the rules period by period; ``changes`` are the first days of every period
    but the first. ``reviews``, ``notifications`` and the other mappings are the latest rules: those
    of the last period, the ones ``as_of=None`` applies.
    """

    id: str
    file: str
    files: tuple[str, ...]
    document: DocumentSpec
    facts: tuple[Fact, ...]
    fact_index: Mapping[str, int]
    diagrams: Diagrams
    rule_sets: tuple[RuleSet, ...]
    changes: tuple[date, ...]
    notes: tuple[NoteSpec, ...]
    examples: tuple[ExampleSpec, ...]
    example_sources: tuple[tuple[str, int], ...] = field(default=())

    def period_index(self, day: date) -> int:
        """The index in ``rule_sets`` of the period ``day`` falls in."""
        return bisect_right(self.changes, day)

    def rules_on(self, day: date | None) -> RuleSet:
        """The rules in force on ``day`` (the latest rules for ``None``)."""
        if day is None:
            return self.rule_sets[-1]
        return self.rule_sets[self.period_index(day)]

    def outside_period(self, what: str, first: date | None, last: date | None) -> str | None:
        """A warning that ``what`` (a date, or the dates of a period of the pack's rules, from ``first`` to
        ``last``) lies wholly outside the pack's in-force period, or ``None`` when it does not."""
        period = self.document.in_force
        if period.from_ is not None and last is not None and last < period.from_:
            where = f"before the pack came into force on {period.from_.isoformat()}"
        elif period.to is not None and first is not None and first > period.to:
            where = f"after the pack's in-force period ended on {period.to.isoformat()}"
        else:
            return None
        return f"{what} is {where}: its rules are applied as it states them, and dated rules as they stood on that date"

    @property
    def latest(self) -> RuleSet:
        """The rules of the last period: every item at its newest version, without items that have ended."""
        return self.rule_sets[-1]

    @property
    def definitions(self) -> Mapping[str, Definition]:
        return self.rule_sets[-1].definitions

    @property
    def reviews(self) -> Mapping[str, Review]:
        return self.rule_sets[-1].reviews

    @property
    def notifications(self) -> Mapping[str, NotificationRule]:
        return self.rule_sets[-1].notifications

    @property
    def roles(self) -> Mapping[str, Role]:
        return self.rule_sets[-1].roles

    @property
    def meetings(self) -> Mapping[str, Meeting]:
        return self.rule_sets[-1].meetings

    def versions(self, kind: str, item: str) -> list[tuple[Period, Any]]:
        """Each distinct version of a review, notification, definition, role or meeting, with its period.

        ``kind`` is ``"reviews"``, ``"notifications"``, ``"definitions"``, ``"roles"`` or ``"meetings"``.
        Consecutive periods in which the item is the same are joined.
        """
        out: list[tuple[Period, Any]] = []
        for rules in self.rule_sets:
            found = getattr(rules, kind).get(item)
            if found is None:
                continue
            if out and out[-1][1] == found and adjoins(out[-1][0], rules.period):
                out[-1] = ((out[-1][0][0], rules.period[1]), found)
            else:
                out.append((rules.period, found))
        return out

    def periods_in_force(self, kind: str, item: str) -> list[Period]:
        """The periods an item of ``kind`` (as for :meth:`versions`) is in force, as its pack states them: periods
        that adjoin are joined, whatever changed between them, and a review type's periods out of force are left out."""
        def in_force(rules: RuleSet) -> bool:
            found = getattr(rules, kind).get(item)
            return found is not None and getattr(found, "applies", True)

        return self.periods_where(in_force)

    def periods_where(self, holds: Callable[[RuleSet], bool]) -> list[Period]:
        """The periods whose rules ``holds`` is true of, those that adjoin joined into one."""
        out: list[Period] = []
        for rules in self.rule_sets:
            if not holds(rules):
                continue
            if out and adjoins(out[-1], rules.period):
                out[-1] = (out[-1][0], rules.period[1])
            else:
                out.append(rules.period)
        return out

    def ever_in_force(self, kind: str) -> list[str]:
        """The ids of every item of ``kind`` in force in some period: the latest rules' in their order, then those
        that have ended (the most recent first)."""
        ids: dict[str, None] = dict.fromkeys(getattr(self.latest, kind))
        for rules in reversed(self.rule_sets):
            ids.update(dict.fromkeys(getattr(rules, kind)))
        return list(ids)

    def in_force_versions(self, kind: str, ids: list[str]) -> list[tuple[str, list[tuple[Period, Any]]]]:
        """Each item of ``ids`` that is ever in force, in the order given, with its ``versions`` while in force.

        A review type's periods out of force are left out (versions oldest first), and an item never in
        force with them.
        """
        out: list[tuple[str, list[tuple[Period, Any]]]] = []
        for item in ids:
            versions = [(period, v) for period, v in self.versions(kind, item) if getattr(v, "applies", True)]
            if versions:
                out.append((item, versions))
        return out
