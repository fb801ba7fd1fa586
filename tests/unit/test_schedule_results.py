"""A schedule's milestones are built when first read: every way of reading a schedule gives what a fully built one
gives (dumps, comparisons, copies, pickles, lookups, nesting in other models, threads)."""

from __future__ import annotations

import copy
from pathlib import Path
import pickle
import threading
from datetime import date

import pytest
from pydantic import BaseModel, TypeAdapter

import lif_rules
from lif_rules import Milestone, Schedule

D = date


@pytest.fixture
def fresh() -> Schedule:
    """A schedule none of whose milestones has been read yet (with statuses, warnings and a series)."""
    return lif_rules.load_pack("dudley").schedule(
        "sar", start=D(2024, 9, 2), today=D(2025, 6, 1),
        actual={"commissioned": D(2024, 11, 4), "sar_panel_meeting_2": D(2024, 11, 1), "sar_panel_meeting_9": D(2025, 5, 20)})


@pytest.fixture
def full(fresh: Schedule) -> Schedule:
    """The same schedule, rebuilt from its JSON: every milestone built at once, by validation."""
    built = Schedule.model_validate_json(lif_rules.load_pack("dudley").schedule(
        "sar", start=D(2024, 9, 2), today=D(2025, 6, 1),
        actual={"commissioned": D(2024, 11, 4), "sar_panel_meeting_2": D(2024, 11, 1),
                "sar_panel_meeting_9": D(2025, 5, 20)}).model_dump_json())
    assert len(built.milestones) == 21 and len(built.warnings) == 2
    return built


def test_dumps_are_those_of_a_fully_built_schedule(fresh: Schedule, full: Schedule) -> None:
    assert fresh.model_dump(mode="json") == full.model_dump(mode="json")
    assert fresh.model_dump_json() == full.model_dump_json()
    dumped = fresh.model_dump()
    assert isinstance(dumped["milestones"], list) and isinstance(dumped["milestones"][0], dict)
    assert dumped["milestones"][0]["explanation"] == full.model_dump()["milestones"][0]["explanation"]


def test_comparisons_both_ways(fresh: Schedule, full: Schedule) -> None:
    assert fresh == full and full == fresh
    assert fresh.milestones == list(full.milestones) and list(full.milestones) == fresh.milestones
    other = lif_rules.load_pack("dudley").schedule("sar", start=D(2024, 9, 3))
    assert fresh != other


def test_copies_and_pickles(fresh: Schedule, full: Schedule) -> None:
    for other in (pickle.loads(pickle.dumps(fresh)), copy.copy(fresh), copy.deepcopy(fresh), fresh.model_copy(),
                  fresh.model_copy(deep=True)):
        assert other == full
        assert other["sar_panel_meeting_9"] == full["sar_panel_meeting_9"]
        assert other.model_dump(mode="json") == full.model_dump(mode="json")
    assert repr(fresh) == repr(full)
    assert str(fresh) == str(full)


def test_a_copy_with_other_milestones_looks_up_its_own(fresh: Schedule) -> None:
    kept = [m for m in fresh if m.id != "sab_sign_off"]
    fewer = fresh.model_copy(update={"milestones": kept})
    assert "sab_sign_off" not in fewer and "sab_sign_off" in fresh
    assert fewer["publication"] == fresh["publication"]
    with pytest.raises(LookupError, match="has no milestone 'sab_sign_off'"):
        fewer["sab_sign_off"]


def test_the_milestones_read_like_an_immutable_list(fresh: Schedule, full: Schedule) -> None:
    ms = fresh.milestones
    assert ms[-1] == full.milestones[-1] and ms[0] == full.milestones[0]
    assert ms[2:5] == list(full.milestones[2:5])
    assert ms.index(full.milestones[3]) == 3 and ms.count(full.milestones[3]) == 1
    assert full.milestones[4] in ms
    with pytest.raises(IndexError):
        ms[21]
    with pytest.raises(AttributeError):
        ms.append(full.milestones[0])  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        ms[0] = full.milestones[1]  # type: ignore[index]
    assert [m.id for m in fresh] == [m.id for m in full]


def test_nested_in_other_models(fresh: Schedule, full: Schedule) -> None:
    class Answer(BaseModel):  # as a service wraps a result
        result: Schedule

    assert Answer(result=fresh).model_dump(mode="json") == Answer(result=full).model_dump(mode="json")
    assert TypeAdapter(list[Milestone]).dump_python(list(fresh)) == TypeAdapter(list[Milestone]).dump_python(
        list(full))
    assert Answer.model_validate_json(Answer(result=fresh).model_dump_json()).result == full


def test_threads_reading_one_schedule_at_once_agree(full: Schedule) -> None:
    schedules = [lif_rules.load_pack("dudley").schedule(
        "sar", start=D(2024, 9, 2), today=D(2025, 6, 1),
        actual={"commissioned": D(2024, 11, 4), "sar_panel_meeting_2": D(2024, 11, 1),
                "sar_panel_meeting_9": D(2025, 5, 20)}) for _ in range(20)]
    barrier = threading.Barrier(8)
    seen: list[list[dict[str, object]]] = []
    errors: list[BaseException] = []

    def read() -> None:
        try:
            barrier.wait()
            for s in schedules:
                seen.append([s[m.id].model_dump(mode="json") for m in reversed(list(s))])
        except BaseException as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=read) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    expected = [m.model_dump(mode="json") for m in reversed(list(full))]
    assert all(one == expected for one in seen) and len(seen) == 160


def test_what_can_fail_fails_in_the_call_not_when_read() -> None:
    # days late cannot be counted in working days up to a today beyond the calendar: the call says so
    pack = lif_rules.load_pack("barking_dagenham")
    with pytest.raises(ValueError, match="out of range for calendar 'england'"):
        pack.schedule("practice_learning_review", start=D(2000, 1, 1), today=D(9999, 12, 31))


def test_working_days_counted_outside_the_years_checked_against_govuk_are_flagged() -> None:
    dudley, stockport = lif_rules.load_pack("dudley"), lif_rules.load_pack("stockport")
    late = dudley.schedule("rapid_review", start=date(2030, 12, 20))
    assert late.warnings == ["this schedule counts working days on dates after 2028 (up to 2031-01-15), with England's "
                             "regular bank holidays and no one-off holiday announced later; only the bank holidays of "
                             "2012-2028 are checked against GOV.UK's list"]
    early = dudley.schedule("rapid_review", start=date(2011, 12, 20))
    assert "on dates before 2012 (from 2011-12-20), with the holidays package's record" in early.warnings[-1]
    assert dudley.schedule("rapid_review", start=date(2028, 11, 1)).warnings == []  # all within 2028
    # calendar months alone do not depend on bank holidays; working days late do
    assert stockport.schedule("section_11_audit", start=date(2040, 1, 1)).warnings == []
    overdue = stockport.schedule("section_11_audit", start=date(2040, 1, 1), today=date(2045, 1, 2))
    assert any(w.startswith("this schedule counts working days on dates after 2028") for w in overdue.warnings)


def test_adding_no_working_days_to_a_date_outside_the_calendar_is_refused_like_any_other() -> None:
    with pytest.raises(ValueError, match="out of range"):
        lif_rules.calendar("england").add_working_days(date(2200, 1, 1), 0)


def test_an_explanation_lists_every_non_working_day_a_date_was_moved_off() -> None:
    every = lif_rules.load_pack(Path(__file__).resolve().parent.parent / "packs" / "every_construct.yaml")
    report = every.schedule("rapid_review", start=date(2022, 5, 27), actual={"meeting": date(2022, 6, 13)})["report"]
    rolled = next(e for e in report.explanation if e.kind == "due")
    # 19 days after Mon 13 June is Sat 2 July, rolled forward to Mon 4 July: both weekend days were stepped over
    assert (rolled.rolled_from, rolled.result, rolled.weekend_days_skipped) == (date(2022, 7, 2), date(2022, 7, 4), 2)
    # Day 1 of a notification received on Boxing Day 2022 is Wed 28 December: 26 and 27 December were stepped over
    day_one = lif_rules.load_pack("cumbria").schedule("rapid_review", start=date(2022, 12, 26))["scoping_requests_sent"]
    assert [d.date for d in day_one.explanation[0].bank_holidays_skipped] == [date(2022, 12, 26), date(2022, 12, 27)]


def timetable_pack(milestones: str) -> str:
    """A pack with one rapid review whose timetable is ``milestones`` (indented as list items under it)."""
    return """\
pack: timetable
extends: national
document: {title: t, short_title: t, publisher: p, source: s, in_force: {from: 2012-01-01}, regime: [working_together_2018]}
reviews:
  rapid_review:
    name: Rapid review
    legal_basis: non_statutory
    decided_by: x
    citation: c
    milestones:
""" + milestones


DAILY = timetable_pack("""\
      - {id: start, name: Start, start: true, citation: c}
      - {id: end, name: End, due: {after: start, months: MONTHS}, citation: c}
      - id: check
        name: Daily check
        recurring: {every: {after: start, working_days: 1}, until: end}
        citation: c
""")


def test_a_series_cut_short_by_the_occurrence_limit_says_so(tmp_path: Path) -> None:
    for months, cut in ((36, True), (28, False)):  # about 780 and 585 working days
        path = tmp_path / f"daily{months}.yaml"
        path.write_text(DAILY.replace("MONTHS", str(months)), encoding="utf-8")
        s = lif_rules.load_pack(path).schedule("rapid_review", start=date(2024, 1, 2))
        checks = [m for m in s if m.id.startswith("check_")]
        assert len(checks) == (600 if cut else len(checks)) and checks[-1].due <= s["end"].due  # type: ignore[operator]
        assert s.warnings == ([f"check stops after 600 occurrences, before end ({s['end'].due}) which should end it: a "
                               "series has at most 600 occurrences; the later occurrences are not scheduled"] if cut else [])


WINDOW = timetable_pack("""\
      - {id: referral_received, name: Referral, start: true, citation: c}
      - {id: scoping, name: Scoping, due: {after: referral_received, working_days: 10}, citation: c}
      - id: meeting
        name: Meeting
        earliest: {after: referral_received, working_days: 7}
        due: {after: scoping, working_days: 2}
        citation: c
""")


def test_a_window_that_dates_leave_closed_before_it_opens_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "window.yaml"
    path.write_text(WINDOW, encoding="utf-8")
    pack = lif_rules.load_pack(path)
    # scoping done the day of the referral: the meeting is due 2 working days later, but not before 7
    early = pack.schedule("rapid_review", start=date(2022, 6, 6), actual={"scoping": date(2022, 6, 6)})
    assert (early["meeting"].earliest, early["meeting"].due) == (date(2022, 6, 15), date(2022, 6, 8))
    assert early.warnings == ["meeting is due by 2022-06-08 but not before 2022-06-15: no date keeps to both, so any "
                              "date it happens on is early or late"]
    assert pack.schedule("rapid_review", start=date(2022, 6, 6)).warnings == []  # scoping on time: a real window
