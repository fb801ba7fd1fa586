"""Stage 5, explain: ``Decision`` / ``Schedule`` / ``QuorumResult`` / ``PackError`` → readable text.

Rendering only, and deterministic: reviews in the pack's order (``Decision.outcomes``' order),
milestones in the schedule's date order, roles in the quorum rule's order. JSON output is the
models' own ``model_dump(mode="json")``.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from ..errors import PackError, printable
from .compiled import plural
from ..models import Decision, Milestone, Outcome, QuorumResult, Schedule, TraceStep

__all__ = ["render_decision", "render_schedule", "render_quorum", "render_problems", "render_table", "show_value",
           "show_date", "show_facts", "late_by", "terminal_width", "fit", "MIN_WIDTH"]

_NONE = "-"


MIN_WIDTH = 60
"""The narrowest width text is wrapped to, however narrow the terminal says it is."""


def terminal_width() -> int:
    """The width to wrap text to: ``COLUMNS`` when set, else the terminal's (80 when there is none), at least :data:`MIN_WIDTH`."""
    return max(MIN_WIDTH, shutil.get_terminal_size((80, 24)).columns)


MIN_COLUMN = 16
"""A column wrapped narrower than this reads badly: the table is shown as one block per row instead."""


def render_table(headers: Sequence[str], rows: Iterable[Sequence[str]], indent: str = "",
                 width: int | None = None) -> list[str]:
    """Left-aligned columns two spaces apart, with a dashed rule under the headers.

    With ``width``, the columns that do not fit are narrowed, widest first, and their cells wrapped
    onto more lines at spaces (a word is never split). When the columns cannot fit that way, or one
    would be narrower than :data:`MIN_COLUMN`, each row is shown as a block instead: one
    ``header: cell`` line per column, those after the first indented, each wrapped. Without ``width`` every cell stays on
    one line.
    """
    body = [[_one_line(cell) for cell in r] for r in rows]
    natural = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(headers)]
    widths = natural
    if width is not None:
        widths = _fit_columns(headers, body, natural, width - len(indent) - 2 * (len(headers) - 1))
        narrowed = [w for w, n in zip(widths, natural) if w < n]
        if sum(widths) + len(indent) + 2 * (len(headers) - 1) > width or any(w < MIN_COLUMN for w in narrowed):
            return _records(headers, body, indent, width)
    rule = ["-" * w for w in widths[:-1]] + ["-" * min(widths[-1], len(headers[-1]))]  # the last column may be long free text
    lines = []
    for row in [list(headers), rule, *body]:
        cells = [_cell(cell, w) for cell, w in zip(row, widths)]
        for k in range(max(len(c) for c in cells)):
            parts = [c[k] if k < len(c) else "" for c in cells]
            lines.append((indent + "  ".join(part.ljust(w) for part, w in zip(parts, widths))).rstrip())
    return lines


def _records(headers: Sequence[str], body: list[list[str]], indent: str, width: int) -> list[str]:
    """A table too wide for ``width``, one block per row: ``header: cell`` lines, the first column's first."""
    lines: list[str] = []
    for row in body:
        lines += fit([f"{indent}{headers[0]}: {row[0]}"], width)
        for header, cell in zip(headers[1:], row[1:]):
            lines += fit([f"{indent}    {header}: {cell}"], width)
    return lines


def _longest_word(text: str) -> int:
    return max((len(w) for w in text.split()), default=0)


def _fit_columns(headers: Sequence[str], body: list[list[str]], widths: list[int], room: int) -> list[int]:
    """Column widths summing to at most ``room`` where words allow, narrowing the widest column first."""
    floors = [max([_longest_word(h)] + [_longest_word(r[i]) for r in body]) for i, h in enumerate(headers)]
    widths = list(widths)
    while sum(widths) > room:
        slack = [(w - f, i) for i, (w, f) in enumerate(zip(widths, floors)) if w > f]
        if not slack:
            break
        widest = max(slack, key=lambda s: (widths[s[1]], s[1]))[1]
        widths[widest] -= 1
    return widths


def _cell(text: str, width: int) -> list[str]:
    if len(text) <= width:
        return [text]
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]


_LABEL = re.compile(r"^( *)((?:[a-z][a-z ]{0,19}|[A-Za-z]+ ?[a-z ]{0,19}): )")


def fit(lines: Iterable[str], width: int | None) -> list[str]:
    """Lines longer than ``width`` wrapped at spaces; a continuation is indented under the text after a
    short ``label: `` (``citation: ...``), or by four spaces more than the line. A line break inside a
    line is shown as a space."""
    out: list[str] = []
    for line in map(_one_line, lines):
        if width is None or len(line) <= width:
            out.append(line)
            continue
        label = _LABEL.match(line)
        indent = _indent(line)
        lead = " " * (len(label.group(0)) if label else indent + 4)
        # The indentation is kept apart from the text: textwrap drops it when the first word does not fit
        # beside it, and an unindented line reads as the start of another review or row.
        out += textwrap.wrap(line[indent:], width, initial_indent=line[:indent], subsequent_indent=lead,
                             break_long_words=False, break_on_hyphens=False, drop_whitespace=True) or [line]
    return out


_BREAK = re.compile(r" *\n\s*")


def _one_line(text: str) -> str:
    """``text`` with its line breaks (a pack's text written over lines) as spaces: a cell or line printed
    as more lines would read as rows or lines of their own."""
    return _BREAK.sub(" ", text) if "\n" in text else text


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


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


def show_date(d: date | None) -> str:
    """A date as ``YYYY-MM-DD``, or ``-`` for none."""
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
    possible = [s for s in outcome.trace if s.result == "unknown" and s.status == outcome.status]
    if possible:  # decided, though no one rule holds in every completion: each holds in some, all with one status
        citations = dict.fromkeys(s.citation for s in possible)
        return "one of: " + ", ".join(s.rule_id for s in possible), "; ".join(citations)
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


def render_decision(d: Decision, trace: bool = False, width: int | None = None) -> str:
    """A decision as a table of reviews, then notifications, possible notifications and warnings.

    Args:
        d: the decision.
        trace: also show every rule looked at for each review, with the values it saw.
        width: wrap lines to this many characters (e.g. :func:`terminal_width`); ``None``: do not wrap.
    """
    version = f" ({d.pack_version})" if d.pack_version else ""
    when = f"as of {d.as_of.isoformat()}" if d.as_of else "with the latest rules"
    lines = [f"{d.pack}{version}: decision {when}", ""]
    rows = []
    for rid, outcome in d.outcomes.items():
        rule, citation = _deciding(outcome)
        rows.append([rid, outcome.status, _list(outcome.missing), rule, citation])
    lines += render_table(["review", "status", "missing", "rule", "citation"], rows, width=width)
    lines.append("")
    if d.notifications:
        lines.append("Notifications:")
        lines += render_table(["notification", "by", "to", "deadline"],
                              [[n.id, n.by, _list(n.to), n.deadline] for n in d.notifications], indent="  ", width=width)
    else:
        lines.append("Notifications: none")
    if d.possible_notifications:
        lines.append("Possible notifications (they depend on unknown facts):")
        lines += render_table(["notification", "by", "to", "deadline", "missing"],
                              [[n.id, n.by, _list(n.to), n.deadline, _list(n.missing)]
                               for n in d.possible_notifications], indent="  ", width=width)
    if d.warnings:
        lines.append("Warnings:")
        lines += [f"  {w}" for w in d.warnings]
    if trace:
        lines.append("")
        lines.append("Trace:")
        traced: list[tuple[str, Sequence[TraceStep]]] = [
            (f"{rid}: {o.status}" + (f" (missing: {', '.join(o.missing)})" if o.missing else ""), o.trace)
            for rid, o in d.outcomes.items()]
        traced += [(f"notification {n.id}: triggered", n.trace) for n in d.notifications]
        traced += [(f"notification {p.id}: possible (missing: {', '.join(p.missing)})", p.trace)
                   for p in d.possible_notifications]
        for head, steps in traced:
            lines.append(f"  {head}")
            for step in steps:
                lines += _step_lines(step, "    ")
    return "\n".join(fit(lines, width)) + "\n"


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


def late_by(m: Milestone, late: str = "") -> str | None:
    """How far past its due date a late or overdue milestone is, e.g. ``4 days (2 working days)``, or
    ``4 days late (2 working days)`` with ``late=" late"``; ``None`` when it is not late.

    A schedule counts both or neither, so ``working_days_late`` is only read beside ``days_late``.
    """
    if m.days_late is None:
        return None
    days = f"{plural(m.days_late, 'day')}{late}"
    return days if m.working_days_late is None else f"{days} ({plural(m.working_days_late, 'working day')})"


def render_schedule(s: Schedule, width: int | None = None) -> str:
    """A schedule as a table of milestones in date order, then its warnings.

    Columns: dates, status (``met`` for what happened; given ``today``, whether the rest are due,
    overdue or upcoming), how late (when any milestone is), the rule and the non-working days moved by.

    ``width``: wrap lines to this many characters; ``None``: do not wrap.
    """
    today = f", today {s.today.isoformat()}" if s.today else ""
    lines = [f"{s.pack}: {s.review} timetable from {s.start.isoformat()}{today}", ""]
    with_late = any(m.days_late is not None for m in s)
    headers = ["milestone", "earliest", "due", "actual", "status"] + (["late"] if with_late else []) + ["rule", "moved by"]
    rows = []
    for m in s:
        row = [m.id, show_date(m.earliest), show_date(m.due), show_date(m.actual), m.status or _NONE]
        if with_late:
            row.append(late_by(m) or _NONE)
        rows.append(row + [m.rule, moved_by(m)])
    lines += render_table(headers, rows, width=width)
    if s.warnings:
        lines.append("")
        lines.append("Warnings:")
        lines += [f"  {w}" for w in s.warnings]
    return "\n".join(fit(lines, width)) + "\n"


# -- quorum ---------------------------------------------------------------------------------------

def render_quorum(q: QuorumResult, width: int | None = None) -> str:
    """Quorate or not, who is missing, one line per role the rule asks for (who filled it, or why not), the citation.

    Names and role ids come from the caller: characters that are not printable are shown escaped
    (``\\n``, ``\\x1b``), so no attendee's name can move the cursor or paint over another line.

    ``width``: wrap lines to this many characters; ``None``: do not wrap.
    """
    lines = [f"{q.pack}: {q.meeting} on {q.on.isoformat()}",
             f"quorate: {'yes' if q.quorate else 'no'}",
             f"missing: {_list(q.missing)}", ""]
    rows = [[s.role, s.role_on_date, "yes" if s.satisfied else "no", printable(s.reason)] for s in q.trace]
    lines += render_table(["role", "held by on the date", "present", "why (who filled it)"], rows, width=width)
    lines.append("")
    for note in q.notes:
        lines.append(f"note: {printable(note)}")
    lines.append(f"citation: {q.citation}")
    return "\n".join(fit(lines, width)) + "\n"


# -- pack problems --------------------------------------------------------------------------------

def render_problems(err: PackError) -> str:
    """One line per problem: ``file:line:column: yaml.path: message``.

    A line break (or any character that is not printable) in a file's name is shown escaped, so a
    problem stays one line and no name can print a line that reads as another problem or verdict.
    """
    return "".join(f"{printable(str(p))}\n" for p in err.errors)
