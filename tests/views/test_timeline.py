"""A case's timeline as an HTML page, read as text (what it shows in a browser is in test_browser.py)."""

from __future__ import annotations

import re
from datetime import date

import lif_rules
from lif_rules.views import timeline_html
from lif_rules.views.words import STATUS_WORDS
from viewkit import PACKS, assert_self_contained, every_status, page_text


def rows(html: str) -> list[tuple[str, str]]:
    """(milestone id, status) of each milestone drawn, in the order drawn."""
    return re.findall(r'<g class="milestone" data-id="([^"]+)" data-status="([^"]+)">', html)


def test_each_milestone_is_drawn_once_with_its_status_and_the_same_facts_are_in_the_table() -> None:
    pack, schedule = every_status()
    html = timeline_html(schedule, pack)
    assert rows(html) == [(m.id, m.status or "none") for m in schedule]
    table = html.split('<table class="milestones">')[1]
    assert re.findall(r'<tr data-id="([^"]+)">', table) == [m.id for m in schedule]
    statuses = dict(zip([m.id for m in schedule], re.findall(r'<td class="status">([^<]*)</td>', table)))
    assert statuses == {
        "became_aware": "met", "referral_received": "met", "scoping_requests_sent": "met late, 7 days late (3 working days)",
        "scoping_returned": "overdue, 13 days late (8 working days)", "rapid_review_meeting": "met early",
        "national_panel_informed": "upcoming", "extra": "not assessed (no date for today given)", "due_now": "due now"}
    assert set(STATUS_WORDS) | {None} == {m.status for m in schedule}


def test_bank_holidays_that_moved_a_date_are_shown_and_named() -> None:
    pack, schedule = every_status()
    html = timeline_html(schedule, pack)
    columns = re.findall(r'<g class="holiday-column" data-date="([^"]+)">', html)
    assert columns == ["2026-12-25", "2026-12-28", "2027-01-01"]
    text = page_text(html)
    for label in ("Christmas Day, Fri 25 Dec 2026", "Boxing Day (observed), Mon 28 Dec 2026",
                  "New Year's Day, Fri 1 Jan 2027"):
        assert label in text
    assert "Christmas Day (2026-12-25), Boxing Day (observed) (2026-12-28), New Year's Day (2027-01-01)" in text


def test_a_schedule_that_no_bank_holiday_moved_shows_none() -> None:
    pack = PACKS["dudley"]
    schedule = pack.schedule("rapid_review", start=date(2026, 3, 2), today=date(2026, 3, 10))
    html = timeline_html(schedule, pack)
    assert 'class="holiday-column"' not in html
    assert "bank holiday that moved a date" not in html  # not in the legend either


def test_warnings_are_shown() -> None:
    pack, schedule = every_status()
    text = page_text(timeline_html(schedule, pack))
    assert "Warnings rapid_review_meeting happened before its window opened" in text


def test_without_today_there_is_no_today_mark_and_the_page_says_why_there_are_no_statuses() -> None:
    pack = PACKS["dudley"]
    schedule = pack.schedule("rapid_review", start=date(2026, 12, 18))
    html = timeline_html(schedule, pack)
    assert 'class="today-mark"' not in html
    assert "no date for today was given, so no statuses are shown (give one with --today)" in page_text(html)


def test_with_today_the_page_marks_it() -> None:
    pack, schedule = every_status()
    html = timeline_html(schedule, pack)
    assert html.count('<g class="today-mark" data-date="2027-01-13">') == 1
    assert "today, Wed 13 Jan 2027" in page_text(html)


def test_without_a_pack_the_review_is_named_by_its_id() -> None:
    _pack, schedule = every_status()
    assert page_text(timeline_html(schedule)).startswith("rapid_review: timeline from 18 December 2026")


def test_a_notification_deadline_has_a_timeline_too() -> None:
    pack = PACKS["dudley"]
    schedule = pack.schedule("national_panel_notification", start=date(2026, 12, 23), today=date(2026, 12, 24))
    text = page_text(timeline_html(schedule, pack))
    assert text.startswith("Serious incident notification to the Child Safeguarding Practice Review Panel: timeline")


def test_a_milestone_with_no_date_at_all_is_listed_without_a_mark() -> None:
    pack, schedule = every_status()
    blank = schedule.milestones[1].model_copy(update={"id": "blank", "due": None, "actual": None, "earliest": None,
                                                      "status": None})
    html = timeline_html(schedule.model_copy(update={"milestones": [*schedule.milestones, blank]}), pack)
    group = html.split('data-id="blank"')[1].split("</g>")[0]
    assert 'class="mark' not in group and "no date" in group


def test_the_page_is_self_contained_and_escapes_what_it_shows() -> None:
    pack, schedule = every_status()
    hostile = schedule.milestones[0].model_copy(update={"name": "<script>alert(1)</script>",
                                                        "citation": '"><img src=x onerror=alert(1)>'})
    html = timeline_html(schedule.model_copy(update={"milestones": [hostile, *schedule.milestones[1:]],
                                                     "warnings": ["<b>bold</b>"]}), pack)
    assert_self_contained(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert 'onerror' not in html.replace("onerror=alert(1)&gt;", "")


def test_every_bundled_timetable_draws() -> None:
    for pid, pack in PACKS.items():
        for rid, review in pack.compiled.reviews.items():
            if review.milestones:
                schedule = pack.schedule(rid, start=date(2026, 12, 18), today=date(2027, 3, 1))
                html = timeline_html(schedule, pack)
                assert [i for i, _ in rows(html)] == [m.id for m in schedule], (pid, rid)
                assert_self_contained(html)
                assert isinstance(schedule, lif_rules.Schedule)
