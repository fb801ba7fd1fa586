"""Hypothesis strategies built from a ``PolicyPack``, for integrators' property tests.

Needs hypothesis, a test-time dependency: ``pip install lif_rules[test]``.

Examples:
    >>> from hypothesis import given
    >>> import lif_rules
    >>> from lif_rules import strategies
    >>> pack = lif_rules.load_pack("dudley")
    >>> @given(strategies.facts(pack))
    ... def test_decides_every_review(facts):
    ...     assert set(pack.decide(facts).outcomes) == set(pack.reviews)
    >>> test_decides_every_review()
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

try:
    from hypothesis import strategies as st
except ImportError as e:  # pragma: no cover - depends on the environment
    raise ImportError("lif_rules.strategies needs hypothesis: pip install lif_rules[test]") from e

from .core.compiled import period_words
from .core.schedule import timetable, timetable_in
from .errors import FactError, did_you_mean
from .pack import PolicyPack

__all__ = ["facts", "start_dates", "schedule_inputs", "attendees", "meeting_dates"]

_ACTUAL_SPAN = timedelta(days=730)
_BEFORE_START_SPAN = timedelta(days=90)
_HANDOVER = (date(2022, 6, 20), date(2022, 7, 10))  # around the CCG → ICB change
_UNKNOWN_ROLES = ("chair", "education", "probation", "Police", "", "icb_board")
_NAMES = ("Jo Smith", "Sam Patel", "Alex Green", "A. N. Other")


def facts(pack: PolicyPack, *, complete: bool = False,
          include: Iterable[str] | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """Case fact mappings over the pack's declared facts, each with one of its allowed values.

    Args:
        pack: the pack whose fact catalogue to draw from.
        complete: every fact present; else each fact is present or absent (unknown).
        include: only these fact names (in the pack's order); all facts when ``None``.

    Raises:
        FactError: ``include`` names a fact the pack does not declare.

    Examples:
        >>> from hypothesis import given
        >>> import lif_rules
        >>> from lif_rules import strategies
        >>> pack = lif_rules.load_pack("dudley")
        >>> @given(strategies.facts(pack, complete=True))
        ... def test_complete_facts_decide_everything(facts):
        ...     d = pack.decide(facts)
        ...     assert all(o.status != "undetermined" for o in d.outcomes.values())
        >>> test_complete_facts_decide_everything()
    """
    catalogue = pack.compiled.facts
    if include is not None:
        wanted = set(include)
        known = {f.name for f in catalogue}
        for name in sorted(wanted - known):
            raise FactError(f"unknown fact {name!r}{did_you_mean(name, known)}; known facts: "
                            f"{', '.join(f.name for f in catalogue)}", name)
        catalogue = tuple(f for f in catalogue if f.name in wanted)
    values = {f.name: st.sampled_from(f.values) for f in catalogue}
    order = tuple(values)
    drawn = st.fixed_dictionaries(values) if complete else st.fixed_dictionaries({}, optional=values)
    return drawn.map(lambda case: {name: case[name] for name in order if name in case})  # in the pack's order


def start_dates(min_value: date = date(2000, 1, 1),
                max_value: date = date(2090, 12, 31)) -> st.SearchStrategy[date]:
    """Start dates for ``pack.schedule``, inside the years the England calendar covers.

    Examples:
        >>> from hypothesis import given
        >>> import lif_rules
        >>> from lif_rules import strategies
        >>> pack = lif_rules.load_pack("dudley")
        >>> @given(strategies.start_dates())
        ... def test_start_is_met(start):
        ...     assert pack.schedule("rapid_review", start=start)["referral_received"].due == start
        >>> test_start_is_met()
    """
    return st.dates(min_value=min_value, max_value=max_value)


def schedule_inputs(pack: PolicyPack, review: str, *, min_value: date = date(2000, 1, 1),
                    max_value: date = date(2088, 12, 31)) -> st.SearchStrategy[tuple[date, dict[str, date]]]:
    """``(start, actual)`` pairs that are valid input for ``pack.schedule(review, start=..., actual=...)``.

    ``review`` is a review with a timetable or a duty to notify with a working-day deadline (as
    ``pack.schedule`` accepts). ``actual`` maps a random subset of its milestones (not the start
    milestone, not recurring ones) to dates: on or after ``start``, within about two years of it; for
    an event before the start (``before_start``), on or before ``start``, within about three months.
    Starts are drawn from ``min_value`` to ``max_value`` where the review has a timetable; the default
    end is two years before :func:`start_dates`', so that actual dates stay inside the calendar.

    Raises:
        LookupError: an unknown review, or a review with no timetable.
        ValueError: no date from ``min_value`` to ``max_value`` has a timetable for the review.

    Examples:
        >>> from hypothesis import given
        >>> import lif_rules
        >>> from lif_rules import strategies
        >>> pack = lif_rules.load_pack("dudley")
        >>> @given(strategies.schedule_inputs(pack, "rapid_review"))
        ... def test_actual_dates_are_met(inputs):
        ...     start, actual = inputs
        ...     s = pack.schedule("rapid_review", start=start, actual=actual)
        ...     assert all(s[m].actual == d for m, d in actual.items())
        >>> test_actual_dates_are_met()
    """
    compiled = pack.compiled
    tables = [timetable_in(rs, review) for rs in compiled.rule_sets]  # each period's timetable, or None
    spans = [rs.period for rs, rules in zip(compiled.rule_sets, tables) if rules is not None]
    if not spans:
        timetable(compiled, review)  # says what is wrong: an unknown review, or one with no timetable
    low = max(min_value, spans[0][0] or min_value)
    high = min(max_value, spans[-1][1] or max_value)
    if low > high:
        raise ValueError(f"no start date from {min_value.isoformat()} to {max_value.isoformat()} has a timetable "
                         f"for {review!r}: it has one {period_words((spans[0][0], spans[-1][1]))}")

    def with_actual(start: date) -> st.SearchStrategy[tuple[date, dict[str, date]]]:
        rules = tables[compiled.period_index(start)]
        assert rules is not None  # the start was drawn in a period with a timetable
        later = [m.id for m in rules if not m.start and not m.before_start and m.every is None]
        earlier = [m.id for m in rules if m.before_start]
        after = st.dates(min_value=start, max_value=min(start + _ACTUAL_SPAN, date.max))
        before = st.dates(min_value=max(start - _BEFORE_START_SPAN, date.min), max_value=start)
        optional = {**{m: before for m in earlier}, **{m: after for m in later}}
        drawn = st.fixed_dictionaries({}, optional=optional)
        order = [m.id for m in rules]
        return st.tuples(st.just(start), drawn.map(lambda a: {m: a[m] for m in order if m in a}))

    return start_dates(low, high).filter(lambda start: tables[compiled.period_index(start)] is not None) \
        .flatmap(with_actual)


def attendees(pack: PolicyPack, meeting: str) -> st.SearchStrategy[list[str | dict[str, Any]]]:
    """Attendee lists for ``pack.check_quorum(meeting, attendees=...)``.

    Role ids of the pack (on any date: a role that has ended too) and of the bodies that held its
    roles before (e.g. ``ccg``), some strings that are no role of the pack, possibly repeated; and
    people (``{"name": ..., "roles": [...]}``) holding none, one or several of them, sometimes under the
    same name twice.

    Raises:
        LookupError: the pack gives ``meeting`` no quorum rule on any date.

    Examples:
        >>> from hypothesis import given
        >>> import lif_rules
        >>> from lif_rules import strategies
        >>> pack = lif_rules.load_pack("dudley")
        >>> @given(strategies.attendees(pack, "rapid_review_meeting"), strategies.meeting_dates())
        ... def test_missing_roles_were_absent(people, on):
        ...     q = pack.check_quorum("rapid_review_meeting", attendees=people, on=on)
        ...     assert q.quorate == (not q.missing)
        >>> test_missing_roles_were_absent()
    """
    rule_sets = pack.compiled.rule_sets  # the meeting and the roles on every date, not only the latest
    meetings = pack.compiled.ever_in_force("meetings")
    if meeting not in meetings:
        raise LookupError(f"pack {pack.id!r} has no quorum rule for meeting {meeting!r}"
                          f"{did_you_mean(str(meeting), meetings)}")
    known = list(dict.fromkeys(body for rules in rule_sets for role in rules.roles.values()
                               for body in (role.id, *(p[0] for p in role.predecessors))))
    other = st.one_of(st.sampled_from(_UNKNOWN_ROLES), st.text(max_size=12).filter(lambda t: t == t.strip()))
    role = st.one_of(st.sampled_from(known), other) if known else other
    person = st.fixed_dictionaries({"name": st.sampled_from(_NAMES), "roles": st.lists(role, max_size=4)})
    attendee: st.SearchStrategy[str | dict[str, Any]] = st.one_of(role, person)
    return st.lists(attendee, max_size=2 * len(known) + 4)


def meeting_dates(min_value: date = date(2000, 1, 1),
                  max_value: date = date(2090, 12, 31)) -> st.SearchStrategy[date]:
    """Meeting dates for ``check_quorum(on=...)``, often near 1 July 2022 when the ICBs replaced the CCGs.

    Examples:
        >>> from hypothesis import given
        >>> import lif_rules
        >>> from lif_rules import strategies
        >>> pack = lif_rules.load_pack("dudley")
        >>> @given(strategies.meeting_dates())
        ... def test_on_is_kept(on):
        ...     assert pack.check_quorum("rapid_review_meeting", attendees=[], on=on).on == on
        >>> test_on_is_kept()
    """
    anywhere = st.dates(min_value=min_value, max_value=max_value)
    lo, hi = max(min_value, _HANDOVER[0]), min(max_value, _HANDOVER[1])
    return st.one_of(st.dates(min_value=lo, max_value=hi), anywhere) if lo <= hi else anywhere
