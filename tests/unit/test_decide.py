"""Stage 4a, decide: exact three-valued decisions, FactError for bad facts, notifications, and the result models."""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable
from datetime import date
from types import MappingProxyType
from typing import Any

import pytest

import lif_rules
from lif_rules import Decision, FactError

KNOWN = (
    "known facts: subject, died, seriously_harmed, abuse_or_neglect, looked_after, care_and_support_needs, "
    "died_in_regulated_setting, died_in_custody_or_detention, care_leaver, concern_about_joint_working, "
    "single_agency_review, sar_likely_delayed"
)


@pytest.fixture(scope="module")
def dudley() -> lif_rules.PolicyPack:
    return lif_rules.load_pack("dudley")


def statuses(decision: Decision) -> dict[str, str]:
    return {review: outcome.status for review, outcome in decision.outcomes.items()}


# --- FactError -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "fact", "message"),
    [
        ({"subjet": "child"}, "subjet", f"unknown fact 'subjet' (did you mean 'subject'?); {KNOWN}"),
        ({"colour": "red"}, "colour", f"unknown fact 'colour'; {KNOWN}"),
        ({"died": 1}, "died", "fact 'died' must be true or false (or absent when unknown), got 1"),
        ({"died": 0}, "died", "fact 'died' must be true or false (or absent when unknown), got 0"),
        ({"died": 1.0}, "died", "fact 'died' must be true or false (or absent when unknown), got 1.0"),
        ({"died": "true"}, "died", "fact 'died' must be true or false (or absent when unknown), got 'true'"),
        ({"died": "yes"}, "died", "fact 'died' must be true or false (or absent when unknown), got 'yes'"),
        ({"subject": "chld"}, "subject",
         "fact 'subject' must be one of: child, adult (or absent when unknown), got 'chld' (did you mean 'child'?)"),
        ({"subject": "Child"}, "subject",
         "fact 'subject' must be one of: child, adult (or absent when unknown), got 'Child' (did you mean 'child'?)"),
        ({"subject": True}, "subject", "fact 'subject' must be one of: child, adult (or absent when unknown), got True"),
        ({"abuse_or_neglect": ["known"]}, "abuse_or_neglect",
         "fact 'abuse_or_neglect' must be one of: known, suspected, not_suspected (or absent when unknown), "
         "got ['known']"),
    ],
)
def test_bad_facts_raise_fact_error_naming_the_fact_and_what_is_allowed(
    dudley: lif_rules.PolicyPack, facts: dict[str, Any], fact: str, message: str
) -> None:
    with pytest.raises(FactError) as info:
        dudley.decide(facts)
    assert str(info.value) == message
    assert info.value.fact == fact
    assert isinstance(info.value, ValueError)


def test_a_fact_name_that_is_not_a_string_is_shown_as_it_is(dudley: lif_rules.PolicyPack) -> None:
    with pytest.raises(FactError) as info:
        dudley.decide({1: True})  # type: ignore[dict-item]
    assert "'1'" not in str(info.value)
    assert " 1" in str(info.value)


def test_fact_error_for_review_too(dudley: lif_rules.PolicyPack) -> None:
    with pytest.raises(FactError):
        dudley.decide({"died": 1}, review="sar")


@pytest.mark.parametrize("facts", [[("died", True)], "died", None, 3])
def test_facts_must_be_a_mapping(dudley: lif_rules.PolicyPack, facts: Any) -> None:
    with pytest.raises(FactError) as info:
        dudley.decide(facts)
    assert str(info.value) == f"facts must be a mapping of fact names to values, got {type(facts).__name__}"


def test_an_unknown_name_is_an_error_even_when_its_value_is_none(dudley: lif_rules.PolicyPack) -> None:
    with pytest.raises(FactError):
        dudley.decide({"colour": None})


def test_none_means_unknown(dudley: lif_rules.PolicyPack) -> None:
    assert dudley.decide({"died": None, "subject": "child"}) == dudley.decide({"subject": "child"})


def test_any_mapping_will_do(dudley: lif_rules.PolicyPack) -> None:
    facts = {"subject": "child", "died": True, "abuse_or_neglect": "suspected"}
    assert dudley.decide(MappingProxyType(facts)) == dudley.decide(facts)


def test_unknown_review_is_a_lookup_error(dudley: lif_rules.PolicyPack) -> None:
    with pytest.raises(LookupError) as info:
        dudley.decide({}, review="scr")
    assert str(info.value) == (
        "pack 'dudley' has no review 'scr' (did you mean 'sar'?); reviews: rapid_review, cspr, table_top_review, "
        "macfa, sar, training_impact_evaluation"
    )


def test_as_of_must_be_a_date(dudley: lif_rules.PolicyPack) -> None:
    with pytest.raises(ValueError):
        dudley.decide({}, as_of="2021-03-01")  # type: ignore[arg-type]


# --- statuses (the Care Act and the frameworks) ---------------------------------------------------------


def test_spec_section_1(dudley: lif_rules.PolicyPack) -> None:
    d = dudley.decide({"subject": "child", "died": True, "abuse_or_neglect": "suspected"})
    assert d.outcomes["rapid_review"].status == "required"
    assert d.outcomes["cspr"].status == "consider"
    assert d.outcomes["sar"].status == "not_eligible"
    assert statuses(d) == {
        "rapid_review": "required", "cspr": "consider", "table_top_review": "consider", "macfa": "discretionary",
        "sar": "not_eligible", "training_impact_evaluation": "not_eligible",
    }
    assert all(o.missing == [] for o in d.outcomes.values())


def test_care_act_duty_does_not_need_to_know_whether_the_adult_died(dudley: lif_rules.PolicyPack) -> None:
    # died unknown: condition 1 (died) or condition 2 (alive and seriously harmed) holds either way;
    # Kleene logic would say unknown, the exact decision says required.
    facts = {"subject": "adult", "care_and_support_needs": True, "concern_about_joint_working": True,
             "abuse_or_neglect": "known", "seriously_harmed": True}
    outcome = dudley.decide(facts).outcomes["sar"]
    assert (outcome.status, outcome.missing) == ("required", [])
    assert outcome.trace[0].rule_id == "sar.duty"
    assert outcome.trace[0].result == "true"


def test_sar_power_without_concern_about_joint_working(dudley: lif_rules.PolicyPack) -> None:
    facts = {"subject": "adult", "care_and_support_needs": True, "concern_about_joint_working": False}
    assert dudley.decide(facts).outcomes["sar"].status == "discretionary"


def test_sar_needs_care_and_support_needs(dudley: lif_rules.PolicyPack) -> None:
    facts = {"subject": "adult", "care_and_support_needs": False, "concern_about_joint_working": True, "died": True,
             "abuse_or_neglect": "known"}
    assert dudley.decide(facts).outcomes["sar"].status == "not_eligible"


def test_outcomes_cover_every_review_whatever_the_facts(dudley: lif_rules.PolicyPack) -> None:
    for facts in ({}, {"subject": "adult"}, {"subject": "child", "died": False}):
        assert list(dudley.decide(facts).outcomes) == dudley.reviews


def test_review_decides_one_review_only(dudley: lif_rules.PolicyPack) -> None:
    facts = {"subject": "child", "died": True, "abuse_or_neglect": "suspected"}
    d = dudley.decide(facts, review="cspr")
    assert list(d.outcomes) == ["cspr"]
    assert d.outcomes["cspr"] == dudley.decide(facts).outcomes["cspr"]


# --- missing ---------------------------------------------------------------------------------------


def test_nothing_known(dudley: lif_rules.PolicyPack) -> None:
    d = dudley.decide({})
    assert statuses(d) == {
        "rapid_review": "undetermined", "cspr": "undetermined", "table_top_review": "undetermined",
        "macfa": "discretionary", "sar": "undetermined", "training_impact_evaluation": "not_eligible",
    }
    assert d.outcomes["rapid_review"].missing == ["subject", "died", "seriously_harmed", "abuse_or_neglect"]
    assert d.outcomes["sar"].missing == [
        "subject", "died", "seriously_harmed", "abuse_or_neglect", "care_and_support_needs",
        "concern_about_joint_working",
    ]
    assert d.outcomes["macfa"].missing == []


def test_missing_lists_only_facts_that_can_change_the_status(dudley: lif_rules.PolicyPack) -> None:
    # the child died: whether it was also seriously harmed cannot matter
    outcome = dudley.decide({"subject": "child", "died": True}).outcomes["rapid_review"]
    assert (outcome.status, outcome.missing) == ("undetermined", ["abuse_or_neglect"])
    outcome = dudley.decide({"subject": "child", "abuse_or_neglect": "known"}).outcomes["rapid_review"]
    assert (outcome.status, outcome.missing) == ("undetermined", ["died", "seriously_harmed"])


def test_missing_is_in_the_packs_fact_order(dudley: lif_rules.PolicyPack) -> None:
    outcome = dudley.decide({"subject": "adult", "care_and_support_needs": True}).outcomes["sar"]
    assert outcome.status == "undetermined"
    assert outcome.missing == ["died", "seriously_harmed", "abuse_or_neglect", "concern_about_joint_working"]


def test_a_fact_the_review_does_not_read_is_never_missing(dudley: lif_rules.PolicyPack) -> None:
    d = dudley.decide({})
    assert all("looked_after" not in o.missing for o in d.outcomes.values())


def test_unknown_subject(dudley: lif_rules.PolicyPack) -> None:
    d = dudley.decide({"died": True, "abuse_or_neglect": "known"})
    assert (d.outcomes["rapid_review"].status, d.outcomes["rapid_review"].missing) == ("undetermined", ["subject"])
    assert d.outcomes["sar"].status == "undetermined"
    assert d.outcomes["sar"].missing[0] == "subject"


# --- notifications ---------------------------------------------------------------------------------


def test_notifications_and_possible_notifications(dudley: lif_rules.PolicyPack) -> None:
    d = dudley.decide({"subject": "child", "died": True, "abuse_or_neglect": "suspected"})
    assert [n.id for n in d.notifications] == ["national_panel_notification", "rapid_review_outcome_to_agencies"]
    panel = d.notifications[0]
    assert panel.by == "local authority"
    assert panel.to == ["Child Safeguarding Practice Review Panel", "local safeguarding partners"]
    assert panel.deadline == "within 5 working days of the local authority becoming aware of the incident"
    assert panel.citation.startswith("Children Act 2004 s16C(1)")
    assert [(n.id, n.missing) for n in d.possible_notifications] == [
        ("looked_after_child_death_notification", ["looked_after"]),
        ("care_leaver_death_notification", ["care_leaver"]),
    ]


def test_looked_after_child_death_is_notified_without_abuse_or_neglect(dudley: lif_rules.PolicyPack) -> None:
    d = dudley.decide({"subject": "child", "died": True, "looked_after": True, "abuse_or_neglect": "not_suspected",
                       "care_leaver": False})
    assert [n.id for n in d.notifications] == ["looked_after_child_death_notification"]
    assert d.possible_notifications == []


def test_no_notifications_for_an_adult(dudley: lif_rules.PolicyPack) -> None:
    d = dudley.decide({"subject": "adult", "care_leaver": False, "single_agency_review": False,
                       "sar_likely_delayed": False})
    assert (d.notifications, d.possible_notifications) == ([], [])


def test_possible_notifications_list_what_would_settle_them(dudley: lif_rules.PolicyPack) -> None:
    d = dudley.decide({})
    assert d.notifications == []
    assert [(n.id, n.missing) for n in d.possible_notifications] == [
        ("national_panel_notification", ["subject", "died", "seriously_harmed", "abuse_or_neglect"]),
        ("looked_after_child_death_notification", ["subject", "died", "looked_after"]),
        ("care_leaver_death_notification", ["died", "care_leaver"]),
        ("rapid_review_outcome_to_agencies", ["subject", "died", "seriously_harmed", "abuse_or_neglect"]),
        ("single_agency_review_notification", ["subject", "single_agency_review"]),
        ("sar_delay_notice", ["subject", "sar_likely_delayed"]),
    ]


def test_notifications_do_not_depend_on_review(dudley: lif_rules.PolicyPack) -> None:
    facts = {"subject": "child", "died": True, "abuse_or_neglect": "suspected"}
    assert dudley.decide(facts, review="sar").notifications == dudley.decide(facts).notifications


# --- traces ----------------------------------------------------------------------------------------


def test_trace_names_the_deciding_rule_its_citation_and_the_values_it_saw(dudley: lif_rules.PolicyPack) -> None:
    d = dudley.decide({"subject": "child", "died": True, "abuse_or_neglect": "suspected"})
    [step] = d.outcomes["rapid_review"].trace
    assert (step.rule_id, step.result, step.status, step.condition) == (
        "rapid_review.serious_case", "true", "required", "serious_child_safeguarding_case",
    )
    assert step.citation.startswith("Working Together 2018 ch.4 (from 15 December 2023, Working Together 2023 ch.5); "
                                    "Dudley LIF 2020")
    assert step.values == {"subject": "child", "died": True, "seriously_harmed": None, "abuse_or_neglect": "suspected"}


def test_trace_of_a_review_no_rule_decides_ends_with_otherwise(dudley: lif_rules.PolicyPack) -> None:
    trace = dudley.decide({"subject": "child"}).outcomes["sar"].trace
    assert [(s.rule_id, s.result) for s in trace] == [("sar.duty", "false"), ("sar.power", "false"),
                                                      ("sar.otherwise", "true")]
    assert trace[-1].status == "not_eligible"


def test_trace_of_an_undetermined_outcome(dudley: lif_rules.PolicyPack) -> None:
    trace = dudley.decide({"subject": "adult", "care_and_support_needs": True}).outcomes["sar"].trace
    assert [(s.rule_id, s.result) for s in trace] == [("sar.duty", "unknown"), ("sar.power", "true")]


# --- as_of -----------------------------------------------------------------------------------------


def test_as_of_inside_the_in_force_period_has_no_warning(dudley: lif_rules.PolicyPack) -> None:
    d = dudley.decide({"subject": "adult"}, as_of=date(2021, 2, 23))
    assert d.warnings == []
    assert d.as_of == date(2021, 2, 23)
    assert dudley.decide({"subject": "adult"}).warnings == []


def test_as_of_before_the_pack_is_in_force_still_decides_with_a_warning(dudley: lif_rules.PolicyPack) -> None:
    d = dudley.decide({"subject": "child", "died": True, "abuse_or_neglect": "known"}, as_of=date(2021, 2, 22))
    assert d.outcomes["rapid_review"].status == "required"
    assert d.warnings == [
        "the decision date is before the pack came into force on 2021-02-23: its rules are applied as it states "
        "them, and dated rules as they stood on that date",
    ]


def test_as_of_after_the_in_force_period_warns(write_pack: Callable[..., str]) -> None:
    pack = lif_rules.load_pack(write_pack("""\
        pack: test
        extends: national
        document: {title: T, short_title: T, publisher: P, source: s, in_force: {from: 2017-01-01, to: 2019-12-31},
                   regime: [lscb_regulations_2006]}
        reviews:
          scr:
            name: Serious case review
            legal_basis: statutory_duty
            decided_by: the LSCB
            citation: "LSCB Regulations 2006 reg 5"
            rules:
              - id: duty
                when: lscb_serious_case
                status: required
                citation: "LSCB Regulations 2006 reg 5(2)"
        """))
    assert pack.decide({}, as_of=date(2019, 12, 31)).warnings == []
    d = pack.decide({"subject": "child", "died": True, "abuse_or_neglect": "known"}, as_of=date(2020, 1, 1))
    assert d.outcomes["scr"].status == "required"
    assert d.warnings == [
        "the decision date is after the pack's in-force period ended on 2019-12-31: its rules are applied as it "
        "states them, and dated rules as they stood on that date",
    ]


def test_a_review_not_in_force_on_the_date_warns_and_is_not_eligible(write_pack: Callable[..., str]) -> None:
    pack = lif_rules.load_pack(write_pack("""\
        pack: test
        extends: national
        document: {title: T, short_title: T, publisher: P, source: s, in_force: {from: 2020-01-01},
                   regime: [care_act_2014]}
        reviews:
          learning_review:
            name: Learning review
            legal_basis: non_statutory
            decided_by: the SAB
            citation: "T 3"
            in_force: {from: 2022-01-01}
            rules:
              - {id: any_adult, when: subject == adult, status: discretionary, citation: "T 3.1"}
        """))
    adult = {"subject": "adult"}
    before = pack.decide(adult, as_of=date(2021, 12, 31))
    assert statuses(before) == {"learning_review": "not_eligible"}
    assert before.warnings == [
        "review type 'learning_review' is not in force on the decision date (the review type is in force only from "
        "2022-01-01), so it is not_eligible",
    ]
    assert pack.decide(adult, review="learning_review", as_of=date(2021, 12, 31)).warnings == before.warnings
    on = pack.decide(adult, as_of=date(2022, 1, 1))
    assert statuses(on) == {"learning_review": "discretionary"} and on.warnings == []
    before_the_pack = pack.decide(adult, as_of=date(2019, 12, 31))
    assert before_the_pack.warnings == [
        "the decision date is before the pack came into force on 2020-01-01: its rules are applied as it states "
        "them, and dated rules as they stood on that date",
        before.warnings[0],
    ]


# --- every operator of the condition language is evaluated --------------------------------------


OPERATORS = """\
    pack: test
    extends: national
    document: {title: T, short_title: T, publisher: P, source: s, in_force: {from: 2020-01-01},
               regime: [care_act_2014]}
    reviews:
      equal:
        {name: E, legal_basis: non_statutory, decided_by: x, citation: "T",
         rules: [{id: r, when: subject == adult, status: required, citation: "T"}]}
      not_equal:
        {name: N, legal_basis: non_statutory, decided_by: x, citation: "T",
         rules: [{id: r, when: subject != adult, status: required, citation: "T"}]}
      member:
        {name: M, legal_basis: non_statutory, decided_by: x, citation: "T",
         rules: [{id: r, when: "abuse_or_neglect in [known, suspected]", status: required, citation: "T"}]}
      not_member:
        {name: NM, legal_basis: non_statutory, decided_by: x, citation: "T",
         rules: [{id: r, when: "abuse_or_neglect not in [known, suspected]", status: required, citation: "T"}]}
      bool_not_equal:
        {name: B, legal_basis: non_statutory, decided_by: x, citation: "T",
         rules: [{id: r, when: died != true, status: required, citation: "T"}]}
    """


@pytest.mark.parametrize(("facts", "expected"), [
    ({"subject": "adult", "abuse_or_neglect": "known", "died": True},
     {"equal": "required", "not_equal": "not_eligible", "member": "required", "not_member": "not_eligible",
      "bool_not_equal": "not_eligible"}),
    ({"subject": "child", "abuse_or_neglect": "not_suspected", "died": False},
     {"equal": "not_eligible", "not_equal": "required", "member": "not_eligible", "not_member": "required",
      "bool_not_equal": "required"}),
    ({"subject": "child", "abuse_or_neglect": "suspected"},
     {"equal": "not_eligible", "not_equal": "required", "member": "required", "not_member": "not_eligible",
      "bool_not_equal": "undetermined"}),
    ({}, {"equal": "undetermined", "not_equal": "undetermined", "member": "undetermined",
          "not_member": "undetermined", "bool_not_equal": "undetermined"}),
])
def test_each_comparison_operator_decides_its_own_way(write_pack: Callable[..., str], facts: dict[str, Any],
                                                      expected: dict[str, str]) -> None:
    pack = lif_rules.load_pack(write_pack(OPERATORS))
    assert statuses(pack.decide(facts)) == expected
    for review, status in expected.items():  # one review at a time gives the same answer
        assert pack.decide(facts, review=review).outcomes[review].status == status


# --- the result models -----------------------------------------------------------------------------


def test_decision_round_trips_through_json(dudley: lif_rules.PolicyPack) -> None:
    for facts in ({}, {"subject": "child", "died": True, "abuse_or_neglect": "suspected"}):
        d = dudley.decide(facts, as_of=date(2020, 1, 1))
        dumped = d.model_dump(mode="json")
        assert Decision.model_validate(dumped) == d
        assert Decision.model_validate_json(json.dumps(dumped)) == d
        assert json.loads(d.model_dump_json()) == dumped
        assert dumped["as_of"] == "2020-01-01"


def test_decision_pickles(dudley: lif_rules.PolicyPack) -> None:
    d = dudley.decide({"subject": "adult"})
    assert pickle.loads(pickle.dumps(d)) == d


def test_results_are_immutable(dudley: lif_rules.PolicyPack) -> None:
    d = dudley.decide({"subject": "child", "died": True})
    outcome = d.outcomes["rapid_review"]
    with pytest.raises(TypeError):
        outcome.missing.append("looked_after")
    with pytest.raises(TypeError):
        outcome.trace.clear()
    with pytest.raises(TypeError):
        outcome.trace[0].values["died"] = False
    with pytest.raises(TypeError):
        d.possible_notifications[0].missing.append("x")
    with pytest.raises(Exception):  # frozen models refuse attribute changes
        outcome.status = "required"  # type: ignore[misc]
    full = dudley.decide({"subject": "child", "died": True, "abuse_or_neglect": "suspected"})
    with pytest.raises(TypeError):
        full.notifications.append(full.notifications[0])
    with pytest.raises(TypeError):
        full.notifications[0].to.append("the press")
    with pytest.raises(TypeError):
        full.warnings.append("x")
    with pytest.raises(TypeError):
        full.outcomes.pop("sar")
    with pytest.raises(TypeError):
        full.outcomes["scr"] = full.outcomes["sar"]
    again = dudley.decide({"subject": "child", "died": True, "abuse_or_neglect": "suspected"})
    assert (len(again.notifications), list(again.outcomes)) == (2, dudley.reviews)
    assert dudley.decide({"subject": "child", "died": True}).outcomes["rapid_review"].missing == ["abuse_or_neglect"]


def test_a_second_call_gives_equal_results(dudley: lif_rules.PolicyPack) -> None:
    facts = {"subject": "adult", "care_and_support_needs": True}
    first = dudley.decide(facts)
    second = dudley.decide(dict(facts))
    assert first == second
    assert first.model_dump() == second.model_dump()


def test_changing_the_facts_afterwards_does_not_change_the_decision(dudley: lif_rules.PolicyPack) -> None:
    facts: dict[str, Any] = {"subject": "child", "died": True, "abuse_or_neglect": "known"}
    d = dudley.decide(facts)
    facts["subject"] = "adult"
    assert d.outcomes["rapid_review"].status == "required"
    assert d.outcomes["rapid_review"].trace[0].values["subject"] == "child"


def test_decision_records_the_pack_and_its_version(dudley: lif_rules.PolicyPack) -> None:
    d = dudley.decide({})
    assert (d.pack, d.pack_version, d.as_of) == ("dudley", dudley.document.version, None)
