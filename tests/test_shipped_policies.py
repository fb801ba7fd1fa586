"""Every bundled pack (whatever ``available_packs()`` finds at run time) loads cleanly and is complete."""

from __future__ import annotations

from datetime import date

import pytest

import lif_rules

PACKS = lif_rules.available_packs()

# Sample start dates: an ordinary Monday, and the Friday before Christmas and New Year.
STARTS = [date(2026, 1, 5), date(2026, 12, 18)]


@pytest.fixture(scope="module", params=PACKS)
def pack(request: pytest.FixtureRequest) -> lif_rules.PolicyPack:
    return lif_rules.load_pack(request.param)


def test_there_are_bundled_packs() -> None:
    assert "dudley" in PACKS


@pytest.mark.parametrize("pack_id", PACKS)
def test_loads_with_zero_problems(pack_id: str) -> None:
    try:
        pack = lif_rules.load_pack(pack_id)
    except lif_rules.PackError as e:  # show every problem, not just that there were some
        pytest.fail(f"{pack_id} has {len(e.errors)} problem(s):\n{e}")
    assert pack.id == pack_id
    assert pack.reviews


def test_every_rule_milestone_meeting_and_notification_cites_its_source(pack: lif_rules.PolicyPack) -> None:
    compiled = pack.compiled
    blank = []
    for rid, review in compiled.reviews.items():
        blank += [f"reviews.{rid}"] if not review.citation.strip() else []
        blank += [f"rule {rule.id}" for rule in review.rules if not rule.citation.strip()]
        blank += [f"milestone {rid}.{m.id}" for m in review.milestones if not m.citation.strip()]
    blank += [f"meeting {mid}" for mid, m in compiled.meetings.items() if not m.citation.strip()]
    blank += [f"notification {nid}" for nid, n in compiled.notifications.items() if not n.citation.strip()]
    assert blank == []


def test_records_its_documents_metadata(pack: lif_rules.PolicyPack) -> None:
    document = pack.document
    assert document.title.strip()
    start, end = document.in_force.from_, document.in_force.to
    assert start is not None
    assert end is None or start <= end
    assert document.regime


def test_decides_every_review_with_nothing_known(pack: lif_rules.PolicyPack) -> None:
    decision = pack.decide({})
    assert list(decision.outcomes) == pack.reviews
    for outcome in decision.outcomes.values():
        assert outcome.trace, outcome.review
        assert all(step.citation.strip() for step in outcome.trace), outcome.review


@pytest.mark.parametrize("start", STARTS, ids=str)
def test_every_timetable_schedules(pack: lif_rules.PolicyPack, start: date) -> None:
    timetabled = [r for r in pack.reviews if pack.compiled.reviews[r].milestones]
    for review in timetabled:
        schedule = pack.schedule(review, start=start, today=start)
        assert len(schedule) >= 1, review
        for milestone in schedule:
            first = milestone.due or milestone.earliest
            assert first is not None and first >= start, (review, milestone.id)
            assert milestone.citation.strip(), (review, milestone.id)
            assert milestone.status in ("met", "due", "upcoming"), (review, milestone.id)
        keys = [m.actual or m.due or m.earliest for m in schedule]
        assert keys == sorted(keys), review  # type: ignore[type-var]


def test_meetings_attended_by_every_named_role_are_quorate(pack: lif_rules.PolicyPack) -> None:
    for mid, meeting in pack.compiled.meetings.items():
        roles = list(meeting.each_of) + ([meeting.chair] if meeting.chair else [])
        if meeting.at_least is not None and meeting.at_least > len(set(roles)):
            continue
        result = pack.check_quorum(mid, attendees=roles, on=date(2026, 3, 2))
        assert (result.quorate, result.missing) == (True, []), mid


@pytest.mark.parametrize("pack_id", lif_rules.available_packs())
def test_every_review_type_has_worked_examples(pack_id: str) -> None:
    """Issue 4: each bundled pack carries examples covering each review type it has."""
    from lif_rules.core.schema import DecideExample, QuorumExample, ScheduleExample

    pack = lif_rules.load_pack(pack_id)
    examples = pack.compiled.examples
    decided = {r for ex in examples if isinstance(ex, DecideExample) for r in ex.expect}
    scheduled = {ex.review for ex in examples if isinstance(ex, ScheduleExample)}
    quorums = {ex.meeting for ex in examples if isinstance(ex, QuorumExample)}
    timed = {r for r, review in pack.compiled.reviews.items() if review.milestones}
    assert (set(pack.reviews) - decided, timed - scheduled, set(pack.meetings) - quorums) == (set(), set(), set())


@pytest.mark.parametrize("pack_id", lif_rules.available_packs())
def test_every_rule_milestone_and_meeting_of_a_bundled_pack_has_an_example(pack_id: str) -> None:
    from lif_rules.analyses.coverage import coverage
    covered = coverage(lif_rules.load_pack(pack_id))
    assert covered.complete, (covered.rules_not_covered, covered.milestones_not_covered, covered.meetings_not_covered)
    assert covered.rules and covered.rules_not_covered == []
