"""Stage 5, explain: ``Decision`` / ``Schedule`` / ``QuorumResult`` / ``PackError`` → readable text.

Rendering only, and deterministic: reviews in the pack's order (``Decision.outcomes``' order),
milestones in the schedule's date order, roles in the quorum rule's order. JSON output is the
models' own ``model_dump(mode="json")``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from ..errors import PackError
from ..models import Decision, Milestone, Outcome, QuorumResult, Schedule, TraceStep

__all__ = ["render_decision", "render_schedule", "render_quorum", "render_problems", "render_table", "show_value",
           "show_facts"]

_NONE = "-"


def render_table(headers: Sequence[str], rows: Iterable[Sequence[str]], indent: str = "") -> list[str]:
    """Left-aligned columns two spaces apart, with a dashed rule under the headers."""
    body = [list(r) for r in rows]
    widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(headers)]
    rule = ["-" * w for w in widths[:-1]] + ["-" * len(headers[-1])]  # the last column may be long free text
    lines = []
    for row in [list(headers), rule, *body]:
        lines.append((indent + "  ".join(cell.ljust(w) for cell, w in zip(row, widths))).rstrip())
    return lines


def show_value(value: object) -> str:
    """A fact value as a pack author writes it: ``true``/``false``, enum values bare, ``unknown`` for ``None``."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def show_facts(facts: Mapping[str, object]) -> str:
    """``{subject: adult, died: true}`` (YAML flow style, in the mapping's order)."""
    return "{" + ", ".join(f"{k}: {show_value(v)}" for k, v in facts.items()) + "}"


def _date(d: date | None) -> str:
    return d.isoformat() if d is not None else _NONE


def _list(items: Iterable[str]) -> str:
    shown = ", ".join(items)
    return shown or _NONE


# -- decisions ------------------------------------------------------------------------------------

def _deciding(outcome: Outcome) -> tuple[str, str]:
    """The rule that decided an outcome and its citation; for an undetermined one, the rules still open."""
    if outcome.status == "undetermined":
        open_rules = [s.rule_id for s in outcome.trace if s.result == "unknown"]
        return (("open: " + ", ".join(open_rules)) if open_rules else _NONE), outcome.citation
    for step in outcome.trace:
        if step.result == "true":
            return step.rule_id, step.citation
    if outcome.trace:
        last = outcome.trace[-1]
        return last.rule_id, last.citation
    return _NONE, outcome.citation


def _step_lines(step: TraceStep, indent: str) -> list[str]:
    values = ", ".join(f"{k}={show_value(v)}" for k, v in step.values.items())
    head = f"{indent}{step.rule_id}: {step.result} -> {step.status}"
    lines = [head, f"{indent}    when: {step.condition}"]
    if values:
        lines.append(f"{indent}    saw: {values}")
    if step.because:
        lines.append(f"{indent}    because: {step.because}")
    lines.append(f"{indent}    citation: {step.citation}")
    return lines


def render_decision(d: Decision, trace: bool = False) -> str:
    """A decision as a table of reviews, then notifications, possible notifications and warnings.

    Args:
        d: the decision.
        trace: also show every rule looked at for each review, with the values it saw.
    """
    version = f" ({d.pack_version})" if d.pack_version else ""
    when = f"as of {d.as_of.isoformat()}" if d.as_of else "with the rules as the pack states them"
    lines = [f"{d.pack}{version}: decision {when}", ""]
    rows = []
    for rid, outcome in d.outcomes.items():
        rule, citation = _deciding(outcome)
        rows.append([rid, outcome.status, _list(outcome.missing), rule, citation])
    lines += render_table(["review", "status", "missing", "rule", "citation"], rows)
    lines.append("")
    if d.notifications:
        lines.append("Notifications:")
        lines += render_table(["notification", "by", "to", "deadline"],
                              [[n.id, n.by, _list(n.to), n.deadline] for n in d.notifications], indent="  ")
    else:
        lines.append("Notifications: none")
    if d.possible_notifications:
        lines.append("Possible notifications (they depend on unknown facts):")
        lines += render_table(["notification", "by", "to", "deadline", "missing"],
                              [[n.id, n.by, _list(n.to), n.deadline, _list(n.missing)]
                               for n in d.possible_notifications], indent="  ")
    if d.warnings:
        lines.append("Warnings:")
        lines += [f"  {w}" for w in d.warnings]
    if trace:
        lines.append("")
        lines.append("Trace:")
        for rid, outcome in d.outcomes.items():
            missing = f" (missing: {', '.join(outcome.missing)})" if outcome.missing else ""
            lines.append(f"  {rid}: {outcome.status}{missing}")
            for step in outcome.trace:
                lines += _step_lines(step, "    ")
        for n in d.notifications:
            lines.append(f"  notification {n.id}: triggered")
            for step in n.trace:
                lines += _step_lines(step, "    ")
        for p in d.possible_notifications:
            lines.append(f"  notification {p.id}: possible (missing: {', '.join(p.missing)})")
            for step in p.trace:
                lines += _step_lines(step, "    ")
    return "\n".join(lines) + "\n"


# -- schedules ------------------------------------------------------------------------------------

def moved_by(m: Milestone) -> str:
    """The bank holidays a milestone's chosen date rules stepped over, and any roll off a non-working day."""
    seen: dict[tuple[date, str], None] = {}
    rolled: list[str] = []
    for e in m.explanation:
        if not e.chosen:
            continue
        for day in e.bank_holidays_skipped:
            seen.setdefault((day.date, day.reason), None)
        if e.rolled_from is not None:
            rolled.append(f"rolled from {e.rolled_from.isoformat()}")
    parts = [f"{name} ({d.isoformat()})" for d, name in sorted(seen)]
    return _list(parts + list(dict.fromkeys(rolled)))


def late_by(m: Milestone) -> str:
    """How far past its due date a late or overdue milestone is, in calendar and working days."""
    if m.days_late is None:
        return _NONE
    days = f"{m.days_late} day{'' if m.days_late == 1 else 's'}"
    if m.working_days_late is None:
        return days
    return f"{days} ({m.working_days_late} working day{'' if m.working_days_late == 1 else 's'})"


def render_schedule(s: Schedule) -> str:
    """A schedule as a table of milestones in date order, then its warnings.

    Columns: dates, status (``met`` for what happened; given ``today``, whether the rest are due,
    overdue or upcoming), how late (when any milestone is), the rule and the non-working days moved by.
    """
    today = f", today {s.today.isoformat()}" if s.today else ""
    lines = [f"{s.pack}: {s.review} timetable from {s.start.isoformat()}{today}", ""]
    with_late = any(m.days_late is not None for m in s)
    headers = ["milestone", "earliest", "due", "actual", "status"] + (["late"] if with_late else []) + ["rule", "moved by"]
    rows = []
    for m in s:
        row = [m.id, _date(m.earliest), _date(m.due), _date(m.actual), m.status or _NONE]
        if with_late:
            row.append(late_by(m))
        rows.append(row + [m.rule, moved_by(m)])
    lines += render_table(headers, rows)
    if s.warnings:
        lines.append("")
        lines.append("Warnings:")
        lines += [f"  {w}" for w in s.warnings]
    return "\n".join(lines) + "\n"


# -- quorum ---------------------------------------------------------------------------------------

def render_quorum(q: QuorumResult) -> str:
    """Quorate or not, who is missing, one line per role the rule asks for (who filled it, or why not), the citation.

    Names and role ids come from the caller: characters that are not printable are shown escaped
    (``\\n``, ``\\x1b``), so no attendee's name can move the cursor or paint over another line.
    """
    lines = [f"{q.pack}: {q.meeting} on {q.on.isoformat()}",
             f"quorate: {'yes' if q.quorate else 'no'}",
             f"missing: {_list(q.missing)}", ""]
    rows = [[s.role, s.role_on_date, "yes" if s.satisfied else "no", _printable(s.reason)] for s in q.trace]
    lines += render_table(["role", "held by on the date", "present", "why (who filled it)"], rows)
    lines.append("")
    for note in q.notes:
        lines.append(f"note: {_printable(note)}")
    lines.append(f"citation: {q.citation}")
    return "\n".join(lines) + "\n"


def _printable(text: str) -> str:
    """``text`` with every character that is not printable shown as its escape."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


# -- pack problems --------------------------------------------------------------------------------

def render_problems(err: PackError) -> str:
    """One line per problem: ``file:line:column: yaml.path: message``."""
    return "".join(f"{p}\n" for p in err.errors)
