"""The national regimes by date: Working Together 2015 with the LSCB Regulations 2006, Working Together 2018
(the Child Safeguarding Practice Review Panel, from 29 June 2018) and Working Together 2023 (from 15 December
2023), as the baseline dates them and the bundled packs apply them."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, strategies as st

import lif_rules
from lif_rules import strategies
from lif_rules.pack import bundled_dir, check_baseline

D = date
SERIOUS_DEATH = {"subject": "child", "died": True, "abuse_or_neglect": "suspected"}


def notified(decision: lif_rules.Decision) -> dict[str, list[str]]:
    return {n.id: list(n.to) for n in decision.notifications}


# --- Wolverhampton: the Panel did not exist until 29 June 2018 ----------------------------------------------


def test_a_2017_incident_in_wolverhampton_goes_to_ofsted_and_the_lscb_not_the_panel() -> None:
    pack = lif_rules.load_pack("wolverhampton")
    d = pack.decide(SERIOUS_DEATH, as_of=D(2017, 6, 1))
    assert d.as_of == D(2017, 6, 1)
    assert notified(d) == {"serious_incident_notification": ["Ofsted", "Local Safeguarding Children Board"]}
    assert "national_panel_notification" not in {p.id for p in d.possible_notifications}
    assert d.outcomes["scr"].status == "required"
    assert d.warnings == []


def test_the_same_case_dated_2019_notifies_the_panel() -> None:
    pack = lif_rules.load_pack("wolverhampton")
    d = pack.decide(SERIOUS_DEATH, as_of=D(2019, 3, 1))
    assert notified(d) == {"national_panel_notification": ["Child Safeguarding Practice Review Panel",
                                                           "local safeguarding partners"]}
    assert "serious_incident_notification" not in {p.id for p in d.possible_notifications}


@pytest.mark.parametrize(("day", "expected"), [
    (D(2018, 6, 28), "serious_incident_notification"),
    (D(2018, 6, 29), "national_panel_notification"),
])
def test_the_switch_is_on_29_june_2018(day: date, expected: str) -> None:
    for pack_id in ("wolverhampton", "barking_dagenham"):
        d = lif_rules.load_pack(pack_id).decide(SERIOUS_DEATH, as_of=day)
        assert list(notified(d)) == [expected], pack_id


@pytest.mark.parametrize("facts", [
    {"subject": "child", "died": True, "abuse_or_neglect": "not_suspected", "looked_after": True},
    {"subject": "child", "died": True, "abuse_or_neglect": "not_suspected", "looked_after": False,
     "died_in_regulated_setting": True},
], ids=["looked after child", "regulated setting"])
def test_deaths_of_looked_after_children_and_in_regulated_settings_were_notifiable_in_2017(facts: dict[str, Any]) -> None:
    """Working Together 2015 ch.4: notifiable whether or not abuse or neglect is known or suspected."""
    d = lif_rules.load_pack("wolverhampton").decide(facts, as_of=D(2017, 6, 1))
    assert notified(d)["serious_incident_notification"] == ["Ofsted", "Local Safeguarding Children Board"]
    assert "national_panel_notification" not in notified(d)


def test_a_looked_after_childs_death_goes_to_the_secretary_of_state_in_every_regime() -> None:
    pack = lif_rules.load_pack("stockport")
    facts = {"subject": "child", "died": True, "abuse_or_neglect": "not_suspected", "looked_after": True}
    assert notified(pack.decide(facts, as_of=D(2017, 6, 1)))["looked_after_child_death_notification"] == [
        "Secretary of State"]
    for day in (D(2019, 6, 1), D(2024, 6, 1), None):
        assert notified(pack.decide(facts, as_of=day))["looked_after_child_death_notification"] == [
            "Secretary of State", "Ofsted"], day


def test_a_regulated_setting_death_is_not_notifiable_on_its_own_from_29_june_2018() -> None:
    facts = {"subject": "child", "died": True, "abuse_or_neglect": "not_suspected", "looked_after": False,
             "died_in_regulated_setting": True, "care_leaver": False}
    assert notified(lif_rules.load_pack("wolverhampton").decide(facts, as_of=D(2019, 1, 1))) == {}


# --- Working Together 2015: an SCR always for a death in custody ---------------------------------------------

CUSTODY = {"subject": "child", "died": True, "abuse_or_neglect": "not_suspected", "died_in_custody_or_detention": True}


@pytest.mark.parametrize("pack_id", ["wolverhampton", "barking_dagenham"])
def test_a_death_in_custody_is_an_scr_while_the_lscb_existed(pack_id: str) -> None:
    pack = lif_rules.load_pack(pack_id)
    d = pack.decide(CUSTODY, as_of=D(2018, 3, 1))
    assert d.outcomes["scr"].status == "required"
    step = next(s for s in d.outcomes["scr"].trace if s.result == "true")
    assert step.rule_id == "scr.death_in_custody_or_detention"
    assert "Working Together 2015 ch.4" in step.citation
    no_custody = pack.decide({**CUSTODY, "died_in_custody_or_detention": False}, as_of=D(2018, 3, 1))
    assert no_custody.outcomes["scr"].status == "not_eligible"
    unknown = pack.decide({k: v for k, v in CUSTODY.items() if k != "died_in_custody_or_detention"},
                          as_of=D(2018, 3, 1))
    assert (unknown.outcomes["scr"].status, unknown.outcomes["scr"].missing) == (
        "undetermined", ["died_in_custody_or_detention"])


def test_the_custody_rule_ended_with_the_lscbs() -> None:
    pack = lif_rules.load_pack("wolverhampton")
    assert pack.decide(CUSTODY, as_of=D(2019, 9, 29)).outcomes["scr"].status == "required"
    later = pack.decide(CUSTODY, as_of=D(2019, 9, 30))
    assert later.outcomes["scr"].status == "not_eligible"
    assert later.warnings  # the pack itself ended on 29 September 2019


def test_below_the_scr_threshold_means_below_the_criteria_of_the_date() -> None:
    """A table top review (Wolverhampton 3.2.1) and a PLR (B&D Appendix B) are for cases below the SCR criteria."""
    wolverhampton = lif_rules.load_pack("wolverhampton")
    facts = {**CUSTODY, "significant_issues_demanding_scrutiny": True}
    assert wolverhampton.decide(facts, as_of=D(2018, 3, 1)).outcomes["table_top_review"].status == "not_eligible"
    assert lif_rules.load_pack("barking_dagenham").decide(
        CUSTODY, as_of=D(2018, 3, 1)).outcomes["practice_learning_review"].status == "not_eligible"


# --- Working Together 2023 -------------------------------------------------------------------------------------


def test_care_leaver_deaths_are_notified_from_15_december_2023() -> None:
    pack = lif_rules.load_pack("dudley")
    facts = {"subject": "adult", "died": True, "care_leaver": True}
    assert "care_leaver_death_notification" not in notified(pack.decide(facts, as_of=D(2023, 12, 14)))
    d = pack.decide(facts, as_of=D(2023, 12, 15))
    assert notified(d)["care_leaver_death_notification"] == ["Secretary of State", "Ofsted"]
    assert "Working Together to Safeguard Children 2023 ch.5" in next(
        n.citation for n in d.notifications if n.id == "care_leaver_death_notification")


def test_the_panel_notification_cites_the_guidance_of_its_date() -> None:
    pack = lif_rules.load_pack("dudley")
    facts = {"subject": "child", "died": True, "abuse_or_neglect": "known"}

    def citation(day: date | None) -> str:
        return next(n.citation for n in pack.decide(facts, as_of=day).notifications if n.id == "national_panel_notification")

    assert "Working Together to Safeguard Children 2018 ch.4" in citation(D(2023, 12, 14))
    assert "Working Together to Safeguard Children 2023 ch.5" in citation(D(2023, 12, 15))
    assert citation(None) == citation(D(2024, 1, 2))


# --- as_of=None is the latest regime ---------------------------------------------------------------------------


def _comparable(decision: lif_rules.Decision) -> dict[str, Any]:
    data = decision.model_dump(mode="json")
    return {k: v for k, v in data.items() if k not in ("as_of", "warnings")}


@pytest.mark.parametrize("pack_id", lif_rules.available_packs())
def test_as_of_none_applies_the_rules_of_the_last_period(pack_id: str) -> None:
    pack = lif_rules.load_pack(pack_id)
    last = pack.compiled.changes[-1]
    assert pack.compiled.rules_on(None) is pack.compiled.rules_on(last) is pack.compiled.rules_on(D(2090, 1, 1))

    @given(facts=strategies.facts(pack), offset=st.integers(min_value=0, max_value=20_000))
    def check(facts: dict[str, Any], offset: int) -> None:
        day = last + timedelta(days=offset)
        assert _comparable(pack.decide(facts)) == _comparable(pack.decide(facts, as_of=day))

    check()


# --- the baseline cites the regime of each dated item ---------------------------------------------------------

WT = re.compile(r"Working Together (?:to Safeguard Children )?(2015|2018|2023)")
REGIMES = [(D(2018, 6, 29), "2015"), (D(2023, 12, 15), "2018"), (D.max, "2023")]


def _regime(period: tuple[date | None, date | None]) -> str:
    start, end = period
    day = start if start is not None else end
    assert day is not None
    return next(name for before, name in REGIMES if day < before)


def _dated(spec: Any) -> list[tuple[str, tuple[date | None, date | None], str]]:
    out = []
    for section in ("definitions", "notifications", "roles"):
        for item_id, value in getattr(spec, section).items():
            bodies = getattr(value, "versions", None) or [value]
            for body in bodies:
                if body.in_force is None:
                    continue
                citation = getattr(body, "citation", "") or ""
                out.append((f"{section}.{item_id}", (body.in_force.from_, body.in_force.to), citation))
    return out


def test_every_dated_item_of_the_baseline_cites_its_regime() -> None:
    spec, problems = check_baseline(bundled_dir() / "baselines" / "national.yaml")
    assert problems == []
    dated = _dated(spec)
    assert {name for name, _, _ in dated} >= {
        "notifications.serious_incident_notification", "notifications.national_panel_notification",
        "notifications.looked_after_child_death_notification", "notifications.care_leaver_death_notification",
        "definitions.child_death_in_custody_or_detention"}
    wrong = [(name, period, _regime(period)) for name, period, citation in dated
             if _regime(period) not in WT.findall(citation)]
    assert wrong == []


@pytest.mark.parametrize("pack_id", ["barking_dagenham", "wolverhampton"])
def test_a_decision_without_a_date_on_an_ended_pack_says_its_rules_are_those_after_it_ended(pack_id: str) -> None:
    pack = lif_rules.load_pack(pack_id)
    custody = {"subject": "child", "died": True, "abuse_or_neglect": "not_suspected", "died_in_custody_or_detention": True}
    undated = pack.decide(custody, review="scr")
    on_its_last_day = pack.decide(custody, review="scr", as_of=D(2019, 9, 29))
    # Working Together 2015's SCR for a death in custody ended with the LSCBs, so the latest rules differ...
    assert (undated.outcomes["scr"].status, on_its_last_day.outcomes["scr"].status) == ("not_eligible", "required")
    # ...and the undated answer says so, and how to apply the rules of the case's date
    assert len(undated.warnings) == 1 and "in-force period ended on 2019-09-29" in undated.warnings[0]
    assert "give as_of" in undated.warnings[0] and on_its_last_day.warnings == []


@pytest.mark.parametrize("pack_id", ["dudley", "stockport"])
def test_a_decision_without_a_date_on_a_pack_still_in_force_has_no_warnings(pack_id: str) -> None:
    assert lif_rules.load_pack(pack_id).decide({}).warnings == []


def test_a_schedule_started_outside_the_packs_period_says_so_as_a_dated_decision_does() -> None:
    cumbria, dudley = lif_rules.load_pack("cumbria"), lif_rules.load_pack("dudley")
    after = cumbria.schedule("rapid_review", start=D(2026, 6, 1))
    assert after.warnings == ["the start (2026-06-01) is after the pack's in-force period ended on 2025-03-31: its "
                              "rules are applied as it states them, and dated rules as they stood on that date"]
    before = dudley.schedule("national_panel_notification", start=D(2019, 6, 3))
    assert len(before.warnings) == 1 and "is before the pack came into force on 2021-02-23" in before.warnings[0]
    assert cumbria.schedule("rapid_review", start=D(2025, 3, 31)).warnings == []  # its last day is within it
    assert dudley.schedule("rapid_review", start=D(2021, 2, 23)).warnings == []  # and its first


def test_a_quorum_check_dated_outside_the_packs_period_notes_it() -> None:
    dudley = lif_rules.load_pack("dudley")
    people = ["local_authority", "police", "ccg"]
    early = dudley.check_quorum("rapid_review_meeting", attendees=people, on=D(2020, 1, 6))
    assert early.quorate and early.notes[-1].startswith("the meeting's date (2020-01-06) is before the pack came "
                                                        "into force on 2021-02-23")
    within = dudley.check_quorum("rapid_review_meeting", attendees=people, on=D(2021, 3, 1))
    assert not any("came into force" in note for note in within.notes)
