"""Stage 3, compile: ``PackSpec`` (+ its baselines) → ``CompiledPack``.

Checks every condition once (names, types, enum values), every item's versions (no overlaps, no
gaps, nothing outside the pack's in-force period), then compiles the rules in force in each period
(between two dates where some item changes) into decision diagrams: definitions in dependency
order, each review's ordered rule list, each notification. Timetables, roles and meetings are
compiled per period too. Every problem is collected and located.
"""

from __future__ import annotations

import functools
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, Generic, TypeVar

from ..errors import Problem, Suggestions, quoted_bool_hint
from ..frozen import freeze, frozen_dict
from . import expr, timeliness
from .compiled import (
    ALWAYS, CompiledPack, Condition, Definition, Fact, Layer, Meeting, MilestoneRule, NotificationRule, Period, Review, Role,
    Rule, RuleSet, in_period, period_words,
)
from .diagrams import Diagrams, DiagramTooLarge
from .loading import PathT, SourceMap, value_at
from .schema import (
    DecideExample, FactSpec, InForceSpec, MilestoneSpec, PackSpec, QuorumExample, ScheduleExample,
)
from .timetables import compile_milestones, occurrence_of

__all__ = ["compile_pack", "CompiledPack", "Layer", "MAX_FACTS_READ", "MAX_REVIEW_NODES", "MAX_PACK_NODES"]

MAX_FACTS_READ = 200
"""The most facts one review's rules, one notification or one definition may depend on."""
MAX_REVIEW_NODES = 20_000
"""The most decision-diagram nodes one review's rules (or one condition) may compile to."""
MAX_PACK_NODES = 200_000
"""The most decision-diagram nodes a whole pack may compile to."""
_MAX_STEPS = 400_000  # combining steps allowed for one review: bounds the time spent before giving up

T = TypeVar("T")


@dataclass
class _Entry(Generic[T]):
    value: T
    layer: Layer
    path: PathT


@dataclass(frozen=True)
class _Version(Generic[T]):
    """One version of an item: its body, when it is in force, and where it is written."""

    body: T
    period: Period
    layer: Layer
    path: PathT


@dataclass
class _Parsed:
    """A condition checked once: its tree, the definitions it names (with offsets) and the facts it names."""

    text: str
    tree: expr.Node
    source: SourceMap
    path: PathT
    refs: tuple[tuple[str, int], ...]
    facts: frozenset[int]


@dataclass
class _Range:
    """One period of the pack's timeline and the day that stands for it."""

    period: Period
    day: date | None


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


def _period(spec: InForceSpec | None) -> Period:
    return ALWAYS if spec is None else (spec.from_, spec.to)


def _versions(value: Any, layer: Layer, path: PathT) -> list[_Version[Any]]:
    """The versions of an item written either as one body or as ``versions:``."""
    bodies = getattr(value, "versions", None)
    if bodies is None:
        return [_Version(value, _period(value.in_force), layer, path)]
    return [_Version(b, _period(b.in_force), layer, path + ("versions", k)) for k, b in enumerate(bodies)]


def _overlap(a: Period, b: Period) -> bool:
    return (a[0] is None or b[1] is None or a[0] <= b[1]) and (b[0] is None or a[1] is None or b[0] <= a[1])


def _common(a: Period, b: Period) -> Period:
    """The days two overlapping periods share."""
    start = b[0] if a[0] is None else a[0] if b[0] is None else max(a[0], b[0])
    end = b[1] if a[1] is None else a[1] if b[1] is None else min(a[1], b[1])
    return start, end


class _Compiler:
    def __init__(self, layers: list[Layer], pruned: set[str]):
        self.layers = layers
        self.pruned = pruned
        self.top = layers[-1]
        self.problems: list[Problem] = []
        self.facts: list[Fact] = []
        self.fact_index: dict[str, int] = {}
        self.definition_entries: dict[str, _Entry[Any]] = {}
        self.definition_versions: dict[str, list[_Version[Any]]] = {}
        self.parsed: dict[tuple[str, PathT], _Parsed | None] = {}
        self.built: dict[tuple[int, tuple[int, ...]], int] = {}
        self.role_versions: dict[str, list[_Version[Any]]] = {}
        # a review version's rule or milestone -> its versions (each milestone version a MilestoneSpec, with its id)
        self.part_versions: dict[PathT, list[_Version[Any]]] = {}
        self.d: Diagrams = Diagrams(())
        self.suggest: Suggestions = Suggestions(())

    # -- facts ----------------------------------------------------------------------------------
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
        self.d = Diagrams([f.values for f in self.facts])

    # -- versions -------------------------------------------------------------------------------
    def check_versions(self, versions: list[_Version[Any]], what: str, parent: Period | None, parent_what: str) -> None:
        """No version starts after it ends, none overlaps or leaves a gap after another, none lies outside its parent."""
        for v in versions:
            start, end = v.period
            if start is not None and end is not None and start > end:
                self.problems.append(v.layer.source.problem(v.path + ("in_force",), f"'from' {start} is after 'to' {end}"))
            elif parent is not None and not _overlap(v.period, parent):
                self.problems.append(v.layer.source.problem(v.path + ("in_force",), (
                    f"{what} is in force {period_words(v.period)}, outside the period {parent_what} is in force "
                    f"({period_words(parent)})")))
        ordered = sorted(versions, key=lambda v: v.period[0] or date.min)
        for a, b in zip(ordered, ordered[1:]):
            if _overlap(a.period, b.period):
                self.problems.append(b.layer.source.problem(b.path + ("in_force",), (
                    f"versions of {what} overlap: one is in force {period_words(a.period)}, another "
                    f"{period_words(b.period)}; give each version its own period")))
            elif a.period[1] is not None and b.period[0] is not None and a.period[1] + timedelta(days=1) < b.period[0]:
                gap = (a.period[1] + timedelta(days=1), b.period[0] - timedelta(days=1))
                self.problems.append(b.layer.source.problem(b.path + ("in_force",), (
                    f"versions of {what} leave a gap: none is in force {period_words(gap)}; let each version "
                    f"start the day after the one before it ends")))

    # -- conditions -----------------------------------------------------------------------------
    def check(self, text: str, source: SourceMap, path: PathT) -> _Parsed | None:
        """Parse and type-check a condition once; ``None`` when it has problems (all reported).

        Remembered by where the condition is written (see :meth:`parsed_at`).
        """
        key = (source.file, source.original(path))
        if key in self.parsed:
            return self.parsed[key]
        try:
            tree = expr.parse(text)
        except expr.ConditionSyntaxError as e:
            self.problems.append(source.problem_in_scalar(path, e.offset, f"condition: {e.message}"))
            self.parsed[key] = None
            return None
        ok = [True]
        refs: list[tuple[str, int]] = []
        facts: set[int] = set()

        def fail(offset: int, message: str) -> None:
            ok[0] = False
            if message:
                self.problems.append(source.problem_in_scalar(path, offset, message))

        for node in expr.walk(tree):
            if isinstance(node, expr.Name):
                self._check_name(node, fail, refs, facts)
            elif isinstance(node, (expr.Compare, expr.Member)):
                self._check_comparison(node, fail, facts)
        result = _Parsed(text.strip(), tree, source, path, tuple(refs), frozenset(facts)) if ok[0] else None
        self.parsed[key] = result
        return result

    def parsed_at(self, source: SourceMap, path: PathT) -> _Parsed | None:
        """The condition :meth:`check` parsed at ``path`` (``None`` when it had problems)."""
        return self.parsed.get((source.file, source.original(path)))

    def _unknown(self, name: str, offset: int, fail: Callable[[int, str], None]) -> None:
        if name in self.pruned:  # its own entry already has a problem reported
            fail(offset, "")
            return
        fail(offset, f"unknown fact or definition {name!r}{self.suggest(name)}")

    def _check_name(self, node: expr.Name, fail: Callable[[int, str], None], refs: list[tuple[str, int]],
                    facts: set[int]) -> None:
        name = node.name
        if name in self.fact_index:
            fact = self.facts[self.fact_index[name]]
            facts.add(self.fact_index[name])
            if fact.type != "bool":
                fail(node.offset, f"fact {name!r} is an enum ({', '.join(fact.values)}); compare it, e.g. "
                                  f"{name} == {fact.values[0]}")
        elif name in self.definition_entries:
            refs.append((name, node.offset))
        else:
            self._unknown(name, node.offset, fail)

    def _check_comparison(self, node: expr.Compare | expr.Member, fail: Callable[[int, str], None],
                          facts: set[int]) -> None:
        name = node.name
        if name not in self.fact_index:
            if name in self.definition_entries:
                fail(node.offset, f"{name!r} is a definition, not a fact; use it by name (or 'not {name}')")
            else:
                self._unknown(name, node.offset, fail)
            return
        fact = self.facts[self.fact_index[name]]
        facts.add(self.fact_index[name])
        values, offsets = ((node.value,), (node.value_offset,)) if isinstance(node, expr.Compare) else (node.values, node.value_offsets)
        for value, offset in zip(values, offsets):
            if fact.type == "bool" and not isinstance(value, bool):
                fail(offset, f"fact {name!r} is true or false; got {value!r}")
            elif fact.type == "enum" and value not in fact.values:
                shown = str(value).lower() if isinstance(value, bool) else str(value)
                fail(offset, f"{shown!r} is not a value of {name!r}; values: {', '.join(fact.values)}"
                             f"{Suggestions(fact.values)(shown)}")

    def build(self, parsed: _Parsed, definitions: Mapping[str, int]) -> int:
        """The diagram of a checked condition, with the definitions it names as given."""
        key = (id(parsed), tuple(definitions[name] for name, _ in parsed.refs))
        found = self.built.get(key)
        if found is None:
            found = self.built[key] = self._diagram(parsed.tree, definitions)
        return found

    def _diagram(self, node: expr.Node, definitions: Mapping[str, int]) -> int:
        d = self.d
        if isinstance(node, expr.Const):
            return d.true if node.value else d.false
        if isinstance(node, expr.Not):
            return d.negate(self._diagram(node.operand, definitions))
        if isinstance(node, (expr.And, expr.Or)):
            combine = d.conjoin if isinstance(node, expr.And) else d.disjoin
            result = self._diagram(node.operands[0], definitions)
            for operand in node.operands[1:]:
                result = combine(result, self._diagram(operand, definitions))
            return result
        if isinstance(node, expr.Name):
            if node.name in definitions:
                return definitions[node.name]
            return d.literal(self.fact_index[node.name], (True,))
        assert isinstance(node, (expr.Compare, expr.Member))
        var = self.fact_index[node.name]
        if isinstance(node, expr.Compare):
            named, negate = frozenset((node.value,)), node.op == "!="
        else:
            named, negate = frozenset(node.values), node.negated
        return d.literal(var, [v for v in self.facts[var].values if (v in named) != negate])

    def condition(self, parsed: _Parsed, node: int) -> Condition:
        """A checked condition with its diagram, and the facts that diagram depends on."""
        reads = self.d.support(node)
        return Condition(parsed.text, parsed.tree, node, tuple(reads), tuple(self.facts[i].name for i in reads))

    # -- definitions ----------------------------------------------------------------------------
    def prepare_definitions(self) -> None:
        self.definition_entries = _merge(self.layers, "definitions", self.problems)
        for name, entry in self.definition_entries.items():
            if name in expr.KEYWORDS:
                self.problems.append(entry.layer.source.problem(entry.path, f"{name!r} is a word of the condition language; "
                                                                            "choose another name", key=True))
            if name in self.fact_index:
                self.problems.append(entry.layer.source.problem(entry.path, f"{name!r} is already the name of a fact", key=True))
        self.suggest = Suggestions(list(self.fact_index) + list(self.definition_entries))
        for name, entry in self.definition_entries.items():
            versions = _versions(entry.value, entry.layer, entry.path)
            self.definition_versions[name] = versions
            self.check_versions(versions, f"definition {name!r}", None, "")
            for v in versions:
                self.check(v.body.when, v.layer.source, v.path + ("when",))

    def definitions_in(self, span: _Range) -> tuple[dict[str, int], dict[str, Definition]]:
        """The definitions in force in a period, built in dependency order: their diagrams, and compiled."""
        chosen: dict[str, _Parsed] = {}
        versions_in: dict[str, _Version[Any]] = {}
        for name, versions in self.definition_versions.items():
            version = _in_force(versions, span.day)
            if version is not None:
                parsed = self.parsed_at(version.layer.source, version.path + ("when",))
                if parsed is not None:
                    chosen[name], versions_in[name] = parsed, version
        built: dict[str, int] = {}
        reads: dict[str, frozenset[int]] = {}
        for name in self._dependency_order(chosen, span):
            parsed = chosen[name]
            if any(ref not in built for ref, _ in parsed.refs):
                continue  # a definition it needs has a problem, already reported
            needs = parsed.facts.union(*(reads[ref] for ref, _ in parsed.refs))
            if len(needs) > MAX_FACTS_READ:
                self.problems.append(parsed.source.problem(parsed.path, _too_many_facts(f"definition {name!r}", len(needs))))
                continue
            node = self._budgeted(functools.partial(self.build, parsed, built), parsed.source, parsed.path,
                                  f"definition {name!r}")
            if node is not None:
                built[name], reads[name] = node, needs
        compiled = {name: Definition(name, self.condition(chosen[name], node), versions_in[name].body.citation,
                                     versions_in[name].body.description, versions_in[name].period)
                    for name, node in built.items()}
        return built, compiled

    def _dependency_order(self, chosen: Mapping[str, _Parsed], span: _Range) -> list[str]:
        """Definitions so that each comes after those it names; cycles and missing ones are reported."""
        order: list[str] = []
        state: dict[str, int] = {}  # 1: on the current path, 2: done
        for root in chosen:
            if state.get(root):
                continue
            trail = [root]
            stack: list[tuple[str, int]] = [(root, 0)]
            state[root] = 1
            while stack:
                name, i = stack[-1]
                refs = chosen[name].refs
                if i == len(refs):
                    stack.pop()
                    trail.pop()
                    state[name] = 2
                    order.append(name)
                    continue
                stack[-1] = (name, i + 1)
                ref, offset = refs[i]
                parsed = chosen[name]
                if ref not in chosen:
                    self._not_in_force(ref, parsed, offset, span)
                elif state.get(ref) == 1:
                    cycle = " → ".join(trail[trail.index(ref):] + [ref])
                    self.problems.append(parsed.source.problem_in_scalar(
                        parsed.path, offset, f"definitions refer to each other in a cycle: {cycle}"))
                elif not state.get(ref):
                    state[ref] = 1
                    trail.append(ref)
                    stack.append((ref, 0))
        return order

    def _not_in_force(self, name: str, parsed: _Parsed, offset: int, span: _Range) -> None:
        versions = self.definition_versions.get(name, [])
        when = ", ".join(period_words(v.period) for v in versions) or "never"
        self.problems.append(parsed.source.problem_in_scalar(parsed.path, offset, (
            f"definition {name!r} is not in force {period_words(span.period)}, while this condition is "
            f"(the definition is in force {when})")))

    def resolve(self, parsed: _Parsed | None, definitions: Mapping[str, int], span: _Range,
                what: str) -> Condition | None:
        """A checked condition compiled with the definitions of a period, or ``None`` (problem reported)."""
        if parsed is None:
            return None
        missing = [(ref, offset) for ref, offset in parsed.refs if ref not in definitions]
        for ref, offset in missing:
            if _in_force(self.definition_versions.get(ref, []), span.day) is None:
                self._not_in_force(ref, parsed, offset, span)
        if missing:
            return None
        node = self._budgeted(lambda: self.build(parsed, definitions), parsed.source, parsed.path, what)
        return None if node is None else self.condition(parsed, node)

    def _budgeted(self, build: Callable[[], int], source: SourceMap, path: PathT, what: str) -> int | None:
        """Build a diagram within the node and step budgets; a located problem instead when it is too large."""
        d = self.d
        d.budget = max(1, min(MAX_REVIEW_NODES, MAX_PACK_NODES - len(d))) + 1
        d.steps = _MAX_STEPS
        try:
            return build()
        except DiagramTooLarge:
            self.problems.append(source.problem(path, (
                f"{what} is too large to decide exactly: its rules need more than {MAX_REVIEW_NODES:,} decision-diagram "
                f"nodes (or the pack more than {MAX_PACK_NODES:,}). Split it into smaller rules or reviews, or declare "
                f"the facts its conditions test together next to each other under 'facts:'")))
            return None
        finally:
            d.budget = d.steps = 0

    # -- reviews --------------------------------------------------------------------------------
    def prepare_reviews(self) -> dict[str, list[_Version[Any]]]:
        out: dict[str, list[_Version[Any]]] = {}
        pack_period = self.pack_period
        for rid, value in self.top.spec.reviews.items():
            versions = _versions(value, self.top, ("reviews", rid))
            self.check_versions(versions, f"review {rid!r}", pack_period, "the pack")
            for v in versions:
                self._prepare_parts(rid, v)
            out[rid] = versions
        return out

    def _prepare_parts(self, rid: str, review: _Version[Any]) -> None:
        """Check the versions of a review version's rules and milestones, and parse its conditions.

        A rule or milestone must be in force on some day when both its review and the pack are: one
        that is not never applies while the pack does (a year mistyped in its ``in_force``).
        """
        pack_period = self.pack_period
        if _overlap(review.period, pack_period):
            parent, parent_what = _common(review.period, pack_period), f"review {rid!r} (within the pack's period)"
        else:  # the review's own problem is reported; measure its parts against the review alone
            parent, parent_what = review.period, f"review {rid!r}"
        seen: dict[str, int] = {}
        for n, rule in enumerate(review.body.rules):
            path = review.path + ("rules", n)
            if rule.id in seen:
                self.problems.append(self.top.source.problem(path + ("id",), f"rule id {rule.id!r} is used twice in review {rid!r}"))
            seen[rule.id] = n
            versions = self.part_versions[path] = _versions(rule, self.top, path)
            self.check_versions(versions, f"rule {rule.id!r}", parent, parent_what)
            for v in versions:
                self.check(v.body.when, self.top.source, v.path + ("when",))
        for n, milestone in enumerate(review.body.milestones):
            path = review.path + ("milestones", n)
            versions = _versions(milestone, self.top, path)
            if not isinstance(milestone, MilestoneSpec):  # written as versions: give each the milestone's id, once
                versions = [replace(v, body=MilestoneSpec.model_construct(**{**dict(v.body), "id": milestone.id}))
                            for v in versions]
            self.part_versions[path] = versions
            self.check_versions(versions, f"milestone {milestone.id!r}", parent, parent_what)

    def review_in(self, rid: str, versions: list[_Version[Any]], span: _Range, definitions: Mapping[str, int],
                  timetables: dict[Any, tuple[MilestoneRule, ...]]) -> Review | None:
        version = _in_force(versions, span.day)
        d = self.d
        if version is None:  # not in force in this period: it decides nothing
            latest = versions[-1].body
            return Review(rid, latest.name, latest.legal_basis, latest.decided_by, latest.citation, (), "not_eligible",
                          f"the review type is in force only {', '.join(period_words(v.period) for v in versions)}",
                          (), (), d.leaf("not_eligible"), d.true, ALWAYS, applies=False)
        spec = version.body
        rules: list[Rule] = []
        complete = True
        for n, entry in enumerate(spec.rules):
            rule_version = _in_force(self.part_versions[version.path + ("rules", n)], span.day)
            if rule_version is None:
                continue
            parsed = self.parsed_at(self.top.source, rule_version.path + ("when",))
            cond = self.resolve(parsed, definitions, span, f"rule {entry.id!r} of review {rid!r}")
            if cond is None:
                complete = False
                continue
            body = rule_version.body
            rules.append(Rule(f"{rid}.{entry.id}", body.status, body.citation, body.because, cond, rule_version.period))
        reads = sorted(set().union(*(r.condition.reads for r in rules))) if rules else []
        if len(reads) > MAX_FACTS_READ:
            self.problems.append(self.top.source.problem(version.path, _too_many_facts(f"review {rid!r}", len(reads))))
            return None
        milestones = self.timetable_in(rid, version, span, timetables)
        if not complete:
            return None
        diagram = self._budgeted(
            lambda: d.first_match([(r.condition.node, d.leaf(r.status)) for r in rules], d.leaf(spec.otherwise)),
            self.top.source, version.path, f"review {rid!r}")
        fallthrough = None if diagram is None else self._budgeted(
            lambda: d.first_match([(r.condition.node, d.false) for r in rules], d.true),
            self.top.source, version.path, f"review {rid!r}")
        if diagram is None or fallthrough is None:
            return None
        return Review(rid, spec.name, spec.legal_basis, spec.decided_by, spec.citation, tuple(rules), spec.otherwise,
                      spec.otherwise_because, tuple(reads), milestones, diagram, fallthrough, version.period)

    def timetable_in(self, rid: str, version: _Version[Any], span: _Range,
                     cache: dict[Any, tuple[MilestoneRule, ...]]) -> tuple[MilestoneRule, ...]:
        specs: list[MilestoneSpec] = []
        paths: list[PathT] = []
        periods: dict[str, Period] = {}
        for n, entry in enumerate(version.body.milestones):
            chosen = _in_force(self.part_versions[version.path + ("milestones", n)], span.day)
            if chosen is None:
                continue
            specs.append(chosen.body)
            paths.append(chosen.path)
            periods[entry.id] = chosen.period
        base = version.path + ("milestones",)
        key = (base, tuple(paths))  # where the chosen versions are written: the same versions, the same timetable
        if key not in cache:
            written = value_at(self.top.doc.data, self.top.source.original(base))
            complete = not isinstance(written, list) or len(written) == len(version.body.milestones)
            rules = compile_milestones(self.top.source, self.top.doc.data, rid, specs, self.problems, self.pruned,
                                       base=base, paths=paths, complete=complete)
            cache[key] = tuple(replace(m, in_force=periods.get(m.id, ALWAYS)) for m in rules)
        return cache[key]

    # -- notifications, roles, meetings ---------------------------------------------------------
    def prepare_notifications(self) -> dict[str, list[_Version[Any]]]:
        out = {}
        for nid, entry in _merge(self.layers, "notifications", self.problems).items():
            if nid in self.top.spec.reviews:  # a schedule or a decision could not tell the two apart
                own = entry.layer is self.top  # the pack's own duty, or a baseline's the pack's review clashes with
                self.problems.append(self.top.source.problem(entry.path if own else ("reviews", nid), (
                    f"{nid!r} is the id of both a review type and a duty to notify; give the "
                    f"{'duty' if own else 'review type'} an id of its own"), key=True))
            versions = _versions(entry.value, entry.layer, entry.path)
            self.check_versions(versions, f"notification {nid!r}", self._parent_period(entry.layer), "the pack")
            for v in versions:
                if self.check(v.body.when, v.layer.source, v.path + ("when",)) is None:
                    self.pruned.add(nid)  # its problem is reported; examples naming it need not say so again
            out[nid] = versions
        return out

    def notification_in(self, nid: str, versions: list[_Version[Any]], span: _Range,
                        definitions: Mapping[str, int]) -> NotificationRule | None:
        version = _in_force(versions, span.day)
        if version is None:
            return None
        spec = version.body
        parsed = self.parsed_at(version.layer.source, version.path + ("when",))
        if parsed is not None and len(parsed.facts) > MAX_FACTS_READ:
            self.problems.append(version.layer.source.problem(version.path, _too_many_facts(f"notification {nid!r}", len(parsed.facts))))
            return None
        cond = self.resolve(parsed, definitions, span, f"notification {nid!r}")
        if cond is None:
            return None
        return NotificationRule(nid, spec.name, spec.by, tuple(spec.to), spec.deadline, spec.deadline_working_days,
                                spec.citation, cond, version.period)

    def prepare_roles(self) -> dict[str, list[_Version[Any]]]:
        out = {}
        owner: dict[str, str] = {}
        merged = _merge(self.layers, "roles", self.problems)
        for rid, entry in merged.items():
            versions = _versions(entry.value, entry.layer, entry.path)
            self.check_versions(versions, f"role {rid!r}", self._parent_period(entry.layer), "the pack")
            for v in versions:
                ends: dict[date, str] = {}
                for n, p in enumerate(v.body.predecessors):
                    if owner.get(p.id, rid) != rid or p.id in merged:
                        self.problems.append(v.layer.source.problem(v.path + ("predecessors", n, "id"), f"role id {p.id!r} is already used"))
                    owner[p.id] = rid
                    self._check_until(v, n, p.id, p.until, ends, rid)
            out[rid] = versions
        for rid in merged:
            if rid in owner:
                self.problems.append(self.top.source.problem(("roles", rid), f"role id {rid!r} is already a predecessor of {owner[rid]!r}", key=True))
        return out

    def _check_until(self, v: _Version[Any], n: int, pid: str, until: date, ends: dict[date, str], rid: str) -> None:
        """A body held the role until a day that leaves a next day, and not the same day as another body."""
        path = v.path + ("predecessors", n, "until")
        if until == date.max:
            self.problems.append(v.layer.source.problem(path, (
                f"{pid!r} holds the role until the last day a date can name, so {rid!r} never would: give the "
                f"day before the next holder took over")))
        elif until in ends:
            self.problems.append(v.layer.source.problem(path, (
                f"{pid!r} and {ends[until]!r} both held the role until {until.isoformat()}: one body holds a role "
                f"on a day, so one of them would never count; give each the day its hold ended")))
        ends.setdefault(until, pid)

    def roles_in(self, prepared: Mapping[str, list[_Version[Any]]], span: _Range) -> dict[str, Role]:
        roles = {}
        for rid, versions in prepared.items():
            version = _in_force(versions, span.day)
            if version is not None:
                spec = version.body
                preds = tuple(sorted(((p.id, p.name, p.until) for p in spec.predecessors), key=lambda t: t[2]))
                roles[rid] = Role(rid, spec.name, preds, version.period)
        return roles

    def prepare_meetings(self) -> dict[str, list[_Version[Any]]]:
        out = {}
        for mid, value in self.top.spec.meetings.items():
            versions = _versions(value, self.top, ("meetings", mid))
            self.check_versions(versions, f"meeting {mid!r}", self.pack_period, "the pack")
            for v in versions:  # a role listed twice (meant as "two of them"?) would ask for one
                each_of = v.body.quorum.each_of
                for n, role in enumerate(each_of):
                    if role in each_of[:n]:
                        self.problems.append(v.layer.source.problem(v.path + ("quorum", "each_of", n), (
                            f"role {role!r} is listed twice in each_of: a role is filled or not, so listing it "
                            f"again asks for nothing more (to ask for two people, say so in a note)")))
            out[mid] = versions
        return out

    def meetings_in(self, prepared: Mapping[str, list[_Version[Any]]], span: _Range,
                    roles: Mapping[str, Role]) -> dict[str, Meeting]:
        meetings = {}
        source = self.top.source
        for mid, versions in prepared.items():
            version = _in_force(versions, span.day)
            if version is None:
                continue
            s = version.body
            path: PathT = version.path + ("quorum",)
            ok = True
            named: list[tuple[PathT, str]] = [(("each_of", n), role) for n, role in enumerate(s.quorum.each_of)]
            named += [(("chair",), s.quorum.chair)] if s.quorum.chair is not None else []
            for where, role in named:
                if role not in roles:
                    ok = False
                    if role not in self.pruned:  # else its own problem is already reported
                        self.problems.append(source.problem(path + where, self._unknown_role(role, roles, span)))
            if not s.quorum.each_of and s.quorum.at_least is None and s.quorum.chair is None:
                ok = False
                self.problems.append(source.problem(path, "a quorum needs 'each_of', 'at_least' or 'chair'"))
            if s.quorum.at_least is not None and s.quorum.at_least > len(roles):
                ok = False  # never quorate: at_least counts the pack's roles present, each once
                self.problems.append(source.problem(path + ("at_least",), (
                    f"at_least is {s.quorum.at_least}, but the pack has {len(roles)} role"
                    f"{'' if len(roles) == 1 else 's'} to count, so no meeting could be quorate: at_least counts "
                    f"the pack's roles present (each once), not people")))
            if ok:
                meetings[mid] = Meeting(mid, s.name, tuple(s.quorum.each_of), s.quorum.at_least, s.quorum.chair,
                                        s.citation, s.note, version.period,
                                        one_role_per_person=s.quorum.one_role_per_person)
        return meetings

    def _unknown_role(self, role: str, roles: Mapping[str, Role], span: _Range) -> str:
        if self.role_versions.get(role):
            when = ", ".join(period_words(v.period) for v in self.role_versions[role])
            return f"role {role!r} is not in force {period_words(span.period)} (it is in force {when})"
        return f"unknown role {role!r}{Suggestions(roles)(role)}"

    # -- the pack's periods ---------------------------------------------------------------------
    @functools.cached_property
    def pack_period(self) -> Period:
        """When the pack is in force (always, when its ``document.in_force`` is missing or starts after it ends)."""
        document = self.top.spec.document
        period = ALWAYS if document is None else _period(document.in_force)
        start, end = period
        return ALWAYS if start is not None and end is not None and start > end else period

    def check_document(self) -> None:
        """The pack's ``document.in_force`` does not start after it ends (as no item's may)."""
        for layer in self.layers:
            document = layer.spec.document
            if document is not None:
                self.check_versions([_Version(document, _period(document.in_force), layer, ("document",))],
                                    "the pack", None, "")

    def _parent_period(self, layer: Layer) -> Period | None:
        """Items of the pack itself must overlap its in-force period; a baseline's items span the law's history."""
        return self.pack_period if layer is self.top else None

    # -- examples and notes ---------------------------------------------------------------------
    def check_examples(self, rule_sets: Sequence[RuleSet], changes: Sequence[date]) -> None:
        """Every id an example names exists, and its facts are facts of the pack."""
        source = self.top.source
        reviews = {rid for rs in rule_sets for rid in rs.reviews}
        notifications = {nid for rs in rule_sets for nid in rs.notifications}
        meetings = {mid for rs in rule_sets for mid in rs.meetings}
        for n, ex in enumerate(self.top.spec.examples):
            path: PathT = ("examples", n)
            if isinstance(ex, DecideExample):
                if not ex.expect and not ex.missing and ex.notifications is None:
                    self.problems.append(source.problem(path + ("expect",), (
                        "this example expects nothing, so it would pass whatever the pack decides: give the "
                        "status of at least one review (or its missing facts, or the notifications)")))
                for name, value in ex.facts.items():
                    self._check_fact(name, value, path + ("facts", name))
                for review in list(ex.expect) + list(ex.missing or {}):
                    if review not in reviews and review not in self.pruned:
                        self.problems.append(source.problem(path + ("expect", review), f"unknown review {review!r}{Suggestions(reviews)(review)}", key=True))
                for k, nid in enumerate(ex.notifications or []):
                    if nid not in notifications and nid not in self.pruned:
                        self.problems.append(source.problem(path + ("notifications", k), f"unknown notification {nid!r}{Suggestions(notifications)(nid)}"))
            elif isinstance(ex, ScheduleExample):
                self._check_schedule_example(ex, path, rule_sets[bisect_right(changes, ex.start)].reviews)
            elif isinstance(ex, QuorumExample) and ex.meeting not in meetings:
                self.problems.append(source.problem(path + ("meeting",), f"no quorum rule for meeting {ex.meeting!r}{Suggestions(meetings)(ex.meeting)}"))

    def _check_schedule_example(self, ex: ScheduleExample, path: PathT, reviews: Mapping[str, Review]) -> None:
        source = self.top.source
        if ex.review in self.pruned:
            return
        if ex.review not in reviews or not reviews[ex.review].milestones:
            timed = [r for r in reviews if reviews[r].milestones]
            self.problems.append(source.problem(path + ("review",), f"no review {ex.review!r} with a timetable"
                                                                    f"{Suggestions(timed)(ex.review)}; reviews with one: {', '.join(timed) or 'none'}"))
            return
        if ex.today is not None and ex.start > ex.today:  # what a schedule call would refuse
            self.problems.append(source.problem(path + ("today",), (
                f"today ({ex.today.isoformat()}) is before the start ({ex.start.isoformat()}): the review's first "
                f"event counts as met, so it cannot be on a date that has not come")))
        for mid, when in ex.actual.items():
            if ex.today is not None and isinstance(when, date) and when > ex.today:
                self.problems.append(source.problem(path + ("actual", mid),
                                                    str(timeliness.recorded_after_today(mid, when, ex.today))))
        if not ex.expect:
            self.problems.append(source.problem(path + ("expect",), (
                "this example expects nothing, so it would pass whatever the pack schedules: give the due date, "
                "earliest date or status of at least one milestone")))
        for mid, expected in ex.expect.items():
            if not expected.model_fields_set:
                self.problems.append(source.problem(path + ("expect", mid), (
                    f"nothing is expected of {mid!r}, so it is checked by nothing: give its due date, earliest date "
                    f"or status (null for none)")))
        ids = {m.id for m in reviews[ex.review].milestones}
        recurring = {m.id for m in reviews[ex.review].milestones if m.every is not None}
        for section in ("actual", "expect"):
            for mid in getattr(ex, section):
                found = occurrence_of(mid)
                base = found[0] if found is not None else None  # the milestone ``mid`` would be an occurrence of
                if mid in self.pruned or base in self.pruned:  # its own problem is already reported
                    continue
                if mid not in ids - recurring and base not in recurring:
                    self.problems.append(source.problem(path + (section, mid), f"unknown milestone {mid!r}{Suggestions(ids)(mid)}", key=True))

    def _check_fact(self, name: str, value: Any, path: PathT) -> None:
        source = self.top.source
        if source.original(path) in source.rejected:  # a value reading refused (a tag, a number too long): reported
            return
        if name not in self.fact_index:
            self.problems.append(source.problem(path, f"unknown fact {name!r}{self.suggest(name)}", key=True))
            return
        fact = self.facts[self.fact_index[name]]
        if value is not None and not (isinstance(value, bool) if fact.type == "bool" else value in fact.values):
            hint = quoted_bool_hint(value) if fact.type == "bool" else ""
            self.problems.append(source.problem(path, f"fact {name!r} takes {', '.join(str(v).lower() for v in fact.values)}; "
                                                      f"got {value!r}{hint}"))

    def check_notes(self, merged: Mapping[str, Iterable[str]]) -> None:
        """A note's ``about`` names a part of the pack that exists (e.g. ``reviews.sar.milestones``)."""
        fields = set(PackSpec.model_fields) - {"pack", "baseline", "extends"}
        for layer in self.layers:
            for n, note in enumerate(layer.spec.notes):
                parts = note.about.split(".")
                path: PathT = ("notes", n, "about")
                if parts[0] not in fields:
                    self.problems.append(layer.source.problem(path, f"'about' names no part of a pack: {parts[0]!r} is not one of "
                                                                    f"{', '.join(sorted(fields))}{Suggestions(fields)(parts[0])}"))
                elif len(parts) > 1 and parts[0] in merged and parts[1] not in merged[parts[0]] \
                        and parts[1] not in self.pruned:  # a part dropped for a problem of its own is there
                    known = list(merged[parts[0]])
                    self.problems.append(layer.source.problem(path, f"'about' names {parts[0]} {parts[1]!r}, which the pack does not have"
                                                                    f"{Suggestions(known)(parts[1])}"))


def _in_force(versions: Sequence[_Version[T]], day: date | None) -> _Version[T] | None:
    """The version in force on ``day``; for ``None`` (a pack with no dated items) the only one."""
    for v in versions:
        if day is None or in_period(v.period, day):
            return v
    return None


def _too_many_facts(what: str, count: int) -> str:
    return (f"{what} depends on {count} facts; the limit is {MAX_FACTS_READ}. Split its rules into several "
            f"reviews or definitions that each depend on fewer facts")


def _ranges(periods: Iterable[Period]) -> tuple[list[_Range], list[date]]:
    """Split time at every date where some item comes into or goes out of force."""
    cuts: set[date] = set()
    for start, end in periods:
        if start is not None and start > date.min:  # from the first day a date can name: no earlier day to cut off
            cuts.add(start)
        if end is not None and end < date.max:
            cuts.add(end + timedelta(days=1))
    changes = sorted(cuts)
    spans: list[_Range] = []
    for k in range(len(changes) + 1):
        start = changes[k - 1] if k else None
        end = changes[k] - timedelta(days=1) if k < len(changes) else None
        spans.append(_Range((start, end), start if start is not None else end))
    return spans, changes


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
    if top.spec.document is None and "document" not in c.pruned:
        c.problems.append(top.source.problem((), "a pack needs a 'document:' section describing its framework document"))
    c.check_document()
    c.compile_facts()
    c.prepare_definitions()
    for layer in layers:  # conditions in parts dropped for other problems: still check their names
        as_written = replace(layer.source, moved={})  # their paths are where they are written
        for path in layer.doc.orphan_conditions:
            text = value_at(layer.doc.data, path)
            if isinstance(text, str):
                c.check(text, as_written, path)
    reviews = c.prepare_reviews()
    notifications = c.prepare_notifications()
    c.role_versions = c.prepare_roles()
    meetings = c.prepare_meetings()

    periods: list[Period] = [c.pack_period]
    for group in (c.definition_versions, reviews, notifications, c.role_versions, meetings):
        periods += [v.period for versions in group.values() for v in versions]
    periods += [v.period for versions in c.part_versions.values() for v in versions]
    spans, changes = _ranges(periods)
    rule_sets: list[RuleSet] = []
    timetables: dict[Any, tuple[MilestoneRule, ...]] = {}
    for span in spans:
        definitions, definition_conditions = c.definitions_in(span)
        compiled_reviews = {}
        for rid, versions in reviews.items():
            review = c.review_in(rid, versions, span, definitions, timetables)
            if review is not None:
                compiled_reviews[rid] = review
        compiled_notifications = {}
        for nid, versions in notifications.items():
            rule = c.notification_in(nid, versions, span, definitions)
            if rule is not None:
                compiled_notifications[nid] = rule
        roles = c.roles_in(c.role_versions, span)
        rule_sets.append(RuleSet(
            span.period,
            frozen_dict(definition_conditions), frozen_dict(compiled_reviews), frozen_dict(compiled_notifications),
            frozen_dict(roles), frozen_dict(c.meetings_in(meetings, span, roles))))
    c.check_examples(rule_sets, changes)
    c.check_notes({"facts": c.fact_index, "definitions": c.definition_entries, "reviews": top.spec.reviews,
                   "notifications": notifications, "roles": c.role_versions, "meetings": meetings})
    written = top.doc.data.get("reviews") if isinstance(top.doc.data, dict) else None
    if not reviews and not (isinstance(written, dict) and written):
        c.problems.append(top.source.problem(("reviews",) if top.spec.reviews else (), "a pack needs at least one review type"))
    if c.problems or top.spec.document is None:
        return None, c.problems
    notes = freeze(tuple(n for layer in layers for n in layer.spec.notes))
    pack = CompiledPack(
        id=top.spec.pack or "?", file=top.source.file, files=tuple(layer.source.file for layer in layers),
        document=freeze(top.spec.document), facts=tuple(c.facts), fact_index=frozen_dict(c.fact_index),
        diagrams=c.d, rule_sets=tuple(rule_sets), changes=tuple(changes),
        notes=notes, examples=freeze(tuple(top.spec.examples)),
        example_sources=tuple((top.source.file, top.source.locate(top.source.original(("examples", n))).line)
                              for n in range(len(top.spec.examples))),
    )
    return pack, []
