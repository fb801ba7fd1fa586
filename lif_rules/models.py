"""Public result models: ``Decision``, ``Outcome``, ``Schedule``, ``Milestone``, ``QuorumResult`` and their parts.

All are frozen pydantic models that serialise with ``model_dump(mode="json")`` and validate back.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from collections.abc import Callable
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict

__all__ = [
    "Status", "MilestoneStatus", "TraceStep", "Outcome", "Notification", "PossibleNotification", "Decision",
    "SkippedDay", "DateExplanation", "Milestone", "Schedule", "QuorumStep", "QuorumResult",
    "Counterfactual", "Finding", "Record", "construct", "builder",
]

Status = Literal["required", "consider", "discretionary", "not_eligible", "undetermined"]
MilestoneStatus = Literal["met", "met_late", "met_early", "due", "overdue", "upcoming"]
FactValue = bool | str | None


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class TraceStep(_Model):
    """One rule looked at while deciding: its id, citation, condition, what it came to and the values it saw.

    ``result`` is ``"true"``/``"false"`` when every completion of the unknown facts agrees, else ``"unknown"``.
    """

    rule_id: str
    citation: str
    condition: str
    result: Literal["true", "false", "unknown"]
    status: str
    values: dict[str, FactValue]
    because: str | None = None


class Outcome(_Model):
    """The decision for one review type."""

    review: str
    name: str
    status: Status
    missing: list[str]
    trace: list[TraceStep]
    legal_basis: str
    decided_by: str
    citation: str


class Notification(_Model):
    """A duty to notify that the facts trigger."""

    id: str
    name: str
    by: str
    to: list[str]
    deadline: str
    citation: str
    trace: list[TraceStep]


class PossibleNotification(_Model):
    """A duty to notify that depends on unknown facts, listed in ``missing``."""

    id: str
    name: str
    by: str
    to: list[str]
    deadline: str
    citation: str
    missing: list[str]
    trace: list[TraceStep]


class Decision(_Model):
    """Which reviews a case is eligible for, and which notifications it triggers."""

    pack: str
    pack_version: str | None
    as_of: date | None
    outcomes: dict[str, Outcome]
    notifications: list[Notification]
    possible_notifications: list[PossibleNotification]
    warnings: list[str]


class SkippedDay(_Model):
    """A non-working day a working-day count stepped over."""

    date: date
    reason: str  # "weekend" or the bank holiday's name


class DateExplanation(_Model):
    """How one constraint of a milestone was computed.

    ``anchor_date`` is the date of the milestone it is counted from; ``anchor_is_actual`` says whether
    that date really happened (an actual date, or the review's start) rather than being computed
    from the rules (or assumed, for an event before the start with no date of its own).
    ``bank_holidays_skipped`` and ``weekend_days_skipped`` are the non-working days a working-day
    count stepped over (or a roll moved across, from ``rolled_from``); ``chosen`` is false for a
    ``due`` constraint that another, earlier one overrode.
    """

    kind: Literal["due", "earliest", "recurring"]
    rule: str
    anchor: str
    anchor_date: date
    anchor_is_actual: bool
    result: date
    bank_holidays_skipped: list[SkippedDay]
    weekend_days_skipped: int
    rolled_from: date | None = None
    chosen: bool = True


class Milestone(_Model):
    """A milestone of a schedule: its dates, the rule behind them, and whether it kept to time.

    ``due`` is the last allowed date and ``earliest`` the start of its window. ``status``: with an
    ``actual`` date, ``met`` / ``met_late`` (after ``due``) / ``met_early`` (before ``earliest``),
    whatever ``today`` is; without one, given ``today``, ``overdue`` (after ``due``), ``due`` (it can
    happen now: within its window, and every milestone it is counted from has happened) or
    ``upcoming`` (before its window, or waiting for a milestone it is counted from); else ``None``.
    ``days_late`` and ``working_days_late`` (England's working days) count how far past ``due`` a
    ``met_late`` or ``overdue`` milestone is, else ``None``.
    """

    id: str
    name: str
    due: date | None
    earliest: date | None
    actual: date | None
    rule: str
    citation: str
    status: MilestoneStatus | None
    days_late: int | None = None
    working_days_late: int | None = None
    explanation: list[DateExplanation]
    note: str | None = None


class Schedule(_Model):
    """The milestones of one review, looked up by id in constant time and iterated in date order.

    Iteration follows each milestone's actual date where given, else its due date (else its
    earliest), ties in the order the pack defines them. ``warnings`` explains recorded dates that
    were kept although they break the timetable (e.g. a meeting recorded before its referral).
    """

    pack: str
    review: str
    start: date
    today: date | None
    milestones: list[Milestone]
    warnings: list[str] = []

    def __getitem__(self, milestone_id: str) -> Milestone:
        """The milestone with this id.

        Raises:
            LookupError: the schedule has no such milestone.
        """
        found = self._find(milestone_id)
        if found is None:
            ids = [m.id for m in self.milestones]
            shown = ", ".join(ids[:40]) + (f", … ({len(ids) - 40} more)" if len(ids) > 40 else "")
            wanted = repr(milestone_id[:80]) if isinstance(milestone_id, str) else f"of type {type(milestone_id).__name__}"
            raise LookupError(f"review {self.review!r} has no milestone {wanted}; milestones: {shown}")
        return found

    def __contains__(self, milestone_id: object) -> bool:
        return self._find(milestone_id) is not None

    def _find(self, milestone_id: object) -> Milestone | None:
        # An index from id to position, kept beside the fields (not one of them, so it is neither
        # dumped nor compared) and rebuilt when the milestones are not those it was built from.
        milestones = self.milestones
        index = self.__dict__.get("_index")
        if index is None or index[0] is not milestones or index[1] != len(milestones):
            index = self.__dict__["_index"] = (milestones, len(milestones),
                                               {m.id: i for i, m in enumerate(milestones)})
        if not isinstance(milestone_id, str):
            return None
        i = index[2].get(milestone_id)
        return milestones[i] if i is not None else None

    def __iter__(self) -> Iterator[Milestone]:  # type: ignore[override]
        return iter(self.milestones)

    def __len__(self) -> int:
        return len(self.milestones)


class QuorumStep(_Model):
    """One role the quorum rule asks for, and who filled it."""

    role: str
    role_on_date: str
    filled_by: list[str]
    satisfied: bool
    reason: str


class QuorumResult(_Model):
    """Whether a meeting is quorate, who is missing, and why."""

    pack: str
    meeting: str
    on: date
    quorate: bool
    missing: list[str]
    trace: list[QuorumStep]
    citation: str
    other_attendees: list[str]
    notes: list[str]


class Counterfactual(_Model):
    """A smallest change of facts that would decide a review as ``status`` (see ``PolicyPack.why_not``)."""

    changes: dict[str, bool | str]
    status: Status


class Finding(_Model):
    """Something a policy author should know about a review's rules (see ``PolicyPack.analyse``).

    ``kind`` is ``unreachable_rule`` (a rule that decides no case), ``no_rule_holds`` (cases that fall
    to the review's default) or ``overlap`` (two rules with different statuses hold for the same
    case; the first wins). ``example`` is a complete case showing it, or ``None`` for a rule whose
    condition no case satisfies.
    """

    kind: Literal["unreachable_rule", "no_rule_holds", "overlap"]
    review: str
    rules: list[str]
    message: str
    example: dict[str, bool | str] | None


class Record(_Model):
    """What an answer was computed from, so it can be reproduced: the pack's text, the engine, the date."""

    pack: str
    pack_version: str | None
    pack_sha256: str
    engine_version: str
    as_of: date | None
    answered_at: datetime


_M = TypeVar("_M", bound=BaseModel)
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__
_BUILDERS: dict[type[BaseModel], Callable[[dict[str, Any]], Any]] = {}


def builder(cls: type[_M]) -> Callable[[dict[str, Any]], _M]:
    """A function that builds ``cls`` from a complete dict of valid field values, without validation.

    What ``model_construct`` does, minus its per-field bookkeeping: results are built on every
    ``decide`` and ``schedule`` call, from data the compiler has already checked. The dict given
    becomes the model's own; the fields-set is shared, since frozen models never change it.
    """
    fields = set(cls.model_fields)
    new, set_dict, set_fields, set_extra, set_private = object.__new__, _set_dict, _set_fields, _set_extra, _set_private

    def build(values: dict[str, Any]) -> _M:
        model = new(cls)
        set_dict(model, values)
        set_fields(model, fields)
        set_extra(model, None)
        set_private(model, None)
        return model

    return build


def construct(cls: type[_M], **values: Any) -> _M:
    """Build ``cls`` from keyword values already known to be valid (see :func:`builder`)."""
    build = _BUILDERS.get(cls)
    if build is None:
        build = _BUILDERS.setdefault(cls, builder(cls))
    return build(values)  # type: ignore[no-any-return]
