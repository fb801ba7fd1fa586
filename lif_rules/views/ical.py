"""View: ``Schedule`` → an RFC 5545 calendar (written by the icalendar package), one all-day event per milestone."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone

from .. import __version__
from ..models import Milestone, Schedule
from .extras import require
from .words import short_date, status_words

__all__ = ["schedule_ics", "milestone_uid", "event_date", "event_description"]

# Fixed for ever: changing it would change every UID, and re-imports would duplicate events.
_UID_NAMESPACE = uuid.UUID("6f1c3a52-1d0e-4b8e-9a57-2f4c1e0b7d31")

# SEQUENCE counts the seconds from here to the export, so a later export of a case is a later revision.
_SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=timezone.utc)


def milestone_uid(pack: str, review: str, start: date, milestone: str) -> str:
    """The event UID of one milestone of one case: the same case gives the same UID on every export."""
    return f"{uuid.uuid5(_UID_NAMESPACE, f'{pack}|{review}|{start.isoformat()}|{milestone}')}@lif-rules"


def event_date(m: Milestone) -> date | None:
    """The day a milestone's event goes on: its actual date where given, else its due date."""
    return m.actual if m.actual is not None else m.due


def _sequence(stamp: datetime) -> int:
    """The events' ``SEQUENCE`` for an export made at ``stamp``: the seconds since 2020 (0 before), so it rises
    from one export to the next, as RFC 5545 asks when an event's date moves (an actual date recorded)."""
    aware = stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=timezone.utc)  # naive: UTC, as DTSTAMP
    return min(max(int((aware - _SEQUENCE_EPOCH).total_seconds()), 0), 2**31 - 1)


def event_description(m: Milestone, today: date | None, warnings: Sequence[str] = ()) -> str:
    """The event's text: the rule, the dates, the status (how late, where late), the citation, any note, and
    the schedule's warnings (a calendar app shows an event's text, rarely the calendar's own)."""
    lines = [f"Rule: {m.rule}"]
    if m.earliest is not None:
        lines.append(f"Not before: {short_date(m.earliest)}")
    if m.due is not None:
        lines.append(f"Due: {short_date(m.due)}")
    if m.actual is not None:
        lines.append(f"Happened: {short_date(m.actual)}")
    when = f" on {short_date(today)}" if today is not None else ""
    lines.append(f"Status{when}: {status_words(m)}")
    lines.append(f"Citation: {m.citation}")
    if m.note:
        lines.append(f"Note: {m.note}")
    lines += [f"Warning (this schedule): {w}" for w in warnings]
    return "\n".join(lines)


def schedule_ics(schedule: Schedule, *, stamp: datetime | None = None) -> bytes:
    """The schedule as an iCalendar file: one all-day event per milestone with a date.

    Args:
        schedule: the schedule.
        stamp: the moment the calendar is made (``DTSTAMP``, and from it ``SEQUENCE``), in UTC; default now.

    Raises:
        MissingExtraError: the icalendar package is not installed.
    """
    icalendar = require("icalendar", "a calendar export (Schedule.to_ical)")
    stamp = stamp or datetime.now(timezone.utc).replace(microsecond=0)
    revision = _sequence(stamp)
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//lif_rules//lif-rules {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = f"{schedule.review} ({schedule.pack}) from {schedule.start.isoformat()}"
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    if schedule.warnings:
        about = "Warnings: " + " ".join(f"({k}) {w}" for k, w in enumerate(schedule.warnings, 1))
        calendar.add("description", about)
    for m in schedule:
        day, summary = event_date(m), m.name
        if day is None and m.earliest is not None:  # only a "not before" date: the event marks the first day it may happen
            day, summary = m.earliest, f"{m.name} (not before this day)"
        if day is None:
            continue
        event = icalendar.Event()
        event.add("uid", milestone_uid(schedule.pack, schedule.review, schedule.start, m.id))
        event.add("dtstamp", stamp)
        event.add("sequence", revision)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("summary", summary)
        event.add("description", event_description(m, schedule.today, schedule.warnings))
        event.add("transp", "TRANSPARENT")  # a deadline, not time taken up
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data
