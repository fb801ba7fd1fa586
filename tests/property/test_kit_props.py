"""Properties of every bundled pack, checked with the public strategies of ``lif_rules.strategies``.

- decided outcomes never change when more facts are given;
- ``missing`` is exactly the unknown facts whose value can change the status (brute force);
- schedules are monotone in their start date;
- actual dates move only the milestones downstream of them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import lif_rules
from lif_rules import strategies
from lif_rules.core.compiled import MilestoneRule

PACK_IDS = lif_rules.available_packs()
PACKS = {pid: lif_rules.load_pack(pid) for pid in PACK_IDS}
PROPS = settings(deadline=None)
MAX_COMPLETIONS = 1024


def pack_params() -> pytest.MarkDecorator:
    return pytest.mark.parametrize("pack", [PACKS[p] for p in PACK_IDS], ids=PACK_IDS)


def timetables() -> list[tuple[str, str]]:
    return [(p, r) for p in PACK_IDS for r in PACKS[p].reviews if PACKS[p].compiled.reviews[r].milestones]


def statuses(d: lif_rules.Decision) -> dict[str, str]:
    return {r: o.status for r, o in d.outcomes.items()}


# -- decisions -----------------------------------------------------------------------------------
@pack_params()
@PROPS
@given(data=st.data())
def test_decided_outcomes_never_change_with_more_facts(pack: lif_rules.PolicyPack, data: st.DataObject) -> None:
    partial = data.draw(strategies.facts(pack), label="partial")
    more = data.draw(strategies.facts(pack, include=[f for f in pack.facts if f not in partial]), label="more")
    before = pack.decide(partial)
    after = pack.decide({**partial, **more})
    for rid, outcome in before.outcomes.items():
        if outcome.status != "undetermined":
            assert after.outcomes[rid].status == outcome.status, (rid, partial, more)
        assert set(after.outcomes[rid].missing) <= set(outcome.missing), (rid, partial, more)
    triggered = {n.id for n in before.notifications}
    possible = {n.id for n in before.possible_notifications}
    assert triggered <= {n.id for n in after.notifications}
    assert {n.id for n in after.notifications} <= triggered | possible
    assert {n.id for n in after.possible_notifications} <= possible


@pack_params()
@PROPS
@given(data=st.data())
def test_complete_facts_decide_everything(pack: lif_rules.PolicyPack, data: st.DataObject) -> None:
    d = pack.decide(data.draw(strategies.facts(pack, complete=True), label="facts"))
    assert all(o.status != "undetermined" and o.missing == [] for o in d.outcomes.values())
    assert d.possible_notifications == []


def completions(pack: lif_rules.PolicyPack, known: dict[str, Any], unknown: list[str]) -> Iterable[dict[str, Any]]:
    domains = [pack.compiled.facts[pack.compiled.fact_index[f]].values for f in unknown]
    for combo in itertools.product(*domains):
        yield {**known, **dict(zip(unknown, combo))}


@st.composite
def case_with_few_unknowns(draw: st.DrawFn, pack: lif_rules.PolicyPack) -> tuple[dict[str, Any], list[str]]:
    """A partial case whose unknown facts have at most ``MAX_COMPLETIONS`` completions."""
    complete = draw(strategies.facts(pack, complete=True), label="complete")
    forget = draw(st.sets(st.sampled_from(pack.facts)), label="forget")
    unknown = [f for f in pack.facts if f in forget]
    size = 1
    for f in unknown:
        size *= len(pack.compiled.facts[pack.compiled.fact_index[f]].values)
    assume(size <= MAX_COMPLETIONS)
    return {k: v for k, v in complete.items() if k not in forget}, unknown


@pack_params()
@settings(deadline=None, max_examples=30)
@given(data=st.data())
def test_missing_is_exactly_the_facts_that_can_change_the_status(pack: lif_rules.PolicyPack, data: st.DataObject) -> None:
    known, unknown = data.draw(case_with_few_unknowns(pack), label="case")
    for review in pack.reviews:
        outcome = pack.decide(known, review=review).outcomes[review]
        status_of = {tuple(c[f] for f in unknown): pack.decide(c, review=review).outcomes[review].status
                     for c in completions(pack, known, unknown)}
        seen = set(status_of.values())
        if len(seen) == 1:
            assert outcome.status == next(iter(seen)), (review, known)
            assert outcome.missing == [], (review, known)
            continue
        assert outcome.status == "undetermined", (review, known, seen)
        expected = []
        for pos, fact in enumerate(unknown):
            groups: dict[tuple[Any, ...], set[str]] = {}
            for combo, status in status_of.items():
                groups.setdefault(combo[:pos] + combo[pos + 1 :], set()).add(status)
            if any(len(s) > 1 for s in groups.values()):
                expected.append(fact)
        assert outcome.missing == expected, (review, known)


@pack_params()
@settings(deadline=None, max_examples=30)
@given(data=st.data())
def test_possible_notifications_name_the_facts_that_can_trigger_them(pack: lif_rules.PolicyPack,
                                                                   data: st.DataObject) -> None:
    known, unknown = data.draw(case_with_few_unknowns(pack), label="case")
    d = pack.decide(known)
    triggered: dict[str, dict[tuple[Any, ...], bool]] = {nid: {} for nid in pack.compiled.notifications}
    for c in completions(pack, known, unknown):
        ids = {n.id for n in pack.decide(c).notifications}
        for nid in triggered:
            triggered[nid][tuple(c[f] for f in unknown)] = nid in ids
    possible = {n.id: n for n in d.possible_notifications}
    for nid, by_combo in triggered.items():
        seen = set(by_combo.values())
        if seen == {True}:
            assert nid in {n.id for n in d.notifications}, (nid, known)
        elif seen == {False}:
            assert nid not in possible and nid not in {n.id for n in d.notifications}, (nid, known)
        else:
            assert nid in possible, (nid, known)
            expected = [f for pos, f in enumerate(unknown) if _matters(by_combo, pos)]
            assert possible[nid].missing == expected, (nid, known)


def _matters(by_combo: dict[tuple[Any, ...], Any], pos: int) -> bool:
    groups: dict[tuple[Any, ...], set[Any]] = {}
    for combo, value in by_combo.items():
        groups.setdefault(combo[:pos] + combo[pos + 1 :], set()).add(value)
    return any(len(s) > 1 for s in groups.values())


# -- schedules -----------------------------------------------------------------------------------
def base_id(rules: tuple[MilestoneRule, ...], mid: str) -> str:
    """The rule a milestone id comes from (``sar_panel_meeting_3`` → ``sar_panel_meeting``)."""
    ids = {r.id for r in rules}
    if mid in ids:
        return mid
    head, _, n = mid.rpartition("_")
    assert head in ids and n.isdigit(), mid
    return head


def downstream(rules: tuple[MilestoneRule, ...], sources: Iterable[str]) -> set[str]:
    """Milestones that depend on any of ``sources``, transitively through due/earliest/every anchors and until."""
    deps: dict[str, set[str]] = {}
    for r in rules:
        anchors = {o.after for o in r.due} | {o.after for o in r.earliest}
        if r.every is not None:
            anchors.add(r.every.after)
        if r.until is not None:
            anchors.add(r.until)
        deps[r.id] = anchors
    found: set[str] = set()
    frontier = set(sources)
    while frontier:
        new = {m for m, anchors in deps.items() if anchors & frontier} - found
        found |= new
        frontier = new
    return found


@pytest.mark.parametrize(("pack_id", "review"), timetables())
@PROPS
@given(start=strategies.start_dates(max_value=date(2085, 12, 31)), later=st.integers(1, 800))
def test_schedules_are_monotone_in_the_start_date(pack_id: str, review: str, start: date, later: int) -> None:
    pack = PACKS[pack_id]
    first = pack.schedule(review, start=start)
    second = pack.schedule(review, start=start + timedelta(days=later))
    after = {m.id: m for m in second}
    for m in first:
        if m.id not in after:
            continue
        for field in ("due", "earliest"):
            a, b = getattr(m, field), getattr(after[m.id], field)
            if a is not None and b is not None:
                assert b >= a, (m.id, field, a, b)


@pytest.mark.parametrize(("pack_id", "review"), timetables())
@PROPS
@given(data=st.data())
def test_actual_dates_move_only_downstream_milestones(pack_id: str, review: str, data: st.DataObject) -> None:
    pack = PACKS[pack_id]
    start, actual = data.draw(strategies.schedule_inputs(pack, review), label="inputs")
    rules = pack.compiled.reviews[review].milestones
    plain = {m.id: m for m in pack.schedule(review, start=start)}
    with_actual = {m.id: m for m in pack.schedule(review, start=start, actual=actual)}
    moved = downstream(rules, actual)
    for mid, m in plain.items():
        if base_id(rules, mid) in moved:
            continue
        assert mid in with_actual, (mid, actual)
        other = with_actual[mid]
        assert (other.due, other.earliest) == (m.due, m.earliest), (mid, actual)
    for mid, when in actual.items():
        assert with_actual[mid].actual == when
    for mid in with_actual:
        assert mid in plain or base_id(rules, mid) in moved, (mid, actual)


@pytest.mark.parametrize(("pack_id", "review"), timetables())
@PROPS
@given(data=st.data())
def test_actual_date_at_the_computed_date_changes_nothing(pack_id: str, review: str, data: st.DataObject) -> None:
    """Giving a milestone's own computed date as its actual date leaves every other date as it was."""
    pack = PACKS[pack_id]
    start = data.draw(strategies.start_dates(max_value=date(2085, 12, 31)), label="start")
    plain = pack.schedule(review, start=start)
    rules = {r.id: r for r in pack.compiled.reviews[review].milestones}
    computed = {m.id: m.due or m.earliest for m in plain
                if m.id in rules and not rules[m.id].start and rules[m.id].every is None}
    mid = data.draw(st.sampled_from(sorted(computed)), label="milestone")
    when = computed[mid]
    assert when is not None
    with_actual = pack.schedule(review, start=start, actual={mid: when})
    for m in plain:
        if m.id != mid:
            assert (with_actual[m.id].due, with_actual[m.id].earliest) == (m.due, m.earliest), m.id


@pytest.mark.parametrize(("pack_id", "review"), timetables())
@PROPS
@given(data=st.data())
def test_schedule_inputs_are_valid_input(pack_id: str, review: str, data: st.DataObject) -> None:
    pack = PACKS[pack_id]
    start, actual = data.draw(strategies.schedule_inputs(pack, review), label="inputs")
    s = pack.schedule(review, start=start, actual=actual, today=max([start, *actual.values()]))
    assert all(s[m].actual == d and s[m].status in ("met", "met_late", "met_early") for m, d in actual.items())


# -- quorum --------------------------------------------------------------------------------------
def meetings() -> list[tuple[str, str]]:
    return [(p, m) for p in PACK_IDS for m in PACKS[p].meetings]


@pytest.mark.parametrize(("pack_id", "meeting"), meetings() or [pytest.param("-", "-", marks=pytest.mark.skip)])
@PROPS
@given(data=st.data())
def test_quorum_is_monotone_in_attendees(pack_id: str, meeting: str, data: st.DataObject) -> None:
    pack = PACKS[pack_id]
    people = data.draw(strategies.attendees(pack, meeting), label="attendees")
    more = data.draw(strategies.attendees(pack, meeting), label="more")
    # other people: an entry with the same name as one already there is that person, holding more roles
    more = [{**a, "name": f"another {a['name']}"} if isinstance(a, dict) and "name" in a else a for a in more]
    on = data.draw(strategies.meeting_dates(), label="on")
    q = pack.check_quorum(meeting, attendees=people, on=on)
    q_more = pack.check_quorum(meeting, attendees=people + more, on=on)
    assert q_more.quorate or not q.quorate
    assert set(q_more.missing) <= set(q.missing)
    assert q.quorate == (not q.missing) or pack.compiled.meetings[meeting].at_least is not None


# -- the strategies themselves -------------------------------------------------------------------
@pack_params()
@PROPS
@given(data=st.data())
def test_facts_strategy_draws_valid_cases(pack: lif_rules.PolicyPack, data: st.DataObject) -> None:
    partial = data.draw(strategies.facts(pack))
    complete = data.draw(strategies.facts(pack, complete=True))
    some = data.draw(strategies.facts(pack, complete=True, include=pack.facts[:2]))
    assert set(partial) <= set(pack.facts)
    assert list(complete) == pack.facts
    assert list(some) == pack.facts[:2]
    pack.decide(partial)
    pack.decide(complete)


def test_facts_strategy_rejects_unknown_fact_names() -> None:
    with pytest.raises(lif_rules.FactError):
        strategies.facts(PACKS[PACK_IDS[0]], include=["no_such_fact"])


def test_strategies_reject_unknown_reviews_and_meetings() -> None:
    pack = PACKS[PACK_IDS[0]]
    with pytest.raises(LookupError):
        strategies.schedule_inputs(pack, "no_such_review")
    with pytest.raises(LookupError):
        strategies.attendees(pack, "no_such_meeting")
