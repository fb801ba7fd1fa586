"""Stage 3, compile (timetables): a review's ``milestones:`` → ordered ``MilestoneRule``s.

Checks each offset, the start milestone, every anchor (dangling anchors and cycles are located
problems) and orders milestones so that anchors come first; each rule gets its plain words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .compiled import MilestoneRule, Offset
from ..errors import Problem, did_you_mean
from .loading import PathT, SourceMap, value_at
from .schema import MilestoneSpec, OffsetSpec

__all__ = ["compile_milestones"]


@dataclass
class _Context:
    source: SourceMap
    data: Any
    problems: list[Problem]
    pruned: set[str]


def compile_milestones(source: SourceMap, data: Any, rid: str, specs: list[MilestoneSpec], problems: list[Problem],
                       pruned: set[str], *, base: PathT | None = None, paths: list[PathT] | None = None,
                       complete: bool | None = None) -> tuple[MilestoneRule, ...]:
    """Compile one review's timetable, adding every problem found to ``problems``.

    ``base`` is the YAML path of the ``milestones:`` list (by default the review's own), ``paths``
    where each spec is written (by default its place in that list), and ``complete`` whether every
    milestone written there is among ``specs`` (by default: as many as written).
    """
    return _compile(_Context(source, data, problems, pruned), rid, specs, base, paths, complete)


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

def _compile(c: _Context, rid: str, specs: list[MilestoneSpec], base: PathT | None = None,
             paths: list[PathT] | None = None, complete: bool | None = None) -> tuple[MilestoneRule, ...]:
    source = c.source
    if base is None:
        base = ("reviews", rid, "milestones")
    where = paths if paths is not None else [base + (n,) for n in range(len(specs))]
    by_id: dict[str, int] = {}
    compiled: list[MilestoneRule] = []
    anchors_at: dict[str, list[tuple[str, PathT]]] = {}
    for n, m in enumerate(specs):
        path = where[n]
        if m.id in by_id:
            c.problems.append(source.problem(path + ("id",), f"milestone id {m.id!r} is used twice in review {rid!r}"))
        by_id[m.id] = n
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
        if m.start and (m.due or m.earliest or m.recurring):
            c.problems.append(source.problem(path, "the start milestone is the review's first event; it has no 'due', 'earliest' or 'recurring'"))
        if not m.start and not (m.due or m.earliest or m.recurring):
            c.problems.append(source.problem(path, "a milestone needs 'due', 'earliest' or 'recurring' (or 'start: true')"))
        if m.recurring is not None and (m.due or m.earliest):
            c.problems.append(source.problem(path, "a recurring milestone takes its dates from 'recurring' alone"))
        refs: list[tuple[str, PathT]] = []
        for key, offs in (("due", due), ("earliest", earliest)):
            spec_value = getattr(m, key)
            for k, off in enumerate(offs):
                refs.append((off.after, path + (key,) + ((k,) if isinstance(spec_value, list) else ()) + ("after",)))
        if every is not None and until is not None:
            refs.append((every.after, path + ("recurring", "every", "after")))
            refs.append((until, path + ("recurring", "until")))
        anchors_at[m.id] = refs
        compiled.append(MilestoneRule(
            m.id, m.name, m.citation, m.start, due, earliest, every, until, m.roll, m.note,
            _rule_words(due, earliest, every, until, m.roll, m.start), tuple(dict.fromkeys(a for a, _ in refs)), n,
        ))
    if complete is None:
        written = value_at(c.data, base)
        complete = not isinstance(written, list) or len(written) == len(specs)  # else some were pruned
    if specs and complete and sum(1 for m in specs if m.start) != 1:
        c.problems.append(source.problem(base, f"review {rid!r} needs exactly one milestone with 'start: true'"))
    for mid, refs in anchors_at.items():
        for anchor, path in refs:
            if anchor not in by_id and anchor in c.pruned:
                continue
            if anchor not in by_id:
                c.problems.append(source.problem(path, _elsewhere(c, rid, anchor, by_id) or
                                                 f"unknown milestone {anchor!r} in review {rid!r}{did_you_mean(anchor, by_id)}"))
            elif anchor == mid:
                c.problems.append(source.problem(path, f"milestone {mid!r} cannot be anchored on itself"))
    order = _order(c, rid, compiled, by_id, where)
    return tuple(compiled[by_id[m]] for m in order) if order is not None else tuple(compiled)

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
                if state.get(node) == 2:
                    continue
                if state.get(node) == 1:
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


