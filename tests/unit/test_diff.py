"""``diff_packs``: two versions of a pack compared by behaviour, not text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import lif_rules
from lif_rules.analyses.diff import (
    EXAMPLE_START, SAMPLE_SIZE, DetailChange, MilestoneChange, OutcomeChange, diff_packs, render_diff,
)

from pack_texts import DEMO  # tests/ is on sys.path through its conftest

BASE = DEMO + """\
      - {id: report, name: Report, due: {after: decision, months: 6}, citation: "Demo LIF 3"}
notifications:
  panel:
    name: Panel notification
    by: the local authority
    to: [the Panel]
    when: subject == child and died
    deadline: within 5 working days
    citation: "Demo LIF 4"
roles:
  local_authority: {name: the local authority}
  police: {name: the police}
meetings:
  panel_meeting:
    name: Panel meeting
    quorum: {each_of: [local_authority, police]}
    citation: "Demo LIF 5"
"""


def pack(tmp_path: Path, name: str, text: str) -> lif_rules.PolicyPack:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return lif_rules.load_pack(path)


def edit(old: str, new: str, text: str = BASE) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_identical_versions_do_not_differ(tmp_path: Path) -> None:
    d = diff_packs(pack(tmp_path, "a", BASE), pack(tmp_path, "b", BASE))
    assert not d.changed
    assert d.decisions == d.notifications == d.milestones == d.meetings == d.facts == []
    assert render_diff(d).splitlines()[-1] == "no behavioural change"


def test_wording_and_citations_are_not_behaviour(tmp_path: Path) -> None:
    reworded = edit('citation: "Care Act 2014 s44(2)"', 'citation: "Care Act 2014 s44(1)-(3)"',
                    edit("name: Report,", "name: Final report,"))
    assert not diff_packs(pack(tmp_path, "a", BASE), pack(tmp_path, "b", reworded)).changed


def test_a_changed_status_is_grouped_with_a_count_and_an_example(tmp_path: Path) -> None:
    new = edit("status: required", "status: discretionary")
    d = diff_packs(pack(tmp_path, "a", BASE), pack(tmp_path, "b", new))
    assert d.changed
    (sar,) = d.decisions
    assert (sar.id, sar.facts, sar.cases, sar.total, sar.sampled) == ("sar", ["subject", "died"], 4, 4, False)
    assert sar.changes == [OutcomeChange(old="required", new="discretionary", count=1,
                                         example={"subject": "adult", "died": True})]
    text = render_diff(d)
    assert "  sar: 1 of 4 cases changes from required to discretionary, e.g. {subject: adult, died: true}" in text
    assert text.splitlines()[-1] == "the two versions behave differently"


def test_a_fact_only_the_new_version_has_is_unknown_to_the_old(tmp_path: Path) -> None:
    new = edit("when: subject == adult and died,", "when: subject == adult and died and concern,",
               edit("reviews:\n", "  concern: {type: bool, description: concern about joint working}\nreviews:\n"))
    d = diff_packs(pack(tmp_path, "a", BASE), pack(tmp_path, "b", new))
    assert d.facts == [DetailChange(what="fact", id="concern", change="added", old=None, new="true or false")]
    (sar,) = d.decisions
    assert sar.facts == ["subject", "died", "concern"]
    assert sar.total == 8
    assert sar.changes == [OutcomeChange(old="required", new="discretionary", count=1,
                                         example={"subject": "adult", "died": True, "concern": False})]


def test_an_enum_value_only_one_version_allows(tmp_path: Path) -> None:
    new = edit("values: [child, adult]", "values: [child, adult, unborn]")
    d = diff_packs(pack(tmp_path, "a", BASE), pack(tmp_path, "b", new))
    assert d.facts == [DetailChange(what="fact", id="subject", change="changed", old="one of: child, adult",
                                    new="one of: child, adult, unborn")]
    (sar,) = d.decisions
    assert sar.total == 6
    # the old version does not know 'unborn', so it sees the subject as unknown
    assert [(c.old, c.new, c.count) for c in sar.changes] == [("undetermined", "not_eligible", 2)]
    assert sar.changes[0].example["subject"] == "unborn"


def test_reviews_and_notifications_added_and_removed(tmp_path: Path) -> None:
    new = edit("notifications:\n  panel:", "notifications:\n  ofsted:").replace(
        "  sar:\n", "  sar_two:\n", 1)
    d = diff_packs(pack(tmp_path, "a", BASE), pack(tmp_path, "b", new))
    assert (d.reviews_added, d.reviews_removed) == (["sar_two"], ["sar"])
    assert (d.notifications_added, d.notifications_removed) == (["ofsted"], ["panel"])
    assert d.decisions == [] and d.milestones == []
    text = render_diff(d)
    assert "Review types added: sar_two" in text and "Review types removed: sar" in text
    assert "Notifications added: ofsted" in text and "Notifications removed: panel" in text


def test_a_changed_notification(tmp_path: Path) -> None:
    new = edit("when: subject == child and died", "when: subject == child",
               edit("deadline: within 5 working days", "deadline: within 1 working day"))
    d = diff_packs(pack(tmp_path, "a", BASE), pack(tmp_path, "b", new))
    (panel,) = d.notifications
    assert panel.id == "panel" and panel.kind == "notification"
    assert panel.changes == [OutcomeChange(old="not notified", new="notified", count=1,
                                           example={"subject": "child", "died": False})]
    assert d.notification_details == [DetailChange(what="notification deadline", id="panel", change="changed",
                                                   old="within 5 working days", new="within 1 working day")]
    assert "  panel: 1 of 4 cases changes from not notified to notified, e.g. {subject: child, died: false}" \
        in render_diff(d)


def test_milestones_changed_moved_added_and_removed(tmp_path: Path) -> None:
    new = edit("working_days: 10}", "working_days: 12}",
               edit('{id: report, name: Report, due: {after: decision, months: 6}, citation: "Demo LIF 3"}',
                    '{id: report, name: Report, due: {after: decision, months: 6}, citation: "Demo LIF 3"}\n'
                    '      - {id: publication, name: Publication, due: {after: report, weeks: 2}, citation: "x"}'))
    d = diff_packs(pack(tmp_path, "a", BASE), pack(tmp_path, "b", new))
    assert EXAMPLE_START.isoformat() == "2026-01-05"
    assert d.milestones == [
        MilestoneChange(review="sar", milestone="decision", change="changed",
                        old_rule="10 working days after request_received",
                        new_rule="12 working days after request_received",
                        old_dates="due 2026-01-19", new_dates="due 2026-01-21"),
        MilestoneChange(review="sar", milestone="report", change="moved",
                        old_rule="6 months after decision", new_rule="6 months after decision",
                        old_dates="due 2026-07-19", new_dates="due 2026-07-21"),
        MilestoneChange(review="sar", milestone="publication", change="added", old_rule=None,
                        new_rule="2 weeks after report", old_dates=None, new_dates="due 2026-08-04"),
    ]
    text = render_diff(d)
    assert "  sar.decision: rule changed" in text
    assert "      was: 10 working days after request_received (due 2026-01-19)" in text
    assert "      now: 12 working days after request_received (due 2026-01-21)" in text
    back = diff_packs(pack(tmp_path, "c", new), pack(tmp_path, "d", BASE))
    assert [(m.milestone, m.change) for m in back.milestones] == [
        ("decision", "changed"), ("report", "moved"), ("publication", "removed")]


def test_a_changed_quorum_rule(tmp_path: Path) -> None:
    new = edit("quorum: {each_of: [local_authority, police]}", "quorum: {each_of: [local_authority], at_least: 2}")
    d = diff_packs(pack(tmp_path, "a", BASE), pack(tmp_path, "b", new))
    assert d.meetings == [DetailChange(what="quorum", id="panel_meeting", change="changed",
                                       old="each of local_authority, police",
                                       new="each of local_authority and at least 2 members")]
    assert ("  panel_meeting: was quorate with each of local_authority, police; "
            "now each of local_authority and at least 2 members") in render_diff(d)
    reordered = edit("each_of: [local_authority, police]", "each_of: [police, local_authority]")
    assert not diff_packs(pack(tmp_path, "a", BASE), pack(tmp_path, "c", reordered)).changed


def test_dudley_against_itself() -> None:
    dudley = lif_rules.load_pack("dudley")
    assert not diff_packs(dudley, dudley).changed


def many_facts(tmp_path: Path) -> tuple[lif_rules.PolicyPack, lif_rules.PolicyPack, lif_rules.PolicyPack]:
    """A review whose rule reads 19 facts (2 ** 19 complete cases), the same with the rule's status changed, and
    a copy of the first."""
    names = [f"f{i}" for i in range(17)]
    facts = "".join(f"  {n}: {{type: bool, description: fact {n}}}\n" for n in names)
    condition = " and ".join(names)
    text = edit("reviews:\n", facts + "reviews:\n",
                edit("when: subject == adult and died,", f"when: subject == adult and died and {condition},"))
    changed = edit("status: discretionary", "status: consider", text)
    return pack(tmp_path, "a", text), pack(tmp_path, "b", changed), pack(tmp_path, "c", text)


def test_a_review_too_large_to_enumerate_is_compared_exactly_through_its_diagrams(tmp_path: Path) -> None:
    text, changed, _copy = many_facts(tmp_path)
    d = diff_packs(text, changed)
    (sar,) = d.decisions
    assert not sar.sampled and sar.cases == sar.total == 2 ** 19 and d.sampled == []
    (change,) = sar.changes
    # every adult's case but the one the duty (adult, died and all 17 facts) decides: the power's status changed
    assert (change.old, change.new, change.count) == ("discretionary", "consider", 2 ** 18 - 1)
    assert text.decide(change.example).outcomes["sar"].status == "discretionary"
    assert changed.decide(change.example).outcomes["sar"].status == "consider"
    assert render_diff(d).splitlines()[-1] == "the two versions behave differently"


def test_too_many_cubes_are_sampled_with_a_fixed_seed(tmp_path: Path) -> None:
    from unittest import mock

    from lif_rules.analyses import cubes

    text, changed, copy = many_facts(tmp_path)
    with mock.patch.object(cubes, "CUBE_LIMIT", 0):
        d = diff_packs(text, changed)
        again = diff_packs(text, changed)
        same = diff_packs(text, copy)
    (sar,) = d.decisions
    assert sar.sampled and sar.cases == SAMPLE_SIZE and sar.total == 2 ** 19
    assert d.sampled == ["review sar"]
    assert again == d  # the sample is the same every time
    assert ("Note: review sar reads too many facts to compare every combination; compared 5,000 random cases "
            "(seed 0)") in render_diff(d)
    assert not same.changed and same.sampled == ["review sar"]
    assert render_diff(same).splitlines()[-1] == ("no behavioural change in the cases compared (some only sampled: "
                                                  "see the notes above)")



def test_a_changed_working_day_deadline_of_a_notification(tmp_path: Path) -> None:
    # the deadline's words stay the same, but pack.schedule("panel", ...) now counts 10 working days, not 5
    five = edit("deadline: within 5 working days", "deadline: within 5 working days\n    deadline_working_days: 5")
    ten = edit("deadline_working_days: 5", "deadline_working_days: 10", five)
    d = diff_packs(pack(tmp_path, "a", five), pack(tmp_path, "b", ten))
    assert d.changed
    assert d.notification_details == [DetailChange(what="notification working-day deadline", id="panel",
                                                   change="changed", old="5 working days", new="10 working days")]
    assert "  panel: working-day deadline was '5 working days'; now '10 working days'" in render_diff(d)
    # a deadline that could not be scheduled before can be now
    d = diff_packs(pack(tmp_path, "c", BASE), pack(tmp_path, "d", five))
    assert [(n.what, n.old, n.new) for n in d.notification_details] == [
        ("notification working-day deadline", "none", "5 working days")]


FUTURE_TIMETABLE = DEMO.replace(
    "      - {id: decision, name: Decision, due: {after: request_received, working_days: 10}, "
    "citation: \"Demo LIF 2\"}\n",
    "      - id: decision\n"
    "        versions:\n"
    "          - {name: Decision, due: {after: request_received, working_days: 10}, citation: \"Demo LIF 2\","
    " in_force: {to: 2026-12-31}}\n"
    "          - {name: Decision, due: {after: request_received, working_days: 15}, citation: \"Demo LIF 2a\","
    " in_force: {from: 2027-01-01}}\n")


def test_milestone_dates_are_those_of_the_rules_compared(tmp_path: Path) -> None:
    # the latest rules start after the example start date: their dates, not those of the rules in force on that
    # date, are shown beside them
    assert FUTURE_TIMETABLE != DEMO
    old = pack(tmp_path, "a", FUTURE_TIMETABLE)
    new = pack(tmp_path, "b", FUTURE_TIMETABLE.replace("working_days: 15", "working_days: 20"))
    (m,) = diff_packs(old, new).milestones
    latest = date(2027, 1, 1)
    due_old = old.rules_on(latest).schedule("sar", start=EXAMPLE_START)["decision"].due
    due_new = new.rules_on(latest).schedule("sar", start=EXAMPLE_START)["decision"].due
    assert due_old is not None and due_new is not None and due_old < due_new
    assert (m.change, m.old_rule, m.new_rule) == ("changed", "15 working days after request_received",
                                                  "20 working days after request_received")
    assert (m.old_dates, m.new_dates) == (f"due {due_old.isoformat()}", f"due {due_new.isoformat()}")
    # an edit of rules that are no longer the latest is no change of the latest rules
    earlier = pack(tmp_path, "c", FUTURE_TIMETABLE.replace("working_days: 10", "working_days: 12"))
    assert diff_packs(old, earlier).milestones == []
    assert [m.change for m in diff_packs(old, earlier, old_as_of=EXAMPLE_START, new_as_of=EXAMPLE_START).milestones] \
        == ["changed"]


def test_a_role_counted_towards_at_least_is_quorum_behaviour(tmp_path: Path) -> None:
    at_least = edit("quorum: {each_of: [local_authority, police]}", "quorum: {each_of: [local_authority], at_least: 2}")
    icb = "  icb: {name: the ICB, predecessors: [{id: ccg, name: the CCG, until: 2022-06-30}]}\n"
    with_icb = edit("  police: {name: the police}\n", "  police: {name: the police}\n" + icb, at_least)
    old, new = pack(tmp_path, "a", at_least), pack(tmp_path, "b", with_icb)
    on = date(2024, 1, 1)
    assert not old.check_quorum("panel_meeting", attendees=["local_authority", "icb"], on=on).quorate
    assert new.check_quorum("panel_meeting", attendees=["local_authority", "icb"], on=on).quorate
    d = diff_packs(old, new)
    assert d.changed
    assert d.meetings == [DetailChange(what="role", id="icb", change="added", old=None,
                                       new="icb (before it: ccg until 2022-06-30)")]
    assert "  role icb: added: icb (before it: ccg until 2022-06-30)" in render_diff(d)
    assert [q.change for q in diff_packs(new, old).meetings] == ["removed"]
    # the body that held it before changes who counts on a date
    later = pack(tmp_path, "c", with_icb.replace("until: 2022-06-30", "until: 2023-06-30"))
    on = date(2023, 1, 1)
    assert new.check_quorum("panel_meeting", attendees=["local_authority", "ccg"], on=on).quorate \
        != later.check_quorum("panel_meeting", attendees=["local_authority", "ccg"], on=on).quorate
    assert [(q.what, q.id, q.change) for q in diff_packs(new, later).meetings] == [("role", "icb", "changed")]
    # without at_least, a role no rule names counts for nothing
    assert not diff_packs(pack(tmp_path, "d", BASE),
                          pack(tmp_path, "e", edit("  police: {name: the police}\n",
                                                   "  police: {name: the police}\n" + icb))).changed


def test_the_order_of_an_enums_values_is_not_behaviour(tmp_path: Path) -> None:
    reordered = edit("values: [child, adult]", "values: [adult, child]")
    assert not diff_packs(pack(tmp_path, "a", BASE), pack(tmp_path, "b", reordered)).changed



def test_the_labels_say_which_rules_of_a_dated_pack_are_compared() -> None:
    dudley = lif_rules.load_pack("dudley")
    latest = render_diff(diff_packs(dudley, dudley)).splitlines()
    assert latest[0] == "old: dudley (V3 (02.02.2021), policies/dudley.yaml), its latest rules (from 2023-12-15)"
    dated = render_diff(diff_packs(dudley, dudley, old_as_of=date(2019, 3, 1))).splitlines()
    assert dated[0] == "old: dudley (V3 (02.02.2021), policies/dudley.yaml) as of 2019-03-01"
    assert dated[1] == latest[1]
