"""Stage 3, compile: ``PackSpec`` (+ its baselines) → ``CompiledPack``.

Resolves fact and definition names inside conditions, type-checks them, turns them into closures
over a tuple of fact values, checks every reference (milestone anchors, roles, review and
notification ids in examples) and orders each review's milestones, collecting every problem.
"""

from __future__ import annotations

import functools
from types import MappingProxyType
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Generic, TypeVar

from . import expr
from .errors import Problem, did_you_mean
from .loading import Document, PathT, SourceMap
from .schema import (
    DecideExample, DocumentSpec, ExampleSpec, FactSpec, MeetingSpec, MilestoneSpec, NoteSpec, OffsetSpec, PackSpec,
    QuorumExample, RoleSpec, ScheduleExample,
)

__all__ = [
    "Fact", "Condition", "Rule", "Review", "NotificationRule", "Offset", "MilestoneRule", "Role", "Meeting",
    "CompiledPack", "Layer", "compile_pack",
]

Test = Callable[[tuple[Any, ...]], bool]
T = TypeVar("T")


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


@dataclass(frozen=True)
class Role:
    """A role at meetings and the bodies that held it before (id, name, last day)."""

    id: str
    name: str
    predecessors: tuple[tuple[str, str, date], ...]


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


@dataclass
class _Entry(Generic[T]):
    value: T
    layer: Layer
    path: PathT


def _merge(layers: list[Layer], section: str, problems: list[Problem]) -> dict[str, _Entry[Any]]:
    """Merge one section of every layer; a later layer replaces an entry only with ``override: true``."""
    merged: dict[str, _Entry[Any]] = {}
    for layer in layers:
        for key, value in getattr(layer.spec, section).items():
            path: PathT = (section, key)
            overrides = getattr(value, "override", False)
            if key in merged and not overrides:
                first = merged[key]
                loc = first.layer.source.locate(first.path, key=True)
                problems.append(layer.source.problem(path, (
                    f"{section[:-1]} {key!r} is already defined by {first.layer.name!r} "
                    f"({first.layer.source.file}:{loc.line}:{loc.column}); set 'override: true' to replace it"), key=True))
                continue
            if overrides and key not in merged:
                problems.append(layer.source.problem(path, f"'override: true' but no earlier layer defines {key!r}", key=True))
            merged[key] = _Entry(value, layer, path)
    return merged


class _Compiler:
    def __init__(self, layers: list[Layer], pruned: set[str]):
        self.layers = layers
        self.pruned = pruned
        self.top = layers[-1]
        self.problems: list[Problem] = []
        self.facts: list[Fact] = []
        self.fact_index: dict[str, int] = {}
        self.definition_entries: dict[str, _Entry[Any]] = {}
        self.definitions: dict[str, Condition] = {}
        self.compiling: list[str] = []

    # -- facts and conditions -------------------------------------------------------------------
    def compile_facts(self) -> None:
        for name, entry in _merge(self.layers, "facts", self.problems).items():
            spec: FactSpec = entry.value
            if spec.type == "bool":
                if spec.values is not None:
                    self.problems.append(entry.layer.source.problem(entry.path + ("values",), "a bool fact has no 'values'", key=True))
                values: tuple[Any, ...] = (True, False)
            else:
                if not spec.values or len(spec.values) < 2:
                    self.problems.append(entry.layer.source.problem(entry.path + (("values",) if spec.values else ()),
                                                                    "an enum fact needs 'values': a list of at least two"))
                    continue
                for k, value in enumerate(spec.values):
                    if value in expr.KEYWORDS:
                        self.problems.append(entry.layer.source.problem(
                            entry.path + ("values", k), f"{value!r} is a word of the condition language; choose another value"))
                if len(set(spec.values)) != len(spec.values):
                    self.problems.append(entry.layer.source.problem(entry.path + ("values",), "values must be distinct"))
                values = tuple(spec.values)
            if name in expr.KEYWORDS:
                self.problems.append(entry.layer.source.problem(entry.path, f"{name!r} is a word of the condition language; "
                                                                            "choose another fact name", key=True))
                continue
            self.fact_index[name] = len(self.facts)
            self.facts.append(Fact(name, spec.type, values, spec.description))

    def condition(self, text: str, source: SourceMap, path: PathT) -> Condition | None:
        try:
            node = expr.parse(text)
        except expr.ConditionSyntaxError as e:
            self.problems.append(source.problem_in_scalar(path, e.offset, f"condition: {e.message}"))
            return None
        ok = [True]

        def fail(offset: int, message: str) -> None:
            ok[0] = False
            if message:
                self.problems.append(source.problem_in_scalar(path, offset, message))

        test, reads = self._node(node, fail)
        return Condition(text.strip(), test, frozenset(reads)) if ok[0] else None

    def _names(self) -> list[str]:
        return list(self.fact_index) + list(self.definition_entries)

    def _node(self, node: expr.Node, fail: Callable[[int, str], None]) -> tuple[Test, set[int]]:
        if isinstance(node, expr.Const):
            value = node.value
            return (lambda a: value), set()
        if isinstance(node, expr.Not):
            inner, reads = self._node(node.operand, fail)
            return (lambda a: not inner(a)), reads
        if isinstance(node, (expr.And, expr.Or)):
            parts = [self._node(op, fail) for op in node.operands]
            tests = tuple(t for t, _ in parts)
            reads = set().union(*(r for _, r in parts))
            if isinstance(node, expr.And):
                return (lambda a: all(t(a) for t in tests)), reads
            return (lambda a: any(t(a) for t in tests)), reads
        if isinstance(node, expr.Name):
            return self._name(node, fail)
        assert isinstance(node, (expr.Compare, expr.Member))
        return self._comparison(node, fail)

    def _unknown(self, name: str, offset: int, fail: Callable[[int, str], None]) -> tuple[Test, set[int]]:
        if name in self.pruned:  # its own entry already has a problem reported
            fail(offset, "")
            return (lambda a: False), set()
        fail(offset, f"unknown fact or definition {name!r}{did_you_mean(name, self._names())}")
        return (lambda a: False), set()

    def _name(self, node: expr.Name, fail: Callable[[int, str], None]) -> tuple[Test, set[int]]:
        name = node.name
        if name in self.fact_index:
            i = self.fact_index[name]
            fact = self.facts[i]
            if fact.type != "bool":
                fail(node.offset, f"fact {name!r} is an enum ({', '.join(fact.values)}); compare it, e.g. "
                                  f"{name} == {fact.values[0]}")
                return (lambda a: False), {i}
            return (lambda a: a[i] is True), {i}
        if name in self.definition_entries:
            cond = self.definition(name, node.offset, fail)
            if cond is None:
                return (lambda a: False), set()
            return cond.test, set(cond.reads)
        return self._unknown(name, node.offset, fail)

    def _comparison(self, node: expr.Compare | expr.Member, fail: Callable[[int, str], None]) -> tuple[Test, set[int]]:
        name = node.name
        if name not in self.fact_index:
            if name in self.definition_entries:
                fail(node.offset, f"{name!r} is a definition, not a fact; use it by name (or 'not {name}')")
                return (lambda a: False), set()
            return self._unknown(name, node.offset, fail)
        i = self.fact_index[name]
        fact = self.facts[i]
        if isinstance(node, expr.Compare):
            values: tuple[str | bool, ...] = (node.value,)
            offsets: tuple[int, ...] = (node.value_offset,)
        else:
            values, offsets = node.values, node.value_offsets
        for value, offset in zip(values, offsets):
            if fact.type == "bool" and not isinstance(value, bool):
                fail(offset, f"fact {name!r} is true or false; got {value!r}")
            elif fact.type == "enum" and value not in fact.values:
                shown = str(value).lower() if isinstance(value, bool) else str(value)
                fail(offset, f"{shown!r} is not a value of {name!r}; values: {', '.join(fact.values)}"
                             f"{did_you_mean(shown, fact.values)}")
        allowed = frozenset(values)
        if isinstance(node, expr.Compare):
            negate = node.op == "!="
        else:
            negate = node.negated
        if fact.type == "bool":
            wanted = tuple(v for v in (True, False) if (v in allowed) != negate)
            return (lambda a: a[i] is not None and any(a[i] is w for w in wanted)), {i}
        keep = frozenset(v for v in fact.values if (v in allowed) != negate)
        return (lambda a: a[i] in keep), {i}

    def definition(self, name: str, offset: int, fail: Callable[[int, str], None]) -> Condition | None:
        if name in self.definitions:
            return self.definitions[name]
        if name in self.compiling:
            cycle = " → ".join(self.compiling[self.compiling.index(name):] + [name])
            fail(offset, f"definitions refer to each other in a cycle: {cycle}")
            return None
        entry = self.definition_entries[name]
        self.compiling.append(name)
        try:
            cond = self.condition(entry.value.when, entry.layer.source, entry.path + ("when",))
        finally:
            self.compiling.pop()
        if cond is not None:
            self.definitions[name] = cond
        return cond

    def compile_definitions(self) -> None:
        self.definition_entries = _merge(self.layers, "definitions", self.problems)
        for name in self.definition_entries:
            if name in expr.KEYWORDS:
                entry = self.definition_entries[name]
                self.problems.append(entry.layer.source.problem(entry.path, f"{name!r} is a word of the condition language; "
                                                                            "choose another name", key=True))
            if name in self.fact_index:
                entry = self.definition_entries[name]
                self.problems.append(entry.layer.source.problem(entry.path, f"{name!r} is already the name of a fact", key=True))
        for name, entry in self.definition_entries.items():
            self.definition(name, 0, lambda off, msg, e=entry: self.problems.append(  # type: ignore[misc]
                e.layer.source.problem(e.path, msg, key=True)))

    # -- reviews --------------------------------------------------------------------------------
    def compile_reviews(self) -> dict[str, Review]:
        reviews: dict[str, Review] = {}
        source = self.top.source
        for rid, spec in self.top.spec.reviews.items():
            rules: list[Rule] = []
            seen: dict[str, int] = {}
            for n, rule in enumerate(spec.rules):
                path: PathT = ("reviews", rid, "rules", n)
                if rule.id in seen:
                    self.problems.append(source.problem(path + ("id",), f"rule id {rule.id!r} is used twice in review {rid!r}"))
                seen[rule.id] = n
                cond = self.condition(rule.when, source, path + ("when",))
                if cond is not None:
                    rules.append(Rule(f"{rid}.{rule.id}", rule.status, rule.citation, rule.because, cond))
            reads = sorted(set().union(*(r.condition.reads for r in rules))) if rules else []
            milestones = self.compile_milestones(rid, spec.milestones)
            reviews[rid] = Review(rid, spec.name, spec.legal_basis, spec.decided_by, spec.citation, tuple(rules),
                                  spec.otherwise, spec.otherwise_because, tuple(reads), milestones,
                                  _period(spec.in_force), spec.in_force_note)
        return reviews

    def compile_notifications(self) -> dict[str, NotificationRule]:
        out: dict[str, NotificationRule] = {}
        for nid, entry in _merge(self.layers, "notifications", self.problems).items():
            spec = entry.value
            cond = self.condition(spec.when, entry.layer.source, entry.path + ("when",))
            if cond is None:
                self.pruned.add(nid)  # its problem is reported; examples naming it need not say so again
            else:
                out[nid] = NotificationRule(nid, spec.name, spec.by, tuple(spec.to), spec.deadline,
                                            spec.deadline_working_days, spec.citation, cond,
                                            _period(spec.in_force), spec.in_force_note)
        return out

    # -- milestones -----------------------------------------------------------------------------
    def _offset(self, spec: OffsetSpec, path: PathT) -> Offset | None:
        calendar_units = [spec.months, spec.weeks, spec.days]
        given = [u for u in ("working_days", "day", "months", "weeks", "days") if getattr(spec, u) is not None]
        source = self.top.source
        if not given:
            self.problems.append(source.problem(path, "an offset needs one of: working_days, day, months, weeks, days"))
            return None
        if (spec.working_days is not None or spec.day is not None) and len(given) > 1:
            self.problems.append(source.problem(path, f"'{given[0]}' cannot be combined with {', '.join(repr(g) for g in given[1:])}"))
            return None
        return Offset(spec.after, spec.working_days, spec.day, *(u or 0 for u in calendar_units))

    def _offsets(self, value: OffsetSpec | list[OffsetSpec] | None, path: PathT) -> tuple[Offset, ...]:
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        out = []
        for n, item in enumerate(items):
            off = self._offset(item, path + ((n,) if isinstance(value, list) else ()))
            if off is not None:
                out.append(off)
        return tuple(out)

    def compile_milestones(self, rid: str, specs: list[MilestoneSpec]) -> tuple[MilestoneRule, ...]:
        source = self.top.source
        base: PathT = ("reviews", rid, "milestones")
        by_id: dict[str, int] = {}
        compiled: list[MilestoneRule] = []
        anchors_at: dict[str, list[tuple[str, PathT]]] = {}
        for n, m in enumerate(specs):
            path = base + (n,)
            if m.id in by_id:
                self.problems.append(source.problem(path + ("id",), f"milestone id {m.id!r} is used twice in review {rid!r}"))
            by_id[m.id] = n
            due = self._offsets(m.due, path + ("due",))
            earliest = self._offsets(m.earliest, path + ("earliest",))
            every = until = None
            if m.recurring is not None:
                every = self._offset(m.recurring.every, path + ("recurring", "every"))
                until = m.recurring.until
                if every is not None and every.day is not None:
                    self.problems.append(source.problem(path + ("recurring", "every", "day"),
                                                        "'day' numbers the days of a timetable; a recurring period is "
                                                        "working_days, months, weeks or days", key=True))
                    every = None
                elif every is not None and not (every.working_days or every.months or every.weeks or every.days):
                    self.problems.append(source.problem(path + ("recurring", "every"),
                                                        "a recurring period must be at least one day long"))
                    every = None
            if m.start and (m.due or m.earliest or m.recurring):
                self.problems.append(source.problem(path, "the start milestone is the review's first event; it has no 'due', 'earliest' or 'recurring'"))
            if not m.start and not (m.due or m.earliest or m.recurring):
                self.problems.append(source.problem(path, "a milestone needs 'due', 'earliest' or 'recurring' (or 'start: true')"))
            if m.recurring is not None and (m.due or m.earliest):
                self.problems.append(source.problem(path, "a recurring milestone takes its dates from 'recurring' alone"))
            refs: list[tuple[str, PathT]] = []
            for key, offs in (("due", due), ("earliest", earliest)):
                spec_value = getattr(m, key)
                for k, off in enumerate(offs):
                    refs.append((off.after, path + (key,) + ((k,) if isinstance(spec_value, list) else ()) + ("after",)))
            if every is not None and until is not None:
                refs.append((every.after, path + ("recurring", "every", "after")))
                refs.append((until, path + ("recurring", "until")))
            anchors_at[m.id] = refs
            compiled.append(MilestoneRule(
                m.id, m.name, m.citation, m.start, due, earliest, every, until, m.roll, m.note,
                _rule_words(due, earliest, every, until, m.roll, m.start), tuple(dict.fromkeys(a for a, _ in refs)), n,
            ))
        written = _get(self.top.doc.data, base)
        complete = not isinstance(written, list) or len(written) == len(specs)  # else some were pruned
        if specs and complete and sum(1 for m in specs if m.start) != 1:
            self.problems.append(source.problem(base, f"review {rid!r} needs exactly one milestone with 'start: true'"))
        for mid, refs in anchors_at.items():
            for anchor, path in refs:
                if anchor not in by_id and anchor in self.pruned:
                    continue
                if anchor not in by_id:
                    self.problems.append(source.problem(path, f"unknown milestone {anchor!r} in review {rid!r}{did_you_mean(anchor, by_id)}"))
                elif anchor == mid:
                    self.problems.append(source.problem(path, f"milestone {mid!r} cannot be anchored on itself"))
        order = self._order(rid, compiled, by_id, base)
        return tuple(compiled[by_id[m]] for m in order) if order is not None else tuple(compiled)

    def _order(self, rid: str, compiled: list[MilestoneRule], by_id: dict[str, int], base: PathT) -> list[str] | None:
        """Milestones in an order where anchors come first (pack order otherwise); None on a cycle."""
        done: list[str] = []
        state: dict[str, int] = {}
        graph = {m.id: [a for a in m.anchors if a in by_id and a != m.id] for m in compiled}
        for start in graph:
            stack: list[tuple[str, int]] = [(start, 0)]
            trail: list[str] = []
            while stack:
                node, i = stack.pop()
                if i == 0:
                    if state.get(node) == 2:
                        continue
                    if state.get(node) == 1:
                        continue
                    state[node] = 1
                    trail.append(node)
                deps = graph[node]
                if i < len(deps):
                    stack.append((node, i + 1))
                    dep = deps[i]
                    if state.get(dep) == 1:
                        cycle = trail[trail.index(dep):] + [dep]
                        self.problems.append(self.top.source.problem(
                            base + (by_id[dep],), f"milestones in review {rid!r} depend on each other in a cycle: {' → '.join(cycle)}"))
                        return None
                    if state.get(dep) != 2:
                        stack.append((dep, 0))
                else:
                    state[node] = 2
                    done.append(node)
                    trail.pop()
        return done

    # -- examples -------------------------------------------------------------------------------
    def check_examples(self, reviews: Mapping[str, Review], notifications: Mapping[str, Any],
                       meetings: Mapping[str, Meeting]) -> None:
        """Every id an example names exists, and its facts are facts of the pack."""
        source = self.top.source
        for n, ex in enumerate(self.top.spec.examples):
            path: PathT = ("examples", n)
            if isinstance(ex, DecideExample):
                for name, value in ex.facts.items():
                    self._check_fact(name, value, path + ("facts", name))
                for review in list(ex.expect) + list(ex.missing or {}):
                    if review not in reviews and review not in self.pruned:
                        self.problems.append(source.problem(path + ("expect", review), f"unknown review {review!r}{did_you_mean(review, reviews)}", key=True))
                for k, nid in enumerate(ex.notifications or []):
                    if nid not in notifications and nid not in self.pruned:
                        self.problems.append(source.problem(path + ("notifications", k), f"unknown notification {nid!r}{did_you_mean(nid, notifications)}"))
            elif isinstance(ex, ScheduleExample):
                if ex.review in self.pruned:
                    continue
                if ex.review not in reviews or not reviews[ex.review].milestones:
                    timed = [r for r in reviews if reviews[r].milestones]
                    self.problems.append(source.problem(path + ("review",), f"no review {ex.review!r} with a timetable"
                                                                            f"{did_you_mean(ex.review, timed)}; reviews with one: {', '.join(timed) or 'none'}"))
                    continue
                ids = {m.id for m in reviews[ex.review].milestones}
                recurring = {m.id for m in reviews[ex.review].milestones if m.every is not None}
                for section in ("actual", "expect"):
                    for mid in getattr(ex, section):
                        base = mid.rsplit("_", 1)[0]
                        if mid in self.pruned or base in self.pruned:  # its own problem is already reported
                            continue
                        if mid not in ids - recurring and base not in recurring:
                            self.problems.append(source.problem(path + (section, mid), f"unknown milestone {mid!r}{did_you_mean(mid, ids)}", key=True))
            elif isinstance(ex, QuorumExample) and ex.meeting not in meetings:
                self.problems.append(source.problem(path + ("meeting",), f"no quorum rule for meeting {ex.meeting!r}{did_you_mean(ex.meeting, meetings)}"))

    def _check_fact(self, name: str, value: Any, path: PathT) -> None:
        source = self.top.source
        if name not in self.fact_index:
            self.problems.append(source.problem(path, f"unknown fact {name!r}{did_you_mean(name, self.fact_index)}", key=True))
            return
        fact = self.facts[self.fact_index[name]]
        if value is not None and not (isinstance(value, bool) if fact.type == "bool" else value in fact.values):
            self.problems.append(source.problem(path, f"fact {name!r} takes {', '.join(str(v).lower() for v in fact.values)}; got {value!r}"))

    # -- notes ----------------------------------------------------------------------------------
    def check_notes(self, merged: Mapping[str, Mapping[str, Any]]) -> None:
        """A note's ``about`` names a part of the pack that exists (e.g. ``reviews.sar.milestones``)."""
        fields = set(PackSpec.model_fields) - {"pack", "baseline", "extends"}
        for layer in self.layers:
            for n, note in enumerate(layer.spec.notes):
                parts = note.about.split(".")
                path: PathT = ("notes", n, "about")
                if parts[0] not in fields:
                    self.problems.append(layer.source.problem(path, f"'about' names no part of a pack: {parts[0]!r} is not one of "
                                                                    f"{', '.join(sorted(fields))}{did_you_mean(parts[0], fields)}"))
                elif len(parts) > 1 and parts[0] in merged and parts[1] not in merged[parts[0]]:
                    known = merged[parts[0]]
                    self.problems.append(layer.source.problem(path, f"'about' names {parts[0]} {parts[1]!r}, which the pack does not have"
                                                                    f"{did_you_mean(parts[1], known)}"))

    # -- roles and meetings ---------------------------------------------------------------------
    def compile_roles(self) -> dict[str, Role]:
        roles: dict[str, Role] = {}
        owner: dict[str, str] = {}
        for rid, entry in _merge(self.layers, "roles", self.problems).items():
            spec: RoleSpec = entry.value
            preds = []
            for n, p in enumerate(spec.predecessors):
                if p.id in owner or p.id in roles:
                    self.problems.append(entry.layer.source.problem(entry.path + ("predecessors", n, "id"), f"role id {p.id!r} is already used"))
                owner[p.id] = rid
                preds.append((p.id, p.name, p.until))
            roles[rid] = Role(rid, spec.name, tuple(sorted(preds, key=lambda t: t[2])))
        for rid in roles:
            if rid in owner:
                entry_layer = self.top
                self.problems.append(entry_layer.source.problem(("roles", rid), f"role id {rid!r} is already a predecessor of {owner[rid]!r}", key=True))
        return roles

    def compile_meetings(self, roles: Mapping[str, Role]) -> dict[str, Meeting]:
        meetings: dict[str, Meeting] = {}
        source = self.top.source
        known = set(roles)
        for mid, spec in self.top.spec.meetings.items():
            s: MeetingSpec = spec
            path: PathT = ("meetings", mid, "quorum")
            for n, role in enumerate(s.quorum.each_of):
                if role not in known and role not in self.pruned:
                    self.problems.append(source.problem(path + ("each_of", n), f"unknown role {role!r}{did_you_mean(role, known)}"))
            if s.quorum.chair is not None and s.quorum.chair not in known:
                self.problems.append(source.problem(path + ("chair",), f"unknown role {s.quorum.chair!r}{did_you_mean(s.quorum.chair, known)}"))
            if not s.quorum.each_of and s.quorum.at_least is None and s.quorum.chair is None:
                self.problems.append(source.problem(path, "a quorum needs 'each_of', 'at_least' or 'chair'"))
            meetings[mid] = Meeting(mid, s.name, tuple(s.quorum.each_of), s.quorum.at_least, s.quorum.chair, s.citation, s.note)
        return meetings


def _get(data: Any, path: PathT) -> Any:
    for part in path:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def _period(spec: Any) -> tuple[date | None, date | None]:
    return (None, None) if spec is None else (spec.from_, spec.to)


def _rule_words(due: tuple[Offset, ...], earliest: tuple[Offset, ...], every: Offset | None, until: str | None,
                roll: str | None, start: bool) -> str:
    if start:
        return "the review's first event (the start date)"
    if every is not None:
        return f"every {every.words().replace(' after ', ' from ', 1)}, up to {until}"
    parts = []
    if earliest and due and len(earliest) == 1 and len(due) == 1 and earliest[0].after == due[0].after \
            and earliest[0].working_days is not None and due[0].working_days is not None:
        parts.append(f"between {earliest[0].working_days} and {due[0].words()}")
    else:
        if earliest:
            parts.append("not before " + ", and not before ".join(o.words() for o in earliest))
        if due:
            words = [o.words() for o in due]
            parts.append(words[0] if len(words) == 1 else ", and within ".join(words) + " (whichever is earliest)")
    text = "; ".join(parts)
    if roll:
        text += f", moved {'forward to the next' if roll == 'forward' else 'back to the previous'} working day"
    return text


def compile_pack(layers: list[Layer], *, pruned: set[str] | None = None) -> tuple[CompiledPack | None, list[Problem]]:
    """Compile a partnership pack (the last layer) on top of its baselines.

    ``pruned`` names entries the schema stage dropped for problems of their own.
    """
    c = _Compiler(layers, pruned or set())
    top = c.top
    for layer in layers[:-1]:
        extra = [k for k in ("reviews", "meetings", "examples") if getattr(layer.spec, k)]
        for key in extra:
            c.problems.append(layer.source.problem((key,), "a baseline holds facts, definitions, notifications, roles and notes only", key=True))
    if top.spec.document is None and "document" not in (pruned or set()):
        c.problems.append(top.source.problem((), "a pack needs a 'document:' section describing its framework document"))
    c.compile_facts()
    c.compile_definitions()
    for layer in layers:  # conditions in parts dropped for other problems: still check their names
        for path in layer.doc.orphan_conditions:
            text = _get(layer.doc.data, path)
            if isinstance(text, str):
                c.condition(text, layer.source, path)
    reviews = c.compile_reviews()
    notifications = c.compile_notifications()
    roles = c.compile_roles()
    meetings = c.compile_meetings(roles)
    c.check_examples(reviews, notifications, meetings)
    c.check_notes({"facts": c.fact_index, "definitions": c.definition_entries, "reviews": top.spec.reviews,
                   "notifications": notifications, "roles": roles, "meetings": meetings})
    written = top.doc.data.get("reviews") if isinstance(top.doc.data, dict) else None
    if not reviews and not (isinstance(written, dict) and written):
        c.problems.append(top.source.problem(("reviews",) if top.spec.reviews else (), "a pack needs at least one review type"))
    if c.problems or top.spec.document is None:
        return None, c.problems
    notes = tuple(n for layer in layers for n in layer.spec.notes)
    pack = CompiledPack(
        id=top.spec.pack or "?", file=top.source.file, files=tuple(layer.source.file for layer in layers),
        document=top.spec.document, facts=tuple(c.facts), fact_index=MappingProxyType(dict(c.fact_index)),
        definitions=MappingProxyType(dict(c.definitions)), reviews=MappingProxyType(reviews),
        notifications=MappingProxyType(notifications), roles=MappingProxyType(roles),
        meetings=MappingProxyType(meetings), notes=notes, examples=tuple(top.spec.examples),
        example_sources=tuple((top.source.file, top.source.locate(("examples", n)).line) for n in range(len(top.spec.examples))),
    )
    return pack, []
