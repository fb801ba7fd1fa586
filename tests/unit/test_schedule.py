"""Stage 4b, schedule: Dudley's timetables counted by hand, actual dates, statuses and recurring milestones.

England's bank holidays used below: 2022-06-02 and 2022-06-03 (the Platinum Jubilee weekend),
2026-12-25, 2026-12-28 (Boxing Day's substitute), 2027-01-01, 2027-05-31 and 2027-08-30.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

import lif_rules
from lif_rules import Schedule

D = date


@pytest.fixture(scope="module")
def dudley() -> lif_rules.PolicyPack:
    return lif_rules.load_pack("dudley")


def dates(schedule: Schedule, attr: str = "due") -> dict[str, Any]:
    return {m.id: getattr(m, attr) for m in schedule}


# --- rapid review ----------------------------------------------------------------------------------


def test_spec_section_1_rapid_review_over_christmas(dudley: lif_rules.PolicyPack) -> None:
    s = dudley.schedule("rapid_review", start=D(2026, 12, 18))
    # Fri 18 Dec; working days after it: Mon 21 (1), Tue 22 (2), Wed 23 (3), Thu 24 (4),
    # [Fri 25, Mon 28 bank holidays], Tue 29 (5), Wed 30 (6), Thu 31 (7), [Fri 1 Jan bank holiday],
    # Mon 4 (8), Tue 5 (9), Wed 6 (10), Thu 7 (11), Fri 8 (12), Mon 11 (13), Tue 12 (14), Wed 13 (15).
    assert s["scoping_requests_sent"].due == D(2026, 12, 22)
    assert s["rapid_review_meeting"].earliest == D(2026, 12, 31)
    assert s["rapid_review_meeting"].due == D(2027, 1, 11)
    # the scoping template returns 5 working days after it is sent (Tue 22): 23, 24, 29, 30, 31
    assert s["scoping_returned"].due == D(2026, 12, 31)
    # min(meeting's due + 2 working days = Wed 13, referral + 15 working days = Wed 13)
    assert s["national_panel_informed"].due == D(2027, 1, 13)
    assert s["referral_received"].due == D(2026, 12, 18)
    # without today, only what happened has a status: the referral, and awareness taken as its date
    assert {m.id: m.status for m in s if m.status is not None} == {"referral_received": "met", "became_aware": "met"}


def test_spec_section_1_with_an_actual_meeting(dudley: lif_rules.PolicyPack) -> None:
    s = dudley.schedule("rapid_review", start=D(2026, 12, 18), actual={"rapid_review_meeting": D(2027, 1, 5)},
                        today=D(2027, 1, 6))
    meeting = s["rapid_review_meeting"]
    assert (meeting.actual, meeting.status) == (D(2027, 1, 5), "met")
    assert (meeting.earliest, meeting.due) == (D(2026, 12, 31), D(2027, 1, 11))
    # Tue 5 Jan + 2 working days = Thu 7 Jan, earlier than the 15-working-day limit (Wed 13)
    assert (s["national_panel_informed"].due, s["national_panel_informed"].status) == (D(2027, 1, 7), "due")
    assert s["scoping_requests_sent"].status == "overdue"


def test_the_start_milestone_counts_as_met(dudley: lif_rules.PolicyPack) -> None:
    s = dudley.schedule("rapid_review", start=D(2026, 12, 18), today=D(2027, 1, 6))
    assert s["referral_received"].status == "met"


def test_jubilee_weekend(dudley: lif_rules.PolicyPack) -> None:
    s = dudley.schedule("rapid_review", start=D(2022, 5, 27))
    # Fri 27 May: Mon 30 (1), Tue 31 (2), Wed 1 Jun (3), [Thu 2, Fri 3 bank holidays], Mon 6 (4), Tue 7 (5),
    # Wed 8 (6), Thu 9 (7), Fri 10 (8), Mon 13 (9), Tue 14 (10), Wed 15 (11), Thu 16 (12), Fri 17 (13),
    # Mon 20 (14), Tue 21 (15)
    assert s["scoping_requests_sent"].due == D(2022, 5, 31)
    assert (s["rapid_review_meeting"].earliest, s["rapid_review_meeting"].due) == (D(2022, 6, 9), D(2022, 6, 17))
    assert s["national_panel_informed"].due == D(2022, 6, 21)


def test_actual_meeting_makes_the_panel_letter_overdue(dudley: lif_rules.PolicyPack) -> None:
    s = dudley.schedule("rapid_review", start=D(2022, 5, 27), actual={"rapid_review_meeting": D(2022, 6, 13)},
                        today=D(2022, 6, 16))
    assert (s["national_panel_informed"].due, s["national_panel_informed"].status) == (D(2022, 6, 15), "overdue")


def test_explanation_names_the_bank_holidays_skipped(dudley: lif_rules.PolicyPack) -> None:
    meeting = dudley.schedule("rapid_review", start=D(2026, 12, 18))["rapid_review_meeting"]
    earliest = next(e for e in meeting.explanation if e.kind == "earliest")
    assert [d.date for d in earliest.bank_holidays_skipped] == [D(2026, 12, 25), D(2026, 12, 28)]
    assert (earliest.anchor, earliest.anchor_date, earliest.result) == ("referral_received", D(2026, 12, 18),
                                                                        D(2026, 12, 31))


def test_rule_words(dudley: lif_rules.PolicyPack) -> None:
    s = dudley.schedule("rapid_review", start=D(2026, 12, 18))
    assert s["scoping_requests_sent"].rule == "2 working days after referral_received"
    assert s["rapid_review_meeting"].rule == "between 7 and 13 working days after referral_received"
    assert all(m.citation.strip() for m in s)


# --- statuses ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        # scoping due Tue 22 Dec; meeting window Thu 31 Dec - Mon 11 Jan
        (D(2026, 12, 21), {"scoping_requests_sent": "due", "rapid_review_meeting": "upcoming"}),
        (D(2026, 12, 22), {"scoping_requests_sent": "due", "rapid_review_meeting": "upcoming"}),
        (D(2026, 12, 23), {"scoping_requests_sent": "overdue", "rapid_review_meeting": "upcoming"}),
        (D(2026, 12, 31), {"scoping_requests_sent": "overdue", "rapid_review_meeting": "due"}),
        (D(2027, 1, 11), {"scoping_requests_sent": "overdue", "rapid_review_meeting": "due"}),
        (D(2027, 1, 12), {"scoping_requests_sent": "overdue", "rapid_review_meeting": "overdue"}),
    ],
)
def test_statuses(dudley: lif_rules.PolicyPack, today: date, expected: dict[str, str]) -> None:
    s = dudley.schedule("rapid_review", start=D(2026, 12, 18), today=today)
    assert {mid: s[mid].status for mid in expected} == expected


@pytest.mark.parametrize("today", [None, D(2027, 3, 1), D(2030, 1, 1)])
def test_an_actual_date_says_whether_it_kept_to_time_whatever_today_is(dudley: lif_rules.PolicyPack,
                                                                         today: date | None) -> None:
    s = dudley.schedule("rapid_review", start=D(2026, 12, 18), today=today,
                        actual={"scoping_requests_sent": D(2026, 12, 22), "scoping_returned": D(2027, 1, 4),
                                "rapid_review_meeting": D(2026, 12, 30)})
    assert s["scoping_requests_sent"].status == "met"  # on its due date
    # returned 5 working days after 22 Dec is due 31 Dec; 4 Jan is 4 days, 1 working day (1 Jan a bank holiday) late
    late = s["scoping_returned"]
    assert (late.due, late.status, late.days_late, late.working_days_late) == (D(2026, 12, 31), "met_late", 4, 1)
    early = s["rapid_review_meeting"]  # its window opens on 31 Dec
    assert (early.status, early.days_late, early.working_days_late) == ("met_early", None, None)


# --- actual dates recompute downstream only ------------------------------------------------------------


def test_actual_recomputes_downstream_only(dudley: lif_rules.PolicyPack) -> None:
    planned = dudley.schedule("rapid_review", start=D(2026, 12, 18))
    # the template went out on Thu 24 Dec instead of Tue 22: its return moves 2 working days, nothing else moves
    s = dudley.schedule("rapid_review", start=D(2026, 12, 18), actual={"scoping_requests_sent": D(2026, 12, 24)})
    changed = {mid for mid, due in dates(s).items() if due != dates(planned)[mid]}
    assert changed == {"scoping_returned"}
    # 24 Dec + 5 working days: 29, 30, 31, 4 Jan, 5 Jan
    assert s["scoping_returned"].due == D(2027, 1, 5)
    assert s["scoping_requests_sent"].due == D(2026, 12, 22)


def test_the_start_milestone_is_dated_by_start(dudley: lif_rules.PolicyPack) -> None:
    s = dudley.schedule("rapid_review", start=D(2026, 12, 18), actual={"referral_received": D(2026, 12, 18)})
    assert (s["referral_received"].actual, s["scoping_requests_sent"].due) == (D(2026, 12, 18), D(2026, 12, 22))
    with pytest.raises(ValueError) as info:
        dudley.schedule("rapid_review", start=D(2026, 12, 18), actual={"referral_received": D(2026, 12, 21)})
    assert str(info.value) == ("'referral_received' is the review's first event, dated by start (2026-12-18); its "
                               "actual date cannot differ (2026-12-21): pass start=2026-12-21")


SAR_PLANNED = {
    # Tue 1 Jun 2027 + 20 working days (no bank holiday in June 2027) = Tue 29 Jun
    "scoping_received": D(2027, 6, 29),
    # + 8 weeks
    "sar_decision_meeting": D(2027, 7, 27),
    # Tue 27 Jul + 10 working days: 28, 29, 30 Jul, 2-6 Aug, 9, 10 Aug
    "commissioned": D(2027, 8, 10),
}


def test_sar_timetable_with_an_actual_commission_at_a_month_end(dudley: lif_rules.PolicyPack) -> None:
    s = dudley.schedule("sar", start=D(2027, 6, 1), actual={"commissioned": D(2027, 8, 31)})
    assert {mid: s[mid].due for mid in SAR_PLANNED} == SAR_PLANNED  # upstream: unchanged
    assert s["commissioned"].actual == D(2027, 8, 31)
    assert {mid: s[mid].due for mid in (
        "family_notified", "reviewers_commissioned", "initial_scoping_meeting", "draft_report_to_panel",
        "sar_committee_presentation", "sab_sign_off", "family_informed", "publication", "learning_event",
    )} == {
        "family_notified": D(2027, 8, 31),  # the same day
        "reviewers_commissioned": D(2027, 9, 21),  # 3 weeks
        "initial_scoping_meeting": D(2027, 10, 19),  # 4 weeks after the reviewers
        "draft_report_to_panel": D(2028, 1, 31),  # 5 months
        "sar_committee_presentation": D(2028, 2, 15),  # 5 months and 15 days
        "sab_sign_off": D(2028, 2, 29),  # 6 months: 31 Aug clamps to the leap day
        "family_informed": D(2028, 3, 14),  # 2 weeks after sign-off
        "publication": D(2028, 3, 31),
        "learning_event": D(2028, 5, 31),
    }


# --- recurring milestones ------------------------------------------------------------------------------


def test_recurring_panel_meetings(dudley: lif_rules.PolicyPack) -> None:
    s = dudley.schedule("sar", start=D(2027, 6, 1), actual={"commissioned": D(2027, 8, 31)})
    panels = {m.id: m.due for m in s if m.id.startswith("sar_panel_meeting")}
    # monthly from the commission (each counted from 31 Aug, so clamping does not drift), the last on sign-off
    assert panels == {
        "sar_panel_meeting_1": D(2027, 9, 30),
        "sar_panel_meeting_2": D(2027, 10, 31),
        "sar_panel_meeting_3": D(2027, 11, 30),
        "sar_panel_meeting_4": D(2027, 12, 31),
        "sar_panel_meeting_5": D(2028, 1, 31),
        "sar_panel_meeting_6": D(2028, 2, 29),
    }
    assert s["sar_panel_meeting_3"].name == "SAR Panel meeting 3"
    assert "sar_panel_meeting" not in s


def test_recurring_meetings_stop_at_an_early_sign_off(dudley: lif_rules.PolicyPack) -> None:
    s = dudley.schedule("sar", start=D(2027, 6, 1),
                        actual={"commissioned": D(2027, 8, 31), "sab_sign_off": D(2027, 12, 1)})
    assert [m.id for m in s if m.id.startswith("sar_panel_meeting")] == [
        "sar_panel_meeting_1", "sar_panel_meeting_2", "sar_panel_meeting_3",
    ]


def test_actual_date_of_one_occurrence(dudley: lif_rules.PolicyPack) -> None:
    s = dudley.schedule("sar", start=D(2027, 6, 1), actual={"sar_panel_meeting_2": D(2027, 9, 20)},
                        today=D(2027, 10, 1))
    assert (s["sar_panel_meeting_2"].actual, s["sar_panel_meeting_2"].status) == (D(2027, 9, 20), "met")
    assert s["sar_panel_meeting_1"].status == "overdue"  # due 10 Sep


# --- order ---------------------------------------------------------------------------------------------


def test_iteration_is_by_actual_date_else_due(dudley: lif_rules.PolicyPack) -> None:
    s = dudley.schedule("rapid_review", start=D(2026, 12, 18), actual={"scoping_requests_sent": D(2027, 1, 12)})
    # referral 18 Dec, meeting due 11 Jan, template actually sent 12 Jan, panel letter 13 Jan,
    # template returned 5 working days after 12 Jan: 19 Jan
    assert [m.id for m in s] == [
        "became_aware", "referral_received", "rapid_review_meeting", "scoping_requests_sent",
        "national_panel_informed", "scoping_returned",
    ]
    keys = [m.actual or m.due for m in s]
    assert keys == sorted(keys)  # type: ignore[type-var]


def test_ties_keep_pack_order(dudley: lif_rules.PolicyPack) -> None:
    s = dudley.schedule("rapid_review", start=D(2026, 12, 18))
    # scoping_returned and the meeting's window both fall on 31 Dec; pack order decides
    ids = [m.id for m in s]
    assert ids.index("scoping_requests_sent") < ids.index("scoping_returned") < ids.index("rapid_review_meeting")
    s = dudley.schedule("sar", start=D(2027, 6, 1))
    ids = [m.id for m in s]
    assert ids.index("commissioned") < ids.index("family_notified")  # both 10 Aug 2027


def test_ties_keep_pack_order_for_recurring_milestones(dudley: lif_rules.PolicyPack) -> None:
    s = dudley.schedule("sar", start=D(2027, 6, 1), actual={"commissioned": D(2027, 8, 31)})
    ids = [m.id for m in s]
    # both on 29 Feb 2028; the pack defines sar_panel_meeting before sab_sign_off
    assert ids.index("sar_panel_meeting_6") < ids.index("sab_sign_off")


def test_schedule_round_trips_through_json(dudley: lif_rules.PolicyPack) -> None:
    s = dudley.schedule("sar", start=D(2027, 6, 1), actual={"commissioned": D(2027, 8, 31)}, today=D(2027, 9, 1))
    assert Schedule.model_validate(s.model_dump(mode="json")) == s
    assert len(s) == len(list(s))


def test_training_follow_up(dudley: lif_rules.PolicyPack) -> None:
    s = dudley.schedule("training_impact_evaluation", start=D(2025, 11, 30))
    assert s["follow_up_survey"].due == D(2026, 2, 28)  # 3 months, clamped


# --- errors --------------------------------------------------------------------------------------------


def test_unknown_review(dudley: lif_rules.PolicyPack) -> None:
    with pytest.raises(LookupError) as info:
        dudley.schedule("scr", start=D(2026, 1, 5))
    assert str(info.value) == (
        "pack 'dudley' has no review 'scr' (did you mean 'sar'?); reviews: rapid_review, cspr, table_top_review, "
        "macfa, sar, training_impact_evaluation; notification deadlines: national_panel_notification, "
        "looked_after_child_death_notification, "
        "care_leaver_death_notification"
    )


def test_review_without_a_timetable(dudley: lif_rules.PolicyPack) -> None:
    with pytest.raises(LookupError) as info:
        dudley.schedule("macfa", start=D(2026, 1, 5))
    assert str(info.value) == (
        "review 'macfa' of pack 'dudley' has no timetable; reviews with one: rapid_review, sar, "
        "training_impact_evaluation, national_panel_notification, looked_after_child_death_notification, "
        "care_leaver_death_notification"
    )


def test_a_duty_whose_deadline_is_not_in_working_days_is_named_as_a_duty(dudley: lif_rules.PolicyPack) -> None:
    with pytest.raises(LookupError) as info:  # before 29 June 2018 the Act set no period for this duty
        dudley.schedule("looked_after_child_death_notification", start=D(2018, 3, 1))
    assert str(info.value).startswith("the duty 'looked_after_child_death_notification' of pack 'dudley' has no "
                                      "deadline in working days to schedule (no period set by the Act")
    assert str(info.value).endswith("; notification deadlines: serious_incident_notification")


def test_unknown_milestone_lookup(dudley: lif_rules.PolicyPack) -> None:
    s = dudley.schedule("rapid_review", start=D(2026, 12, 18))
    with pytest.raises(LookupError) as info:
        s["rapid_review_meetng"]
    assert str(info.value).startswith("review 'rapid_review' has no milestone 'rapid_review_meetng'")


def test_unknown_milestone_in_actual(dudley: lif_rules.PolicyPack) -> None:
    with pytest.raises(LookupError) as info:
        dudley.schedule("rapid_review", start=D(2026, 12, 18), actual={"meeting": D(2027, 1, 5)})
    assert str(info.value).startswith("review 'rapid_review' has no milestone 'meeting'")


def test_recurring_id_without_a_number_in_actual(dudley: lif_rules.PolicyPack) -> None:
    with pytest.raises(LookupError) as info:
        dudley.schedule("sar", start=D(2027, 6, 1), actual={"sar_panel_meeting": D(2027, 9, 1)})
    assert "(did you mean 'sar_panel_meeting'?)" not in str(info.value)
    assert str(info.value).startswith("'sar_panel_meeting' recurs: give the occurrence, e.g. 'sar_panel_meeting_1'")


def test_an_actual_occurrence_beyond_the_end_is_kept_without_extending_the_series(
        dudley: lif_rules.PolicyPack) -> None:
    # planned: six meetings, the last on sign-off (10 Feb 2028); a ninth really happened on 1 Apr 2028
    s = dudley.schedule("sar", start=D(2027, 6, 1), actual={"sar_panel_meeting_9": D(2028, 4, 1)},
                        today=D(2028, 4, 2))
    ninth = s["sar_panel_meeting_9"]
    assert (ninth.actual, ninth.due, ninth.earliest, ninth.status) == (D(2028, 4, 1), None, None, "met")
    assert (ninth.name, ninth.days_late) == ("SAR Panel meeting 9", None)
    assert [m.id for m in s if m.id.startswith("sar_panel_meeting")] == [
        f"sar_panel_meeting_{n}" for n in (1, 2, 3, 4, 5, 6, 9)  # no 7th or 8th: the series ends at sign-off
    ]
    assert s.warnings == [
        "sar_panel_meeting_9 is recorded on 2028-04-01, but the series ends with sar_panel_meeting_6 on or before "
        "sab_sign_off (2028-02-10); the date is kept, with no due date, and the series is not extended"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"start": "2026-12-18"},
        {"start": datetime(2026, 12, 18, 9, 0)},
        {"start": D(2026, 12, 18), "today": "2027-01-01"},
        {"start": D(2026, 12, 18), "actual": {"rapid_review_meeting": "2027-01-05"}},
    ],
)
def test_dates_must_be_dates(dudley: lif_rules.PolicyPack, kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        dudley.schedule("rapid_review", **kwargs)


def test_an_occurrence_beyond_the_limit_is_refused_not_dropped(dudley: lif_rules.PolicyPack) -> None:
    with pytest.raises(LookupError) as info:
        dudley.schedule("sar", start=D(2026, 1, 5), actual={"sar_panel_meeting_601": D(2076, 1, 5)})
    assert str(info.value) == "'sar_panel_meeting_601': a recurring milestone has at most 600 occurrences"
    kept = dudley.schedule("sar", start=D(2026, 1, 5), actual={"sar_panel_meeting_600": D(2076, 1, 5)})
    assert kept["sar_panel_meeting_600"].actual == D(2076, 1, 5)
