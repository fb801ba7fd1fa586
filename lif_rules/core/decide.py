"""Stage 4a, evaluate: ``CompiledPack`` × case facts × ``as_of`` → ``Decision``.

An outcome is decided exactly when every completion of the unknown facts gives the same status.
Each review reads only a few finite facts, so the outcome for a given pattern of known and unknown
values is computed once by enumerating completions and then memoised: ``decide`` is a lookup.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, Literal

from .compiled import CompiledPack, Condition, NotificationRule, Review
from ..errors import FactError, did_you_mean
from ..models import Decision, Notification, Outcome, PossibleNotification, TraceStep, construct

__all__ = ["FactChecker", "Decider"]

_MEMO_LIMIT = 200_000


class _FrozenList(list):  # type: ignore[type-arg]
    """A list that refuses changes: memoised results are shared between calls."""

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("decision results are immutable")

    append = extend = insert = remove = pop = clear = sort = reverse = _refuse
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse  # type: ignore[assignment]

    def __reduce__(self) -> Any:
        return (list, (list(self),))


class _FrozenDict(dict):  # type: ignore[type-arg]
    """A dict that refuses changes."""

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("decision results are immutable")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _refuse  # type: ignore[assignment]

    def __reduce__(self) -> Any:
        return (dict, (dict(self),))


class FactChecker:
    """Validates case facts against the pack's fact catalogue with precomputed lookups."""

    def __init__(self, pack: CompiledPack):
        self.names = tuple(f.name for f in pack.facts)
        self.blank = (None,) * len(pack.facts)
        self.slots: dict[str, tuple[int, bool, frozenset[Any]]] = {
            f.name: (i, f.type == "bool", frozenset(f.values)) for i, f in enumerate(pack.facts)
        }
        self.facts = pack.facts

    def values(self, facts: Any) -> tuple[Any, ...]:
        """The facts as a tuple in catalogue order (``None`` = unknown).

        Raises:
            FactError: not a mapping, an unknown fact, a wrong type or a value outside an enum.
        """
        if not isinstance(facts, Mapping):
            raise FactError(f"facts must be a mapping of fact names to values, got {type(facts).__name__}")
        out = list(self.blank)
        slots = self.slots
        for name, value in facts.items():
            slot = slots.get(name) if isinstance(name, str) else None
            if slot is None:
                raise self._unknown(name)
            if value is None:
                continue
            i, is_bool, allowed = slot
            if is_bool:
                if value is not True and value is not False:
                    raise FactError(f"fact {name!r} must be true or false (or absent when unknown), got {_show(value)}", name)
            else:
                try:
                    ok = isinstance(value, str) and value in allowed
                except TypeError:
                    ok = False
                if not ok:
                    choices = ", ".join(self.facts[i].values)
                    hint = did_you_mean(value, self.facts[i].values) if isinstance(value, str) else ""
                    raise FactError(f"fact {name!r} must be one of: {choices} (or absent when unknown), "
                                    f"got {_show(value)}{hint}", name)
            out[i] = value
        return tuple(out)

    def _unknown(self, name: Any) -> FactError:
        shown = repr(name) if isinstance(name, str) else f"{_show(name)} (not a string)"
        hint = did_you_mean(name, self.names) if isinstance(name, str) else ""
        return FactError(f"unknown fact {shown}{hint}; known facts: {', '.join(self.names)}", str(name))


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


class _Table:
    """Memoised exact evaluation of one review or notification over the facts it reads."""

    def __init__(self, pack: CompiledPack, reads: tuple[int, ...]):
        self.reads = reads
        self.domains = tuple(pack.facts[i].values for i in reads)
        self.width = len(pack.facts)
        self.memo: dict[tuple[Any, ...], Any] = {}

    def completions(self, key: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        """Every full value tuple that agrees with the known values in ``key``."""
        choices = [(v,) if v is not None else dom for v, dom in zip(key, self.domains)]
        out = []
        for combo in itertools.product(*choices):
            full = [None] * self.width
            for i, v in zip(self.reads, combo):
                full[i] = v
            out.append(tuple(full))
        return out

    def store(self, key: tuple[Any, ...], value: Any) -> Any:
        if len(self.memo) < _MEMO_LIMIT:
            self.memo[key] = value
        return value


def _truth(cond: Condition, completions: list[tuple[Any, ...]]) -> Literal["true", "false", "unknown"]:
    results = {cond.test(c) for c in completions}
    return "unknown" if len(results) > 1 else ("true" if True in results else "false")


def _seen(pack: CompiledPack, cond: Condition, values: tuple[Any, ...]) -> _FrozenDict:
    return _FrozenDict((pack.facts[i].name, values[i]) for i in sorted(cond.reads))


def _missing(table: _Table, key: tuple[Any, ...], status_of: Any, pack: CompiledPack) -> list[str]:
    """Unknown facts whose value can change the status, holding every other fact fixed."""
    missing = []
    for pos, value in enumerate(key):
        if value is not None:
            continue
        others = [(v,) if (v is not None or p == pos) else d for p, (v, d) in enumerate(zip(key, table.domains))]
        others[pos] = (None,)
        changes = False
        for combo in itertools.product(*others):
            statuses = set()
            for alt in table.domains[pos]:
                full = [None] * table.width
                for p, (i, v) in enumerate(zip(table.reads, combo)):
                    full[i] = alt if p == pos else v
                statuses.add(status_of(tuple(full)))
            if len(statuses) > 1:
                changes = True
                break
        if changes:
            missing.append(table.reads[pos])
    return [pack.facts[i].name for i in sorted(missing)]


def _period_warnings(what: str, period: tuple[date | None, date | None], as_of: date, note: str | None) -> list[str]:
    start, end = period
    why = f" ({note})" if note else ""
    if start is not None and as_of < start:
        return [f"as_of {as_of.isoformat()} is before {what} came into force on {start.isoformat()}{why}"]
    if end is not None and as_of > end:
        return [f"as_of {as_of.isoformat()} is after {what} stopped applying on {end.isoformat()}{why}"]
    return []


class _Plan:
    """The facts one kind of call (one review, or all) depends on, and its memo of decisions."""

    def __init__(self, pack: CompiledPack, review: str | None):
        reviews = pack.reviews.values() if review is None else (pack.reviews[review],)
        reads = set().union(*(r.reads for r in reviews), *(n.condition.reads for n in pack.notifications.values()))
        indices = sorted(reads)
        patterns = 1
        for f in pack.facts:
            patterns *= len(f.values) + 1
        self.key: Callable[[tuple[Any, ...]], Any]
        self.full = patterns <= _MEMO_LIMIT  # small enough to memoise by every fact: no key to build
        if self.full:
            self.key = lambda values: values
        elif len(indices) >= 2:
            self.key = operator.itemgetter(*indices)
        elif indices:
            only = indices[0]
            self.key = lambda values: values[only]
        else:
            self.key = lambda values: ()
        self.memo: dict[Any, Decision] = {}


def _reader(pack: CompiledPack) -> Callable[[Any], tuple[Any, ...] | None]:
    """A function that checks a plain dict of facts and returns its values in catalogue order.

    It returns ``None`` for anything it does not accept, and ``FactChecker`` then explains why.
    Generated once per pack from the fact catalogue: names are identifiers the schema checked,
    and allowed values are passed in as constants, never written into the source. A case that
    states every fact takes one C-level ``itemgetter`` call and a chain of identity tests.
    """
    facts = pack.facts
    env: dict[str, Any] = {"KNOWN": frozenset(f.name for f in facts), "N": len(facts)}
    if len(facts) >= 2:
        env["ALL"] = operator.itemgetter(*(f.name for f in facts))
    names = [f"v{i}" for i in range(len(facts))]
    checks = []
    for i, fact in enumerate(facts):
        assert fact.name.isidentifier()
        if fact.type == "bool":
            checks.append(f"(v{i} is not True and v{i} is not False)")
        else:
            env[f"E{i}"] = frozenset(fact.values)
            checks.append(f"v{i} not in E{i}")
    lines = ["def read(f):", "    if f.__class__ is not dict:", "        return None"]
    if len(facts) >= 2:
        lines += ["    if len(f) == N:",
                  "        try:",
                  "            values = ALL(f)",
                  "        except KeyError:",
                  "            values = None",
                  "        if values is not None:",
                  f"            {', '.join(names)} = values",
                  f"            if not ({' or '.join(checks)}):",
                  "                return values"]
    lines += ["    if not f.keys() <= KNOWN:", "        return None"]
    for i, fact in enumerate(facts):
        lines.append(f"    v{i} = f.get({fact.name!r})")
        lines.append(f"    if v{i} is not None and {checks[i]}:")
        lines.append("        return None")
    lines.append(f"    return ({', '.join(names)}{',' if len(names) == 1 else ''})")
    namespace: dict[str, Any] = {}
    exec(compile("\n".join(lines), f"<lif_rules facts reader for {pack.id}>", "exec"), env, namespace)  # noqa: S102
    return namespace["read"]  # type: ignore[no-any-return]


class Decider:
    """Decides every review and notification of a compiled pack."""

    def __init__(self, pack: CompiledPack):
        self.pack = pack
        self.checker = FactChecker(pack)
        self.review_tables = {rid: _Table(pack, r.reads) for rid, r in pack.reviews.items()}
        self.notification_tables = {
            nid: _Table(pack, tuple(sorted(n.condition.reads))) for nid, n in pack.notifications.items()
        }
        self.version = pack.document.version
        self.read = _reader(pack)
        self.plans: dict[str | None, _Plan] = {}

    # -- reviews --------------------------------------------------------------------------------
    def outcome(self, review_id: str, values: tuple[Any, ...]) -> Outcome:
        table = self.review_tables[review_id]
        key = tuple([values[i] for i in table.reads])
        hit = table.memo.get(key)
        if hit is not None:
            return hit  # type: ignore[no-any-return]
        return table.store(key, self._outcome(self.pack.reviews[review_id], table, key, values))  # type: ignore[no-any-return]

    @staticmethod
    def status_of(review: Review, full: tuple[Any, ...]) -> str:
        for rule in review.rules:
            if rule.condition.test(full):
                return rule.status
        return review.otherwise

    def _outcome(self, review: Review, table: _Table, key: tuple[Any, ...], values: tuple[Any, ...]) -> Outcome:
        completions = table.completions(key)
        statuses = {self.status_of(review, c) for c in completions}
        status: Any
        if len(statuses) == 1:
            status, missing = next(iter(statuses)), []
        else:
            status = "undetermined"
            missing = _missing(table, key, lambda full: self.status_of(review, full), self.pack)
        trace = []
        decided_by_rule = False
        for rule in review.rules:
            result = _truth(rule.condition, completions)
            trace.append(TraceStep.model_construct(
                rule_id=rule.id, citation=rule.citation, condition=rule.condition.text, result=result,
                status=rule.status, values=_seen(self.pack, rule.condition, values), because=rule.because))
            if result == "true":
                decided_by_rule = True
                break
        if not decided_by_rule:
            trace.append(TraceStep.model_construct(
                rule_id=f"{review.id}.otherwise", citation=review.citation,
                condition="no rule above holds", result="true" if status != "undetermined" else "unknown",
                status=review.otherwise, values=_FrozenDict(), because=review.otherwise_because))
        return Outcome.model_construct(
            review=review.id, name=review.name, status=status, missing=_FrozenList(missing),
            trace=_FrozenList(trace), legal_basis=review.legal_basis, decided_by=review.decided_by,
            citation=review.citation)

    # -- notifications --------------------------------------------------------------------------
    def notification(self, nid: str, values: tuple[Any, ...]) -> Notification | PossibleNotification | None:
        table = self.notification_tables[nid]
        key = tuple([values[i] for i in table.reads])
        if key in table.memo:
            return table.memo[key]  # type: ignore[no-any-return]
        return table.store(key, self._notification(self.pack.notifications[nid], table, key, values))  # type: ignore[no-any-return]

    def _notification(self, rule: NotificationRule, table: _Table, key: tuple[Any, ...],
                      values: tuple[Any, ...]) -> Notification | PossibleNotification | None:
        completions = table.completions(key)
        result = _truth(rule.condition, completions)
        if result == "false":
            return None
        step = TraceStep.model_construct(
            rule_id=rule.id, citation=rule.citation, condition=rule.condition.text, result=result,
            status="notify", values=_seen(self.pack, rule.condition, values), because=None)
        common: dict[str, Any] = dict(id=rule.id, name=rule.name, by=rule.by, to=_FrozenList(rule.to),
                                      deadline=rule.deadline, citation=rule.citation, trace=_FrozenList([step]))
        if result == "true":
            return Notification.model_construct(**common)
        missing = _missing(table, key, rule.condition.test, self.pack)
        return PossibleNotification.model_construct(**common, missing=_FrozenList(missing))

    # -- the whole decision ---------------------------------------------------------------------
    def plan(self, review: str | None) -> _Plan:
        """The memo and key for decisions of one review (or all, for ``None``)."""
        plan = self.plans.get(review)
        if plan is None:
            plan = self.plans.setdefault(review, _Plan(self.pack, review))
        return plan

    def remember(self, plan: _Plan, review: str | None, values: tuple[Any, ...]) -> Decision:
        """Decide from checked values and memoise the result under the plan's key."""
        decision = self._decision(review, values)
        if len(plan.memo) < _MEMO_LIMIT:
            plan.memo[values if plan.full else plan.key(values)] = decision
        return decision

    def with_as_of(self, decision: Decision, as_of: date) -> Decision:
        """The same decision, read as of a date (with a warning outside the in-force period)."""
        if isinstance(as_of, datetime) or not isinstance(as_of, date):
            raise ValueError(f"as_of must be a date (datetime.date), got {as_of!r}")
        warnings = self.warnings(as_of)
        for rid in decision.outcomes:
            review = self.pack.reviews[rid]
            warnings += _period_warnings(f"the rules of review {rid!r}", review.in_force, as_of, review.in_force_note)
        for nid in [n.id for n in decision.notifications] + [n.id for n in decision.possible_notifications]:
            rule = self.pack.notifications[nid]
            warnings += _period_warnings(f"the duty {nid!r}", rule.in_force, as_of, rule.in_force_note)
        return construct(Decision, **{**decision.__dict__, "as_of": as_of, "warnings": _FrozenList(warnings)})

    def _decision(self, review: str | None, values: tuple[Any, ...]) -> Decision:
        reviews = self.pack.reviews if review is None else (review,)
        outcomes = _FrozenDict((rid, self.outcome(rid, values)) for rid in reviews)
        notifications = []
        possible = []
        for nid in self.pack.notifications:
            n = self.notification(nid, values)
            if n is None:
                continue
            if isinstance(n, Notification):
                notifications.append(n)
            else:
                possible.append(n)
        return construct(
            Decision, pack=self.pack.id, pack_version=self.version, as_of=None, outcomes=outcomes,
            notifications=_FrozenList(notifications), possible_notifications=_FrozenList(possible),
            warnings=_FrozenList())

    def warnings(self, as_of: date | None) -> list[str]:
        if as_of is None:
            return []
        period = self.pack.document.in_force
        start, end = period.from_, period.to
        if start is not None and as_of < start:
            return [f"as_of {as_of.isoformat()} is before the pack came into force on {start.isoformat()}; "
                    f"the rules are applied as the pack states them"]
        if end is not None and as_of > end:
            return [f"as_of {as_of.isoformat()} is after the pack's in-force period ended on {end.isoformat()}; "
                    f"the rules are applied as the pack states them"]
        return []
