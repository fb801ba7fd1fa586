"""Stage 3, compile (timetables): a review's ``milestones:`` → ordered ``MilestoneRule``s.

Checks each offset, the start milestone and those before it, every anchor (dangling anchors,
anchors on a recurring milestone and cycles are located problems), the ids a recurring milestone's
occurrences take, and the most milestones a schedule can hold; then orders milestones so that
anchors come first, and gives each rule its plain words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .compiled import MilestoneRule, Offset
from ..errors import Problem, did_you_mean
from .loading import PathT, SourceMap, value_at
from .schema import MilestoneSpec, OffsetSpec

__all__ = ["compile_milestones", "MAX_OCCURRENCES", "MAX_MILESTONES", "OCCURRENCE", "occurrence_of"]

#: The most occurrences a recurring milestone has in one schedule (``<id>_1`` … ``<id>_600``).
MAX_OCCURRENCES = 600
#: The most milestones one schedule can hold: a review's plain milestones plus ``MAX_OCCURRENCES``
#: for each recurring one (the bound for any start and actual dates) must not exceed it.
MAX_MILESTONES = 3000
#: The id of a recurring milestone's occurrence: ``<milestone id>_<n>``, n from 1, no leading zero.
OCCURRENCE = re.compile(r"(?P<id>[a-z][a-z0-9_]*)_(?P<n>[1-9][0-9]*)")


def occurrence_of(mid: str) -> tuple[str, int] | None:
    """The recurring milestone id and occurrence number ``n`` of an occurrence id ``<id>_<n>``, with ``n`` at most
    ``MAX_OCCURRENCES``; ``None`` for any other id (the number is only read when it can be within the limit)."""
    found = OCCURRENCE.fullmatch(mid)
    if found is None or len(found["n"]) > len(str(MAX_OCCURRENCES)):
        return None
    n = int(found["n"])
    return (found["id"], n) if n <= MAX_OCCURRENCES else None


@dataclass
class _Context:
    source: SourceMap
    data: Any
    problems: list[Problem]
    pruned: set[str]


def compile_milestones(source: SourceMap, data: Any, rid: str, specs: list[MilestoneSpec], problems: list[Problem],
                       pruned: set[str], *, base: PathT, paths: list[PathT], complete: bool) -> tuple[MilestoneRule, ...]:
    """Compile one review's timetable, adding every problem found to ``problems``.

    ``base`` is the YAML path of the ``milestones:`` list, ``paths`` where each spec is written, and
    ``complete`` whether every milestone written there passed the schema stage (else some were pruned
    for problems of their own, and the start milestone is not checked).
    """
    c = _Context(source, data, problems, pruned)
    by_id: dict[str, int] = {}
    compiled: list[MilestoneRule] = []
    anchors_at: dict[str, list[tuple[str, PathT]]] = {}
    start_id = next((m.id for m in specs if m.start), None)
    for n, m in enumerate(specs):
        path = paths[n]
        if m.id in by_id:
            c.problems.append(source.problem(path + ("id",), f"milestone id {m.id!r} is used twice in review {rid!r}"))
        by_id[m.id] = n
        _check_kind(c, m, path)
        due = _offsets(c, m.due, path + ("due",))
        earliest = _offsets(c, m.earliest, path + ("earliest",))
        every = until = None
        if m.recurring is not None:
            every = _offset(c, m.recurring.every, path + ("recurring", "every"))
            until = m.recurring.until
            if every is not None and every.day is not None:
                c.problems.append(source.problem(path + ("recurring", "every", "day"),
                                                    "'day' numbers the days of a timetable; a recurring period is "
                                                    "working_days, months, weeks or days", key=True))
                every = None
            elif every is not None and not (every.working_days or every.months or every.weeks or every.days):
                c.problems.append(source.problem(path + ("recurring", "every"),
                                                    "a recurring period must be at least one day long"))
                every = None
        _check_window(c, due, earliest, path + ("earliest",))
        refs: list[tuple[str, PathT]] = []
        for key, offs in (("due", due), ("earliest", earliest)):
            spec_value = getattr(m, key)
            for k, off in enumerate(offs):
                refs.append((off.after, path + (key,) + ((k,) if isinstance(spec_value, list) else ()) + ("after",)))
        if every is not None and until is not None:
            refs.append((every.after, path + ("recurring", "every", "after")))
            refs.append((until, path + ("recurring", "until")))
        anchors_at[m.id] = refs
        words = _before_start_words(start_id) if m.before_start else \
            _rule_words(due, earliest, every, until, m.roll, m.start)
        compiled.append(MilestoneRule(
            m.id, m.name, m.citation, m.start, due, earliest, every, until, m.roll, m.note,
            words, tuple(dict.fromkeys(a for a, _ in refs)), n, before_start=m.before_start,
        ))
    if specs and complete and sum(1 for m in specs if m.start) != 1:
        c.problems.append(source.problem(base, f"review {rid!r} needs exactly one milestone with 'start: true'"))
    recurring = {m.id: m.recurring.every.after for m in specs if m.recurring is not None}  # id -> counted from
    for mid, refs in anchors_at.items():
        for anchor, path in refs:
            if anchor not in by_id and anchor in c.pruned:
                continue
            if anchor not in by_id:
                c.problems.append(source.problem(path, _elsewhere(c, rid, anchor, by_id) or
                                                 f"unknown milestone {anchor!r} in review {rid!r}{did_you_mean(anchor, by_id)}"))
            elif anchor == mid:
                c.problems.append(source.problem(path, f"milestone {mid!r} cannot be anchored on itself"))
            elif anchor in recurring:
                c.problems.append(source.problem(path, f"{anchor!r} recurs, so it has no single date to count from or "
                                                       f"end at; use the milestone it recurs from "
                                                       f"({recurring[anchor]!r}) or another milestone"))
    _check_occurrence_ids(c, rid, specs, set(recurring), paths)
    _check_size(c, rid, specs, len(recurring), base)
    order = _order(c, rid, compiled, by_id, paths)
    return tuple(compiled[by_id[m]] for m in order) if order is not None else tuple(compiled)


def _offset(c: _Context, spec: OffsetSpec, path: PathT) -> Offset | None:
    calendar_units = [spec.months, spec.weeks, spec.days]
    given = [u for u in ("working_days", "day", "months", "weeks", "days") if getattr(spec, u) is not None]
    source = c.source
    if not given:
        c.problems.append(source.problem(path, "an offset needs one of: working_days, day, months, weeks, days"))
        return None
    if (spec.working_days is not None or spec.day is not None) and len(given) > 1:
        c.problems.append(source.problem(path, f"'{given[0]}' cannot be combined with {', '.join(repr(g) for g in given[1:])}"))
        return None
    return Offset(spec.after, spec.working_days, spec.day, *(u or 0 for u in calendar_units))


def _offsets(c: _Context, value: OffsetSpec | list[OffsetSpec] | None, path: PathT) -> tuple[Offset, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    out = []
    for n, item in enumerate(items):
        off = _offset(c, item, path + ((n,) if isinstance(value, list) else ()))
        if off is not None:
            out.append(off)
    return tuple(out)


def _check_kind(c: _Context, m: MilestoneSpec, path: PathT) -> None:
    """A milestone is the start, an event before it, a recurring one, or has dates of its own."""
    source = c.source
    timed = m.due is not None or m.earliest is not None or m.recurring is not None
    if m.start and m.before_start:
        c.problems.append(source.problem(path + ("before_start",), "a milestone is either the start ('start: true') "
                                         "or happens on or before it ('before_start: true'), not both", key=True))
    elif m.start and timed:
        c.problems.append(source.problem(path, "the start milestone is the review's first event; it has no 'due', "
                                               "'earliest' or 'recurring'"))
    elif m.before_start and timed:
        c.problems.append(source.problem(path, "a milestone with 'before_start: true' happens on or before the start "
                                               "and is dated by its actual date (else the start date); it has no "
                                               "'due', 'earliest' or 'recurring'"))
    elif not (m.start or m.before_start or timed):
        c.problems.append(source.problem(path, "a milestone needs 'due', 'earliest' or 'recurring' (or 'start: true', "
                                               "or 'before_start: true')"))
    if m.recurring is not None and (m.due or m.earliest):
        c.problems.append(source.problem(path, "a recurring milestone takes its dates from 'recurring' alone"))
    if m.roll is not None and (m.start or m.before_start):
        c.problems.append(source.problem(path + ("roll",), "'roll' moves a date computed from the rules; "
                                         f"a milestone with '{'start' if m.start else 'before_start'}: true' has none",
                                         key=True))


def _check_occurrence_ids(c: _Context, rid: str, specs: list[MilestoneSpec], recurring: set[str],
                          paths: list[PathT]) -> None:
    """A plain milestone may not take the id of a recurring milestone's occurrence (``panel_1`` beside ``panel``)."""
    for m, path in zip(specs, paths):
        found = occurrence_of(m.id) if m.recurring is None else None
        if found is not None and found[0] in recurring:
            c.problems.append(c.source.problem(
                path + ("id",), f"milestone id {m.id!r} is the id of occurrence {found[1]} of the recurring milestone "
                                f"{found[0]!r} in review {rid!r}; rename one of them"))


def _check_size(c: _Context, rid: str, specs: list[MilestoneSpec], recurring: int, base: PathT) -> None:
    """The most milestones a schedule of this review can hold, whatever its dates, is within MAX_MILESTONES."""
    plain = len(specs) - recurring
    most = plain + recurring * MAX_OCCURRENCES
    if most > MAX_MILESTONES:
        c.problems.append(c.source.problem(
            base, f"a schedule of review {rid!r} could hold {most:,} milestones ({recurring} recurring "
                  f"milestone{'s' if recurring != 1 else ''} of up to {MAX_OCCURRENCES} occurrences each, and {plain} "
                  f"other{'s' if plain != 1 else ''}); the most a schedule may hold is {MAX_MILESTONES:,}"))


def _elsewhere(c: _Context, rid: str, anchor: str, by_id: dict[str, int]) -> str | None:
    """An anchor on another review's milestone: say where that milestone is, and that anchors stay within a review."""
    reviews = c.data.get("reviews") if isinstance(c.data, dict) else None
    for other, body in (reviews.items() if isinstance(reviews, dict) else ()):
        versions = body.get("versions") if isinstance(body, dict) else None
        bases = [("reviews", other, "versions", k) for k in range(len(versions))] if isinstance(versions, list) \
            else [("reviews", other)]
        for base in bases if other != rid else ():
            milestones = value_at(c.data, base + ("milestones",))
            for k, m in enumerate(milestones if isinstance(milestones, list) else ()):
                if isinstance(m, dict) and m.get("id") == anchor:
                    line = c.source.locate(base + ("milestones", k)).line
                    return (f"milestone {anchor!r} is in review {other!r} (line {line}), not in {rid!r}: a milestone "
                            f"is anchored on a milestone of its own review ({', '.join(by_id)})")
    return None


def _order(c: _Context, rid: str, compiled: list[MilestoneRule], by_id: dict[str, int], where: list[PathT]) -> list[str] | None:
    """Milestones in an order where anchors come first (pack order otherwise); None on a cycle."""
    done: list[str] = []
    state: dict[str, int] = {}
    graph = {m.id: [a for a in m.anchors if a in by_id and a != m.id] for m in compiled}
    for start in graph:
        stack: list[tuple[str, int]] = [(start, 0)]
        trail: list[str] = []
        while stack:
            node, i = stack.pop()
            if i == 0:
                if state.get(node):  # on the path already, or done
                    continue
                state[node] = 1
                trail.append(node)
            deps = graph[node]
            if i < len(deps):
                stack.append((node, i + 1))
                dep = deps[i]
                if state.get(dep) == 1:
                    cycle = trail[trail.index(dep):] + [dep]
                    c.problems.append(c.source.problem(
                        where[by_id[dep]], f"milestones in review {rid!r} depend on each other in a cycle: {' → '.join(cycle)}"))
                    return None
                if state.get(dep) != 2:
                    stack.append((dep, 0))
            else:
                state[node] = 2
                done.append(node)
                trail.pop()
    return done


def _before_start_words(start_id: str | None) -> str:
    return f"on or before {start_id or 'the start'}, the review's first event (the start date unless its own date is given)"


def _length(offset: Offset) -> tuple[str, int] | None:
    """An offset's kind and length when it is of one kind only (working days, Day N, months, or weeks and days)."""
    if offset.working_days is not None:
        return "working days", offset.working_days
    if offset.day is not None:
        return "day", offset.day
    if offset.months and not (offset.weeks or offset.days):
        return "months", offset.months
    if not offset.months:
        return "days", offset.weeks * 7 + offset.days
    return None


def _check_window(c: _Context, due: tuple[Offset, ...], earliest: tuple[Offset, ...], path: PathT) -> None:
    """A window must open no later than it closes: an earliest date counted further from the same milestone, in
    the same unit, than the due date can never be kept to."""
    for e in earliest:
        for d in due:
            le, ld = _length(e), _length(d)
            if e.after == d.after and le is not None and ld is not None and le[0] == ld[0] and le[1] > ld[1]:
                c.problems.append(c.source.problem(path, (
                    f"the window opens after it closes: not before {e.words()}, but due {d.words()}; "
                    f"swap them, or correct the numbers")))
                return


def _rule_words(due: tuple[Offset, ...], earliest: tuple[Offset, ...], every: Offset | None, until: str | None,
                roll: str | None, start: bool) -> str:
    if start:
        return "the review's first event (the start date)"
    if every is not None:
        return f"every {every.words().replace(' after ', ' from ', 1)}, up to {until}"
    parts = []
    if earliest and due and len(earliest) == 1 and len(due) == 1 and earliest[0].after == due[0].after \
            and earliest[0].working_days is not None and due[0].working_days is not None:
        parts.append(f"between {earliest[0].working_days} and {due[0].words()}")
    else:
        if earliest:
            parts.append("not before " + ", and not before ".join(o.words() for o in earliest))
        if due:
            words = [o.words() for o in due]
            parts.append(words[0] if len(words) == 1 else ", and within ".join(words) + " (whichever is earliest)")
    text = "; ".join(parts)
    if roll:
        text += f", moved {'forward to the next' if roll == 'forward' else 'back to the previous'} working day"
    return text


