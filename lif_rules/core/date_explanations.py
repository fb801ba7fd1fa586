"""How milestone dates were computed: a schedule's dates and anchors → ``DateExplanation`` steps.

A schedule records, for each constraint of a milestone, its anchor's date and the result; the steps
(with the bank holidays and weekend days a working-day count stepped over) are built from that
record when the milestone is first read (see :class:`lif_rules.models.Milestones`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .calendar import WorkingDayCalendar
from .compiled import Offset
from ..models import DateExplanation, SkippedDay, builder

__all__ = ["Constraint", "Step", "constraint_steps", "fixed_step"]

_explanation_of = builder(DateExplanation)
_skipped_day_of = builder(SkippedDay)
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Constraint:
    """One ``due`` or ``earliest`` offset of a milestone, prepared once per pack: its arithmetic and words."""

    kind: str  # "due" or "earliest"
    offset: Offset
    is_due: bool
    after: str
    working_days: int | None
    day: int | None
    months: int
    span: timedelta | None  # the weeks and days, when there are any
    template: dict[str, Any] = field(compare=False)  # the DateExplanation fields that do not depend on dates

    @property
    def working(self) -> bool:
        """Counted in working days (or Day N): the non-working days stepped over are explained."""
        return self.working_days is not None or self.day is not None

    @classmethod
    def of(cls, kind: str, offset: Offset) -> Constraint:
        return cls(kind, offset, kind == "due", offset.after, offset.working_days, offset.day, offset.months,
                   offset.span if offset.weeks or offset.days else None,
                   {"kind": kind, "rule": offset.text, "anchor": offset.after, "anchor_date": None,  # in field order,
                    "anchor_is_actual": None, "result": None, "bank_holidays_skipped": None,  # as dumps follow it
                    "weekend_days_skipped": None, "rolled_from": None, "chosen": True})


# What a schedule records for one constraint: the constraint, its anchor's date, whether that date
# happened, the result, and the date before a roll (or None).
Step = tuple[Constraint, date, bool, date, "date | None"]


def constraint_steps(cal: WorkingDayCalendar, steps: tuple[Step, ...], due: date | None,
                     several_due: bool) -> list[DateExplanation]:
    """The explanation of a milestone's constraints; with several ``due`` ones, only the earliest is ``chosen``."""
    out = []
    for c, anchor, anchor_is_actual, result, rolled_from in steps:
        if c.working:  # Day 1 is the anchor itself, so a non-working anchor is stepped over too
            after = anchor - _ONE_DAY if c.day is not None else anchor
            holidays, weekends = _skipped(cal, after, result, c.offset.working_days)
        elif rolled_from is not None:  # the day rolled off is stepped over: forward, it is before the result
            after, through = (rolled_from - _ONE_DAY, result) if rolled_from < result else (result, rolled_from)
            holidays, weekends = _skipped(cal, after, through, None)
        else:
            holidays, weekends = [], 0
        values = c.template.copy()
        values["anchor_date"] = anchor
        values["anchor_is_actual"] = anchor_is_actual
        values["result"] = result
        values["bank_holidays_skipped"] = holidays
        values["weekend_days_skipped"] = weekends
        if rolled_from is not None:
            values["rolled_from"] = rolled_from
        if several_due and c.kind == "due":
            values["chosen"] = result == due
        out.append(_explanation_of(values))
    return out


def fixed_step(kind: str, text: str, anchor: str, anchor_date: date, anchor_is_actual: bool,
               result: date) -> DateExplanation:
    """A step that stepped over no non-working day and was not rolled (an occurrence of a recurring milestone,
    an event before the start)."""
    return _explanation_of({
        "kind": kind, "rule": text, "anchor": anchor, "anchor_date": anchor_date, "anchor_is_actual": anchor_is_actual,
        "result": result, "bank_holidays_skipped": [], "weekend_days_skipped": 0, "rolled_from": None,
        "chosen": True})


def _skipped(cal: WorkingDayCalendar, after: date, through: date,
             working_days: int | None) -> tuple[list[SkippedDay], int]:
    """The bank holidays and the number of weekend days after ``after`` up to and including ``through``."""
    if through <= after:
        return [], 0
    weekends = cal.weekend_days_between(after, through)
    if working_days is not None and (through - after).days == working_days + weekends:
        return [], weekends  # every other day in between is worked: no bank holiday
    return [_skipped_day_of({"date": d, "reason": name}) for d, name in cal.bank_holidays_between(after, through)], \
        weekends
