"""Stage 3, compile: ``PackSpec`` (+ its baselines) → ``CompiledPack``.

Resolves fact and definition names inside conditions, type-checks them, turns them into closures
over a tuple of fact values, checks every reference (milestone anchors, roles, review and
notification ids in examples) and orders each review's milestones, collecting every problem.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from . import expr
from .compiled import (
    CompiledPack, Condition, Fact, Layer, Meeting, NotificationRule, Review, Role, Rule, Test,
)
from ..errors import Problem, did_you_mean
from .loading import PathT, SourceMap, value_at
from .schema import (
    DecideExample, FactSpec, MeetingSpec, PackSpec, QuorumExample, RoleSpec, ScheduleExample,
)
from .timetables import compile_milestones

__all__ = ["compile_pack", "CompiledPack", "Layer"]

T = TypeVar("T")


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
            milestones = compile_milestones(self.top.source, self.top.doc.data, rid, spec.milestones, self.problems, self.pruned)
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


def _period(spec: Any) -> tuple[date | None, date | None]:
    return (None, None) if spec is None else (spec.from_, spec.to)


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
            text = value_at(layer.doc.data, path)
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
        definition_specs=MappingProxyType({name: e.value for name, e in c.definition_entries.items()}),
    )
    return pack, []
