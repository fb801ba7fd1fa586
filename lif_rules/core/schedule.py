"""Stage 4b, schedule: ``CompiledPack`` × review × start / actual / today dates → ``Schedule``.

Milestones are computed in dependency order; a milestone's date for those counted from it is its
actual date when given, else its due date (else its earliest date), so actual dates recompute
everything downstream and nothing upstream. Statuses, days late and warnings about recorded dates
come from :mod:`lif_rules.core.timeliness`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from . import timeliness
from .calendar import WorkingDayCalendar, calendar, check_date, roll
from .calendar import _add_months as add_months
from .compiled import CompiledPack, MilestoneRule, NotificationRule, Offset
from .timetables import MAX_MILESTONES, MAX_OCCURRENCES, OCCURRENCE
from ..errors import did_you_mean
from ..models import DateExplanation, Milestone, Schedule, SkippedDay, builder

__all__ = ["Scheduler", "timetable", "MAX_OCCURRENCES", "MAX_MILESTONES"]

_milestone_of = builder(Milestone)
_explanation_of = builder(DateExplanation)
_schedule_of = builder(Schedule)
_skipped_of = builder(SkippedDay)


def timetable(pack: CompiledPack, review: str) -> tuple[MilestoneRule, ...]:
    """The milestone rules of a review, or of a duty to notify with a working-day deadline, in dependency order.

    Raises:
        LookupError: an unknown review, or a review with no timetable.
    """
    reviews = pack.reviews
    if isinstance(review, str) and review in reviews and reviews[review].milestones:
        return reviews[review].milestones
    notifications = {n.id: n for n in pack.notifications.values() if n.deadline_working_days is not None}
    if isinstance(review, str) and review not in reviews and review in notifications:
        return _notification_timetable(notifications[review])
    if not isinstance(review, str) or review not in reviews:
        shown = repr(review[:80]) if isinstance(review, str) else f"of type {type(review).__name__}"
        hint = did_you_mean(review, reviews) if isinstance(review, str) and len(review) <= 80 else ""
        raise LookupError(f"pack {pack.id!r} has no review {shown}{hint}; reviews: {', '.join(reviews)}; "
                          f"notification deadlines: {', '.join(notifications) or 'none'}")
    with_timetable = [r for r in reviews if reviews[r].milestones] + list(notifications)
    raise LookupError(f"review {review!r} of pack {pack.id!r} has no timetable; "
                      f"reviews with one: {', '.join(with_timetable) or 'none'}")


@dataclass(frozen=True)
class _Plan:
    """A timetable prepared for scheduling: its rules, and what each is counted from."""

    review: str
    rules: tuple[MilestoneRule, ...]
    by_id: Mapping[str, MilestoneRule]
    start_id: str
    counted_from: Mapping[str, tuple[str, ...]]  # milestone id -> the milestones its dates are counted from
    names: tuple[str, ...]  # the ids an actual date may name, as messages list them (``<id>_<n>`` when recurring)


def _plan(review: str, rules: tuple[MilestoneRule, ...]) -> _Plan:
    counted_from = {r.id: tuple(dict.fromkeys([o.after for o in r.due + r.earliest]
                                              + ([r.every.after] if r.every is not None else [])))
                    for r in rules}
    start_id = next(r.id for r in rules if r.start)
    names = tuple(r.id if r.every is None else f"{r.id}_<n>" for r in rules)
    return _Plan(review, rules, {r.id: r for r in rules}, start_id, counted_from, names)


class Scheduler:
    """Computes schedules for the reviews (and notification deadlines) of one compiled pack."""

    def __init__(self, pack: CompiledPack, calendar_id: str = "england"):
        self.pack = pack
        self.calendar: WorkingDayCalendar = calendar(calendar_id)
        self.plans: dict[str, _Plan] = {}  # review -> its prepared timetable, filled on first use
        self.occurrence_words: dict[tuple[str, int], tuple[str, str, str]] = {}  # (milestone, n) -> id, name, rule

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
        if len(found["n"]) > len(str(MAX_OCCURRENCES)) or int(found["n"]) > MAX_OCCURRENCES:
            shown = key if len(key) <= 80 else f"{key[:60]}… ({len(found['n'])} digits)"
            raise LookupError(f"{shown!r}: a recurring milestone has at most {MAX_OCCURRENCES} occurrences")


class _Run:
    """One schedule being computed: the dates so far, the rows and the warnings."""

    def __init__(self, scheduler: Scheduler, plan: _Plan, start: date, recorded: dict[str, date], today: date | None):
        self.scheduler = scheduler
        self.cal = scheduler.calendar
        self.plan = plan
        self.start = start
        self.recorded = recorded
        self.today = today
        self.values: dict[str, date] = {}  # milestone id -> the date those counted from it use
        self.real: set[str] = {plan.start_id, *recorded}  # ids whose date happened (not computed, not assumed)
        self.happened: set[str] = set(self.real)  # ... and events before the start, which count as happened
        self.rows: list[tuple[date, int, int, Milestone]] = []  # (sort date, pack position, occurrence, milestone)
        self.warnings: list[str] = []

    def schedule(self) -> Schedule:
        for rule in self.plan.rules:
            if rule.start:
                self._start(rule)
            elif rule.before_start:
                self._before_start(rule)
            elif rule.every is not None:
                self._series(rule)
            else:
                self._plain(rule)
        self.rows.sort(key=_order)  # (date, position, n) is unique, so milestones themselves are never compared
        return _schedule_of({"pack": self.scheduler.pack.id, "review": self.plan.review, "start": self.start,
                             "today": self.today, "milestones": [row[3] for row in self.rows],
                             "warnings": self.warnings})

    # -- the kinds of milestone ---------------------------------------------------------------

    def _start(self, rule: MilestoneRule) -> None:
        start = self.values[rule.id] = self.start
        self._add(rule, start, rule.position, start, None, start, [])

    def _before_start(self, rule: MilestoneRule) -> None:
        self.happened.add(rule.id)
        given = self.recorded.get(rule.id)
        when = self.values[rule.id] = given or self.start
        if given is not None and given > self.start:
            self.warnings.append(timeliness.after_the_start(rule.id, given, self.plan.start_id, self.start))
        text = rule.rule if given is not None else f"taken as the start date ({self.plan.start_id}): no actual date given"
        step = _explanation_of({
            "kind": "due", "rule": text, "anchor": self.plan.start_id, "anchor_date": self.start,
            "anchor_is_actual": True, "result": self.start, "bank_holidays_skipped": [], "weekend_days_skipped": 0,
            "rolled_from": None, "chosen": True})
        self._add(rule, when, rule.position, self.start, None, when, [step])

    def _plain(self, rule: MilestoneRule) -> None:
        explanation: list[DateExplanation] = []
        due = earliest = None
        for offset in rule.due:
            result = self._step(offset, "due", rule, explanation)
            if due is None or result < due:
                due = result
        for offset in rule.earliest:
            result = self._step(offset, "earliest", rule, explanation)
            if earliest is None or result > earliest:
                earliest = result
        if len(rule.due) > 1:
            for e in explanation:
                e.__dict__["chosen"] = e.kind != "due" or e.result == due  # built just above, not yet shared
        given = self.recorded.get(rule.id)
        when = self.values[rule.id] = given or due or earliest or self.start
        if given is not None:
            self._check_recorded(rule.id, given, self.plan.counted_from[rule.id])
        self._add(rule, when, rule.position, due, earliest, given, explanation)

    def _series(self, rule: MilestoneRule) -> None:
        every, until = rule.every, rule.until
        assert every is not None and until is not None
        anchor = self.values[every.after]
        end = self.values[until]
        recorded = self.recorded
        cal = self.cal
        anchor_is_actual = every.after in self.real
        words_of = self.scheduler.occurrence_words
        last = None
        n = 0
        for n in range(1, MAX_OCCURRENCES + 1):
            try:
                if every.working_days is not None:
                    due = cal.add_working_days(anchor, every.working_days * n)
                else:
                    due = _calendar_offset(anchor, every, n)
                    if rule.roll is not None:
                        due = roll(cal, due, rule.roll)  # type: ignore[arg-type]
            except ValueError:  # beyond the calendar or date.max: far past any end date
                break
            if due > end:
                break
            words = words_of.get((rule.id, n))
            if words is None:
                words = words_of.setdefault((rule.id, n), _occurrence_words(rule, n))
            oid, name, text = words
            step = _explanation_of({
                "kind": "recurring", "rule": text, "anchor": every.after, "anchor_date": anchor,
                "anchor_is_actual": anchor_is_actual, "result": due, "bank_holidays_skipped": [],
                "weekend_days_skipped": 0, "rolled_from": None, "chosen": True})
            given = recorded.get(oid)
            if given is not None:
                self._check_recorded(oid, given, (every.after,))
            self._add(rule, given or due, rule.position, due, None, given, [step], n, oid, name)
            last = oid
        else:
            n = MAX_OCCURRENCES + 1
        # occurrences that really happened beyond the end are kept (never dropped), without extending the series
        prefix = rule.id + "_"
        for key, given in recorded.items():
            if key.startswith(prefix) and (found := OCCURRENCE.fullmatch(key)) and found["id"] == rule.id \
                    and int(found["n"]) >= n:
                k = int(found["n"])
                oid, name, _ = _occurrence_words(rule, k)
                self._check_recorded(oid, given, (every.after,))
                self.warnings.append(timeliness.past_the_series(oid, given, last, until, end))
                self._add(rule, given, rule.position, None, None, given, [], k, oid, name)

    # -- parts ----------------------------------------------------------------------------------

    def _step(self, offset: Offset, kind: str, rule: MilestoneRule, explanation: list[DateExplanation]) -> date:
        """One constraint's date from its anchor, explained."""
        anchor = self.values[offset.after]
        cal = self.cal
        rolled_from = None
        skipped: tuple[list[SkippedDay], int] | None = None
        try:
            if offset.working_days is not None:
                result = cal.add_working_days(anchor, offset.working_days)
                skipped = _skipped(cal, anchor, result, offset.working_days)
            elif offset.day is not None:
                result = cal.add_working_days(cal.next_working_day(anchor), offset.day - 1)
                skipped = _skipped(cal, anchor, result, None)
            else:
                result = _calendar_offset(anchor, offset, 1)
                if rule.roll is not None:
                    moved = roll(cal, result, rule.roll)  # type: ignore[arg-type]
                    if moved != result:
                        rolled_from, result = result, moved
                        skipped = _skipped(cal, min(result, rolled_from), max(result, rolled_from), None)
        except ValueError as e:
            raise ValueError(f"{rule.id}: {offset.text} ({anchor.isoformat()}) cannot be computed: {e}") from None
        explanation.append(_explanation_of({
            "kind": kind, "rule": offset.text, "anchor": offset.after, "anchor_date": anchor,
            "anchor_is_actual": offset.after in self.real, "result": result,
            "bank_holidays_skipped": skipped[0] if skipped else [], "weekend_days_skipped": skipped[1] if skipped else 0,
            "rolled_from": rolled_from, "chosen": True}))
        return result

    def _check_recorded(self, mid: str, given: date, counted_from: tuple[str, ...]) -> None:
        """Warn when a recorded date comes before what it is counted from (that happened), or before the start."""
        values, happened = self.values, self.happened
        early = [(a, values[a]) for a in counted_from if a in happened and given < values[a]]
        start_id = self.plan.start_id
        before_start = given < self.start and all(a != start_id for a, _ in early)
        if early or before_start:
            self.warnings.append(timeliness.before_what_it_counts_from(
                mid, given, early, (start_id, self.start) if before_start else None))

    def _add(self, rule: MilestoneRule, when: date, position: int, due: date | None, earliest: date | None,
             actual: date | None, explanation: list[DateExplanation], n: int = 0, mid: str | None = None,
             name: str | None = None) -> None:
        status = days_late = working_days_late = None
        today = self.today
        if actual is not None or today is not None:
            waiting = any(a not in self.happened for a in self.plan.counted_from[rule.id])
            status = timeliness.status(due, earliest, actual, today, waiting)
            if status == "met_late" or status == "overdue":
                days_late, working_days_late = timeliness.lateness(self.cal, due, status, actual, today)
        self.rows.append((when, position, n, _milestone_of({
            "id": mid or rule.id, "name": name or rule.name, "due": due, "earliest": earliest, "actual": actual,
            "rule": rule.rule, "citation": rule.citation, "status": status, "days_late": days_late,
            "working_days_late": working_days_late, "explanation": explanation, "note": rule.note})))


def _order(row: tuple[date, int, int, Milestone]) -> tuple[date, int, int]:
    return row[0], row[1], row[2]


def _skipped(cal: WorkingDayCalendar, after: date, through: date,
             working_days: int | None) -> tuple[list[SkippedDay], int]:
    """The bank holidays (each a ``SkippedDay``) and the number of weekend days after ``after`` up to ``through``."""
    if through <= after:
        return [], 0
    weekends = cal.weekend_days_between(after, through)
    if working_days is not None and (through - after).days == working_days + weekends:
        return [], weekends  # every other day worked: no bank holiday in between
    return [_skipped_of({"date": d, "reason": name}) for d, name in cal.bank_holidays_between(after, through)], weekends


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


def _calendar_offset(anchor: date, offset: Offset, times: int) -> date:
    """``anchor`` plus ``times`` × (months, then weeks and days) of ``offset``; months clamp to month end."""
    result = add_months(anchor, offset.months * times) if offset.months else anchor
    try:
        return result + offset.span * times if offset.weeks or offset.days else result
    except OverflowError:
        raise ValueError(f"{anchor.isoformat()} plus {offset.text} is out of range") from None


def _occurrence_words(rule: MilestoneRule, n: int) -> tuple[str, str, str]:
    """The id, name and rule of a recurring milestone's ``n``-th occurrence."""
    every = rule.every
    assert every is not None
    scaled = Offset(every.after, None if every.working_days is None else every.working_days * n, None,
                    every.months * n, every.weeks * n, every.days * n)
    times = scaled.words().rsplit(" after ", 1)[0]
    return (f"{rule.id}_{n}", f"{rule.name} {n}",
            f"occurrence {n}: {times} after {every.after}, on or before {rule.until}")

