"""The compiled form of a pack: what the compiler hands to decide, schedule and check quorum.

Frozen dataclasses, built once per pack by :mod:`lif_rules.compile`; conditions are closures over
a tuple of fact values in the pack's fact order.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .loading import Document, SourceMap
from .schema import DocumentSpec, ExampleSpec, NoteSpec, PackSpec

__all__ = [
    "Test", "Fact", "Condition", "Rule", "Review", "NotificationRule", "Offset", "MilestoneRule", "Role", "Meeting",
    "Layer", "CompiledPack",
]

Test = Callable[[tuple[Any, ...]], bool]


@dataclass(frozen=True)
class Fact:
    """A fact a case may state, with its allowed values (``(True, False)`` for a boolean)."""

    name: str
    type: str
    values: tuple[Any, ...]
    description: str


@dataclass(frozen=True)
class Condition:
    """A compiled condition: its text, a test over a full tuple of fact values, and the facts it reads."""

    text: str
    test: Test
    reads: frozenset[int]


@dataclass(frozen=True)
class Rule:
    """An eligibility rule of a review (``id`` is ``review.rule``)."""

    id: str
    status: str
    citation: str
    because: str | None
    condition: Condition


@dataclass(frozen=True)
class Review:
    """A compiled review type."""

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
    in_force: tuple[date | None, date | None] = (None, None)
    in_force_note: str | None = None


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
    in_force: tuple[date | None, date | None] = (None, None)
    in_force_note: str | None = None


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
            return f"{_plural(self.working_days, 'working day')} after {self.after}"
        if self.day is not None:
            return f"Day {self.day}, counting {self.after} as Day 1 (working days)"
        parts = [_plural(n, unit) for n, unit in ((self.months, "month"), (self.weeks, "week"), (self.days, "day")) if n]
        return f"{' and '.join(parts) or '0 days'} after {self.after}"


def _plural(n: int, unit: str) -> str:
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
    before_start: bool = False  # an event on or before the start: its actual date, else the start date


@dataclass(frozen=True)
class Role:
    """A role at meetings and the bodies that held it before (id, name, last day)."""

    id: str
    name: str
    predecessors: tuple[tuple[str, str, date], ...]

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
    """A meeting with a quorum rule."""

    id: str
    name: str
    each_of: tuple[str, ...]
    at_least: int | None
    chair: str | None
    citation: str
    note: str | None


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
    """Everything ``decide``, ``schedule`` and ``check_quorum`` need, checked and resolved."""

    id: str
    file: str
    files: tuple[str, ...]
    document: DocumentSpec
    facts: tuple[Fact, ...]
    fact_index: Mapping[str, int]
    definitions: Mapping[str, Condition]
    reviews: Mapping[str, Review]
    notifications: Mapping[str, NotificationRule]
    roles: Mapping[str, Role]
    meetings: Mapping[str, Meeting]
    notes: tuple[NoteSpec, ...]
    examples: tuple[ExampleSpec, ...]
    example_sources: tuple[tuple[str, int], ...] = field(default=())
