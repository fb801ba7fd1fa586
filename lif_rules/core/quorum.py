"""Stage 4c, check quorum: ``CompiledPack`` × meeting × attendees × date → ``QuorumResult``.

A role is filled by an attendee of that role, or, on dates up to a predecessor's last day, by an
attendee of the predecessor body (e.g. the CCG before the ICB took over on 1 July 2022).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from .compiled import CompiledPack, Role
from ..errors import did_you_mean
from ..models import QuorumResult, QuorumStep

__all__ = ["check_quorum", "role_on"]


def role_on(role: Role, on: date) -> str:
    """The id of the body that held ``role`` on a date."""
    for pid, _name, until in role.predecessors:
        if on <= until:
            return pid
    return role.id


def check_quorum(pack: CompiledPack, meeting: str, *, attendees: Iterable[str], on: date | None = None) -> QuorumResult:
    """See :meth:`lif_rules.PolicyPack.check_quorum`."""
    if not isinstance(meeting, str) or meeting not in pack.meetings:
        if pack.meetings:
            known = f"meetings with a quorum rule: {', '.join(pack.meetings)}"
        else:
            known = f"the {pack.document.short_title} sets no quorum for any meeting"
        raise LookupError(f"pack {pack.id!r} has no quorum rule for meeting {meeting!r}"
                          f"{did_you_mean(meeting, pack.meetings) if isinstance(meeting, str) else ''}; {known}")
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
        for body, first, last in role.holders:
            holder_of[body] = (role, first, last)
    steps: list[QuorumStep] = []
    missing: list[str] = []
    asked = list(rule.each_of) + ([rule.chair] if rule.chair is not None and rule.chair not in rule.each_of else [])
    for role_id in asked:
        role = pack.roles[role_id]
        current = role_on(role, on)
        filled_by, reasons = _filled(role, present, on)
        satisfied = bool(filled_by)
        what = "the chair" if role_id == rule.chair else f"{current!r} ({_name(role, current)})"
        reason = f"filled by {', '.join(repr(b) for b in filled_by)}" if satisfied else f"no representative of {what} on {on.isoformat()}"
        if reasons:
            reason += "; " + "; ".join(reasons)
        if not satisfied:
            missing.append(current)
        steps.append(QuorumStep(role=role_id, role_on_date=current, filled_by=filled_by, satisfied=satisfied, reason=reason))
    quorate = not missing
    if rule.at_least is not None:
        members = [a for a in present if a in holder_of and _holds(holder_of[a][1], holder_of[a][2], on)]
        ok = len(members) >= rule.at_least
        steps.append(QuorumStep(role="(count)", role_on_date="(count)", filled_by=members, satisfied=ok,
                                reason=f"{len(members)} of at least {rule.at_least} members present"))
        quorate = quorate and ok
    notes: list[str] = []
    others = [a for a in present if a not in holder_of]
    if others:
        notes.append(f"not roles of this pack, counted as other attendees: {', '.join(others)}")
    return QuorumResult(pack=pack.id, meeting=meeting, on=on, quorate=quorate, missing=missing, trace=steps,
                        citation=rule.citation, other_attendees=others, notes=notes + ([rule.note] if rule.note else []))


def _holds(first: date | None, last: date | None, on: date) -> bool:
    return (first is None or on >= first) and (last is None or on <= last)


def _filled(role: Role, present: list[str], on: date) -> tuple[list[str], list[str]]:
    """Who among those present fills ``role`` on the date, and why any others of its bodies do not."""
    filled_by: list[str] = []
    reasons: list[str] = []
    for body, first, last in role.holders:
        if body not in present:
            continue
        if _holds(first, last, on):
            filled_by.append(body)
        elif last is not None and on > last:
            reasons.append(f"{body!r} attended but held this role only until {last.isoformat()}")
        elif first is not None:
            reasons.append(f"{body!r} attended but held this role only from {first.isoformat()}")
    return filled_by, reasons


def _name(role: Role, body: str) -> str:
    for pid, name, _until in role.predecessors:
        if pid == body:
            return name
    return role.name
