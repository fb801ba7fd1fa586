"""Stage 4c, check quorum: ``CompiledPack`` × meeting × attendees × date → ``QuorumResult``.

A role is filled by an attendee of that role, or, on dates up to a predecessor's last day, by an
attendee of the predecessor body (e.g. the CCG before the ICB took over on 1 July 2022).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from .compile import CompiledPack, Role
from .errors import did_you_mean
from .models import QuorumResult, QuorumStep

__all__ = ["check_quorum", "role_on"]


def role_on(role: Role, on: date) -> str:
    """The id of the body that held ``role`` on a date."""
    for pid, _name, until in role.predecessors:
        if on <= until:
            return pid
    return role.id


def _holders(role: Role) -> list[tuple[str, date | None, date | None]]:
    """(body id, first day, last day) for each body that has held the role."""
    out: list[tuple[str, date | None, date | None]] = []
    first: date | None = None
    for pid, _name, until in role.predecessors:
        out.append((pid, first, until))
        first = date.fromordinal(until.toordinal() + 1)
    out.append((role.id, first, None))
    return out


def check_quorum(pack: CompiledPack, meeting: str, *, attendees: Iterable[str], on: date | None = None) -> QuorumResult:
    """See :meth:`lif_rules.PolicyPack.check_quorum`."""
    if meeting not in pack.meetings:
        if pack.meetings:
            known = f"meetings with a quorum rule: {', '.join(pack.meetings)}"
        else:
            known = f"the {pack.document.short_title} sets no quorum for any meeting"
        raise LookupError(f"pack {pack.id!r} has no quorum rule for meeting {meeting!r}"
                          f"{did_you_mean(str(meeting), pack.meetings)}; {known}")
    rule = pack.meetings[meeting]
    if on is None:
        on = date.today()
    if isinstance(on, datetime) or not isinstance(on, date):
        raise ValueError(f"on must be a date (datetime.date), got {on!r}")
    if isinstance(attendees, (str, bytes)) or not isinstance(attendees, Iterable):
        raise ValueError(f"attendees must be a list of role ids, got {attendees!r}")
    present: list[str] = []
    for a in attendees:
        if not isinstance(a, str):
            raise ValueError(f"attendees must be role ids (strings), got {a!r}")
        if a not in present:
            present.append(a)
    holder_of: dict[str, tuple[Role, date | None, date | None]] = {}
    for role in pack.roles.values():
        for body, first, last in _holders(role):
            holder_of[body] = (role, first, last)
    steps: list[QuorumStep] = []
    missing: list[str] = []
    counted: set[str] = set()
    notes: list[str] = []
    for role_id in rule.each_of:
        role = pack.roles[role_id]
        current = role_on(role, on)
        filled_by: list[str] = []
        reasons: list[str] = []
        for body, first, last in _holders(role):
            if body not in present:
                continue
            if (first is None or on >= first) and (last is None or on <= last):
                filled_by.append(body)
                counted.add(body)
            elif last is not None and on > last:
                reasons.append(f"{body!r} attended but held this role only until {last.isoformat()}")
            elif first is not None and on < first:
                reasons.append(f"{body!r} attended but held this role only from {first.isoformat()}")
        satisfied = bool(filled_by)
        if satisfied:
            reason = f"filled by {', '.join(repr(b) for b in filled_by)}"
        else:
            reason = f"no representative of {current!r} ({_name(role, current)}) on {on.isoformat()}"
            missing.append(current)
        if reasons:
            reason += "; " + "; ".join(reasons)
        steps.append(QuorumStep(role=role_id, role_on_date=current, filled_by=filled_by, satisfied=satisfied, reason=reason))
    quorate = not missing
    if rule.chair is not None:
        chair_role = pack.roles[rule.chair]
        current = role_on(chair_role, on)
        ok = any(body in present for body, *_ in _holders(chair_role))
        steps.append(QuorumStep(role=rule.chair, role_on_date=current, filled_by=[current] if ok else [],
                                satisfied=ok, reason="the chair is present" if ok else "the chair is not present"))
        if not ok:
            quorate = False
            missing.append(current)
    known_present = [a for a in present if a in holder_of]
    if rule.at_least is not None:
        ok = len(known_present) >= rule.at_least
        steps.append(QuorumStep(role="(count)", role_on_date="(count)", filled_by=known_present, satisfied=ok,
                                reason=f"{len(known_present)} of at least {rule.at_least} members present"))
        quorate = quorate and ok
    others = [a for a in present if a not in holder_of]
    if others:
        notes.append(f"not roles of this pack, counted as other attendees: {', '.join(others)}")
    return QuorumResult(pack=pack.id, meeting=meeting, on=on, quorate=quorate, missing=missing, trace=steps,
                        citation=rule.citation, other_attendees=others, notes=notes + ([rule.note] if rule.note else []))


def _name(role: Role, body: str) -> str:
    for pid, name, _until in role.predecessors:
        if pid == body:
            return name
    return role.name
