"""Public result models: ``Decision``, ``Outcome``, ``Schedule``, ``Milestone``, ``QuorumResult`` and their parts.

All are frozen pydantic models that serialise with ``model_dump(mode="json")`` and validate back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar, cast, overload

from pydantic import AfterValidator, BaseModel, ConfigDict, PlainSerializer

__all__ = [
    "Status", "MilestoneStatus", "TraceStep", "Outcome", "Notification", "PossibleNotification", "Decision",
    "SkippedDay", "DateExplanation", "Milestone", "Milestones", "Schedule", "QuorumStep", "QuorumResult",
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


class _Duty(_Model):
    """What every answer about a duty to notify says first: who notifies whom, by when, and the citation."""

    id: str
    name: str
    by: str
    to: list[str]
    deadline: str
    citation: str


class Notification(_Duty):
    """A duty to notify that the facts trigger."""

    trace: list[TraceStep]


class PossibleNotification(_Duty):
    """A duty to notify that depends on unknown facts, listed in ``missing``."""

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


class Milestones(Sequence[Milestone]):
    """A schedule's milestones in date order: an immutable sequence, looked up by id in constant time.

    A schedule computes every date at once and builds each ``Milestone`` (its rule words, status and
    explanation) when it is first read; reading, comparing, copying, pickling or dumping them gives
    the same milestones as building them all at once would.
    """

    __slots__ = ("_ids", "_built", "_build", "_index")
    _ids: tuple[str, ...]
    _built: list[Milestone | None]
    _build: Callable[[int], Milestone] | None
    _index: dict[str, int] | None

    def __init__(self, milestones: Iterable[Milestone] = ()) -> None:
        built = list(milestones)
        self._ids = tuple(m.id for m in built)
        self._built = cast("list[Milestone | None]", built)  # every entry built
        self._build = None
        self._index = None

    @classmethod
    def deferred(cls, ids: tuple[str, ...], build: Callable[[int], Milestone]) -> Milestones:
        """The milestones with these ids, in this order; ``build(i)`` makes the ``i``-th when first read."""
        out = object.__new__(cls)
        out._ids = ids
        out._built = [None] * len(ids)
        out._build = build
        out._index = None
        return out

    @classmethod
    def of(cls, milestones: Sequence[Milestone]) -> Milestones:
        """``milestones`` as ``Milestones`` (itself when it is already)."""
        return milestones if isinstance(milestones, Milestones) else cls(milestones)

    def _get(self, i: int) -> Milestone:
        found = self._built[i]
        if found is None:
            assert self._build is not None
            found = self._built[i] = self._build(i)  # two threads may both build it: equal milestones
        return found

    def find(self, milestone_id: object) -> Milestone | None:
        """The milestone with this id, or ``None``."""
        index = self._index
        if index is None:
            index = self._index = {mid: i for i, mid in enumerate(self._ids)}
        i = index.get(milestone_id) if milestone_id.__class__ is str or isinstance(milestone_id, str) else None
        if i is None:
            return None
        found = self._built[i]
        return found if found is not None else self._get(i)

    @property
    def ids(self) -> tuple[str, ...]:
        """The milestone ids, in date order."""
        return self._ids

    @overload
    def __getitem__(self, index: int) -> Milestone: ...
    @overload
    def __getitem__(self, index: slice) -> list[Milestone]: ...
    def __getitem__(self, index: int | slice) -> Milestone | list[Milestone]:
        if isinstance(index, slice):
            return [self._get(i) for i in range(len(self._ids))[index]]
        return self._get(range(len(self._ids))[index])  # negative indexes and IndexError as a list gives them

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self) -> Iterator[Milestone]:
        return (self._get(i) for i in range(len(self._ids)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (Milestones, list, tuple)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # like the list it stands for

    def __repr__(self) -> str:
        return repr(list(self))

    def __reduce__(self) -> tuple[type[Milestones], tuple[list[Milestone]]]:
        return (Milestones, (list(self),))

    def __copy__(self) -> Milestones:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Milestones:
        return self


def _as_list(milestones: Sequence[Milestone]) -> list[Milestone]:
    return list(milestones)


class Schedule(_Model):
    """The milestones of one review, looked up by id in constant time and iterated in date order.

    Iteration follows each milestone's actual date where given, else its due date (else its
    earliest), ties in the order the pack defines them. ``warnings`` explains recorded dates that
    were kept although they break the timetable (e.g. a meeting recorded before its referral).
    ``milestones`` is an immutable sequence (see :class:`Milestones`); it dumps as a list.
    """

    pack: str
    review: str
    start: date
    today: date | None
    milestones: Annotated[Sequence[Milestone], AfterValidator(Milestones.of),
                          PlainSerializer(_as_list, return_type=list[Milestone])]
    warnings: list[str] = []

    def __getitem__(self, milestone_id: str) -> Milestone:
        """The milestone with this id.

        Raises:
            LookupError: the schedule has no such milestone.
        """
        milestones = self.milestones
        if milestones.__class__ is not Milestones:  # e.g. replaced by model_copy(update=...)
            milestones = Milestones.of(milestones)
        found = milestones.find(milestone_id)
        if found is None:
            ids = milestones.ids
            shown = ", ".join(ids[:40]) + (f", … ({len(ids) - 40} more)" if len(ids) > 40 else "")
            wanted = repr(milestone_id[:80]) if isinstance(milestone_id, str) else f"of type {type(milestone_id).__name__}"
            raise LookupError(f"review {self.review!r} has no milestone {wanted}; milestones: {shown}")
        return found

    def __contains__(self, milestone_id: object) -> bool:
        return Milestones.of(self.milestones).find(milestone_id) is not None

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
