"""Benchmark rows for the views: a schedule as CSV and as an iCalendar file, against the same written by hand."""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import date, datetime, timedelta, timezone

import icalendar

import lif_rules
from lif_rules.views import schedule_csv, schedule_ics

from common import Measured, Row, interleaved

_STAMP = datetime(2027, 1, 6, 9, 0, tzinfo=timezone.utc)
_SEQUENCE = int((_STAMP - datetime(2020, 1, 1, tzinfo=timezone.utc)).total_seconds())  # seconds since 2020
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _sar() -> lif_rules.Schedule:
    pack = lif_rules.load_pack("dudley")
    return pack.schedule("sar", start=date(2026, 9, 1), actual={"commissioned": date(2026, 11, 9)},
                         today=date(2027, 2, 10))


# -- csv ------------------------------------------------------------------------------------------
def csv_by_hand(schedule: lif_rules.Schedule) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    columns = ["id", "name", "due", "earliest", "actual", "rule", "citation", "status", "days_late",
               "working_days_late", "note"]
    writer.writerow(columns + ["explanation"])
    for m in schedule.milestones:
        row = m.model_dump(mode="json")
        writer.writerow(["" if row[c] is None else str(row[c]) for c in columns]
                        + [json.dumps(row["explanation"], ensure_ascii=False, separators=(",", ":"))])
    return out.getvalue()


def bench_csv(rounds: int) -> Measured:
    schedule = _sar()
    assert schedule_csv(schedule) == csv_by_hand(schedule)
    n = 200

    def ours() -> float:
        t = time.perf_counter()
        for _ in range(n):
            schedule_csv(schedule)
        return (time.perf_counter() - t) / n

    def base() -> float:
        t = time.perf_counter()
        for _ in range(n):
            csv_by_hand(schedule)
        return (time.perf_counter() - t) / n

    return interleaved(ours, base, rounds)


# -- ics ------------------------------------------------------------------------------------------
def _day(d: date) -> str:
    return f"{_WEEKDAYS[d.weekday()]} {d.day} {_MONTHS[d.month - 1]} {d.year}"


def ics_by_hand(schedule: lif_rules.Schedule, uids: dict[str, str]) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//lif_rules//lif-rules {lif_rules.__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = f"{schedule.review} ({schedule.pack}) from {schedule.start.isoformat()}"
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    assert schedule.today is not None
    for m in schedule.milestones:
        day = m.actual or m.due
        if day is None:
            continue
        lines = [f"Rule: {m.rule}"] + ([f"Due: {_day(m.due)}"] if m.due else []) \
            + ([f"Happened: {_day(m.actual)}"] if m.actual else []) \
            + [f"Status on {_day(schedule.today)}: {'due now' if m.status == 'due' else m.status}"
               + (f", {m.days_late} day{'' if m.days_late == 1 else 's'} late ({m.working_days_late} working "
                  f"day{'' if m.working_days_late == 1 else 's'})" if m.days_late is not None else ""),
               f"Citation: {m.citation}"] + ([f"Note: {m.note}"] if m.note else [])
        event = icalendar.Event()
        event.add("uid", uids[m.id])
        event.add("dtstamp", _STAMP)
        event.add("sequence", _SEQUENCE)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("summary", m.name)
        event.add("description", "\n".join(lines))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


def bench_ics(rounds: int) -> Measured:
    from lif_rules.views.ical import milestone_uid

    schedule = _sar()
    assert all(m.earliest is None and m.status in ("met", "overdue", "due", "upcoming") for m in schedule)
    uids = {m.id: milestone_uid(schedule.pack, schedule.review, schedule.start, m.id) for m in schedule}
    assert schedule_ics(schedule, stamp=_STAMP) == ics_by_hand(schedule, uids)
    n = 20

    def ours() -> float:
        t = time.perf_counter()
        for _ in range(n):
            schedule_ics(schedule, stamp=_STAMP)
        return (time.perf_counter() - t) / n

    def base() -> float:
        t = time.perf_counter()
        for _ in range(n):
            ics_by_hand(schedule, uids)
        return (time.perf_counter() - t) / n

    return interleaved(ours, base, rounds)


ROWS = [
    Row("csv", "schedule_csv(Dudley SAR schedule, 20 milestones)", 1.2, bench_csv),
    Row("ics", "schedule_ics(Dudley SAR schedule, 20 milestones)", 1.1, bench_ics),
]
