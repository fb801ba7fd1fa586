"""A schedule as an iCalendar file, read back with icalendar as a calendar program would read it."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta, timezone

import icalendar
import pytest
from hypothesis import given

import lif_rules
from lif_rules.views import MissingExtraError, schedule_ics
from viewkit import PACKS, every_status, schedules


def events(data: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    found = list(calendar.walk("VEVENT"))
    by_uid = {str(e["uid"]): e for e in found}
    assert len(by_uid) == len(found), "two events share a UID"
    return by_uid


def uids(schedule: lif_rules.Schedule) -> dict[str, str]:
    """Milestone id → UID, read from the calendar by matching each event's summary and date."""
    out = {}
    for uid, event in events(schedule.to_ical()).items():
        day = event.decoded("dtstart")
        matches = [m.id for m in schedule if m.name == str(event["summary"]) and (m.actual or m.due) == day]
        assert len(matches) == 1
        out[matches[0]] = uid
    return out


def assert_calendar_is_the_schedule(schedule: lif_rules.Schedule) -> None:
    data = schedule.to_ical()
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["version"]) == "2.0" and str(calendar["prodid"]).startswith("-//lif_rules//")
    found = events(data)
    dated = [m for m in schedule if (m.actual or m.due or m.earliest) is not None]
    assert len(found) == len(dated)
    by_summary_and_day = {(str(e["summary"]), e.decoded("dtstart")): e for e in found.values()}
    for m in dated:
        name = m.name if (m.actual or m.due) is not None else f"{m.name} (not before this day)"
        day = m.actual or m.due or m.earliest
        assert day is not None
        event = by_summary_and_day[(name, day)]
        assert event.decoded("dtend") == day + timedelta(days=1)  # all day: DTEND is the next day
        assert isinstance(event.decoded("dtstart"), date) and not hasattr(event.decoded("dtstart"), "hour")
        assert event.get("dtstamp") is not None
        description = str(event["description"]).split("\n")
        assert description[0] == f"Rule: {m.rule}"
        assert f"Citation: {m.citation}" in description
        status = [line for line in description if line.startswith("Status")]
        assert len(status) == 1
        if m.status is None:
            assert status[0].endswith("not assessed (no date for today given)")


def test_every_dated_milestone_is_one_all_day_event_with_its_rule_citation_and_status() -> None:
    _pack, schedule = every_status()
    assert_calendar_is_the_schedule(schedule)
    found = {str(e["summary"]): e for e in events(schedule.to_ical()).values()}
    late = found["Initial Scoping and Information Sharing template sent to all relevant agencies"]
    assert late.decoded("dtstart") == date(2026, 12, 29)  # its actual date, not its due date
    assert str(late["description"]).split("\n") == [
        "Rule: 2 working days after referral_received",
        "Due: Tue 22 Dec 2026",
        "Happened: Tue 29 Dec 2026",
        "Status on Wed 13 Jan 2027: met late, 7 days late (3 working days)",
        "Citation: Dudley LIF 2020, Initial Scoping, Information Sharing and the Securing of Records (within 2 "
        "working days of receiving the referral)",
        "Warning (this schedule): rapid_review_meeting happened before its window opened",
    ]
    overdue = found["Agencies return the completed scoping template"]
    assert overdue.decoded("dtstart") == date(2026, 12, 31)
    assert "Status on Wed 13 Jan 2027: overdue, 13 days late (8 working days)" in str(overdue["description"])
    assert "\nNote: the document gives no anchor; the pack counts from the day the template is sent\n" \
           in str(overdue["description"])
    window = found["Rapid Review meeting"]
    assert "Not before: Thu 31 Dec 2026\nDue: Mon 11 Jan 2027\nHappened: Wed 23 Dec 2026\nStatus on Wed 13 Jan " \
           "2027: met early" in str(window["description"])


def test_a_calendar_carries_the_schedules_warnings_in_itself_and_in_every_event() -> None:
    schedule = PACKS["dudley"].schedule("rapid_review", start=date(2026, 12, 18),
                                        actual={"rapid_review_meeting": date(2026, 12, 1)})
    (warning,) = schedule.warnings
    calendar = icalendar.Calendar.from_ical(schedule.to_ical())
    assert str(calendar["description"]) == f"Warnings: (1) {warning}"
    assert all(str(e["description"]).endswith(f"\nWarning (this schedule): {warning}") for e in calendar.walk("VEVENT"))
    quiet = icalendar.Calendar.from_ical(PACKS["dudley"].schedule("rapid_review", start=date(2026, 12, 18)).to_ical())
    assert "description" not in quiet and not any("Warning" in str(e["description"]) for e in quiet.walk("VEVENT"))


@given(schedules())
def test_any_schedule_reads_back_as_its_milestones(schedule: lif_rules.Schedule) -> None:
    assert_calendar_is_the_schedule(schedule)


def test_uids_are_stable_for_the_same_case_so_a_reimport_updates_events() -> None:
    pack = PACKS["dudley"]
    before = pack.schedule("rapid_review", start=date(2026, 12, 18))
    after = pack.schedule("rapid_review", start=date(2026, 12, 18), actual={"rapid_review_meeting": date(2027, 1, 5)},
                          today=date(2027, 1, 6))
    first, second = uids(before), uids(after)
    assert first == second
    assert first == uids(pack.schedule("rapid_review", start=date(2026, 12, 18)))  # and on every export
    moved = events(after.to_ical())[second["rapid_review_meeting"]]
    assert moved.decoded("dtstart") == date(2027, 1, 5)  # the same event, now on the day it happened


def test_uids_differ_between_cases_reviews_packs_and_milestones() -> None:
    seen: dict[str, tuple[str, str, date, str]] = {}
    for pid in ("dudley", "stockport"):
        pack = PACKS[pid]
        for rid in [r for r, review in pack.compiled.reviews.items() if review.milestones]:
            for start in (date(2026, 12, 18), date(2026, 12, 21)):
                for mid, uid in uids(pack.schedule(rid, start=start)).items():
                    assert uid not in seen, (seen.get(uid), (pid, rid, start, mid))
                    seen[uid] = (pid, rid, start, mid)
    assert len(seen) > 50


def test_a_milestone_with_only_a_not_before_date_is_an_event_on_that_date_and_one_with_no_date_is_none() -> None:
    _pack, schedule = every_status()
    not_before = schedule.milestones[1].model_copy(update={"id": "not_before", "name": "Not before", "due": None,
                                                           "actual": None, "earliest": date(2027, 1, 4)})
    undated = not_before.model_copy(update={"id": "undated", "name": "Undated", "earliest": None})
    extended = schedule.model_copy(update={"milestones": [*schedule.milestones, not_before, undated]})
    found = {str(e["summary"]): e for e in events(extended.to_ical()).values()}
    assert len(found) == len(schedule) + 1 and "Undated" not in found
    event = found["Not before (not before this day)"]
    assert event.decoded("dtstart") == date(2027, 1, 4) and event.decoded("dtend") == date(2027, 1, 5)
    assert "Not before: Mon 4 Jan 2027" in str(event["description"]).split("\n")


def test_barking_and_dagenhams_website_removal_is_in_the_calendar() -> None:
    schedule = lif_rules.load_pack("barking_dagenham").schedule("scr", start=date(2019, 1, 7))
    assert schedule["website_removal"].due is None and schedule["website_removal"].earliest is not None
    days = {str(e["summary"]): e.decoded("dtstart") for e in events(schedule.to_ical()).values()}
    assert days[f"{schedule['website_removal'].name} (not before this day)"] == schedule["website_removal"].earliest


def test_without_icalendar_to_ical_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "icalendar", None)  # as if it were not installed
    _pack, schedule = every_status()
    with pytest.raises(MissingExtraError) as info:
        schedule.to_ical()
    assert isinstance(info.value, ImportError)
    assert str(info.value) == ("a calendar export (Schedule.to_ical) needs the optional package 'icalendar', which "
                               "is not installed; install it with: pip install \"lif_rules[views]\"")


def test_importing_lif_rules_imports_neither_icalendar_nor_jinja2() -> None:
    code = ("import sys, lif_rules, lif_rules.views, lif_rules.cli.app; "
            "print(sorted(m for m in ('icalendar', 'jinja2') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_later_export_has_a_higher_sequence_so_a_calendar_takes_its_moved_dates() -> None:
    # RFC 5545 3.8.7.4: a revision that moves DTSTART must raise SEQUENCE, or a calendar program may keep the old date
    pack = PACKS["dudley"]
    before = pack.schedule("rapid_review", start=date(2026, 12, 18))
    after = pack.schedule("rapid_review", start=date(2026, 12, 18), actual={"rapid_review_meeting": date(2027, 1, 5)})
    first = events(schedule_ics(before, stamp=datetime(2027, 1, 4, 9, 30, tzinfo=timezone.utc)))
    second = events(schedule_ics(after, stamp=datetime(2027, 1, 6, 16, 0, tzinfo=timezone.utc)))
    assert first.keys() == second.keys()
    for uid, event in first.items():
        assert isinstance(event["sequence"], int) and 0 <= event["sequence"] < 2**31
        assert second[uid]["sequence"] > event["sequence"]
    again = events(schedule_ics(before, stamp=datetime(2027, 1, 4, 9, 30, tzinfo=timezone.utc)))
    assert {uid: e["sequence"] for uid, e in again.items()} == {uid: e["sequence"] for uid, e in first.items()}
