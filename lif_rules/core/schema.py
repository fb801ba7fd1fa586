"""The authoring format: pydantic models of a pack as its author writes it (``PackSpec``).

Every model forbids unknown keys; :mod:`lif_rules.shape` turns what pydantic finds into located problems.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictInt

__all__ = [
    "PackSpec", "DocumentSpec", "FactSpec", "DefinitionSpec", "ReviewSpec", "RuleSpec", "NoteSpec",
    "NotificationSpec", "MilestoneSpec", "OffsetSpec", "RecurrenceSpec", "RoleSpec", "PredecessorSpec",
    "MeetingSpec", "QuorumSpec", "ExampleSpec", "DecideExample", "ScheduleExample", "QuorumExample",
    "InForceSpec", "Status", "LegalBasis",
]

Status = Literal["required", "consider", "discretionary", "not_eligible"]
LegalBasis = Literal[
    "statutory_duty", "statutory_guidance", "statutory_discretionary", "non_statutory", "agency_mandatory_procedure"
]
Regime = Literal[
    "lscb_regulations_2006", "working_together_2015", "working_together_2018", "working_together_2023",
    "care_act_2014", "children_act_2004", "dvcva_2004",
]

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: Any) -> Any:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO.match(value):
        return value
    raise ValueError(f"expected a date written YYYY-MM-DD, got {value!r}")


def _text(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        raise ValueError("must not be empty")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Text = Annotated[str, BeforeValidator(_text), Field(strict=True)]
Ident = Annotated[str, Field(strict=True, pattern=r"^[a-z][a-z0-9_]*$")]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class InForceSpec(_Spec):
    """The period a document is in force (``to`` open-ended when absent)."""

    from_: IsoDate | None = Field(default=None, alias="from")
    to: IsoDate | None = None


class DocumentSpec(_Spec):
    """The framework document a pack encodes."""

    title: Text
    short_title: Text
    publisher: Text
    source: Text
    version: Text | None = None
    published: Text | None = None
    approved: IsoDate | None = None
    review_due: IsoDate | None = None
    in_force: InForceSpec
    regime: list[Regime] = Field(min_length=1)


class FactSpec(_Spec):
    """A fact a case may state: a boolean or one value of an enum."""

    type: Literal["bool", "enum"]
    values: list[Ident] | None = None
    description: Text
    override: StrictBool = False


class DefinitionSpec(_Spec):
    """A named condition (e.g. a statutory definition) other conditions can use by name."""

    when: Text
    citation: Text
    description: Text | None = None
    override: StrictBool = False


class RuleSpec(_Spec):
    """One eligibility rule: when its condition holds, the review has its status."""

    id: Ident
    when: Text
    status: Status
    citation: Text
    because: Text | None = None


class OffsetSpec(_Spec):
    """A date computed from an anchor milestone: working days, or calendar units, or Day N."""

    after: Ident
    working_days: StrictInt | None = Field(default=None, ge=0, le=10_000)
    months: StrictInt | None = Field(default=None, ge=0, le=1200)
    weeks: StrictInt | None = Field(default=None, ge=0, le=5200)
    days: StrictInt | None = Field(default=None, ge=0, le=36_500)
    day: StrictInt | None = Field(default=None, ge=1, le=10_000)


class RecurrenceSpec(_Spec):
    """A milestone that repeats every period after an anchor, up to an end milestone."""

    every: OffsetSpec
    until: Ident


class MilestoneSpec(_Spec):
    """A step of a review's timetable.

    ``start: true`` marks the review's first event (its date is the start date); ``before_start: true``
    an event on or before it (e.g. becoming aware of an incident before the referral), dated by its
    actual date, else the start date.
    """

    id: Ident
    name: Text
    citation: Text
    start: StrictBool = False
    before_start: StrictBool = False
    due: OffsetSpec | list[OffsetSpec] | None = None
    earliest: OffsetSpec | list[OffsetSpec] | None = None
    recurring: RecurrenceSpec | None = None
    roll: Literal["forward", "backward"] | None = None
    note: Text | None = None


class ReviewSpec(_Spec):
    """A review type the document describes: its legal basis, who decides, its rules and timetable."""

    name: Text
    legal_basis: LegalBasis
    decided_by: Text
    citation: Text
    rules: list[RuleSpec] = Field(default_factory=list)
    otherwise: Status = "not_eligible"
    otherwise_because: Text | None = None
    in_force: InForceSpec | None = None
    in_force_note: Text | None = None
    milestones: list[MilestoneSpec] = Field(default_factory=list)


class NotificationSpec(_Spec):
    """A duty to notify when a condition holds."""

    name: Text
    by: Text
    to: list[Text] = Field(min_length=1)
    when: Text
    deadline: Text
    deadline_working_days: StrictInt | None = Field(default=None, ge=0, le=10_000)
    citation: Text
    in_force: InForceSpec | None = None
    in_force_note: Text | None = None
    override: StrictBool = False


class PredecessorSpec(_Spec):
    """An earlier body that filled a role until a date."""

    id: Ident
    name: Text
    until: IsoDate


class RoleSpec(_Spec):
    """A role at meetings (e.g. a safeguarding partner), with the bodies that held it before."""

    name: Text
    predecessors: list[PredecessorSpec] = Field(default_factory=list)
    override: StrictBool = False


class QuorumSpec(_Spec):
    """What makes a meeting quorate."""

    each_of: list[Ident] = Field(default_factory=list)
    at_least: StrictInt | None = Field(default=None, ge=1, le=1000)
    chair: Ident | None = None


class MeetingSpec(_Spec):
    """A meeting and its quorum rule."""

    name: Text
    quorum: QuorumSpec
    citation: Text
    note: Text | None = None


class NoteSpec(_Spec):
    """Where the document departs from the law or is ambiguous, and the reading the pack takes."""

    about: Text
    text: Text
    ref: Text | None = None


class _ExampleBase(_Spec):
    description: Text
    cite: Text


class DecideExample(_ExampleBase):
    """Facts → expected statuses (and notifications)."""

    kind: Literal["decide"]
    facts: dict[str, Any]
    expect: dict[str, Literal["required", "consider", "discretionary", "not_eligible", "undetermined"]]
    notifications: list[Ident] | None = None
    missing: dict[str, list[Ident]] | None = None


class ScheduleExample(_ExampleBase):
    """Start and actual dates → expected milestone dates."""

    kind: Literal["schedule"]
    review: Ident
    start: IsoDate
    actual: dict[str, IsoDate] = Field(default_factory=dict)
    today: IsoDate | None = None
    expect: dict[str, dict[Literal["due", "earliest", "status"], Any]]


class QuorumExample(_ExampleBase):
    """Attendees → quorate or not, and who is missing."""

    kind: Literal["quorum"]
    meeting: Ident
    attendees: list[Text]
    on: IsoDate
    expect_quorate: StrictBool
    expect_missing: list[Ident] = Field(default_factory=list)


ExampleSpec = Annotated[Union[DecideExample, ScheduleExample, QuorumExample], Field(discriminator="kind")]


class PackSpec(_Spec):
    """A policy pack as its author writes it (a partnership pack, or a baseline others extend)."""

    pack: Ident | None = None
    baseline: Ident | None = None
    extends: Ident | None = None
    document: DocumentSpec | None = None
    facts: dict[Ident, FactSpec] = Field(default_factory=dict)
    definitions: dict[Ident, DefinitionSpec] = Field(default_factory=dict)
    reviews: dict[Ident, ReviewSpec] = Field(default_factory=dict)
    notifications: dict[Ident, NotificationSpec] = Field(default_factory=dict)
    roles: dict[Ident, RoleSpec] = Field(default_factory=dict)
    meetings: dict[Ident, MeetingSpec] = Field(default_factory=dict)
    notes: list[NoteSpec] = Field(default_factory=list)
    examples: list[ExampleSpec] = Field(default_factory=list)
