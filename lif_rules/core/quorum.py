"""Stage 4c, check quorum: ``CompiledPack`` × meeting × attendees × date → ``QuorumResult``.

A role is filled by an attendee who holds it, or, on dates up to a predecessor's last day, by an
attendee of the predecessor body (e.g. the CCG before the ICB took over on 1 July 2022). Attendees
are people with the roles they hold (``{"name": "Jo Smith", "roles": ["police"]}``) or plain role
ids, each one attendee with one role. Where the quorum rule says one person fills one role
(``one_role_per_person``), people are matched to the roles the rule asks for by a maximum bipartite
matching, so a person who holds two partners' roles counts for one of them only.

Reading the attendees and counting are linear in the attendees given (times the few roles a rule
asks for), and at most :data:`MAX_ATTENDEES` are taken.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Union

from .compiled import CompiledPack, Meeting, Role, in_period
from ..frozen import frozen_list
from ..errors import did_you_mean, short_repr
from ..models import QuorumResult, QuorumStep, construct

__all__ = ["check_quorum", "role_on", "read_attendees", "Attendee", "AttendeeInput", "MAX_ATTENDEES",
           "MAX_ROLES_PER_ATTENDEE", "MAX_TEXT"]

MAX_ATTENDEES = 1000
"""The most attendees one quorum check takes; more raise ``ValueError``."""
MAX_ROLES_PER_ATTENDEE = 50
"""The most roles one attendee may be given."""
MAX_TEXT = 200
"""The longest name or role id an attendee may be given, in characters."""

AttendeeInput = Union[str, Mapping[str, Any]]
"""A plain role id, or a person: ``{"name": "Jo Smith", "roles": ["police", "local_authority"]}``."""

_PERSON = "{'name': 'Jo Smith', 'roles': ['police']}"


@dataclass(frozen=True)
class Attendee:
    """One attendee as counted: the name shown in the trace, the role ids held, and whether it was named.

    A plain role id is an unnamed attendee shown by its role id. Entries with the same name (ignoring
    case, spaces around and between words, and how Unicode writes its letters) are one person, holding
    the roles of all of them; a person given without a name (shown as ``attendee N``) is one of their own.
    """

    label: str
    roles: tuple[str, ...]
    named: bool


def role_on(role: Role, on: date) -> str:
    """The id of the body that held ``role`` on a date."""
    for pid, _name, until in role.predecessors:
        if on <= until:
            return pid
    return role.id


def _text(value: str) -> str:
    """A plain ``str`` with the same characters (a subclass's own methods never run later)."""
    return value if value.__class__ is str else str.__str__(value)


def _checked_text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what} must be text, got {short_repr(value)}")
    if len(value) > MAX_TEXT:
        raise ValueError(f"{what} is longer than {MAX_TEXT} characters: {short_repr(value)}")
    return _text(value)


def read_attendees(attendees: Any) -> list[Attendee]:
    """Check and normalise the attendees given to ``check_quorum``.

    Raises:
        ValueError: not a list (or other ordered iterable) of role ids and people; more than
            :data:`MAX_ATTENDEES`; a person without ``roles``, with keys other than ``name`` and
            ``roles``, or with roles that are not role ids (strings).
    """
    if isinstance(attendees, (str, bytes, bytearray, Mapping, set, frozenset)) or not isinstance(attendees, Iterable):
        kind = " (an unordered set)" if isinstance(attendees, (set, frozenset)) else ""
        raise ValueError(f"attendees must be a list of role ids or of people ({_PERSON}), "
                         f"got {short_repr(attendees)}{kind}")
    out: list[Attendee] = []
    people: dict[str, int] = {}  # a name's identity (see _identity) -> position in out
    for n, item in enumerate(attendees, start=1):
        if n > MAX_ATTENDEES:
            raise ValueError(f"too many attendees: more than {MAX_ATTENDEES:,}, the most one quorum check takes")
        if isinstance(item, str):
            role = _role_id(item, f"attendee {n}")
            out.append(Attendee(role, (role,), False))
            continue
        if not isinstance(item, Mapping):
            raise ValueError(f"attendee {n} must be a role id (a string) or a person ({_PERSON}), got {short_repr(item)}")
        name, roles = _person(item, n)
        identity = _identity(name) if "name" in item else None  # a person left unnamed is nobody else
        if identity is not None and identity in people:
            k = people[identity]
            merged = out[k].roles + tuple(r for r in roles if r not in out[k].roles)
            if len(merged) > MAX_ROLES_PER_ATTENDEE:
                raise ValueError(f"attendee {n} ({name}) holds more than {MAX_ROLES_PER_ATTENDEE} roles")
            out[k] = Attendee(out[k].label, merged, True)
        else:
            if identity is not None:
                people[identity] = len(out)
            out.append(Attendee(" ".join(name.split()), roles, True))
    return out


def _identity(name: str) -> str:
    """Who a name stands for: "Jo Smith", "jo smith" and " Jo  Smith " are one person, and so are the
    Unicode forms of one name ("José" typed as one character or as "e" and an accent; full-width letters),
    so that one person written two ways never fills two roles where one person fills one."""
    return unicodedata.normalize("NFKC", " ".join(unicodedata.normalize("NFKC", name).split()).casefold())


def _role_id(value: Any, what: str) -> str:
    role = _checked_text(value, what)
    if role != role.strip():
        raise ValueError(f"{what} {short_repr(role)} has spaces around it; a role id is written without them")
    return role


def _person(item: Mapping[Any, Any], n: int) -> tuple[str, tuple[str, ...]]:
    """The name (``attendee N`` when none is given) and distinct roles of a person given as a mapping."""
    for key in item:
        if key not in ("name", "roles"):
            raise ValueError(f"attendee {n} has an unknown key {short_repr(key)}; a person is written {_PERSON}")
    name = _checked_text(item["name"], f"attendee {n}'s name") if "name" in item else f"attendee {n}"
    if not name.strip():
        raise ValueError(f"attendee {n}'s name must not be empty")
    if "roles" not in item:
        raise ValueError(f"attendee {n} ({name}) has no 'roles': list the role ids the person holds, e.g. {_PERSON}")
    given = item["roles"]
    if isinstance(given, (str, bytes)) or not isinstance(given, Sequence):
        raise ValueError(f"attendee {n} ({name}): 'roles' must be a list of role ids, got {short_repr(given)}")
    if len(given) > MAX_ROLES_PER_ATTENDEE:
        raise ValueError(f"attendee {n} ({name}) holds more than {MAX_ROLES_PER_ATTENDEE} roles")
    roles: dict[str, None] = {}
    for role in given:
        if not isinstance(role, str):
            raise ValueError(f"attendee {n} ({name}): roles must be role ids (strings), got {short_repr(role)}")
        roles[_role_id(role, f"attendee {n} ({name})'s role")] = None
    return name, tuple(roles)


def check_quorum(pack: CompiledPack, meeting: str, *, attendees: Any, on: date) -> QuorumResult:
    """See :meth:`lif_rules.PolicyPack.check_quorum`; ``on`` is a checked date (the caller supplies today)."""
    if not isinstance(meeting, str) or meeting not in pack.meetings:
        if pack.meetings:
            known = f"meetings with a quorum rule: {', '.join(pack.meetings)}"
        else:
            known = f"the {pack.document.short_title} sets no quorum for any meeting"
        raise LookupError(f"pack {pack.id!r} has no quorum rule for meeting {short_repr(meeting)}"
                          f"{did_you_mean(meeting, pack.meetings) if isinstance(meeting, str) else ''}; {known}")
    rule = pack.meetings[meeting]
    return _Count(pack, rule, read_attendees(attendees), on).result()


class _Count:
    """One quorum check: who holds which role on the date, and who fills what."""

    def __init__(self, pack: CompiledPack, rule: Meeting, people: list[Attendee], on: date):
        self.pack, self.rule, self.people, self.on = pack, rule, people, on
        self.bodies = pack.latest.bodies
        self.body_of = {rid: role_on(role, on) for rid, role in pack.roles.items()}  # role -> its body on the date
        self.holding: dict[str, list[int]] = {}  # body id -> attendees holding it, in the order given
        for k, person in enumerate(people):
            for body in person.roles:
                self.holding.setdefault(body, []).append(k)
        self.asked = rule.asked

    def candidates(self, role: Role) -> tuple[str, list[int]]:
        """The body that holds ``role`` on the date, and the attendees holding that body."""
        body = self.body_of[role.id]
        return body, self.holding.get(body, [])

    def result(self) -> QuorumResult:
        rule, on = self.rule, self.on
        roles = self.pack.roles
        assigned, role_of_person = self._matching() if rule.one_role_per_person else (None, {})
        steps: list[QuorumStep] = []
        missing: list[str] = []
        for role_id in self.asked:
            role = roles[role_id]
            body, holders = self.candidates(role)
            if assigned is not None:
                fillers = [assigned[role_id]] if role_id in assigned else []
            else:
                fillers = holders
            labels = list(dict.fromkeys(self.people[k].label for k in fillers))
            what = "the chair" if role_id == rule.chair else f"{body!r} ({_name(role, body)})"
            if labels:
                reason = "filled by " + ", ".join(self._who(k, body) for k in dict.fromkeys(fillers))
            else:
                if holders:  # every holder fills another role the rule asks for
                    taken = [f"{self.people[k].label} fills {role_of_person.get(k, '?')!r}"
                             for k in dict.fromkeys(holders)]
                    reason = (f"no representative of {what} free to fill it on {on.isoformat()}: {'; '.join(taken)} "
                              f"(one person fills one role)")
                else:
                    reason = f"no representative of {what} on {on.isoformat()}"
                missing.append(body)
            others = self._out_of_date(role)
            if others:
                reason += "; " + "; ".join(others)
            steps.append(_step(role_id, body, labels, bool(labels), reason, [body] * len(labels)))
        quorate = not missing
        if rule.at_least is not None:
            if assigned is not None:
                counted = [self.body_of[r] for r in roles if r in assigned]
                words = "members present, one role each"
            else:
                counted = [self.body_of[r] for r in roles if self.holding.get(self.body_of[r])]
                words = "members present"
            ok = len(counted) >= rule.at_least
            steps.append(_step("(count)", "(count)", counted, ok, f"{len(counted)} of at least {rule.at_least} {words}", []))
            quorate = quorate and ok
        others = list(dict.fromkeys(b for p in self.people for b in p.roles if b not in self.bodies))
        notes: list[str] = []
        if others:
            notes.append(f"not roles of this pack, counted as other attendees: {', '.join(others)}")
        nobody = [p.label for p in self.people if p.named and not any(b in self.bodies for b in p.roles)]
        if nobody:
            notes.append(f"holding no role of this pack, counted as other attendees: {', '.join(nobody)}")
        if assigned is not None:
            notes += self._one_role_notes()
        if rule.note:
            notes.append(rule.note)
        outside = self.pack.outside_period(f"the meeting's date ({on.isoformat()})", on, on)
        if outside is not None:
            notes.append(outside)
        return construct(QuorumResult, pack=self.pack.id, meeting=rule.id, on=on, quorate=quorate,
                         missing=frozen_list(missing), trace=frozen_list(steps), citation=rule.citation,
                         other_attendees=frozen_list(others), notes=frozen_list(notes))

    # -- one person fills one role ----------------------------------------------------------------
    def _matching(self) -> tuple[dict[str, int], dict[int, str]]:
        """A maximum matching of roles to attendees, the roles the rule asks for first: role id ->
        attendee, and its inverse, attendee -> role id.

        Augmenting paths (Kuhn's algorithm) from each role in the rule's order, trying attendees in
        the order given, so the result is deterministic. The roles asked for are matched first and an
        augmenting path never unmatches a role, so as many of them are filled as any assignment can
        fill; the pack's other roles are then added for ``at_least``.
        """
        roles = self.pack.roles
        order = list(self.asked)
        if self.rule.at_least is not None:
            order += [r for r in roles if r not in self.asked]
        edges = {r: self.candidates(roles[r])[1] for r in order}
        role_of_person: dict[int, str] = {}
        person_of_role: dict[str, int] = {}
        for root in order:
            if edges[root]:
                _augment(root, edges, role_of_person, person_of_role)
        return person_of_role, role_of_person

    def _one_role_notes(self) -> list[str]:
        notes = []
        bodies = [self.body_of[r] for r in self.asked]  # as the roles were held on the date, as in 'missing'
        for person in self.people:
            held = [body for body in bodies if body in person.roles]
            if len(held) > 1:
                notes.append(f"{person.label} holds {', '.join(held[:-1])} and {held[-1]} but counts for one of them "
                             f"only (one person fills one role)")
        return notes

    # -- words ----------------------------------------------------------------------------------
    def _who(self, k: int, body: str) -> str:
        person = self.people[k]
        return f"{person.label} (as {body!r})" if person.named else repr(body)

    def _out_of_date(self, role: Role) -> list[str]:
        """Why attendees of the role's bodies that did not hold it on the date fill nothing."""
        reasons = []
        for body, first, last in role.holders:
            holders = self.holding.get(body)
            if not holders or in_period((first, last), self.on):
                continue
            names = [self.people[k].label for k in holders if self.people[k].named]
            who = f"{body!r} attended" + (f" ({', '.join(dict.fromkeys(names))})" if names else "")
            if last is not None and self.on > last:
                reasons.append(f"{who} but held this role only until {last.isoformat()}")
            elif first is not None:
                reasons.append(f"{who} but held this role only from {first.isoformat()}")
        return reasons


def _step(role: str, body: str, filled_by: list[str], satisfied: bool, reason: str, held_as: list[str]) -> QuorumStep:
    """A trace step whose lists refuse changes, like every result's (built from checked values, unvalidated)."""
    return construct(QuorumStep, role=role, role_on_date=body, filled_by=frozen_list(filled_by), satisfied=satisfied,
                     reason=reason, held_as=frozen_list(held_as))


def _augment(root: str, edges: Mapping[str, list[int]], role_of_person: dict[int, str],
             person_of_role: dict[str, int]) -> bool:
    """Find an augmenting path from an unmatched ``root`` role and flip it; whether one was found.

    Iterative, so the depth of the search (at most the number of roles) never meets the recursion limit.
    """
    reached_from: dict[int, str] = {}  # attendee -> the role whose search reached them
    stack = [(root, iter(edges[root]))]
    while stack:
        role, untried = stack[-1]
        for k in untried:
            if k in reached_from:
                continue
            reached_from[k] = role
            if k not in role_of_person:  # a free attendee: flip the path back to the root
                while True:
                    r = reached_from[k]
                    previous = person_of_role.get(r)
                    person_of_role[r], role_of_person[k] = k, r
                    if r == root or previous is None:
                        return True
                    k = previous
            stack.append((role_of_person[k], iter(edges[role_of_person[k]])))
            break
        else:
            stack.pop()
    return False


def _name(role: Role, body: str) -> str:
    for pid, name, _until in role.predecessors:
        if pid == body:
            return name
    return role.name
