"""The authoring format: pydantic models of a pack as its author writes it (``PackSpec``).

Every model forbids unknown keys; :mod:`lif_rules.shape` turns what pydantic finds into located problems.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, StrictBool, StrictInt, Tag

from ..models import MilestoneStatus
from .expr import KEYWORDS

__all__ = [
    "PackSpec", "DocumentSpec", "FactSpec", "DefinitionSpec", "ReviewSpec", "RuleSpec", "NoteSpec",
    "NotificationSpec", "MilestoneSpec", "OffsetSpec", "RecurrenceSpec", "RoleSpec", "PredecessorSpec",
    "MeetingSpec", "QuorumSpec", "AttendeeSpec", "ExampleSpec", "DecideExample", "ScheduleExample", "QuorumExample",
    "MilestoneExpectation",
    "InForceSpec", "Status", "LegalBasis", "DefinitionVersions", "RuleVersions", "ReviewVersions",
    "NotificationVersions", "RoleVersions", "MeetingVersions", "MilestoneVersions", "VERSION_TAGS",
    "DefinitionBody", "RuleBody", "ReviewBody", "NotificationBody", "RoleBody", "MeetingBody", "MilestoneBody",
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
Text = Annotated[str, BeforeValidator(_text), Field(strict=True, json_schema_extra={
    "pattern": r"\S", "patternErrorMessage": "must not be empty"})]
Ident = Annotated[str, Field(strict=True, pattern=r"^[a-z][a-z0-9_]*$")]

# What the loader checks after shaping that the JSON Schema editors use can say as well (``json_schema_extra``):
# an editor then marks it as the author types, and a pack it accepts is one the loader accepts.


def _given(*keys: str) -> dict[str, Any]:
    """JSON Schema: each of ``keys`` is written with a value (null is read as not written)."""
    return {"required": list(keys), "properties": {k: {"not": {"type": "null"}} for k in keys}}


def _true(key: str) -> dict[str, Any]:
    """JSON Schema: ``key: true`` is written."""
    return {"required": [key], "properties": {key: {"const": True}}}


def _nonempty(key: str) -> dict[str, Any]:
    """JSON Schema: ``key`` is written with a value that is neither null nor an empty list."""
    return {"required": [key], "properties": {key: {"not": {"anyOf": [{"type": "null"}, {"type": "array", "maxItems": 0}]}}}}


_NOT_A_WORD: dict[str, Any] = {"not": {"enum": sorted(KEYWORDS)}}  # and, or, not... are words of conditions


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class InForceSpec(_Spec):
    """The period a document or an item is in force: ``from`` and ``to`` inclusive, open-ended when absent."""

    from_: IsoDate | None = Field(default=None, alias="from")
    to: IsoDate | None = None


VERSION_TAGS = ("one version", "as versions")  # not a key of the data, so a path never confuses them
"""How a dated item is written: one body (with an optional ``in_force``), or ``versions:``, a list of bodies."""


def _written_as(value: Any) -> str:
    return VERSION_TAGS[1] if isinstance(value, dict) and "versions" in value else VERSION_TAGS[0]


_ONE = Tag(VERSION_TAGS[0])
_MANY = Tag(VERSION_TAGS[1])
_WRITTEN_AS = Discriminator(_written_as)


class _Identified(_Spec):
    id: Ident


class _Dated(_Spec):
    """An item that may be dated: each body ends with its own ``in_force`` (kept last, as authors read it)."""


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
    """A fact a case may state: a boolean or one value of an enum (``values``: at least two, each once)."""

    model_config = ConfigDict(json_schema_extra={
        "if": {"required": ["type"], "properties": {"type": {"const": "bool"}}},
        "then": {"properties": {"values": {"type": "null"}}},
        "else": {"required": ["values"], "properties": {"values": {
            "type": "array", "minItems": 2, "uniqueItems": True, "items": _NOT_A_WORD}}},
    })

    type: Literal["bool", "enum"]
    values: list[Ident] | None = None
    description: Text
    override: StrictBool = False


class DefinitionBody(_Dated):
    """A named condition (e.g. a statutory definition) other conditions can use by name."""

    when: Text
    citation: Text
    description: Text | None = None
    in_force: InForceSpec | None = None


class DefinitionSpec(DefinitionBody):
    override: StrictBool = False


class DefinitionVersions(_Spec):
    """A definition that changed over time: its versions, each with its own ``in_force``."""

    versions: list[DefinitionBody] = Field(min_length=1)
    override: StrictBool = False


class RuleBody(_Dated):
    """One eligibility rule: a review's rules are tried in order, and the first whose condition holds gives it its status."""

    when: Text
    status: Status
    citation: Text
    because: Text | None = None
    in_force: InForceSpec | None = None


class RuleSpec(RuleBody, _Identified):
    """A rule written as one body (its id first)."""


class RuleVersions(_Spec):
    """A rule that changed over time: its versions, each with its own ``in_force``."""

    id: Ident
    versions: list[RuleBody] = Field(min_length=1)


_UNITS = ("working_days", "day", "months", "weeks", "days")
_CALENDAR = ("months", "weeks", "days")


class OffsetSpec(_Spec):
    """A date computed from an anchor milestone: working days, or calendar units, or Day N."""

    model_config = ConfigDict(json_schema_extra={
        "anyOf": [_given(unit) for unit in _UNITS],  # an offset needs one of them
        "not": {"anyOf": [_given(alone, other) for n, alone in enumerate(("working_days", "day"))
                          for other in _UNITS[n + 1:]]},  # working_days and day are each written alone
    })

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


class MilestoneBody(_Dated):
    """A step of a review's timetable.

    ``start: true`` marks the review's first event (its date is the start date); ``before_start: true``
    an event on or before it (e.g. becoming aware of an incident before the referral), dated by its
    actual date, else the start date. Any other milestone has ``due``, ``earliest`` or ``recurring``
    (a recurring one takes its dates from ``recurring`` alone); ``roll`` is for the dates it computes.
    """

    model_config = ConfigDict(json_schema_extra={
        "oneOf": [_true("start"), _true("before_start"), {"anyOf": [_given("due"), _given("earliest"), _given("recurring")]}],
        "not": {"anyOf": [
            {"allOf": [_given("recurring"), {"anyOf": [_nonempty("due"), _nonempty("earliest")]}]},
            {"allOf": [_given("roll"), {"anyOf": [_true("start"), _true("before_start")]}]},
        ]},
    })

    name: Text
    citation: Text
    start: StrictBool = False
    before_start: StrictBool = False
    due: OffsetSpec | list[OffsetSpec] | None = None
    earliest: OffsetSpec | list[OffsetSpec] | None = None
    recurring: RecurrenceSpec | None = None
    roll: Literal["forward", "backward"] | None = None
    note: Text | None = None
    in_force: InForceSpec | None = None


class MilestoneSpec(MilestoneBody, _Identified):
    """A milestone written as one body (its id first)."""


class MilestoneVersions(_Spec):
    """A milestone whose rule changed over time: its versions, each with its own ``in_force``."""

    id: Ident
    versions: list[MilestoneBody] = Field(min_length=1)


# Each item is written either as one body or as ``versions:``, each version a body with its own ``in_force``.
RuleEntry = Annotated[Union[Annotated[RuleSpec, _ONE], Annotated[RuleVersions, _MANY]], _WRITTEN_AS]
MilestoneEntry = Annotated[Union[Annotated[MilestoneSpec, _ONE], Annotated[MilestoneVersions, _MANY]], _WRITTEN_AS]


class ReviewBody(_Dated):
    """A review type the document describes: its legal basis, who decides, its rules and timetable."""

    name: Text
    legal_basis: LegalBasis
    decided_by: Text
    citation: Text
    rules: list[RuleEntry] = Field(default_factory=list)
    otherwise: Status = "not_eligible"
    otherwise_because: Text | None = None
    milestones: list[MilestoneEntry] = Field(default_factory=list)
    in_force: InForceSpec | None = None


ReviewSpec = ReviewBody


class ReviewVersions(_Spec):
    """A review type that changed over time as a whole: its versions, each with its own ``in_force``."""

    versions: list[ReviewBody] = Field(min_length=1)


class NotificationBody(_Dated):
    """A duty to notify when a condition holds."""

    name: Text
    by: Text
    to: list[Text] = Field(min_length=1)
    when: Text
    deadline: Text
    deadline_working_days: StrictInt | None = Field(default=None, ge=0, le=10_000)
    citation: Text
    in_force: InForceSpec | None = None


class NotificationSpec(NotificationBody):
    override: StrictBool = False


class NotificationVersions(_Spec):
    """A duty to notify that changed over time: its versions, each with its own ``in_force``."""

    versions: list[NotificationBody] = Field(min_length=1)
    override: StrictBool = False


class PredecessorSpec(_Spec):
    """An earlier body that filled a role up to and including its ``until`` day."""

    id: Ident
    name: Text
    until: IsoDate


class RoleBody(_Dated):
    """A role at meetings (e.g. a safeguarding partner), with the bodies that held it before."""

    name: Text
    predecessors: list[PredecessorSpec] = Field(default_factory=list)
    in_force: InForceSpec | None = None


class RoleSpec(RoleBody):
    override: StrictBool = False


class RoleVersions(_Spec):
    """A role that changed over time: its versions, each with its own ``in_force``."""

    versions: list[RoleBody] = Field(min_length=1)
    override: StrictBool = False


class QuorumSpec(_Spec):
    """What makes a meeting quorate.

    ``each_of``: roles that must each be filled; ``at_least``: how many of the pack's roles must be;
    ``chair``: the role that must chair; ``one_role_per_person``: one attendee fills at most one role
    (a person who holds two partners' roles counts for one of them), decided by a maximum matching of
    attendees to roles.
    """

    model_config = ConfigDict(json_schema_extra={
        "anyOf": [{"required": ["each_of"], "properties": {"each_of": {"minItems": 1}}}, _given("at_least"), _given("chair")],
    })

    each_of: list[Ident] = Field(default_factory=list, json_schema_extra={"uniqueItems": True})
    at_least: StrictInt | None = Field(default=None, ge=1, le=1000)
    chair: Ident | None = None
    one_role_per_person: StrictBool = False


class MeetingBody(_Dated):
    """A meeting and its quorum rule."""

    name: Text
    quorum: QuorumSpec
    citation: Text
    note: Text | None = None
    in_force: InForceSpec | None = None


MeetingSpec = MeetingBody


class MeetingVersions(_Spec):
    """A meeting whose quorum rule changed over time: its versions, each with its own ``in_force``."""

    versions: list[MeetingBody] = Field(min_length=1)


DefinitionEntry = Annotated[Union[Annotated[DefinitionSpec, _ONE], Annotated[DefinitionVersions, _MANY]], _WRITTEN_AS]
ReviewEntry = Annotated[Union[Annotated[ReviewSpec, _ONE], Annotated[ReviewVersions, _MANY]], _WRITTEN_AS]
NotificationEntry = Annotated[Union[Annotated[NotificationSpec, _ONE], Annotated[NotificationVersions, _MANY]], _WRITTEN_AS]
RoleEntry = Annotated[Union[Annotated[RoleSpec, _ONE], Annotated[RoleVersions, _MANY]], _WRITTEN_AS]
MeetingEntry = Annotated[Union[Annotated[MeetingSpec, _ONE], Annotated[MeetingVersions, _MANY]], _WRITTEN_AS]


class NoteSpec(_Spec):
    """Where the document departs from the law or is ambiguous, and the reading the pack takes."""

    about: Text
    text: Text
    ref: Text | None = None


class _ExampleBase(_Spec):
    description: Text
    cite: Text


class DecideExample(_ExampleBase):
    """Facts → expected statuses (and notifications): it expects a review's status, its missing facts or the
    notifications."""

    model_config = ConfigDict(json_schema_extra={
        "anyOf": [{"properties": {"expect": {"minProperties": 1}}},
                  {"required": ["missing"], "properties": {"missing": {"type": "object", "minProperties": 1}}},
                  _given("notifications")],
    })

    kind: Literal["decide"]
    facts: dict[str, Any]
    as_of: IsoDate | None = None
    expect: dict[str, Literal["required", "consider", "discretionary", "not_eligible", "undetermined"]]
    notifications: list[Ident] | None = None
    missing: dict[str, list[Ident]] | None = None


class MilestoneExpectation(_Spec):
    """What a schedule example expects of one milestone: its due and earliest dates and its status. Each is
    optional (only those written are checked), and null expects none; at least one is written."""

    model_config = ConfigDict(json_schema_extra={"minProperties": 1})

    due: IsoDate | None = None
    earliest: IsoDate | None = None
    status: MilestoneStatus | None = None


class ScheduleExample(_ExampleBase):
    """Start and actual dates → expected milestone dates and statuses."""

    kind: Literal["schedule"]
    review: Ident
    start: IsoDate
    actual: dict[str, IsoDate] = Field(default_factory=dict)
    today: IsoDate | None = None
    expect: dict[str, MilestoneExpectation] = Field(json_schema_extra={"minProperties": 1})


class AttendeeSpec(_Spec):
    """A person at a meeting and the roles they hold (in a quorum example)."""

    name: Text
    roles: list[Text] = Field(max_length=50)


class QuorumExample(_ExampleBase):
    """Attendees (role ids, or people with their roles) → quorate or not, and who is missing."""

    kind: Literal["quorum"]
    meeting: Ident
    attendees: list[Union[Text, AttendeeSpec]] = Field(max_length=1000)
    on: IsoDate
    expect_quorate: StrictBool
    expect_missing: list[Ident] = Field(default_factory=list)


ExampleSpec = Annotated[Union[DecideExample, ScheduleExample, QuorumExample], Field(discriminator="kind")]


class PackSpec(_Spec):
    """A policy pack as its author writes it (a partnership pack, or a baseline others extend).

    A pack has ``pack``, its ``document`` and at least one review type; a baseline has ``baseline`` and holds
    facts, definitions, notifications, roles and notes only.
    """

    model_config = ConfigDict(json_schema_extra={
        "oneOf": [_given("pack"), _given("baseline")],
        "allOf": [
            {"if": _given("pack"), "then": {"required": ["document", "reviews"], "properties": {
                "document": {"not": {"type": "null"}}, "reviews": {"minProperties": 1}}}},
            {"if": _given("baseline"), "then": {"properties": {
                "reviews": {"maxProperties": 0}, "meetings": {"maxProperties": 0}, "examples": {"maxItems": 0}}}},
        ],
    })

    pack: Ident | None = None
    baseline: Ident | None = None
    extends: Ident | None = None
    document: DocumentSpec | None = None
    facts: dict[Ident, FactSpec] = Field(default_factory=dict, json_schema_extra={"propertyNames": _NOT_A_WORD})
    definitions: dict[Ident, DefinitionEntry] = Field(default_factory=dict, json_schema_extra={"propertyNames": _NOT_A_WORD})
    reviews: dict[Ident, ReviewEntry] = Field(default_factory=dict)
    notifications: dict[Ident, NotificationEntry] = Field(default_factory=dict)
    roles: dict[Ident, RoleEntry] = Field(default_factory=dict)
    meetings: dict[Ident, MeetingEntry] = Field(default_factory=dict)
    notes: list[NoteSpec] = Field(default_factory=list)
    examples: list[ExampleSpec] = Field(default_factory=list)
