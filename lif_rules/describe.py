"""A pack's description: ``CompiledPack`` → ``PackDescription`` (document, facts, reviews, duties, meetings, notes).

What an integrator or a board needs to know about a pack before asking it anything: the ids it
answers to, the values each fact allows, and where every rule comes from. ``lif-rules show``,
``lif-rules packs`` and the decision service all answer with these models.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from .core.compiled import CompiledPack, Fact, Meeting, MilestoneRule, NotificationRule, Period, Review, Role
from .models import _Duty, _Model

__all__ = [
    "InForce", "DocumentDescription", "FactDescription", "ReviewDescription", "NotificationDescription",
    "PredecessorDescription", "RoleDescription", "MeetingDescription", "NoteDescription", "PackDescription",
    "PackSummary", "describe",
]


class InForce(_Model):
    """The period something is in force: from its first day to its last (``None``: open-ended)."""

    from_date: date | None
    to_date: date | None


class DocumentDescription(_Model):
    """The framework document a pack encodes."""

    title: str
    short_title: str
    publisher: str
    source: str
    version: str | None
    published: str | None
    approved: date | None
    review_due: date | None
    in_force: InForce
    regime: list[str]


class FactDescription(_Model):
    """A fact a case may state, and the values it allows (``[true, false]`` for a boolean)."""

    name: str
    type: Literal["bool", "enum"]
    values: list[bool | str]
    description: str


class ReviewDescription(_Model):
    """A review type: its legal basis, who decides, where it comes from and its timetable's milestone ids."""

    id: str
    name: str
    legal_basis: str
    decided_by: str
    citation: str
    in_force: InForce | None
    has_timetable: bool
    milestones: list[str]


class NotificationDescription(_Duty):
    """A duty to notify: who notifies whom, by when, and where the duty comes from."""

    in_force: InForce | None


class PredecessorDescription(_Model):
    """A body that held a role until a date (e.g. the clinical commissioning group before the ICB)."""

    id: str
    name: str
    until: date


class RoleDescription(_Model):
    """A role at meetings (an attendee id ``check_quorum`` counts), with the bodies that held it before, and
    when the role is in force (``None``: at all times)."""

    id: str
    name: str
    predecessors: list[PredecessorDescription]
    in_force: InForce | None = None


class MeetingDescription(_Model):
    """A meeting with a quorum rule: each role it needs, how many of the pack's roles at least (each counted
    once, not people), who chairs, and when the quorum rule is in force (``None``: at all times)."""

    id: str
    name: str
    each_of: list[str]
    at_least: int | None
    chair: str | None
    citation: str
    note: str | None
    in_force: InForce | None = None


class NoteDescription(_Model):
    """Where the document departs from the law or is ambiguous, and the reading the pack takes."""

    about: str
    text: str
    ref: str | None


class PackSummary(_Model):
    """One line of a list of packs: id, title, version, in-force period and review type ids."""

    id: str
    title: str
    short_title: str
    version: str | None
    sha256: str
    in_force: InForce
    reviews: list[str]


class PackDescription(_Model):
    """Everything a pack says, apart from its rules' conditions: see ``PolicyPack.describe``."""

    id: str
    version: str | None
    sha256: str
    document: DocumentDescription
    facts: list[FactDescription]
    reviews: list[ReviewDescription]
    notifications: list[NotificationDescription]
    roles: list[RoleDescription]
    meetings: list[MeetingDescription]
    notes: list[NoteDescription]

    def summary(self) -> PackSummary:
        """The pack's line in a list of packs."""
        return PackSummary(id=self.id, title=self.document.title, short_title=self.document.short_title,
                           version=self.version, sha256=self.sha256, in_force=self.document.in_force,
                           reviews=[r.id for r in self.reviews])


def describe(pack: CompiledPack, sha256: str) -> PackDescription:
    """The description of a compiled pack whose text (with its baselines') has this SHA-256."""
    doc = pack.document
    return PackDescription(
        id=pack.id,
        version=doc.version,
        sha256=sha256,
        document=DocumentDescription(
            title=doc.title, short_title=doc.short_title, publisher=doc.publisher, source=doc.source,
            version=doc.version, published=doc.published, approved=doc.approved, review_due=doc.review_due,
            in_force=InForce(from_date=doc.in_force.from_, to_date=doc.in_force.to), regime=list(doc.regime)),
        facts=[_fact(f) for f in pack.facts],
        reviews=[_review(r, in_force) for r, in_force in _every(pack, "reviews")],
        notifications=[_notification(n, in_force) for n, in_force in _every(pack, "notifications")],
        roles=[_role(r, in_force) for r, in_force in _every(pack, "roles")],
        meetings=[_meeting(m, in_force) for m, in_force in _every(pack, "meetings")],
        notes=[NoteDescription(about=n.about, text=n.text, ref=n.ref) for n in pack.notes],
    )


def in_pack_order(review: Review) -> list[MilestoneRule]:
    """A review's milestones in the order the pack defines them."""
    return sorted(review.milestones, key=lambda m: m.position)


def _every(pack: CompiledPack, kind: str) -> list[tuple[Any, InForce | None]]:
    """Each item in force in some period (in the order of :meth:`CompiledPack.ever_in_force`), at its latest
    version in force, with its span."""
    return [(versions[-1][1], _span(versions)) for _, versions in pack.in_force_versions(kind, pack.ever_in_force(kind))]


def _span(versions: list[tuple[Period, Any]]) -> InForce | None:
    """From the first day of the first version to the last day of the last (``None``: at all times)."""
    first, last = versions[0][0][0], versions[-1][0][1]
    return None if first is None and last is None else InForce(from_date=first, to_date=last)


def _fact(f: Fact) -> FactDescription:
    kind: Literal["bool", "enum"] = "bool" if f.type == "bool" else "enum"
    return FactDescription(name=f.name, type=kind, values=list(f.values), description=f.description)


def _review(r: Review, in_force: InForce | None) -> ReviewDescription:
    return ReviewDescription(id=r.id, name=r.name, legal_basis=r.legal_basis, decided_by=r.decided_by,
                             citation=r.citation, in_force=in_force,
                             has_timetable=bool(r.milestones),
                             milestones=[m.id for m in in_pack_order(r)])


def _notification(n: NotificationRule, in_force: InForce | None) -> NotificationDescription:
    return NotificationDescription(id=n.id, name=n.name, by=n.by, to=list(n.to), deadline=n.deadline,
                                   citation=n.citation, in_force=in_force)


def _role(r: Role, in_force: InForce | None) -> RoleDescription:
    return RoleDescription(id=r.id, name=r.name, predecessors=[
        PredecessorDescription(id=pid, name=name, until=until) for pid, name, until in r.predecessors],
        in_force=in_force)


def _meeting(m: Meeting, in_force: InForce | None) -> MeetingDescription:
    return MeetingDescription(id=m.id, name=m.name, each_of=list(m.each_of), at_least=m.at_least, chair=m.chair,
                              citation=m.citation, note=m.note, in_force=in_force)
