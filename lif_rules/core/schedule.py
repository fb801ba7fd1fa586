"""Stage 4b, schedule: ``CompiledPack`` × review × start / actual / today dates → ``Schedule``.

Milestones are computed in dependency order; a milestone's date for those counted from it is its
actual date when given, else its due date (else its earliest date), so actual dates recompute
everything downstream and nothing upstream. Statuses, days late and warnings about recorded dates
come from :mod:`lif_rules.core.timeliness`. Every date is computed at once; each ``Milestone`` (its
words, status and explanation, see :mod:`lif_rules.core.date_explanations`) is built from its row when
first read (see :class:`lif_rules.models.Milestones`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from . import timeliness
from .calendar import WorkingDayCalendar, calendar, check_date, roll
from .calendar import CHECKED_YEARS
from .calendar import _add_months as add_months
from .compiled import CompiledPack, MilestoneRule, NotificationRule, Offset, RuleSet
from .date_explanations import Constraint, Step, constraint_steps, fixed_step
from .timetables import MAX_MILESTONES, MAX_OCCURRENCES, OCCURRENCE, occurrence_of
from ..errors import did_you_mean
from ..models import Milestone, Milestones, MilestoneStatus, Schedule, builder

__all__ = ["Scheduler", "timetable", "timetable_in", "MAX_OCCURRENCES", "MAX_MILESTONES"]

_milestone_of = builder(Milestone)
_schedule_of = builder(Schedule)
# Rows sort by an int: the date's ordinal, then the pack position (< 2**12, as MAX_MILESTONES < 4096),
# then the occurrence number (< 2**10): unique, so milestones themselves are never compared.
_POSITION_SHIFT, _DATE_SHIFT = 10, 22


def timetable(pack: CompiledPack, review: str) -> tuple[MilestoneRule, ...]:
    """The milestone rules of a review, or of a duty to notify with a working-day deadline, in dependency order.

    Raises:
        LookupError: an unknown review, or a review with no timetable.
    """
    found = timetable_in(pack.latest, review) if isinstance(review, str) else None
    if found is not None:
        return found
    reviews = pack.reviews
    notifications = [n.id for n in pack.notifications.values() if n.deadline_working_days is not None]
    if isinstance(review, str) and review in pack.notifications:  # a duty whose deadline is not in working days
        raise LookupError(f"the duty {review!r} of pack {pack.id!r} has no deadline in working days to schedule "
                          f"({pack.notifications[review].deadline}); notification deadlines: "
                          f"{', '.join(notifications) or 'none'}")
    if not isinstance(review, str) or review not in reviews:
        shown = repr(review[:80]) if isinstance(review, str) else f"of type {type(review).__name__}"
        hint = did_you_mean(review, reviews) if isinstance(review, str) and len(review) <= 80 else ""
        raise LookupError(f"pack {pack.id!r} has no review {shown}{hint}; reviews: {', '.join(reviews)}; "
                          f"notification deadlines: {', '.join(notifications) or 'none'}")
    with_timetable = [r for r in reviews if reviews[r].milestones] + notifications
    raise LookupError(f"review {review!r} of pack {pack.id!r} has no timetable; "
                      f"reviews with one: {', '.join(with_timetable) or 'none'}")


def timetable_in(rules: RuleSet, review: str) -> tuple[MilestoneRule, ...] | None:
    """The timetable the rules of one period give ``review``: a review's milestone rules, or those of a duty to
    notify with a working-day deadline (a review of that id comes first); ``None`` when there is none."""
    found = rules.reviews.get(review)
    if found is not None:
        return found.milestones or None
    notification = rules.notifications.get(review)
    if notification is None or notification.deadline_working_days is None:
        return None
    return _notification_timetable(notification)


@dataclass(frozen=True)
class _Plan:
    """A timetable prepared for scheduling: its rules, their constraints, and what each is counted from."""

    review: str
    rules: tuple[MilestoneRule, ...]
    by_id: Mapping[str, MilestoneRule]
    start_id: str
    counted_from: Mapping[str, tuple[str, ...]]  # milestone id -> the milestones its dates are counted from
    constraints: Mapping[str, tuple[Constraint, ...]]  # milestone id -> its due constraints, then earliest ones
    templates: Mapping[str, dict[str, Any]]  # milestone id -> the Milestone fields that do not depend on dates
    before_start: frozenset[str]  # the events before the start: they count as happened
    names: tuple[str, ...]  # the ids an actual date may name, as messages list them (``<id>_<n>`` when recurring)
    counts_working_days: bool  # whether a date of the timetable depends on bank holidays


def _plan(review: str, rules: tuple[MilestoneRule, ...]) -> _Plan:
    counted_from = {r.id: tuple(dict.fromkeys([o.after for o in r.due + r.earliest]
                                              + ([r.every.after] if r.every is not None else [])))
                    for r in rules}
    constraints = {r.id: tuple(Constraint.of(kind, o) for kind, offsets in (("due", r.due), ("earliest", r.earliest))
                               for o in offsets)
                   for r in rules}
    templates: dict[str, dict[str, Any]] = {
        r.id: {"id": r.id, "name": r.name, "due": None, "earliest": None, "actual": None, "rule": r.rule,
               "citation": r.citation, "status": None, "days_late": None, "working_days_late": None,
               "explanation": None, "note": r.note}
        for r in rules}
    start_id = next(r.id for r in rules if r.start)
    names = tuple(r.id if r.every is None else f"{r.id}_<n>" for r in rules)
    before_start = frozenset(r.id for r in rules if r.before_start)
    offsets = [o for r in rules for o in (*r.due, *r.earliest, *([r.every] if r.every is not None else []))]
    working = any(o.working_days is not None or o.day is not None for o in offsets) or any(r.roll for r in rules)
    return _Plan(review, rules, {r.id: r for r in rules}, start_id, counted_from, constraints, templates, before_start,
                 names, working)


class Scheduler:
    """Computes schedules for the reviews (and notification deadlines) of one compiled pack."""

    def __init__(self, pack: CompiledPack, calendar_id: str = "england"):
        self.pack = pack
        self.calendar: WorkingDayCalendar = calendar(calendar_id)
        self.plans: dict[str, _Plan] = {}  # review -> its prepared timetable, filled on first use
        self.occurrence_words: dict[tuple[str, int], tuple[str, str, str]] = {}  # (milestone, n) -> id, name, rule
        self.series_ids: dict[str, tuple[str, ...]] = {}  # recurring milestone -> its occurrences' ids

    def schedule(self, review: str, *, start: date, actual: Mapping[str, date] | None = None,
                 today: date | None = None) -> Schedule:
        """See :meth:`lif_rules.PolicyPack.schedule`."""
        plan = self.plans.get(review) if isinstance(review, str) else None
        if plan is None:
            plan = self.plans.setdefault(review, _plan(review, timetable(self.pack, review)))
        if start.__class__ is not date:
            start = check_date(start, "start")
        if today is not None:
            if today.__class__ is not date:
                today = check_date(today, "today")
            if start > today:
                raise timeliness.started_after_today(start, today)
        recorded = self._recorded(plan, actual, start, today) if actual else {}
        return _Run(self, plan, start, recorded, today).schedule()

    def occurrence(self, rule: MilestoneRule, n: int) -> tuple[str, str, str]:
        """The id, name and rule words of a recurring milestone's ``n``-th occurrence (computed once)."""
        words = self.occurrence_words.get((rule.id, n))
        if words is None:
            words = self.occurrence_words.setdefault((rule.id, n), _occurrence_words(rule, n))
        return words

    def occurrence_ids(self, rule: MilestoneRule) -> tuple[str, ...]:
        """The ids of a recurring milestone's occurrences, ``<id>_1`` to ``<id>_<MAX_OCCURRENCES>`` (made once)."""
        ids = self.series_ids.get(rule.id)
        if ids is None:
            ids = self.series_ids.setdefault(rule.id, tuple(f"{rule.id}_{n}" for n in range(1, MAX_OCCURRENCES + 1)))
        return ids

    def _recorded(self, plan: _Plan, actual: Mapping[str, date], start: date,
                  today: date | None) -> dict[str, date]:
        """The actual dates, checked: known milestone ids, real dates, none after today."""
        if not isinstance(actual, Mapping):
            raise ValueError(f"actual must map milestone ids to dates, got a {type(actual).__name__}")
        out: dict[str, date] = {}
        for key, value in actual.items():
            self._check_id(plan, key)
            if value.__class__ is not date:
                value = check_date(value, f"the actual date of {key!r}")
            if today is not None and value > today:
                raise timeliness.recorded_after_today(key, value, today)
            if key == plan.start_id and value != start:
                raise ValueError(f"{key!r} is the review's first event, dated by start ({start.isoformat()}); "
                                 f"its actual date cannot differ ({value.isoformat()}): pass start={value.isoformat()}")
            out[key] = value
        return out

    @staticmethod
    def _check_id(plan: _Plan, key: object) -> None:
        """``key`` names a milestone of the plan, or an occurrence of a recurring one within the limit."""
        names = plan.names
        if not isinstance(key, str):
            raise LookupError(f"milestone ids are text, got one of type {type(key).__name__}; "
                              f"milestones: {', '.join(names)}")
        rule = plan.by_id.get(key)
        if rule is not None and rule.every is None:
            return
        if rule is not None:  # a recurring milestone named without its occurrence number
            raise LookupError(f"{key!r} recurs: give the occurrence, e.g. '{key}_1'; milestones: {', '.join(names)}")
        found = OCCURRENCE.fullmatch(key)
        series = plan.by_id.get(found["id"]) if found else None
        if found is None or series is None or series.every is None:
            hint = did_you_mean(key, names) if len(key) <= 80 else ""
            raise LookupError(f"review {plan.review!r} has no milestone {key[:80]!r}{hint}; milestones: {', '.join(names)}")
        if occurrence_of(key) is None:  # an occurrence of a recurring milestone, beyond the limit
            shown = key if len(key) <= 80 else f"{key[:60]}… ({len(found['n'])} digits)"
            raise LookupError(f"{shown!r}: a recurring milestone has at most {MAX_OCCURRENCES} occurrences")


# A schedule's row for one milestone: (order key, rule, id, occurrence number or 0, due, earliest, actual, what
# its explanation is built from: the Steps of its constraints, (anchor date, anchor is actual) for an occurrence,
# the recorded date (or None) for an event before the start).
_Row = tuple[int, MilestoneRule, str, int, "date | None", "date | None", "date | None", Any]


class _Run:
    """One schedule being computed: every milestone's dates, in rows, and the warnings about recorded dates."""

    def __init__(self, scheduler: Scheduler, plan: _Plan, start: date, recorded: dict[str, date], today: date | None):
        self.scheduler = scheduler
        self.cal = scheduler.calendar
        self.plan = plan
        self.start = start
        self.recorded = recorded
        self.today = today
        self.values: dict[str, date] = {}  # milestone id -> the date those counted from it use
        self.real: set[str] = {plan.start_id, *recorded}  # ids whose date happened (not computed, not assumed)
        self.happened: set[str] = self.real | plan.before_start  # events before the start count as happened
        self.rows: list[_Row] = []
        self.timing: dict[str, tuple[MilestoneStatus | None, int | None, int | None]] = {}  # id -> status, days late
        outside = scheduler.pack.outside_period(f"the start ({start.isoformat()})", start, start)
        self.warnings: list[str] = [] if outside is None else [outside]

    def schedule(self) -> Schedule:
        plain, rows, values, start = self._plain, self.rows, self.values, self.start
        for rule in self.plan.rules:
            if rule.every is None and not rule.start and not rule.before_start:
                plain(rule)
            elif rule.start:
                values[rule.id] = start
                rows.append(((start.toordinal() << _DATE_SHIFT) | (rule.position << _POSITION_SHIFT), rule, rule.id, 0,
                             start, None, start, None))
            elif rule.before_start:
                self._before_start(rule)
            else:
                self._series(rule)
        rows.sort()  # by the unique int key first, so the rest of a row is never compared
        self._time(rows)
        self._check_years(rows)
        ids = tuple([row[2] for row in rows])
        return _schedule_of({"pack": self.scheduler.pack.id, "review": self.plan.review, "start": start,
                             "today": self.today, "milestones": Milestones.deferred(ids, _Built(self)),
                             "warnings": self.warnings})

    # -- the kinds of milestone ---------------------------------------------------------------

    def _before_start(self, rule: MilestoneRule) -> None:
        start = self.start
        given = self.recorded.get(rule.id)
        when = self.values[rule.id] = given or start
        if given is not None and given > start:
            self.warnings.append(timeliness.after_the_start(rule.id, given, self.plan.start_id, start))
        self.rows.append(((when.toordinal() << _DATE_SHIFT) | (rule.position << _POSITION_SHIFT), rule, rule.id, 0,
                          start, None, when, given))

    def _plain(self, rule: MilestoneRule) -> None:
        values, real, cal = self.values, self.real, self.cal
        due = earliest = None
        steps: list[Step] = []
        for c in self.plan.constraints[rule.id]:
            after = c.after
            anchor = values[after]
            rolled_from = None
            try:
                if c.working_days is not None:
                    result = cal.add_working_days(anchor, c.working_days)
                elif c.day is not None:  # Day N, Day 1 being the anchor or the next working day
                    result = cal.add_working_days(cal.next_working_day(anchor), c.day - 1)
                else:
                    result = _shift(anchor, c.months, c.span)
                    if rule.roll is not None:
                        moved = roll(cal, result, rule.roll)  # type: ignore[arg-type]
                        if moved != result:
                            rolled_from, result = result, moved
            except (ValueError, OverflowError) as e:
                reason = e if isinstance(e, ValueError) else "the date is out of range"
                raise ValueError(f"{rule.id}: {c.offset.text} ({anchor.isoformat()}) cannot be computed: {reason}") \
                    from None
            steps.append((c, anchor, after in real, result, rolled_from))
            if c.is_due:
                if due is None or result < due:
                    due = result
            elif earliest is None or result > earliest:
                earliest = result
        if due is not None and earliest is not None and earliest > due:
            self.warnings.append(timeliness.window_closed(rule.id, earliest, due))
        given = self.recorded.get(rule.id)
        when = values[rule.id] = given or due or earliest or self.start
        if given is not None:
            self._check_recorded(rule.id, given, self.plan.counted_from[rule.id])
        self.rows.append(((when.toordinal() << _DATE_SHIFT) | (rule.position << _POSITION_SHIFT), rule, rule.id, 0,
                          due, earliest, given, steps))

    def _series(self, rule: MilestoneRule) -> None:
        every, until = rule.every, rule.until
        assert every is not None and until is not None
        anchor = self.values[every.after]
        end = self.values[until]
        recorded, rows, cal = self.recorded, self.rows, self.cal
        explained_by = (anchor, every.after in self.real)
        position = rule.position << _POSITION_SHIFT
        ids = self.scheduler.occurrence_ids(rule)
        n = 0
        for n in range(1, MAX_OCCURRENCES + 1):
            try:
                due = _occurrence_due(cal, rule, anchor, n)
            except (ValueError, OverflowError):  # beyond the calendar or date.max
                self.warnings.append(timeliness.series_cut(rule.id, n - 1, until, end, "the calendar's range ends"))
                break
            if due > end:
                break
            oid = ids[n - 1]
            given = recorded.get(oid) if recorded else None
            if given is not None:
                self._check_recorded(oid, given, (every.after,))
            rows.append((((given or due).toordinal() << _DATE_SHIFT) | position | n, rule, oid, n, due, None, given,
                         explained_by))
        else:
            n = MAX_OCCURRENCES + 1
            try:
                more = _occurrence_due(cal, rule, anchor, MAX_OCCURRENCES + 1) <= end
            except (ValueError, OverflowError):
                more = False
            if more:
                self.warnings.append(timeliness.series_cut(rule.id, MAX_OCCURRENCES, until, end,
                                                           f"a series has at most {MAX_OCCURRENCES} occurrences"))
        # occurrences that really happened beyond the end are kept (never dropped), without extending the series
        prefix = rule.id + "_"
        for key, given in recorded.items():
            if key.startswith(prefix) and (found := occurrence_of(key)) and found[0] == rule.id and found[1] >= n:
                k = found[1]
                self._check_recorded(key, given, (every.after,))
                self.warnings.append(timeliness.past_the_series(key, given, ids[n - 2] if n > 1 else None, until, end))
                rows.append(((given.toordinal() << _DATE_SHIFT) | position | k, rule, key, k, None, None, given, None))

    def _time(self, rows: list[_Row]) -> None:
        """Statuses and days late, now rather than when a milestone is first read: they can fail (a date beyond the
        calendar), and a failure belongs to the call that asked for them."""
        today, happened, counted_from, cal, timing = self.today, self.happened, self.plan.counted_from, self.cal, \
            self.timing
        for _, rule, mid, _, due, earliest, actual, _ in rows:
            if actual is None and today is None:
                continue
            state = timeliness.status(due, earliest, actual, today, any(a not in happened for a in counted_from[rule.id]))
            if state == "met_late" or state == "overdue":
                timing[mid] = (state, *timeliness.lateness(cal, due, state, actual, today))
            else:
                timing[mid] = (state, None, None)

    def _check_years(self, rows: list[_Row]) -> None:
        """Warn when bank holidays decide a date (a working-day offset, a roll, working days late) in years
        whose bank holidays are not checked against GOV.UK's list."""
        if not (self.plan.counts_working_days or any(late is not None for _, late, _ in self.timing.values())):
            return
        first, last = CHECKED_YEARS
        days = [self.start, *([self.today] if self.today else [])]
        days += [d for row in rows for d in row[4:7] if d is not None]
        low, high = min(days), max(days)
        if low.year < first or high.year > last:
            self.warnings.append(timeliness.unchecked_years(low, high, CHECKED_YEARS))

    def _check_recorded(self, mid: str, given: date, counted_from: tuple[str, ...]) -> None:
        """Warn when a recorded date comes before what it is counted from (that happened), or before the start."""
        values, happened = self.values, self.happened
        early = [(a, values[a]) for a in counted_from if a in happened and given < values[a]]
        start_id = self.plan.start_id
        before_start = given < self.start and all(a != start_id for a, _ in early)
        if early or before_start:
            self.warnings.append(timeliness.before_what_it_counts_from(
                mid, given, early, (start_id, self.start) if before_start else None))


class _Built:
    """Builds a schedule's ``i``-th ``Milestone`` from its row when it is first read: its words and explanation.

    Nothing here can fail on the dates: they were computed (and statuses counted) by the schedule call.
    """

    __slots__ = ("rows", "plan", "scheduler", "start", "timing")

    def __init__(self, run: _Run):
        self.rows = run.rows
        self.plan = run.plan
        self.scheduler = run.scheduler
        self.start = run.start
        self.timing = run.timing

    def __call__(self, i: int) -> Milestone:
        _, rule, mid, n, due, earliest, actual, explained_by = self.rows[i]
        plan, cal = self.plan, self.scheduler.calendar
        fields = plan.templates[rule.id].copy()
        fields["due"] = due
        fields["earliest"] = earliest
        fields["actual"] = actual
        if n:
            fields["id"], fields["name"], text = self.scheduler.occurrence(rule, n)
            if due is None:  # recorded beyond the series' end: no date was computed
                fields["explanation"] = []
            else:
                anchor, anchor_is_actual = explained_by
                fields["explanation"] = [fixed_step("recurring", text, rule.every.after, anchor,  # type: ignore[union-attr]
                                                    anchor_is_actual, due)]
        elif rule.start:
            fields["explanation"] = []
        elif rule.before_start:  # explained_by: its recorded date, or None when it is taken as the start date
            start_id = plan.start_id
            text = rule.rule if explained_by is not None else f"taken as the start date ({start_id}): no actual date given"
            fields["explanation"] = [fixed_step("due", text, start_id, self.start, True, self.start)]
        else:
            fields["explanation"] = constraint_steps(cal, explained_by, due, len(rule.due) > 1)
        timing = self.timing.get(mid)
        if timing is not None:
            fields["status"], fields["days_late"], fields["working_days_late"] = timing
        return _milestone_of(fields)


def _notification_timetable(n: NotificationRule) -> tuple[MilestoneRule, ...]:
    """A duty to notify as a two-step timetable: becoming aware (the start), then the deadline."""
    assert n.deadline_working_days is not None
    due = Offset("became_aware", working_days=n.deadline_working_days)
    return (
        MilestoneRule("became_aware", f"{n.by} became aware", n.citation, True, (), (), None, None, None, None,
                      "the day the notifier became aware (the start date)", (), 0),
        MilestoneRule(n.id, n.name, n.citation, False, (due,), (), None, None, None, n.deadline,
                      due.words(), ("became_aware",), 1),
    )


def _occurrence_due(cal: WorkingDayCalendar, rule: MilestoneRule, anchor: date, n: int) -> date:
    """The due date of a recurring milestone's ``n``-th occurrence, ``n`` periods after its anchor.

    Raises:
        ValueError, OverflowError: the date is beyond the calendar or the last one Python represents.
    """
    every = rule.every
    assert every is not None
    if every.working_days is not None:
        return cal.add_working_days(anchor, every.working_days * n)
    due = _shift(anchor, every.months * n, every.span * n if every.weeks or every.days else None)
    return roll(cal, due, rule.roll) if rule.roll is not None else due  # type: ignore[arg-type]


def _shift(anchor: date, months: int, span: timedelta | None) -> date:
    """``anchor`` plus ``months`` (clamped to the month's end), then ``span`` (weeks and days): a calendar offset.

    Raises:
        ValueError, OverflowError: the date is beyond the last one Python represents.
    """
    result = add_months(anchor, months) if months else anchor
    return result + span if span is not None else result


def _occurrence_words(rule: MilestoneRule, n: int) -> tuple[str, str, str]:
    """The id, name and rule of a recurring milestone's ``n``-th occurrence."""
    every = rule.every
    assert every is not None
    scaled = Offset(every.after, None if every.working_days is None else every.working_days * n, None,
                    every.months * n, every.weeks * n, every.days * n)
    times = scaled.words().rsplit(" after ", 1)[0]
    return (f"{rule.id}_{n}", f"{rule.name} {n}",
            f"occurrence {n}: {times} after {every.after}, on or before {rule.until}")

