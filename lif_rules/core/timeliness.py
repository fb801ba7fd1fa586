"""Timeliness: whether a milestone kept to its rule, how late it is, and what is wrong with recorded dates.

Pure functions of dates, used by :mod:`lif_rules.core.schedule` (the statuses are described in docs/dates.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from .calendar import WorkingDayCalendar
from ..models import MilestoneStatus

__all__ = ["status", "lateness", "recorded_after_today", "started_after_today", "before_what_it_counts_from",
           "after_the_start", "past_the_series", "series_cut", "unchecked_years", "window_closed"]


def status(due: date | None, earliest: date | None, actual: date | None, today: date | None,
           waiting: bool) -> MilestoneStatus | None:
    """A milestone's status.

    With an actual date: ``met_late`` after ``due``, ``met_early`` before ``earliest``, else ``met``
    (whatever ``today`` is). Without one, given ``today``: ``overdue`` after ``due``; ``upcoming``
    before ``earliest`` or while ``waiting`` for a milestone it is counted from; else ``due`` (it can
    happen now). Otherwise ``None``.
    """
    if actual is not None:
        if due is not None and actual > due:
            return "met_late"
        if earliest is not None and actual < earliest:
            return "met_early"
        return "met"
    if today is None:
        return None
    if due is not None and today > due:
        return "overdue"
    if waiting or (earliest is not None and today < earliest):
        return "upcoming"
    return "due"


def lateness(cal: WorkingDayCalendar, due: date | None, state: MilestoneStatus | None, actual: date | None,
             today: date | None) -> tuple[int, int]:
    """Calendar days and England working days past ``due`` of a late milestone: a ``met_late`` one (counted to
    ``actual``) or an ``overdue`` one (counted to ``today``); other statuses have no lateness."""
    until = actual if state == "met_late" else today
    assert state in ("met_late", "overdue") and due is not None and until is not None
    return (until - due).days, cal.working_days_between(due, until)


def recorded_after_today(mid: str, actual: date, today: date) -> ValueError:
    """The error for an actual date that has not come yet."""
    return ValueError(f"the actual date of {mid!r} ({actual.isoformat()}) is after today ({today.isoformat()}): "
                      "a date that has not come cannot be recorded")


def started_after_today(start: date, today: date) -> ValueError:
    """The error for a review whose first event has not happened yet."""
    return ValueError(f"start ({start.isoformat()}) is after today ({today.isoformat()}): the review's first event "
                      "counts as met, so it cannot be on a date that has not come")


def before_what_it_counts_from(mid: str, actual: date, anchors: Sequence[tuple[str, date]],
                               start: tuple[str, date] | None) -> str:
    """A warning: ``mid`` is recorded before milestones it is counted from (that happened), or before the start."""
    parts = [f"{anchor} ({when.isoformat()}), which it is counted from" for anchor, when in anchors]
    if start is not None:
        parts.append(f"the review's start, {start[0]} ({start[1].isoformat()})")
    return (f"{mid} is recorded on {actual.isoformat()}, before {' and before '.join(parts)}; the date is kept as "
            "given, and milestones counted from it are counted from that date")


def after_the_start(mid: str, actual: date, start_id: str, start: date) -> str:
    """A warning: an event that happens on or before the start is recorded after it."""
    return (f"{mid} is recorded on {actual.isoformat()}, after the review's start, {start_id} "
            f"({start.isoformat()}), though it happens on or before it; the date is kept as given")


def past_the_series(mid: str, actual: date, last: str | None, until: str, end: date) -> str:
    """A warning: an occurrence of a recurring milestone is recorded beyond the series' end."""
    series = f"the series ends with {last}" if last else "the series has no occurrence"
    return (f"{mid} is recorded on {actual.isoformat()}, but {series} on or before {until} ({end.isoformat()}); "
            "the date is kept, with no due date, and the series is not extended")


def window_closed(mid: str, earliest: date, due: date) -> str:
    """A warning: a milestone's window opens after its due date (its rules, counted from different events)."""
    return (f"{mid} is due by {due.isoformat()} but not before {earliest.isoformat()}: no date keeps to both, so "
            f"any date it happens on is early or late")


def series_cut(mid: str, count: int, until: str, end: date, why: str) -> str:
    """A warning: a recurring milestone's series stops before its end milestone."""
    return (f"{mid} stops after {count} occurrences, before {until} ({end.isoformat()}) which should end it: {why}; "
            f"the later occurrences are not scheduled")


def unchecked_years(low: date, high: date, checked: tuple[int, int]) -> str:
    """A warning: working days are counted on dates in years whose bank holidays are not checked."""
    first, last = checked
    parts = []
    if low.year < first:
        parts.append(f"before {first} (from {low.isoformat()}), with the holidays package's record of past bank "
                     f"holidays")
    if high.year > last:
        parts.append(f"after {last} (up to {high.isoformat()}), with England's regular bank holidays and no "
                     f"one-off holiday announced later")
    return (f"this schedule counts working days on dates {' and '.join(parts)}; only the bank holidays of "
            f"{first}-{last} are checked against GOV.UK's list")
