"""Stage 4a, evaluate: ``CompiledPack`` × case facts × ``as_of`` → ``Decision``.

An outcome is decided exactly when every completion of the unknown facts gives the same status.
Each review's rules are one decision diagram, so that is a question about the diagram restricted
by the known facts: the statuses it can still reach, and the unknown facts it still tests (which
are exactly the facts that could change the status). The cost follows the part of the diagram
that mixes known and unknown facts, never the number of completions.

Results are immutable and shared: an outcome is remembered per pattern of the values its review
reads, a whole decision per pattern of facts, each memo bounded in size.
"""

from __future__ import annotations

import marshal
import operator
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from itertools import compress
from operator import is_
from typing import Any

from ..errors import FactError, Suggestions, short_repr
from ..frozen import EMPTY_DICT, EMPTY_LIST, FrozenList, frozen_dict, frozen_list
from ..models import Decision, Notification, Outcome, PossibleNotification, TraceStep, builder, construct
from .compiled import CompiledPack, Condition, NotificationRule, Review, RuleSet
from .diagrams import Diagrams, Restriction, bits

__all__ = ["FactChecker", "Decider", "DecisionsByDate", "Plan", "exact_values", "key_of", "MARSHAL_VERSION", "MEMO_ENTRIES"]

MEMO_ENTRIES = 5000
"""How many results (decisions, outcomes, trace steps) a pack remembers for one period's rules, in all.

Results beyond it are computed each time instead of remembered: a decided pattern costs a few hundred
bytes, so a pack's memory stays within a few megabytes per period it is asked about, however many
different cases it sees.
"""


_EMPTY = EMPTY_LIST
_NO_VALUES = EMPTY_DICT
_NOT_SEEN = object()  # a memo's answer for a key it does not hold (None is a duty not triggered)
_decision_of = builder(Decision)
_outcome_of = builder(Outcome)
_step_of = builder(TraceStep)
_notification_of = builder(Notification)
_possible_of = builder(PossibleNotification)


class FactChecker:
    """Validates case facts against the pack's fact catalogue, and puts each value in the pack's own terms.

    It also holds what a quick lookup reads a plain dict with: ``unknown`` (every fact, unknown),
    ``every`` (a dict's values in catalogue order) and ``exact`` (see :func:`exact_values`).
    """

    def __init__(self, pack: CompiledPack):
        self.names = tuple(f.name for f in pack.facts)  # interned, as a caller's literal keys are
        self.blank = (None,) * len(pack.facts)
        self.unknown = dict.fromkeys(self.names)
        self.every = _items_at(self.names)
        self.exact = exact_values(pack)
        # fact -> (position, is bool, value -> the pack's own constant)
        self.slots: dict[str, tuple[int, bool, Mapping[Any, Any]]] = {
            f.name: (i, f.type == "bool", {v: v for v in f.values}) for i, f in enumerate(pack.facts)
        }
        self.facts = pack.facts
        self.suggest = Suggestions(self.names)

    def values(self, facts: Any) -> tuple[Any, ...]:
        """The facts as a tuple in catalogue order (``None`` = unknown), each value the pack's own constant.

        Raises:
            FactError: not a mapping, an unknown fact, a wrong type or a value outside an enum.
        """
        if not isinstance(facts, Mapping):
            raise FactError(f"facts must be a mapping of fact names to values, got {type(facts).__name__}")
        out: list[Any] = list(self.blank)
        slots = self.slots
        for name, value in facts.items():
            slot = slots.get(name) if isinstance(name, str) else None
            if slot is None:
                raise self._unknown(name)
            if value is None:
                continue
            i, is_bool, own = slot
            if is_bool:
                if value is not True and value is not False:
                    raise FactError(f"fact {name!r} must be true or false (or absent when unknown), got {short_repr(value)}", name)
                out[i] = value
                continue
            canonical = own.get(str.__str__(value)) if isinstance(value, str) else None  # a str subclass's text
            if canonical is None:
                choices = ", ".join(self.facts[i].values)
                hint = Suggestions(self.facts[i].values)(value) if isinstance(value, str) else ""
                raise FactError(f"fact {name!r} must be one of: {choices} (or absent when unknown), "
                                f"got {short_repr(value)}{hint}", name)
            out[i] = canonical
        return tuple(out)

    def _unknown(self, name: Any) -> FactError:
        shown = short_repr(name) if isinstance(name, str) else f"{short_repr(name)} (not a string)"
        hint = self.suggest(name) if isinstance(name, str) else ""
        return FactError(f"unknown fact {shown}{hint}; known facts: {', '.join(self.names)}",
                         name[:200] if isinstance(name, str) else short_repr(name), "name")


MARSHAL_VERSION = 4
"""The marshal format of memo keys: the first to write a value shared by reference once, so that a
hostile case (a list holding itself, or the same list a million times over) costs its size, not more."""


def key_of(values: tuple[Any, ...]) -> bytes:
    """The memo key of a case's values in catalogue order: their exact bytes.

    ``marshal`` writes each value with its exact type: ``True`` is not ``1``, ``None`` is not a
    look-alike object, and it refuses a ``str`` subclass or any object of a class of its own
    (ValueError). So a key equal to the key of checked values means exactly those values, and needs
    no check of its own. The bytes also say whether a string is interned and which values are one
    object: the same case may have more than one key, never two cases one. Keys never leave the
    process, so marshal's format may change between Python versions.
    """
    return marshal.dumps(values, MARSHAL_VERSION)


def exact_values(pack: CompiledPack) -> Callable[[tuple[Any, ...]], tuple[Any, ...] | None]:
    """A function that returns a case's values (in catalogue order) when each is exactly what its fact allows.

    Exactly: ``True``, ``False`` or ``None`` for a yes/no fact; ``None`` or a ``str`` (not a subclass)
    among the allowed values for the others. It returns ``None`` otherwise, and ``FactChecker`` then
    either puts the case in the pack's terms or explains why not: both accept exactly the same cases.
    Generated once per pack from the fact catalogue as a chain of identity tests: allowed values are
    passed in as constants, never written into the source, and no code of the caller's values runs.
    """
    facts = pack.facts
    env: dict[str, Any] = {"str": str}
    checks = []
    for i, fact in enumerate(facts):
        if fact.type == "bool":
            checks.append(f"(v{i} is not True and v{i} is not False and v{i} is not None)")
        else:  # the class test first, so a value of another type is refused without hashing it
            env[f"E{i}"] = frozenset((*fact.values, None))
            checks.append(f"(v{i}.__class__ is not str and v{i} is not None or v{i} not in E{i})")
    names = [f"v{i}" for i in range(len(facts))]
    lines = ["def exact(values):"]
    if facts:
        lines += [f"    {', '.join(names)}{',' if len(names) == 1 else ''} = values",
                  f"    if {' or '.join(checks)}:",
                  "        return None"]
    lines.append("    return values")
    namespace: dict[str, Any] = {}
    exec(compile("\n".join(lines), f"<lif_rules fact values check for {pack.id}>", "exec"), env, namespace)  # noqa: S102
    return namespace["exact"]  # type: ignore[no-any-return]


_ReviewPart = tuple[str, Review, Callable[[tuple[Any, ...]], Any], dict[Any, Outcome]]
"""A review's id, its rules, the key of the values it reads, and its outcomes by that key."""
_DutyPart = tuple[NotificationRule, Callable[[tuple[Any, ...]], Any], dict[Any, Any]]
"""A duty to notify, the key of the values it reads, and its answers by that key (None: not triggered)."""


class Plan:
    """One kind of call (one review, or all): its memos of whole decisions, and its warnings.

    ``memo`` is keyed by the exact bytes of the case's values (``key_of``; a hit costs one lookup, and
    the outcomes inside are shared through the per-review memos, which are keyed by the values each
    review reads). ``reviews`` holds, for each review decided, its id, its rules, the key of the values it reads
    and its memo of outcomes by that key.
    """

    def __init__(self, review: str | None, warnings: tuple[tuple[str | None, str], ...],
                 reviews: tuple[_ReviewPart, ...]):
        self.review = review
        self.memo: dict[bytes, Decision] = {}
        self.warnings = frozen_list([text for about, text in warnings if about is None or about == review or review is None])
        self.reviews = reviews


DecisionsByDate = dict[date, dict[str | None, dict[bytes, Decision]]]
"""Decisions as of a date: by the date, the review decided (``None``: all) and the case's key."""


class Decider:
    """Decides every review and notification of one period's rules.

    ``memos`` holds each plan's decisions by key; ``by_date`` the decisions as of a date, and may be
    shared by the deciders of every period of a pack (a date falls in one period), so that one lookup
    by date finds them.
    """

    def __init__(self, pack: CompiledPack, rules: RuleSet, by_date: DecisionsByDate | None = None):
        self.pack = pack
        self.by_date: DecisionsByDate = {} if by_date is None else by_date
        self.rules = rules
        self.d: Diagrams = pack.diagrams
        self.names = tuple(f.name for f in pack.facts)
        self.version = pack.document.version
        self.plans: dict[str | None, Plan] = {}
        self.memos: dict[str | None, dict[bytes, Decision]] = {}  # each plan's memo, for a lookup without the plan
        self.reviews: dict[str, _ReviewPart] = {rid: (rid, r, _items_at(r.reads), {}) for rid, r in rules.reviews.items()}
        self.notifications: tuple[_DutyPart, ...] = tuple(
            (n, _items_at(n.condition.reads), {}) for n in rules.notifications.values())
        self.warnings = _period_warnings(pack, rules)
        self.undated_warnings = _undated_warnings(pack, rules)  # what a decision without as_of says
        self.steps: dict[tuple[Any, ...], TraceStep] = {}
        self.otherwise: dict[tuple[str, str], TraceStep] = {}
        self.result = {self.d.false: "false", self.d.true: "true"}  # a condition's result by its node
        self.bits = tuple(1 << i for i in range(len(pack.facts)))
        self.nones = (None,) * len(pack.facts)
        conditions = [r.condition for rv in rules.reviews.values() for r in rv.rules]
        conditions += [n.condition for n in rules.notifications.values()]
        # condition node -> the values its trace step shows (a tuple, in the pack's fact order)
        self.seen = {c.node: _items_at(c.reads) for c in conditions}
        self.room = MEMO_ENTRIES  # results this period may still remember

    def _room(self) -> bool:
        """Whether one more result may be remembered (and count it if so); unsynchronised on purpose:
        a race between threads can only make the count a little off, never a result wrong."""
        if self.room <= 0:
            return False
        self.room -= 1
        return True

    def plan(self, review: str | None) -> Plan:
        """The memo and key for decisions of one review (or all, for ``None``)."""
        plan = self.plans.get(review)
        if plan is None:
            reviews = tuple(self.reviews.values()) if review is None else (self.reviews[review],)
            plan = self.plans.setdefault(review, Plan(review, self.warnings, reviews))
            self.memos.setdefault(review, plan.memo)
        return plan

    def remember(self, plan: Plan, values: tuple[Any, ...], key: bytes) -> Decision:
        """Decide from checked values, remembering the decision under their key."""
        decision = self._decision(plan, values)
        if self._room():
            plan.memo[key] = decision
        return decision

    def dated(self, plan: Plan, values: tuple[Any, ...], key: bytes, as_of: date) -> Decision:
        """The decision as of a date: saying which date's rules it applied, with this period's warnings.

        Remembered in ``by_date`` (where the caller looks it up first).
        """
        decision = plan.memo.get(key) or self.remember(plan, values, key)
        found = _decision_of({**decision.__dict__, "as_of": as_of, "warnings": plan.warnings})
        if self._room():
            self.by_date.setdefault(as_of, {}).setdefault(plan.review, {})[key] = found
        return found

    # -- reviews --------------------------------------------------------------------------------
    def _outcome(self, review: Review, case: _Case) -> Outcome:
        if not review.applies:
            return _not_in_force(review)
        trace = []
        status = review.otherwise
        held = False  # a rule holds for every completion of the case
        unsure = False  # a rule before it (or before the end) may or may not hold
        for rule in review.rules:
            step = self._step(rule.id, rule.citation, rule.condition, rule.status, rule.because, case)
            trace.append(step)
            if step.result == "true":
                status, held = rule.status, True
                break
            if step.result == "unknown":
                unsure = True
        missing = _EMPTY
        if unsure:  # the restricted diagram says whether every completion still gives one status
            d = self.d
            restriction = case.restriction()
            root = restriction.restrict(review.diagram)
            reachable = restriction.leaves_of(root)
            if reachable & (reachable - 1):
                status = "undetermined"
                missing = frozen_list([self.names[i] for i in bits(restriction.mask_of(root))])
            else:
                status = d.value(root)  # type: ignore[assignment]
        if not held:  # whether "no rule above holds" in every completion of the case, in none, or in some
            if not unsure:
                reached = "true"
            else:
                restriction = case.restriction()
                reached = self.result.get(restriction.restrict(review.fallthrough), "unknown")
            trace.append(self._otherwise(review, reached))
        return _outcome_of({
            "review": review.id, "name": review.name, "status": status, "missing": missing, "trace": frozen_list(trace),
            "legal_basis": review.legal_basis, "decided_by": review.decided_by, "citation": review.citation})

    def _step(self, rule_id: str, citation: str, condition: Condition, status: str, because: str | None,
              case: _Case) -> TraceStep:
        """The trace step of a rule: whether its condition holds, and the values it saw.

        Shared between outcomes (many cases show a rule the same values), so a step seen before is
        one lookup, and its result needs no diagram work.
        """
        seen = self.seen[condition.node](case.values)
        key = (rule_id, seen)
        step = self.steps.get(key)
        if step is None:
            d = self.d
            node = condition.node
            if case.unknown & d.mask[node]:
                node = case.restriction().restrict(node)
            else:
                node = d.walk(node, case.values)
            step = _step_of({
                "rule_id": rule_id, "citation": citation, "condition": condition.text,
                "result": self.result.get(node, "unknown"), "status": status,
                "values": frozen_dict(zip(condition.names, seen)), "because": because})
            if self._room():
                self.steps[key] = step
        return step

    def _otherwise(self, review: Review, reached: str) -> TraceStep:
        """The last step of a review no rule of which holds in every completion: "true" when no rule holds in
        any ("false" when one always does, "unknown" when that depends on the unknown facts)."""
        step = self.otherwise.get((review.id, reached))
        if step is None:
            step = self.otherwise[review.id, reached] = _step_of({
                "rule_id": f"{review.id}.otherwise", "citation": review.citation, "condition": "no rule above holds",
                "result": reached, "status": review.otherwise, "values": _NO_VALUES,
                "because": review.otherwise_because})
        return step

    # -- notifications --------------------------------------------------------------------------
    def _notification(self, rule: NotificationRule, case: _Case) -> Notification | PossibleNotification | None:
        step = self._step(rule.id, rule.citation, rule.condition, "notify", None, case)
        if step.result == "false":
            return None
        common: dict[str, Any] = {"id": rule.id, "name": rule.name, "by": rule.by, "to": frozen_list(rule.to),
                                  "deadline": rule.deadline, "citation": rule.citation, "trace": frozen_list([step])}
        if step.result == "true":
            return _notification_of(common)
        restriction = case.restriction()
        node = restriction.restrict(rule.condition.node)
        common["missing"] = frozen_list([self.names[i] for i in bits(restriction.mask_of(node))])
        return _possible_of(common)

    # -- the whole decision ---------------------------------------------------------------------
    def _decision(self, plan: Plan, values: tuple[Any, ...]) -> Decision:
        """A decision from checked values: each outcome and duty to notify from its memo, or worked out
        (and remembered) from the diagrams when its values are new."""
        case = None
        outcomes: dict[str, Outcome] = {}
        for rid, review, key, memo in plan.reviews:
            k = key(values)
            found = memo.get(k)
            if found is None:
                if case is None:
                    case = _Case(self, values)
                found = self._outcome(review, case)
                if self._room():
                    memo[k] = found
            outcomes[rid] = found
        notifications: list[Notification] = []
        possible: list[PossibleNotification] = []
        for rule, key, notices in self.notifications:
            k = key(values)
            duty = notices.get(k, _NOT_SEEN)
            if duty is _NOT_SEEN:
                if case is None:
                    case = _Case(self, values)
                duty = self._notification(rule, case)
                if self._room():
                    notices[k] = duty
            if duty.__class__ is Notification:
                notifications.append(duty)
            elif duty is not None:
                possible.append(duty)
        return _decision_of({
            "pack": self.pack.id, "pack_version": self.version, "as_of": None, "outcomes": frozen_dict(outcomes),
            "notifications": frozen_list(notifications) if notifications else _EMPTY,
            "possible_notifications": frozen_list(possible) if possible else _EMPTY, "warnings": self.undated_warnings})


def _items_at(keys: Sequence[Any]) -> Callable[[Any], tuple[Any, ...]]:
    """A function giving the tuple of a container's items at ``keys`` (C-level ``itemgetter``, which
    returns a bare item instead of a tuple for one key, so that case and no key are written out)."""
    if len(keys) >= 2:
        return operator.itemgetter(*keys)
    if keys:
        only = keys[0]
        return lambda items: (items[only],)
    return lambda items: ()


class _Case:
    """One case being decided: its values, which facts are unknown, and (made when first needed) the
    restriction of the pack's diagrams by its known facts, shared by every review and notification."""

    __slots__ = ("d", "values", "unknown", "_restriction")

    def __init__(self, decider: Decider, values: tuple[Any, ...]):
        self.d = decider.d
        self.values = values
        self.unknown = sum(compress(decider.bits, map(is_, values, decider.nones)))  # one bit per unknown fact
        self._restriction: Restriction | None = None

    def restriction(self) -> Restriction:
        found = self._restriction
        if found is None:
            found = self._restriction = Restriction(self.d, self.values, self.unknown)
        return found


def _not_in_force(review: Review) -> Outcome:
    step = construct(TraceStep, rule_id=f"{review.id}.not_in_force", citation=review.citation,
                     condition="the review type is in force on the decision date", result="false",
                     status="not_eligible", values=_NO_VALUES, because=review.otherwise_because)
    return construct(Outcome, review=review.id, name=review.name, status="not_eligible", missing=_EMPTY,
                     trace=frozen_list([step]), legal_basis=review.legal_basis, decided_by=review.decided_by,
                     citation=review.citation)


def _undated_warnings(pack: CompiledPack, rules: RuleSet) -> FrozenList:
    """What a decision without ``as_of`` says: nothing, unless the latest rules lie after the pack's
    in-force period ended (then what they apply is not what the pack stated while it was in force)."""
    end = pack.document.in_force.to
    first = rules.period[0]
    if rules is not pack.rule_sets[-1] or end is None or first is None or first <= end:
        return _EMPTY
    return frozen_list([f"the pack's in-force period ended on {end.isoformat()}: without as_of its latest rules apply, "
                        f"as they stand after it ended (rules that ended with it do not apply); give as_of, the "
                        f"date of the case, to apply the rules in force on that date"])


def _period_warnings(pack: CompiledPack, rules: RuleSet) -> tuple[tuple[str | None, str], ...]:
    """The warnings a decision dated in this period carries: (review id or None for all, sentence)."""
    outside = pack.outside_period("the decision date", *rules.period)
    out: list[tuple[str | None, str]] = [] if outside is None else [(None, outside)]
    for rid, review in rules.reviews.items():
        if not review.applies:
            out.append((rid, f"review type {rid!r} is not in force on the decision date ({review.otherwise_because}), "
                             f"so it is not_eligible"))
    return tuple(out)
