"""Whether milestones kept to time (statuses, days late) and what happens to bad recorded dates.

England's bank holidays used below: 2022-05-02 (May Day), 2022-06-02 and 2022-06-03 (the Platinum Jubilee).
Dudley's rapid review from Fri 27 May 2022: scoping requests due Tue 31 May, the meeting between Thu 9 and
Fri 17 June, the Panel told by Tue 21 June (15 working days from awareness, taken as the referral date).
"""

from __future__ import annotations

import json
import pickle
from datetime import date, datetime
from typing import Any

import pytest

import lif_rules
from lif_rules import Schedule

D = date
START = D(2022, 5, 27)


@pytest.fixture(scope="module")
def dudley() -> lif_rules.PolicyPack:
    return lif_rules.load_pack("dudley")


def rapid(pack: lif_rules.PolicyPack, today: date | None = None, **actual: date) -> Schedule:
    return pack.schedule("rapid_review", start=START, actual=actual, today=today)


# --- late, early, overdue --------------------------------------------------------------------------


def test_the_panel_told_weeks_late_is_met_late_with_both_counts(dudley: lif_rules.PolicyPack) -> None:
    m = rapid(dudley, D(2022, 8, 1), national_panel_informed=D(2022, 7, 29))["national_panel_informed"]
    # after Tue 21 Jun: 22-24 Jun (3), 27-30 Jun (7), 1 Jul (8), then four whole weeks to Fri 29 Jul (28)
    assert (m.due, m.status, m.days_late, m.working_days_late) == (D(2022, 6, 21), "met_late", 38, 28)


def test_met_late_counted_over_bank_holidays(dudley: lif_rules.PolicyPack) -> None:
    m = rapid(dudley, D(2022, 6, 6), scoping_requests_sent=D(2022, 6, 6))["scoping_requests_sent"]
    # due Tue 31 May; sent Mon 6 Jun: 6 days late, 2 working days (Wed 1 Jun, Mon 6 Jun; 2-3 Jun bank holidays)
    assert (m.due, m.status, m.days_late, m.working_days_late) == (D(2022, 5, 31), "met_late", 6, 2)


def test_overdue_counted_to_today_over_bank_holidays(dudley: lif_rules.PolicyPack) -> None:
    m = rapid(dudley, D(2022, 6, 6))["scoping_requests_sent"]
    assert (m.status, m.days_late, m.working_days_late) == ("overdue", 6, 2)
    # on a weekend after the due date it is a day late, but no working day late yet
    m = dudley.schedule("rapid_review", start=D(2022, 6, 8), today=D(2022, 6, 11))["scoping_requests_sent"]
    assert (m.due, m.status, m.days_late, m.working_days_late) == (D(2022, 6, 10), "overdue", 1, 0)


def test_only_late_and_overdue_milestones_count_days_late(dudley: lif_rules.PolicyPack) -> None:
    s = rapid(dudley, D(2022, 6, 10), scoping_requests_sent=D(2022, 5, 31), rapid_review_meeting=D(2022, 6, 8))
    assert {m.id: (m.status, m.days_late, m.working_days_late) for m in s} == {
        "became_aware": ("met", None, None),
        "referral_received": ("met", None, None),
        "scoping_requests_sent": ("met", None, None),
        "scoping_returned": ("overdue", 1, 1),  # due Thu 9 Jun (31 May + 5 working days, the Jubilee skipped)
        "rapid_review_meeting": ("met_early", None, None),  # its window opens on 9 Jun
        "national_panel_informed": ("due", None, None),  # 2 working days after 8 Jun: Fri 10 Jun
    }


# --- due or upcoming ---------------------------------------------------------------------------------


def test_upcoming_until_what_it_is_counted_from_has_happened(dudley: lif_rules.PolicyPack) -> None:
    today = D(2022, 6, 1)  # within scoping_returned's time (due 9 Jun) but the requests are not sent yet
    assert rapid(dudley, today)["scoping_returned"].status == "upcoming"
    assert rapid(dudley, today, scoping_requests_sent=D(2022, 5, 31))["scoping_returned"].status == "due"


def test_the_panel_letter_waits_for_the_meeting(dudley: lif_rules.PolicyPack) -> None:
    today = D(2022, 6, 14)
    assert rapid(dudley, today)["national_panel_informed"].status == "upcoming"
    assert rapid(dudley, today, rapid_review_meeting=D(2022, 6, 13))["national_panel_informed"].status == "due"
    # waiting or not, past its due date it is overdue
    assert rapid(dudley, D(2022, 6, 22))["national_panel_informed"].status == "overdue"


def test_before_its_window_it_is_upcoming_even_when_nothing_is_awaited(dudley: lif_rules.PolicyPack) -> None:
    assert [rapid(dudley, D(2022, 6, day))["rapid_review_meeting"].status for day in (8, 9, 17, 18)] == [
        "upcoming", "due", "due", "overdue"]


# --- bad recorded dates ------------------------------------------------------------------------------


def test_an_actual_date_after_today_is_refused(dudley: lif_rules.PolicyPack) -> None:
    with pytest.raises(ValueError) as info:
        rapid(dudley, D(2022, 6, 16), national_panel_informed=D(2022, 7, 29))
    assert str(info.value) == ("the actual date of 'national_panel_informed' (2022-07-29) is after today "
                               "(2022-06-16): a date that has not come cannot be recorded")


def test_a_start_after_today_is_refused(dudley: lif_rules.PolicyPack) -> None:
    with pytest.raises(ValueError) as info:
        dudley.schedule("rapid_review", start=START, today=D(2022, 5, 26))
    assert str(info.value) == ("start (2022-05-27) is after today (2022-05-26): the review's first event counts as "
                               "met, so it cannot be on a date that has not come")


def test_a_meeting_recorded_before_its_referral_is_kept_warned_and_counted_from(
        dudley: lif_rules.PolicyPack) -> None:
    s = rapid(dudley, D(2022, 6, 1), rapid_review_meeting=D(2022, 5, 1))
    meeting = s["rapid_review_meeting"]
    assert (meeting.actual, meeting.status) == (D(2022, 5, 1), "met_early")
    # Sun 1 May + 2 working days: Mon 2 May is a bank holiday, so Tue 3 (1), Wed 4 (2)
    assert s["national_panel_informed"].due == D(2022, 5, 4)
    assert [m.id for m in s][:2] == ["rapid_review_meeting", "national_panel_informed"]  # in date order
    assert s.warnings == [
        "rapid_review_meeting is recorded on 2022-05-01, before referral_received (2022-05-27), which it is counted "
        "from; the date is kept as given, and milestones counted from it are counted from that date"]


def test_a_date_before_its_anchor_and_before_the_start(dudley: lif_rules.PolicyPack) -> None:
    s = rapid(dudley, scoping_requests_sent=D(2022, 5, 30), scoping_returned=D(2022, 5, 20))
    assert s["scoping_returned"].actual == D(2022, 5, 20)
    assert s.warnings == [
        "scoping_returned is recorded on 2022-05-20, before scoping_requests_sent (2022-05-30), which it is counted "
        "from and before the review's start, referral_received (2022-05-27); the date is kept as given, and "
        "milestones counted from it are counted from that date"]


def test_no_warning_against_a_computed_date(dudley: lif_rules.PolicyPack) -> None:
    # the requests have no actual date (planned for 31 May): returning on 30 May breaks nothing recorded
    assert rapid(dudley, scoping_returned=D(2022, 5, 30)).warnings == []


def test_awareness_recorded_after_the_referral(dudley: lif_rules.PolicyPack) -> None:
    s = rapid(dudley, D(2022, 6, 1), became_aware=D(2022, 5, 30))
    aware = s["became_aware"]
    assert (aware.due, aware.actual, aware.status, aware.days_late) == (START, D(2022, 5, 30), "met_late", 3)
    assert s.warnings == [
        "became_aware is recorded on 2022-05-30, after the review's start, referral_received (2022-05-27), though "
        "it happens on or before it; the date is kept as given"]
    # 15 working days from Mon 30 May (the Jubilee days skipped): Wed 22 Jun; the meeting's 2 days come first
    step = next(e for e in s["national_panel_informed"].explanation if e.anchor == "became_aware")
    assert (step.anchor_date, step.result, step.chosen) == (D(2022, 5, 30), D(2022, 6, 22), False)


def test_an_occurrence_recorded_before_the_series_starts(dudley: lif_rules.PolicyPack) -> None:
    s = dudley.schedule("sar", start=D(2024, 9, 2),
                        actual={"commissioned": D(2024, 11, 4), "sar_panel_meeting_1": D(2024, 11, 1)})
    assert (s["sar_panel_meeting_1"].actual, s["sar_panel_meeting_1"].status) == (D(2024, 11, 1), "met")
    assert s.warnings == [
        "sar_panel_meeting_1 is recorded on 2024-11-01, before commissioned (2024-11-04), which it is counted "
        "from; the date is kept as given, and milestones counted from it are counted from that date"]


def test_a_panel_meeting_past_sign_off_does_not_extend_the_series(dudley: lif_rules.PolicyPack) -> None:
    s = dudley.schedule("sar", start=D(2024, 9, 2), today=D(2025, 6, 1),
                        actual={"commissioned": D(2024, 11, 4), "sar_panel_meeting_9": D(2025, 5, 20)})
    panels = {m.id: (m.due, m.actual, m.status) for m in s if m.id.startswith("sar_panel_meeting")}
    assert list(panels) == [f"sar_panel_meeting_{n}" for n in (1, 2, 3, 4, 5, 6, 9)]
    assert panels["sar_panel_meeting_6"] == (D(2025, 5, 4), None, "overdue")  # sign-off: 4 May 2025
    assert panels["sar_panel_meeting_9"] == (None, D(2025, 5, 20), "met")
    assert s["sar_panel_meeting_9"].explanation == []
    assert s.warnings == [
        "sar_panel_meeting_9 is recorded on 2025-05-20, but the series ends with sar_panel_meeting_6 on or before "
        "sab_sign_off (2025-05-04); the date is kept, with no due date, and the series is not extended"]


def test_a_series_with_no_occurrence_and_one_recorded(dudley: lif_rules.PolicyPack) -> None:
    s = dudley.schedule("sar", start=D(2024, 9, 2), actual={"commissioned": D(2024, 11, 4),
                                                               "sab_sign_off": D(2024, 11, 20),
                                                               "sar_panel_meeting_2": D(2024, 12, 1)})
    assert [m.id for m in s if m.id.startswith("sar_panel_meeting")] == ["sar_panel_meeting_2"]
    assert s.warnings[-1].startswith("sar_panel_meeting_2 is recorded on 2024-12-01, but the series has no "
                                     "occurrence on or before sab_sign_off (2024-11-20)")


# --- explanations ------------------------------------------------------------------------------------


def test_anchor_is_actual_says_whether_the_anchor_date_happened(dudley: lif_rules.PolicyPack) -> None:
    def steps(s: Schedule, mid: str) -> dict[str, bool]:
        return {e.anchor: e.anchor_is_actual for e in s[mid].explanation}

    planned = rapid(dudley)
    assert steps(planned, "scoping_requests_sent") == {"referral_received": True}  # the start happened
    assert steps(planned, "scoping_returned") == {"scoping_requests_sent": False}  # computed
    # awareness taken as the start date is assumed, not recorded
    assert steps(planned, "national_panel_informed") == {"rapid_review_meeting": False, "became_aware": False}
    recorded = rapid(dudley, scoping_requests_sent=D(2022, 5, 31), rapid_review_meeting=D(2022, 6, 13),
                     became_aware=D(2022, 5, 26))
    assert steps(recorded, "scoping_returned") == {"scoping_requests_sent": True}
    assert steps(recorded, "national_panel_informed") == {"rapid_review_meeting": True, "became_aware": True}
    assert planned["became_aware"].explanation[0].rule == "taken as the start date (referral_received): no actual " \
                                                          "date given"


def test_the_latest_of_several_earliest_constraints_opens_the_window(write_pack: Any) -> None:
    text = """\
        pack: windows
        document: {title: T, short_title: T, publisher: P, source: s.txt, in_force: {}, regime: [care_act_2014]}
        reviews:
          sar:
            name: SAR
            legal_basis: non_statutory
            decided_by: the SAB
            citation: "Test 1"
            milestones:
              - {id: requested, name: Requested, start: true, citation: "Test 1"}
              - {id: scoped, name: Scoped, due: {after: requested, working_days: 3}, citation: "Test 2"}
              - id: meeting
                name: Meeting
                earliest: [{after: requested, days: 2}, {after: scoped, working_days: 2}, {after: requested, days: 1}]
                due: {after: requested, weeks: 4}
                citation: "Test 3"
        """
    pack = lif_rules.load_pack(write_pack(text))
    # Mon 6 Jun 2022: requested + 2 days = Wed 8; scoped Thu 9 + 2 working days = Mon 13; requested + 1 = Tue 7
    s = pack.schedule("sar", start=D(2022, 6, 6), today=D(2022, 6, 10))
    assert s["meeting"].earliest == D(2022, 6, 13)
    assert s["meeting"].status == "upcoming"
    assert s["meeting"].rule == ("not before 2 days after requested, and not before 2 working days after scoped, and "
                                 "not before 1 day after requested; 4 weeks after requested")


# --- looking milestones up -----------------------------------------------------------------------------


def test_lookups_survive_json_pickling_and_copies(dudley: lif_rules.PolicyPack) -> None:
    s = dudley.schedule("sar", start=D(2027, 6, 1), actual={"commissioned": D(2027, 8, 31)}, today=D(2027, 9, 1))
    for other in (Schedule.model_validate(s.model_dump(mode="json")),
                  Schedule.model_validate_json(s.model_dump_json()),
                  pickle.loads(pickle.dumps(s))):
        assert other == s
        assert other["sar_panel_meeting_3"] == s["sar_panel_meeting_3"]
        assert "sab_sign_off" in other and "sar_panel_meeting_7" not in other
        assert other.model_dump(mode="json") == s.model_dump(mode="json")
    fewer = s.model_copy(update={"milestones": [m for m in s if m.id != "sab_sign_off"]})
    assert "sab_sign_off" not in fewer and fewer["publication"] == s["publication"]
    assert "_index" not in json.dumps(s.model_dump(mode="json"))


def test_lookups_of_what_is_not_an_id(dudley: lif_rules.PolicyPack) -> None:
    s = rapid(dudley)
    assert 5 not in s and None not in s and ["x"] not in s
    with pytest.raises(LookupError) as info:
        s["x" * 10_000]
    assert len(str(info.value)) < 500
    with pytest.raises(LookupError, match="has no milestone of type list"):
        s[["x"]]  # type: ignore[index]


# --- hostile and careless input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "message"),
    [
        ({"sar_panel_meeting_" + "9" * 5000: D(2026, 1, 5)},
         "'sar_panel_meeting_999999999999999999999999999999999999999999… (5000 digits)': a recurring milestone has "
         "at most 600 occurrences"),
        ({"sar_panel_meeting_1\n": D(2026, 1, 5)}, "review 'sar' has no milestone 'sar_panel_meeting_1\\n'"),
        ({"sar_panel_meeting_01": D(2026, 1, 5)}, "review 'sar' has no milestone 'sar_panel_meeting_01'"),
        ({"sar_panel_meeting_0": D(2026, 1, 5)}, "review 'sar' has no milestone 'sar_panel_meeting_0'"),
        ({" commissioned": D(2026, 1, 5)}, "review 'sar' has no milestone ' commissioned' (did you mean "),
        ({5: D(2026, 1, 5)}, "milestone ids are text, got one of type int"),
        ({("commissioned",): D(2026, 1, 5)}, "milestone ids are text, got one of type tuple"),
    ],
)
def test_an_actual_id_that_names_no_milestone(dudley: lif_rules.PolicyPack, actual: dict[Any, date],
                                              message: str) -> None:
    with pytest.raises(LookupError) as info:
        dudley.schedule("sar", start=D(2026, 1, 5), actual=actual)
    assert str(info.value).startswith(message)
    assert len(str(info.value)) < 1000


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start": datetime(2026, 1, 5, 9)}, "start must be a date, got a datetime (2026-01-05T09:00:00); pass its "
                                             ".date()"),
        ({"start": D(2026, 1, 5), "today": datetime(2026, 2, 1)}, "today must be a date, got a datetime"),
        ({"start": D(2026, 1, 5), "actual": {"commissioned": datetime(2026, 2, 1)}},
         "the actual date of 'commissioned' must be a date, got a datetime (2026-02-01T00:00:00); pass its .date()"),
        ({"start": "2026-01-05"}, "start must be a date (datetime.date), got the str '2026-01-05'"),
        ({"start": D(2026, 1, 5), "actual": [("commissioned", D(2026, 2, 1))]},
         "actual must map milestone ids to dates, got a list"),
        ({"start": D(1800, 1, 6)}, "scoping_received: 20 working days after request_received (1800-01-06) cannot be "
                                   "computed: 1800-01-06 is out of range for calendar 'england'"),
    ],
)
def test_dates_of_the_wrong_kind(dudley: lif_rules.PolicyPack, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as info:
        dudley.schedule("sar", **kwargs)
    assert str(info.value).startswith(message)


def test_an_unknown_review_of_another_type(dudley: lif_rules.PolicyPack) -> None:
    with pytest.raises(LookupError, match="^pack 'dudley' has no review of type list; reviews: "):
        dudley.schedule(["sar"], start=D(2026, 1, 5))  # type: ignore[arg-type]
