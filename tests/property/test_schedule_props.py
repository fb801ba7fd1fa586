"""Properties of schedules with recorded dates: statuses and days late against a plain re-statement of docs/dates.md,
with working days counted by brute force from the holidays package."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

import lif_rules
from lif_rules import Milestone, Schedule, strategies
from lif_rules.core.compiled import MilestoneRule
from lif_rules.core.schedule import timetable

PACKS = {p: lif_rules.load_pack(p) for p in lif_rules.available_packs()}
ENGLAND = holidays.country_holidays("GB", subdiv="ENG")


def timetables() -> list[tuple[str, str]]:
    out = []
    for pid, pack in PACKS.items():
        names = [r for r in pack.reviews if pack.compiled.reviews[r].milestones]
        names += [n for n, rule in pack.compiled.notifications.items() if rule.deadline_working_days is not None]
        out += [(pid, name) for name in names]
    return out


def brute_working_days(after: date, through: date) -> int:
    """Working days after ``after`` up to and including ``through``, one day at a time."""
    count, day = 0, after
    while day < through:
        day += timedelta(days=1)
        count += day.weekday() < 5 and day not in ENGLAND
    return count


def rule_of(rules: dict[str, MilestoneRule], mid: str) -> MilestoneRule:
    if mid in rules:
        return rules[mid]
    head, _, n = mid.rpartition("_")
    assert rules[head].every is not None and n.isdigit(), mid
    return rules[head]


def expected_status(m: Milestone, rule: MilestoneRule, happened: set[str], today: date | None) -> str | None:
    """docs/dates.md, written out plainly."""
    if m.actual is not None:
        if m.due is not None and m.actual > m.due:
            return "met_late"
        if m.earliest is not None and m.actual < m.earliest:
            return "met_early"
        return "met"
    if today is None:
        return None
    if m.due is not None and today > m.due:
        return "overdue"
    counted_from = [o.after for o in rule.due + rule.earliest] + ([rule.every.after] if rule.every else [])
    if any(a not in happened for a in counted_from) or (m.earliest is not None and today < m.earliest):
        return "upcoming"
    return "due"


@st.composite
def cases(draw: st.DrawFn) -> tuple[str, str, date, dict[str, date], date | None]:
    pack_id, review = draw(st.sampled_from(timetables()), label="timetable")
    pack = PACKS[pack_id]
    start, actual = draw(strategies.schedule_inputs(pack, review, min_value=date(2005, 1, 1),
                                                    max_value=date(2080, 12, 31)), label="inputs")
    for rule in timetable(pack.compiled, review):
        if rule.every is not None:  # a few occurrences, some beyond any series' end
            for n in draw(st.sets(st.integers(1, 14), max_size=3), label=f"{rule.id} occurrences"):
                actual[f"{rule.id}_{n}"] = draw(st.dates(start - timedelta(days=40), start + timedelta(days=600)))
    if actual and draw(st.booleans(), label="one date before the start"):
        mid = draw(st.sampled_from(sorted(actual)))
        actual[mid] = start - timedelta(days=draw(st.integers(1, 60)))
    latest = max([start, *actual.values()])
    today = draw(st.one_of(st.none(), st.dates(latest, latest + timedelta(days=500))), label="today")
    return pack_id, review, start, actual, today


@given(cases())
def test_statuses_and_days_late_follow_the_rules(case: tuple[str, str, date, dict[str, date], date | None]) -> None:
    pack_id, review, start, actual, today = case
    s: Schedule = PACKS[pack_id].schedule(review, start=start, actual=actual, today=today)
    rules = {r.id: r for r in timetable(PACKS[pack_id].compiled, review)}
    happened = {r.id for r in rules.values() if r.start or r.before_start} | set(actual)
    for m in s:
        if m.status == "met":  # the property the issue asks for, on its own
            assert m.actual is not None and (m.due is None or m.actual <= m.due), m
        assert m.status == expected_status(m, rule_of(rules, m.id), happened, today), m
        assert m.actual == actual.get(m.id, m.actual)
        late_until = m.actual if m.status == "met_late" else today if m.status == "overdue" else None
        if late_until is None:
            assert (m.days_late, m.working_days_late) == (None, None), m
        else:
            assert m.due is not None
            assert (m.days_late, m.working_days_late) == ((late_until - m.due).days,
                                                          brute_working_days(m.due, late_until)), m
    assert all(mid in s for mid in actual)  # nothing recorded is dropped


@given(cases())
def test_every_recorded_date_that_breaks_the_timetable_is_explained(
        case: tuple[str, str, date, dict[str, date], date | None]) -> None:
    pack_id, review, start, actual, today = case
    s = PACKS[pack_id].schedule(review, start=start, actual=actual, today=today)
    rules = {r.id: r for r in timetable(PACKS[pack_id].compiled, review)}
    outside = PACKS[pack_id].compiled.outside_period(f"the start ({start.isoformat()})", start, start)  # a start outside the pack's period
    assert outside is None or s.warnings[:1] == [outside]
    about_dates = [w for w in s.warnings[1 if outside else 0:] if not w.startswith("this schedule counts working days")]
    warned = {w.split(" ", 1)[0] for w in about_dates}
    for mid, when in actual.items():
        rule = rule_of(rules, mid)
        if rule.before_start:
            assert (mid in warned) == (when > start), mid
        elif when < start or (mid != rule.id and s[mid].due is None):
            assert mid in warned, (mid, s.warnings)
    assert warned <= set(actual)


@given(cases())
def test_iteration_is_by_date_then_pack_order_and_lookups_agree(
        case: tuple[str, str, date, dict[str, date], date | None]) -> None:
    pack_id, review, start, actual, today = case
    s = PACKS[pack_id].schedule(review, start=start, actual=actual, today=today)
    keys = [m.actual or m.due or m.earliest for m in s]
    assert keys == sorted(keys)  # type: ignore[type-var]
    assert all(s[m.id] is m for m in s)
    assert len({m.id for m in s}) == len(s)


@pytest.mark.parametrize("today", [None, date(2030, 1, 1)])
def test_the_property_would_catch_met_for_a_late_date(today: date | None) -> None:
    """The re-statement is not vacuous: a late actual date is ``met_late``, never ``met``."""
    s = PACKS["dudley"].schedule("rapid_review", start=date(2022, 5, 27), today=today,
                                 actual={"scoping_requests_sent": date(2022, 6, 1)})
    m = s["scoping_requests_sent"]
    rules = {r.id: r for r in timetable(PACKS["dudley"].compiled, "rapid_review")}
    assert expected_status(m, rules["scoping_requests_sent"], set(), today) == "met_late"
    assert m.status == "met_late"
