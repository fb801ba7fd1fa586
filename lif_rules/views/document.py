"""View: a loaded pack → one self-contained HTML document a partnership board could read and approve.

The document's metadata and in-force period, each review type (legal basis, who decides, its rules
in plain words with citations, its timetable and how it is counted), notifications, meetings and
their quorum, roles, definitions, facts, and every note, each shown where it belongs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..core.compiled import CompiledPack, Condition, MilestoneRule, Period, Role, RuleSet
from ..core.schema import NoteSpec
from ..describe import in_pack_order
from .conditions import Clause, clause_of_condition
from .templating import render
from .words import in_force_words, legal_basis_words, long_date, regime_words

if TYPE_CHECKING:
    from ..pack import PolicyPack

__all__ = ["pack_html", "counting_words", "RULE_STATUS_WORDS"]

RULE_STATUS_WORDS = {
    "required": "Required",
    "consider": "To be considered",
    "discretionary": "May be held",
    "not_eligible": "Not eligible",
}
"""What a rule's status means for the review, as the document says it."""

_SECTIONS = {"reviews": "review", "notifications": "notification", "meetings": "meeting", "definitions": "definition"}
"""Each kind of item and the anchor of its section in the document."""


@dataclass(frozen=True)
class _Note:
    number: int
    note: NoteSpec
    owner: str  # the anchor of the section it is shown in


def _owner(about: str, anchors: set[str]) -> str:
    """The section a note belongs in: ``reviews.sar.milestones`` → ``review-sar``; else ``other``."""
    parts = about.split(".")
    if parts[0] in ("document", "roles", "facts"):
        return parts[0]
    section = _SECTIONS.get(parts[0])
    if section is not None and len(parts) > 1 and f"{section}-{parts[1]}" in anchors:
        return f"{section}-{parts[1]}"
    return "other"


def counting_words(milestones: Iterable[MilestoneRule]) -> list[str]:
    """How a timetable's dates are counted, in sentences, for the kinds of period it uses."""
    rules = list(milestones)
    offsets = [o for m in rules for o in (*m.due, *m.earliest, *((m.every,) if m.every else ()))]
    out = []
    if any(o.working_days is not None for o in offsets):
        out.append("Working days are Monday to Friday, except England's bank holidays. “N working days after” a "
                   "step is the Nth working day after the day the step happens, that day being day 0.")
    if any(o.day is not None for o in offsets):
        out.append("“Day N” counts the day the step happens as Day 1 (or the next working day, when it happens on "
                   "a weekend or bank holiday); Day N is N − 1 working days after Day 1.")
    if any(o.working_days is None and o.day is None for o in offsets):
        moved = any(m.roll for m in rules)
        out.append("Days, weeks and months are calendar periods; a month after the 31st ends on the last day of a "
                   "shorter month (31 August + 6 months = 28 February). Such a date stays where it falls, even on "
                   "a weekend or bank holiday" + (", unless the step says it moves." if moved else "."))
    if any(m.every is not None for m in rules):
        out.append("A recurring step happens once every period after the step it counts from, the last one on or "
                   "before the step that ends the series.")
    if any(len(m.due) > 1 for m in rules):
        out.append("Where a step has more than one deadline, the earliest applies.")
    if offsets:
        out.append("Each step is counted from the day the step it follows really happened, where that is recorded, "
                   "else from the day that step was due.")
    return out


def _history(compiled: CompiledPack, kind: str) -> list[tuple[str, list[tuple[Period, Any]]]]:
    """Every item of a kind that is ever in force, with each of its versions and the period it holds.

    Items are in the order of :meth:`CompiledPack.ever_in_force` (as ``describe`` lists them); versions
    oldest first. A review type's periods out of force are left out.
    """
    return compiled.in_force_versions(kind, compiled.ever_in_force(kind))


def _rules_of(compiled: CompiledPack, span: Period) -> RuleSet:
    """The rules of the period ``span`` (the latest when it is open at both ends)."""
    day = span[0] or span[1]
    return compiled.rules_on(day)


def role_words(role: Role) -> str:
    """A role and the bodies that held it before, e.g. the ICB; until 30 June 2022, the CCG."""
    return role.name + "".join(f"; until {long_date(until)}, {name}" for _pid, name, until in role.predecessors)


def pack_html(pack: PolicyPack) -> str:
    """The pack as one self-contained HTML document (no scripts, no network access needed).

    Raises:
        MissingExtraError: Jinja2 is not installed.
    """
    compiled: CompiledPack = pack.compiled
    facts = {f.name: f for f in compiled.facts}
    history = {kind: _history(compiled, kind) for kind in ("reviews", "notifications", "meetings", "roles", "definitions")}
    anchors = {f"{_SECTIONS[kind]}-{ident}" for kind in _SECTIONS for ident, _ in history[kind]}
    notes = [_Note(n, note, _owner(note.about, anchors)) for n, note in enumerate(compiled.notes, start=1)]

    def clause(condition: Condition) -> Clause:
        return clause_of_condition(condition, facts)

    def period(value: tuple[date | None, date | None]) -> str | None:
        return None if value == (None, None) else in_force_words(value)

    document = compiled.document
    return render(
        "pack.html.j2", pack=pack, compiled=compiled, document=document, version=__version__,
        document_period=in_force_words((document.in_force.from_, document.in_force.to)),
        regimes=[regime_words(r) for r in document.regime], notes=notes, clause=clause, period=period,
        legal_basis=legal_basis_words, status_words=RULE_STATUS_WORDS, counting=counting_words, role_words=role_words,
        history=history, role_in=lambda span, rid: _rules_of(compiled, span).roles[rid],
        timetable=in_pack_order,
    )
