"""Stage 2, shape: plain pack data → ``PackSpec`` (pydantic models of the authoring format).

Every model forbids unknown keys; every problem pydantic finds becomes a located ``Problem``.
"""

from __future__ import annotations

import copy
import re
import types
from datetime import date
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictInt, ValidationError

from .errors import Problem, did_you_mean
from .loading import Document, PathT

__all__ = [
    "PackSpec", "DocumentSpec", "FactSpec", "DefinitionSpec", "ReviewSpec", "RuleSpec", "NoteSpec",
    "NotificationSpec", "MilestoneSpec", "OffsetSpec", "RecurrenceSpec", "RoleSpec", "PredecessorSpec",
    "MeetingSpec", "QuorumSpec", "ExampleSpec", "DecideExample", "ScheduleExample", "QuorumExample",
    "InForceSpec", "Status", "LegalBasis", "shape", "shape_pruned",
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
    """A step of a review's timetable."""

    id: Ident
    name: Text
    citation: Text
    start: StrictBool = False
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


def _data_path(data: Any, loc: tuple[Any, ...]) -> tuple[PathT, bool]:
    """Map a pydantic ``loc`` onto the data's own path, skipping union tags and aliases."""
    path: list[str | int] = []
    node = data
    found = True
    for part in loc:
        key = "from" if part == "from_" else part
        if isinstance(node, dict) and isinstance(key, str) and key in node:
            path.append(key)
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            path.append(key)
            node = node[key]
        elif isinstance(node, dict) and isinstance(key, str) and not key.startswith(("function-", "json-")) and key not in (
            "decide", "schedule", "quorum", "list[OffsetSpec]", "OffsetSpec", "date", "str", "is-instance[date]",
        ):
            path.append(key)  # a missing key: point at its parent
            found = False
            break
    return tuple(path), found


def _fields_of(data: Any, path: PathT) -> list[str]:
    """The keys the schema allows at ``path`` (for "allowed: ..." and did-you-mean)."""
    annotation: Any = PackSpec
    node = data
    for part in path:
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            node = None
        annotation = _step(annotation, part, node)
    model = _narrow(annotation, node)
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return []
    return [f.alias or n for n, f in model.model_fields.items()]


def _narrow(annotation: Any, node: Any) -> Any:
    """Unwrap ``Annotated`` and pick the union member that fits ``node``."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) not in (Union, types.UnionType):
        return annotation
    members = [_narrow(a, node) for a in get_args(annotation) if a is not type(None)]
    models = [a for a in members if isinstance(a, type) and issubclass(a, BaseModel)]
    if isinstance(node, dict) and isinstance(node.get("kind"), str):
        for m in models:
            if "kind" in m.model_fields and node["kind"] in get_args(m.model_fields["kind"].annotation):
                return m
    for a in members:
        if isinstance(node, list) and get_origin(a) is list:
            return a
        if isinstance(node, dict) and (get_origin(a) is dict or a in models):
            return a
    return members[0] if members else None


def _step(annotation: Any, part: str | int, node: Any) -> Any:
    annotation = _narrow(annotation, [] if isinstance(part, int) else {})
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) and isinstance(part, str):
        field = annotation.model_fields.get("from_" if part == "from" else part)
        return field.annotation if field else None
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is dict and len(args) == 2:
        return _narrow(args[1], node)
    if origin is list and args:
        return _narrow(args[0], node)
    return None


def shape(doc: Document) -> tuple[PackSpec | None, list[Problem]]:
    """Validate a document against the authoring schema, returning every located problem.

    Parts with problems are pruned and the rest validated again, so that later stages can still
    check what is left; the spec returned is ``None`` only when nothing usable remains.
    """
    spec, problems, _pruned = shape_pruned(doc)
    return spec, problems


_SECTIONS = ("facts", "definitions", "reviews", "notifications", "roles", "meetings")


def shape_pruned(doc: Document) -> tuple[PackSpec | None, list[Problem], set[str]]:
    """Like :func:`shape`, also returning the names of entries pruned for having problems.

    The paths of conditions inside pruned parts are added to ``doc.orphan_conditions``, so the
    compiler can still check the names they use.
    """
    data = doc.data
    smap = doc.source
    if not isinstance(data, dict):
        got = type(data).__name__ if data is not None else "nothing"
        return None, [smap.problem((), f"a pack is a mapping of keys such as 'pack:' and 'reviews:'; got {got}")], set()
    problems: list[Problem] = []
    pruned: set[str] = set()
    work = copy.deepcopy(data)
    for attempt in range(12):
        try:
            return PackSpec.model_validate(work), problems, pruned
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            kept = [err for err in errors if not _is_other_union_branch(work, err, errors)]
            if attempt == 0:  # later rounds only clear what pruning list items shifted; report the first
                problems.extend(_problem(doc, work, err) for err in kept if not _under_rejected_tag(doc, work, err))
            cuts = {_prune_point(work, err) for err in kept}
            if None in cuts:
                break
            if attempt == 0:
                doc.orphan_conditions.extend(p for cut in cuts if cut is not None for p in _conditions_under(work, cut))
            for cut in sorted(cuts, key=lambda c: (len(c), c), reverse=True):  # type: ignore[arg-type]
                _cut(work, cut, pruned)  # type: ignore[arg-type]
    return None, problems, pruned


def _under_rejected_tag(doc: Document, data: Any, err: Any) -> bool:
    path, _found = _data_path(data, tuple(err["loc"]))
    return any(path[:n] in doc.source.rejected for n in range(len(path) + 1))


def _prune_point(data: Any, err: Any) -> PathT | None:
    """The smallest part of the data to drop so the error goes away (None: nothing sensible)."""
    path, _found = _data_path(data, tuple(err["loc"]))
    if err["type"] == "extra_forbidden":
        return path
    for n in range(len(path), 0, -1):
        p = path[:n]
        if isinstance(p[-1], int) or (len(p) == 2 and p[0] in _SECTIONS):
            return p
    return None


def _conditions_under(data: Any, path: PathT) -> list[PathT]:
    """Paths of the ``when:`` strings inside the part of the data at ``path``."""
    node = data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return []
    found: list[PathT] = []
    stack: list[tuple[PathT, Any]] = [(path, node)]
    while stack:
        p, n = stack.pop()
        if isinstance(n, dict):
            for k, v in n.items():
                if k == "when" and isinstance(v, str):
                    found.append(p + (k,))
                elif isinstance(v, (dict, list)):
                    stack.append((p + (k,), v))
        elif isinstance(n, list):
            stack.extend((p + (i,), v) for i, v in enumerate(n) if isinstance(v, (dict, list)))
    return found


def _cut(data: Any, path: PathT, pruned: set[str]) -> None:
    node = data
    for part in path[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return
    last = path[-1]
    try:
        removed = node[last]
    except (KeyError, IndexError, TypeError):
        return
    if isinstance(removed, dict) and isinstance(removed.get("id"), str):
        pruned.add(removed["id"])
    if len(path) == 2 and path[0] in _SECTIONS:
        pruned.add(str(last))
    if isinstance(node, list) and isinstance(last, int):
        node[last] = None
        while None in node:
            node.remove(None)
    else:
        del node[last]


_SHAPE_ERRORS = {"list_type", "dict_type", "model_type", "model_attributes_type"}


def _is_other_union_branch(data: Any, err: Any, errors: list[Any]) -> bool:
    """A "wrong shape" error from the union member the author plainly did not mean."""
    if err["type"] not in _SHAPE_ERRORS:
        return False
    path, _ = _data_path(data, tuple(err["loc"]))
    return any(
        other is not err and _data_path(data, tuple(other["loc"]))[0][: len(path)] == path
        and other["type"] not in _SHAPE_ERRORS
        for other in errors
    )


def _problem(doc: Document, data: Any, err: Any) -> Problem:
    smap = doc.source
    loc = tuple(err["loc"])
    path, found = _data_path(data, loc)
    kind = err["type"]
    if kind == "extra_forbidden":
        key = str(path[-1]) if path else "?"
        allowed = _fields_of(data, path[:-1])
        hint = did_you_mean(key, allowed)
        listed = f"; allowed: {', '.join(allowed)}" if allowed else ""
        return smap.problem(path, f"unexpected key {key!r}{listed}{hint}", key=True)
    if kind == "missing":
        return smap.problem(path[:-1] if not found else path, f"missing required key {str(loc[-1]).rstrip('_')!r}")
    got = err.get("input")
    if kind == "union_tag_invalid" and isinstance(got, dict) and "kind" in got:
        return smap.problem(path + ("kind",), _message(err))
    if "[key]" in loc and isinstance(got, str):
        allowed = re.findall(r"'([^']+)'", err.get("msg", ""))
        listed = f"; allowed: {', '.join(allowed)}" if allowed else ""
        at = path if path and path[-1] == got else path + (got,)
        return smap.problem(at, f"unexpected key {got!r}{listed}{did_you_mean(got, allowed)}", key=True)
    message = _message(err)
    word = smap.yaml11_words.get(path)
    if word is not None and kind in ("bool_type", "bool_parsing"):
        message += f" ({word!r} is a string in YAML 1.2; write true or false)"
    elif kind in ("literal_error", "enum") and isinstance(got, str):
        expected = re.findall(r"'([^']+)'", err.get("msg", ""))
        message = f"{got!r} is not one of: {', '.join(expected)}{did_you_mean(got, expected)}"
    return smap.problem(path, message)


def _message(err: Any) -> str:
    msg: str = err["msg"]
    got = err.get("input")
    kind = err["type"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    simple = {
        "string_type": "expected a string",
        "bool_type": "expected true or false",
        "int_type": "expected a whole number",
        "dict_type": "expected a mapping",
        "list_type": "expected a list",
        "model_type": "expected a mapping",
        "model_attributes_type": "expected a mapping",
        "string_pattern_mismatch": "expected an identifier: lowercase letters, digits and '_', starting with a letter",
    }
    if kind in simple:
        msg = simple[kind]
        if not isinstance(got, (dict, list)):
            msg += f", got {got!r}"
        return msg
    if kind == "union_tag_invalid":
        tag = str(err.get("ctx", {}).get("tag"))
        kinds = ["decide", "schedule", "quorum"]
        return f"'kind' must be one of: {', '.join(kinds)}; got {tag!r}{did_you_mean(tag, kinds)}"
    if kind == "union_tag_not_found":
        return "missing required key 'kind' (one of: decide, schedule, quorum)"
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type", "datetime_from_date_parsing"):
        return f"{got!r} is not a real date (written YYYY-MM-DD)"
    if kind == "too_short":
        return "must not be empty"
    if kind in ("literal_error", "enum"):
        expected = re.findall(r"'([^']+)'", msg)
        return f"expected one of: {', '.join(expected)}; got {_short(got)}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{got!r} is out of range: {msg.split('should be ', 1)[-1]}"
    return msg[:1].lower() + msg[1:]


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..." 
