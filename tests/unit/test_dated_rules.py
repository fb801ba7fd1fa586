"""Dated rules: items in force by date, versions of an item, and the checks authors get on them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

import lif_rules

from pack_texts import DATED_ENDED as ENDED, DATED_HEAD as HEAD, DATED_MEETING, DATED_REVIEW, PARTNERS_REVIEW  # five lines, so 'reviews:' is on line 6

Problems = Callable[..., list[str]]


VERSIONED = HEAD + """\
definitions:
  serious:
    versions:
      - {when: died, citation: "Old guidance", in_force: {to: 2018-06-28}}
      - {when: died or harmed, citation: "New guidance", in_force: {from: 2018-06-29}}
""" + PARTNERS_REVIEW + """\
      - {id: serious, when: serious, status: required, citation: "Local framework 1.1"}
      - id: harm
        versions:
          - {when: harmed, status: discretionary, citation: "Local framework 1.2 (old)", in_force: {to: 2018-06-28}}
          - {when: harmed, status: consider, citation: "Local framework 1.2", in_force: {from: 2018-06-29}}
  old_review:
    name: A review that ended
    legal_basis: non_statutory
    decided_by: the board
    citation: "Local framework 2"
    in_force: {to: 2019-09-29}
    rules:
      - {id: any, when: died, status: required, citation: "Local framework 2.1"}
"""


@pytest.fixture
def versioned(write_pack: Callable[..., str]) -> lif_rules.PolicyPack:
    return lif_rules.load_pack(write_pack(VERSIONED))


def test_as_of_applies_the_version_in_force_on_that_date(versioned: lif_rules.PolicyPack) -> None:
    harmed = {"died": False, "harmed": True}
    before = versioned.decide(harmed, as_of=date(2018, 6, 28))
    after = versioned.decide(harmed, as_of=date(2018, 6, 29))
    assert before.outcomes["review"].status == "discretionary"  # the old definition does not count harm
    assert before.outcomes["review"].trace[-1].citation == "Local framework 1.2 (old)"
    assert after.outcomes["review"].status == "required"  # the new definition does
    assert (before.as_of, after.as_of) == (date(2018, 6, 28), date(2018, 6, 29))


def test_as_of_none_applies_the_latest_rules_without_warnings(versioned: lif_rules.PolicyPack) -> None:
    latest = versioned.decide({"died": True})
    assert latest.as_of is None and latest.warnings == []
    assert latest.outcomes["review"].status == "required"
    assert latest.outcomes["old_review"].status == "not_eligible"  # it has ended: not among the latest rules
    dated = versioned.decide({"died": True}, as_of=date(2030, 1, 1))
    assert dated.outcomes == latest.outcomes


def test_a_review_type_not_in_force_is_not_eligible_with_the_reason(versioned: lif_rules.PolicyPack) -> None:
    d = versioned.decide({"died": True}, as_of=date(2020, 1, 1))
    old = d.outcomes["old_review"]
    assert old.status == "not_eligible" and old.missing == []
    assert [s.rule_id for s in old.trace] == ["old_review.not_in_force"]
    assert old.trace[0].because == "the review type is in force only until 2019-09-29"
    assert d.warnings == ["review type 'old_review' is not in force on the decision date (the review type is in "
                          "force only until 2019-09-29), so it is not_eligible"]
    assert versioned.decide({"died": True}, as_of=date(2019, 9, 29)).outcomes["old_review"].status == "required"


def test_a_decision_before_the_pack_came_into_force_warns(versioned: lif_rules.PolicyPack) -> None:
    d = versioned.decide({"died": True}, as_of=date(2016, 12, 31))
    assert d.outcomes["review"].status == "required"
    assert d.warnings == ["the decision date is before the pack came into force on 2017-01-01: its rules are applied "
                          "as it states them, and dated rules as they stood on that date"]
    assert versioned.decide({"died": True}, as_of=date(2017, 1, 1)).warnings == []


def test_choosing_the_rules_for_a_date_is_a_lookup_of_compiled_rule_sets(versioned: lif_rules.PolicyPack) -> None:
    compiled = versioned.compiled
    assert compiled.changes == (date(2017, 1, 1), date(2018, 6, 29), date(2019, 9, 30))
    assert [rs.period for rs in compiled.rule_sets] == [
        (None, date(2016, 12, 31)), (date(2017, 1, 1), date(2018, 6, 28)),
        (date(2018, 6, 29), date(2019, 9, 29)), (date(2019, 9, 30), None)]
    assert compiled.rules_on(date(2018, 1, 1)) is compiled.rule_sets[1]
    assert compiled.rules_on(None) is compiled.latest is compiled.rule_sets[-1]
    assert [p for p, _ in compiled.versions("definitions", "serious")] == [
        (None, date(2018, 6, 28)), (date(2018, 6, 29), None)]


def test_every_day_takes_its_own_periods_rules_past_the_remembered_days(
        versioned: lif_rules.PolicyPack, monkeypatch: pytest.MonkeyPatch) -> None:
    import lif_rules.pack
    monkeypatch.setattr(lif_rules.pack, "_DAYS_REMEMBERED", 3)
    harmed = {"died": False, "harmed": True}
    days = [date(2018, 6, 28) - timedelta(days=n) for n in range(5)] + [date(2018, 6, 29) + timedelta(days=n) for n in range(5)]
    for _ in range(2):  # the second pass reads remembered days and days past the budget alike
        statuses = [versioned.decide(harmed, review="review", as_of=d).outcomes["review"].status for d in days]
        assert statuses == ["discretionary"] * 5 + ["required"] * 5


def test_diff_compares_one_pack_on_two_dates(versioned: lif_rules.PolicyPack) -> None:
    from lif_rules.analyses.diff import diff_packs
    d = diff_packs(versioned, versioned, old_as_of=date(2018, 1, 1), new_as_of=date(2019, 1, 1))
    assert d.changed
    assert d.old.endswith("as of 2018-01-01") and d.new.endswith("as of 2019-01-01")
    review = next(x for x in d.decisions if x.id == "review")
    assert {(c.old, c.new) for c in review.changes} == {("discretionary", "required")}
    assert not diff_packs(versioned, versioned, old_as_of=date(2019, 1, 1), new_as_of=date(2019, 2, 1)).changed


def test_a_schedule_uses_the_milestone_rules_in_force_on_its_start(write_pack: Callable[..., str]) -> None:
    pack = lif_rules.load_pack(write_pack(DATED_REVIEW + "    milestones:\n" + DATED_MEETING))
    assert pack.schedule("review", start=date(2023, 12, 1))["meeting"].citation == "old"
    assert pack.schedule("review", start=date(2024, 1, 8))["meeting"].citation == "new"
    assert pack.schedule("review", start=date(2024, 1, 8))["meeting"].due == date(2024, 1, 29)


def test_the_description_lists_meetings_and_roles_that_have_ended_with_their_periods(
        write_pack: Callable[..., str]) -> None:
    pack = lif_rules.load_pack(write_pack(ENDED))
    assert pack.check_quorum("lscb_board", attendees=["local_authority", "lscb_chair"], on=date(2019, 9, 29)).quorate
    d = pack.describe()
    ended = lif_rules.InForce(from_date=None, to_date=date(2019, 9, 29))
    assert [(m.id, m.in_force) for m in d.meetings] == [("partners", None), ("lscb_board", ended)]
    assert [(r.id, r.in_force) for r in d.roles] == [("local_authority", None), ("lscb_chair", ended)]
    assert pack.meetings == ["partners", "lscb_board"]  # what check_quorum answers for, on some date
    assert [(r.id, r.in_force) for r in d.reviews] == [("review", None), ("scr", ended)]


def test_a_schedule_or_quorum_on_a_day_the_item_is_not_in_force_says_when_it_is(
        write_pack: Callable[..., str]) -> None:
    pack = lif_rules.load_pack(write_pack(ENDED))
    assert pack.schedule("scr", start=date(2019, 9, 29))["report"].due == date(2020, 3, 29)
    with pytest.raises(LookupError) as info:
        pack.schedule("scr", start=date(2019, 9, 30))
    assert str(info.value) == ("the review type 'scr' of pack 'dated' is not in force on 2019-09-30; it is in force "
                               "until 2019-09-29")
    with pytest.raises(LookupError) as info:
        pack.schedule("lscb_notice", start=date(2019, 9, 30))
    assert str(info.value) == ("the duty 'lscb_notice' of pack 'dated' is not in force on 2019-09-30; it is in force "
                               "until 2019-09-29")  # as the pack says it, not cut where other items change
    with pytest.raises(LookupError) as info:
        pack.check_quorum("lscb_board", attendees=["local_authority", "lscb_chair"], on=date(2019, 9, 30))
    assert str(info.value) == ("the quorum rule for meeting 'lscb_board' of pack 'dated' is not in force on "
                               "2019-09-30; it is in force until 2019-09-29")


# -- what authors are told ------------------------------------------------------------------------

def test_overlapping_versions_are_refused(pack_problems: Problems) -> None:
    text = VERSIONED.replace("in_force: {from: 2018-06-29}}\nreviews", "in_force: {from: 2018-06-01}}\nreviews")
    assert pack_problems(text) == [
        "x.yaml:10:68: $.definitions.serious.versions[2].in_force: versions of definition 'serious' overlap: one is "
        "in force until 2018-06-28, another from 2018-06-01; give each version its own period",
    ]


def test_a_gap_between_versions_is_refused(pack_problems: Problems) -> None:
    text = VERSIONED.replace("in_force: {from: 2018-06-29}}\nreviews", "in_force: {from: 2018-07-02}}\nreviews")
    assert pack_problems(text) == [
        "x.yaml:10:68: $.definitions.serious.versions[2].in_force: versions of definition 'serious' leave a gap: "
        "none is in force from 2018-06-29 to 2018-07-01; let each version start the day after the one before it ends",
        "x.yaml:18:29: $.reviews.review.rules[serious].when: definition 'serious' is not in force from 2018-06-29 to "
        "2018-07-01, while this condition is (the definition is in force until 2018-06-28, from 2018-07-02)",
    ]


def test_a_period_that_ends_before_it_starts_is_refused(pack_problems: Problems) -> None:
    text = VERSIONED.replace("in_force: {to: 2019-09-29}", "in_force: {from: 2019-10-01, to: 2019-09-29}")
    assert pack_problems(text) == [
        "x.yaml:28:15: $.reviews.old_review.in_force: 'from' 2019-10-01 is after 'to' 2019-09-29",
    ]


def test_an_item_outside_the_pack_s_period_is_refused(pack_problems: Problems) -> None:
    text = VERSIONED.replace("in_force: {to: 2019-09-29}", "in_force: {to: 2016-12-31}")
    assert pack_problems(text) == [
        "x.yaml:28:15: $.reviews.old_review.in_force: review 'old_review' is in force until 2016-12-31, outside the "
        "period the pack is in force (from 2017-01-01)",
    ]


def test_a_rule_outside_its_review_s_period_is_refused(pack_problems: Problems) -> None:
    text = VERSIONED.replace('status: required, citation: "Local framework 2.1"}',
                             'status: required, citation: "Local framework 2.1", in_force: {from: 2020-01-01}}')
    assert pack_problems(text) == [
        "x.yaml:30:92: $.reviews.old_review.rules[any].in_force: rule 'any' is in force from 2020-01-01, outside the "
        "period review 'old_review' (within the pack's period) is in force (from 2017-01-01 to 2019-09-29)",
    ]


def test_a_condition_may_not_use_a_definition_that_is_not_in_force_while_it_is(pack_problems: Problems) -> None:
    text = HEAD + """\
definitions:
  new_test: {when: harmed, citation: "New guidance", in_force: {from: 2018-06-29}}
reviews:
  review:
    name: A review
    legal_basis: statutory_duty
    decided_by: x
    citation: c
    rules:
      - {id: r, when: died or new_test, status: required, citation: c}
"""
    assert pack_problems(text) == [
        "x.yaml:15:31: $.reviews.review.rules[r].when: definition 'new_test' is not in force from 2017-01-01 to "
        "2018-06-28, while this condition is (the definition is in force from 2018-06-29)",
        "x.yaml:15:31: $.reviews.review.rules[r].when: definition 'new_test' is not in force until 2016-12-31, "
        "while this condition is (the definition is in force from 2018-06-29)",
    ]


def test_an_item_in_force_from_the_first_day_a_date_can_name_loads(write_pack: Callable[..., str]) -> None:
    pack = lif_rules.load_pack(write_pack(VERSIONED.replace("in_force: {to: 2019-09-29}",
                                                            "in_force: {from: 0001-01-01, to: 2019-09-29}")))
    assert pack.decide({"died": True}, as_of=date(1, 1, 1)).outcomes["old_review"].status == "required"
    assert pack.decide({"died": True}, as_of=date(2019, 9, 30)).outcomes["old_review"].status == "not_eligible"


def test_a_schedule_on_a_day_whose_version_has_no_timetable_says_when_one_has(tmp_path: Path) -> None:
    text = DATED_REVIEW + """\
    rules:
      - {id: r, when: died, status: required, citation: c}
    milestones:
      - {id: referral, name: Referral, start: true, citation: c, in_force: {from: 2020-01-01}}
      - {id: meeting, name: Meeting, due: {after: referral, working_days: 10}, citation: c, in_force: {from: 2020-01-01}}
"""
    path = tmp_path / "dated.yaml"
    path.write_text(text, encoding="utf-8")
    pack = lif_rules.load_pack(path)
    assert pack.schedule("review", start=date(2020, 1, 2))["meeting"].due == date(2020, 1, 16)
    with pytest.raises(LookupError) as raised:
        pack.schedule("review", start=date(2019, 12, 31))
    assert str(raised.value) == ("'review' of pack 'dated' has no timetable on 2019-12-31; it has one from 2020-01-01")
