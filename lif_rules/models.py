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
    """How one constraint of a milestone was computed."""

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
    """A milestone of a schedule: its dates, the rule behind them and, given ``today``, its status."""

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
    """The milestones of one review, looked up by id and iterated in date order."""

    pack: str
    review: str
    start: date
    today: date | None
    milestones: list[Milestone]
    warnings: list[str] = []

    def __getitem__(self, milestone_id: str) -> Milestone:
        for m in self.milestones:
            if m.id == milestone_id:
                return m
        known = ", ".join(m.id for m in self.milestones)
        raise LookupError(f"review {self.review!r} has no milestone {milestone_id!r}; milestones: {known}")

    def __contains__(self, milestone_id: object) -> bool:
        return any(m.id == milestone_id for m in self.milestones)

    def __iter__(self) -> Iterator[Milestone]:  # type: ignore[override]
        return iter(self.milestones)

    def __len__(self) -> int:
        return len(self.milestones)

    def to_ical(self) -> bytes:
        """The schedule as an RFC 5545 calendar: one all-day event per milestone with a date.

        The event is on the milestone's actual date where given, else its due date; its UID is the
        same for the same pack, review, start and milestone, so importing the calendar again after
        an actual date is recorded moves the event instead of adding another.

        Raises:
            ImportError: the icalendar package is missing (``pip install "lif_rules[views]"``).
        """
        from .views.ical import schedule_ics
        return schedule_ics(self)


class QuorumStep(_Model):
    """One role the quorum rule asks for, and who filled it.

    ``filled_by`` names the attendees who filled the role: a person's name, or the role id of an
    attendee given as a plain role id. ``held_as`` gives, for each of them, the body they held the
    role as on the date (e.g. ``ccg`` for the health partner before 1 July 2022). Where the rule
    says one person fills one role, ``filled_by`` is the one attendee the matching assigned.

    .. versionchanged:: ``held_as`` added; ``filled_by`` names people given with their roles.
    """

    role: str
    role_on_date: str
    filled_by: list[str]
    satisfied: bool
    reason: str
    held_as: list[str] = []


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
