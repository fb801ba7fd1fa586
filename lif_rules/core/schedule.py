"""Stage 4b, schedule: ``CompiledPack`` × review × start / actual / today dates → ``Schedule``.

Milestones are computed in dependency order; a milestone's date for those anchored on it is its
actual date when given, else its due date (else its earliest date), so actual dates recompute
everything downstream and nothing upstream.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from .calendar import WorkingDayCalendar, add_months, calendar, roll
from .compiled import CompiledPack, MilestoneRule, NotificationRule, Offset
from ..errors import did_you_mean
from ..models import DateExplanation, Milestone, Schedule, SkippedDay, builder, construct

__all__ = ["Scheduler", "MAX_OCCURRENCES"]

MAX_OCCURRENCES = 600
_milestone_of = builder(Milestone)
_explanation_of = builder(DateExplanation)
_OCCURRENCE = re.compile(r"^(?P<id>.+)_(?P<n>[1-9][0-9]*)$")


def _check_date(value: Any, what: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValueError(f"{what} must be a date (datetime.date), got {value!r}")
    return value


class Scheduler:
    """Computes schedules for the reviews of one compiled pack."""

    def __init__(self, pack: CompiledPack, calendar_id: str = "england"):
        self.pack = pack
        self.calendar: WorkingDayCalendar = calendar(calendar_id)
        self.ids: dict[str, dict[str, MilestoneRule]] = {}  # review -> milestone id -> rule, filled on first use
        self.occurrence_words: dict[tuple[str, int], tuple[str, str, str]] = {}  # (milestone, n) -> id, name, rule
        self.notification_timetables = {
            n.id: _notification_timetable(n) for n in pack.notifications.values() if n.deadline_working_days is not None}

    def schedule(self, review: str, *, start: date, actual: Mapping[str, date] | None = None,
                 today: date | None = None) -> Schedule:
        """See :meth:`lif_rules.PolicyPack.schedule`."""
        rules = self._rules(review)
        if start.__class__ is not date:
            start = _check_date(start, "start")
        if today is not None and today.__class__ is not date:
            today = _check_date(today, "today")
        actual_dates = self._actual(review, rules, actual) if actual else {}
        values: dict[str, date] = {}
        out: list[tuple[date, float, Milestone]] = []
        apply = self._apply
        for rule in rules:
            order = rule.position
            rid = rule.id
            actual_date = actual_dates.get(rid)
            if rule.start:  # the review's first event: it has happened, on its actual date or the start
                values[rid] = actual_date or start
                out.append((values[rid], order, _milestone(rule, start, None, values[rid], [], today)))
                continue
            if rule.every is not None:
                for n, milestone in enumerate(self._occurrences(rule, values, actual_dates, today), start=1):
                    out.append((milestone.actual or milestone.due or start, order + n / (MAX_OCCURRENCES + 2), milestone))
                continue
            explanation: list[DateExplanation] = []
            due = earliest = None
            for offset in rule.due:
                result = apply(offset, values, actual_dates, "due", rule.roll, explanation)
                if due is None or result < due:
                    due = result
            for offset in rule.earliest:
                result = apply(offset, values, actual_dates, "earliest", rule.roll, explanation)
                if earliest is None or result > earliest:
                    earliest = result
            if len(rule.due) > 1:
                for e in explanation:
                    e.__dict__["chosen"] = e.kind != "due" or e.result == due  # built just above, not yet shared
            value = values[rid] = actual_date or due or earliest or start
            out.append((value, order, _milestone(rule, due, earliest, actual_date, explanation, today)))
        out.sort(key=_by_date)  # (date, pack position): unique, so milestones themselves are never compared
        return construct(Schedule, pack=self.pack.id, review=review, start=start, today=today,
                         milestones=[m for _, _, m in out], warnings=[])

    def _rules(self, review: str) -> tuple[MilestoneRule, ...]:
        reviews = self.pack.reviews
        if isinstance(review, str) and review not in reviews and review in self.notification_timetables:
            return self.notification_timetables[review]
        if not isinstance(review, str) or review not in reviews:
            raise LookupError(f"pack {self.pack.id!r} has no review {review!r}{did_you_mean(str(review), reviews)}; "
                              f"reviews: {', '.join(reviews)}; notification deadlines: "
                              f"{', '.join(self.notification_timetables) or 'none'}")
        rules = reviews[review].milestones
        if not rules:
            with_timetable = [r for r in reviews if reviews[r].milestones] + list(self.notification_timetables)
            raise LookupError(f"review {review!r} of pack {self.pack.id!r} has no timetable; "
                              f"reviews with one: {', '.join(with_timetable) or 'none'}")
        return rules

    def _actual(self, review: str, rules: tuple[MilestoneRule, ...], actual: Mapping[str, date]) -> dict[str, date]:
        if not isinstance(actual, Mapping):
            raise ValueError(f"actual must map milestone ids to dates, got {type(actual).__name__}")
        ids = self.ids.get(review)
        if ids is None:
            ids = self.ids.setdefault(review, {r.id: r for r in rules})
        out: dict[str, date] = {}
        for key, value in actual.items():
            known = isinstance(key, str) and key in ids and ids[key].every is None
            m = _OCCURRENCE.match(key) if isinstance(key, str) and not known else None
            if not known and not (m and m.group("id") in ids and ids[m.group("id")].every is not None):
                names = [r.id if r.every is None else f"{r.id}_<n>" for r in rules]
                if key in ids:  # a recurring milestone named without its occurrence number
                    raise LookupError(f"{key!r} recurs: give the occurrence, e.g. '{key}_1'; milestones: {', '.join(names)}")
                raise LookupError(f"review {review!r} has no milestone {key!r}{did_you_mean(str(key), names)}; "
                                  f"milestones: {', '.join(names)}")
            if m is not None and int(m.group("n")) > MAX_OCCURRENCES:  # it could never be shown: refuse, not drop
                raise LookupError(f"{key!r}: a recurring milestone has at most {MAX_OCCURRENCES} occurrences")
            if value.__class__ is not date:
                value = _check_date(value, f"actual date of {key!r}")
            out[key] = value
        return out

    def _apply(self, offset: Offset, values: Mapping[str, date], actual: Mapping[str, date], kind: str,
               roll_to: str | None, explanation: list[DateExplanation]) -> date:
        anchor = values[offset.after]
        cal = self.calendar
        rolled_from = None
        skipped: list[SkippedDay] = []
        weekends = 0
        if offset.working_days is not None or offset.day is not None:
            if offset.working_days is not None:
                result = cal.add_working_days(anchor, offset.working_days)
            else:
                assert offset.day is not None
                result = cal.add_working_days(cal.next_working_day(anchor), offset.day - 1)
            if result > anchor:
                skipped = [construct(SkippedDay, date=d, reason=name) for d, name in cal.bank_holidays_between(anchor, result)]
                weekends = cal.weekend_days_between(anchor, result)
        else:
            result = _calendar_offset(anchor, offset, 1)
            if roll_to is not None:
                moved = roll(cal, result, roll_to)  # type: ignore[arg-type]
                if moved != result:
                    rolled_from, result = result, moved
                    lo, hi = (rolled_from, result) if rolled_from < result else (result, rolled_from)
                    skipped = [construct(SkippedDay, date=d, reason=name) for d, name in cal.bank_holidays_between(lo, hi)]
                    weekends = cal.weekend_days_between(lo, hi)
        explanation.append(_explanation_of({
            "kind": kind, "rule": offset.text, "anchor": offset.after, "anchor_date": anchor,
            "anchor_is_actual": offset.after in actual, "result": result, "bank_holidays_skipped": skipped,
            "weekend_days_skipped": weekends, "rolled_from": rolled_from, "chosen": True}))
        return result

    def _occurrences(self, rule: MilestoneRule, values: Mapping[str, date], actual: Mapping[str, date],
                     today: date | None) -> list[Milestone]:
        every = rule.every
        assert every is not None and rule.until is not None
        anchor = values[every.after]
        end = values.get(rule.until)
        if end is None:  # the end milestone comes later in the pack: compute it on its own
            end = anchor
        out = []
        anchor_is_actual = every.after in actual
        # occurrences that really happened are kept even beyond the end milestone: no actual date is dropped
        last_actual = max((int(m["n"]) for k in actual if (m := _OCCURRENCE.match(k)) and m["id"] == rule.id),
                          default=0)
        for n in range(1, MAX_OCCURRENCES + 1):
            if every.working_days is not None:
                due = self.calendar.add_working_days(anchor, every.working_days * n)
            else:
                due = _calendar_offset(anchor, every, n)
                if rule.roll is not None:
                    due = roll(self.calendar, due, rule.roll)  # type: ignore[arg-type]
            if due > end and n > last_actual:
                break
            words_of = self.occurrence_words.get((rule.id, n))
            if words_of is None:
                words_of = self.occurrence_words.setdefault((rule.id, n), _occurrence_words(rule, n))
            oid, name, words = words_of
            step = _explanation_of({
                "kind": "recurring", "rule": words, "anchor": every.after, "anchor_date": anchor,
                "anchor_is_actual": anchor_is_actual, "result": due, "bank_holidays_skipped": [],
                "weekend_days_skipped": 0, "rolled_from": None, "chosen": True})
            out.append(_milestone(rule, due, None, actual.get(oid), [step], today, oid, name))
        return out


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


_by_date = operator.itemgetter(0, 1)



def _milestone(rule: MilestoneRule, due: date | None, earliest: date | None, actual: date | None,
               explanation: list[DateExplanation], today: date | None, mid: str | None = None,
               name: str | None = None) -> Milestone:
    status = None
    if today is not None:
        if actual is not None:
            status = "met"
        elif due is not None and today > due:
            status = "overdue"
        elif earliest is not None and today < earliest:
            status = "upcoming"
        else:
            status = "due"
    return _milestone_of({
        "id": mid or rule.id, "name": name or rule.name, "due": due, "earliest": earliest, "actual": actual,
        "rule": rule.rule, "citation": rule.citation, "status": status, "days_late": None, "working_days_late": None,
        "explanation": explanation, "note": rule.note})
