"""Stage 3, compile: names, types and references checked across a pack and its baseline, each problem located."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

import lif_rules
from lif_rules.pack import bundled_dir

Problems = Callable[..., list[str]]

from pack_texts import HEAD, SAR  # tests/ is on sys.path through its conftest


def rule(when: str, *, rule_id: str = "local", status: str = "consider") -> str:
    """A second rule for the SAR review above; its ``when:`` value starts on line 16, column 15."""
    return f"""\
      - id: {rule_id}
        when: {when}
        status: {status}
        citation: "Test LIF 2.1"
"""


def national(section: str, key: str) -> str:
    """``policies/baselines/national.yaml:LINE:COLUMN`` of an entry of the bundled baseline, counted from its text."""
    lines = (bundled_dir() / "baselines" / "national.yaml").read_text(encoding="utf-8").splitlines()
    start = lines.index(f"{section}:")
    line = next(n for n in range(start + 1, len(lines)) if lines[n] == f"  {key}:")
    return f"policies/baselines/national.yaml:{line + 1}:3"


def test_the_base_pack_compiles(write_pack: Callable[..., str]) -> None:
    pack = lif_rules.load_pack(write_pack(SAR))
    assert pack.id == "test"
    assert pack.facts == [
        "subject", "died", "seriously_harmed", "abuse_or_neglect", "looked_after", "care_and_support_needs",
        "died_in_regulated_setting", "died_in_custody_or_detention", "care_leaver", "concern_about_joint_working",
    ]


# --- names and types inside conditions ----------------------------------------------------------


def test_unknown_fact_in_a_condition_points_at_the_token(pack_problems: Problems) -> None:
    text = SAR + rule("subject == adult and care_and_suport_needs")
    assert pack_problems(text) == [
        "x.yaml:16:36: $.reviews.sar.rules[local].when: unknown fact or definition 'care_and_suport_needs' "
        "(did you mean 'care_and_support_needs'?)",
    ]


def test_unknown_fact_inside_a_multi_line_condition_points_at_its_line(pack_problems: Problems) -> None:
    text = SAR + rule(""">-
          subject == adult
          and (died or
               care_and_suport_needs)""")
    assert pack_problems(text) == [
        "x.yaml:19:16: $.reviews.sar.rules[local].when: unknown fact or definition 'care_and_suport_needs' "
        "(did you mean 'care_and_support_needs'?)",
    ]


def test_unknown_name_without_a_close_match(pack_problems: Problems) -> None:
    assert pack_problems(SAR + rule("zzz")) == ["x.yaml:16:15: $.reviews.sar.rules[local].when: unknown fact or definition 'zzz'"]


def test_every_unknown_name_of_a_condition_is_reported(pack_problems: Problems) -> None:
    assert pack_problems(SAR + rule("dide or harmed")) == [
        "x.yaml:16:15: $.reviews.sar.rules[local].when: unknown fact or definition 'dide' (did you mean 'died'?)",
        "x.yaml:16:23: $.reviews.sar.rules[local].when: unknown fact or definition 'harmed'",
    ]


@pytest.mark.parametrize(
    ("when", "problem"),
    [
        ("subject == adlt", "16:26: $.reviews.sar.rules[local].when: 'adlt' is not a value of 'subject'; values: child, "
                            "adult (did you mean 'adult'?)"),
        ("subject != grown_up", "16:26: $.reviews.sar.rules[local].when: 'grown_up' is not a value of 'subject'; "
                                "values: child, adult"),
        ("abuse_or_neglect in [known, suspectd]", "16:43: $.reviews.sar.rules[local].when: 'suspectd' is not a value of "
                                                  "'abuse_or_neglect'; values: known, suspected, not_suspected "
                                                  "(did you mean 'suspected'?)"),
        ("subject == true", "16:26: $.reviews.sar.rules[local].when: 'true' is not a value of 'subject'; values: child, "
                            "adult"),
    ],
)
def test_enum_value_not_among_the_facts_values(pack_problems: Problems, when: str, problem: str) -> None:
    assert pack_problems(SAR + rule(when)) == [f"x.yaml:{problem}"]


@pytest.mark.parametrize(
    ("when", "column", "word"),
    [("died == yes", 23, "yes"), ("died != no", 23, "no"), ("died in [true, alive]", 30, "alive")],
)
def test_bool_fact_compared_with_a_word(pack_problems: Problems, when: str, column: int, word: str) -> None:
    assert pack_problems(SAR + rule(when)) == [
        f"x.yaml:16:{column}: $.reviews.sar.rules[local].when: fact 'died' is true or false; got {word!r}",
    ]


def test_enum_fact_used_bare(pack_problems: Problems) -> None:
    assert pack_problems(SAR + rule("died and abuse_or_neglect")) == [
        "x.yaml:16:24: $.reviews.sar.rules[local].when: fact 'abuse_or_neglect' is an enum (known, suspected, "
        "not_suspected); compare it, e.g. abuse_or_neglect == known",
    ]


def test_definition_compared_like_a_fact(pack_problems: Problems) -> None:
    assert pack_problems(SAR + rule("sar_duty == true")) == [
        "x.yaml:16:15: $.reviews.sar.rules[local].when: 'sar_duty' is a definition, not a fact; use it by name "
        "(or 'not sar_duty')",
    ]


def test_syntax_error_in_a_condition_is_located_at_the_token(pack_problems: Problems) -> None:
    assert pack_problems(SAR + rule("subject == child and and died")) == [
        "x.yaml:16:36: $.reviews.sar.rules[local].when: condition: expected a fact name, a definition, 'not' or '(', "
        "found 'and'",
    ]


def test_c_style_operators_get_the_hint(pack_problems: Problems) -> None:
    assert pack_problems(SAR + rule('"died && seriously_harmed"')) == [
        "x.yaml:16:21: $.reviews.sar.rules[local].when: condition: unexpected character '&' (use 'and', 'or', 'not')",
    ]


def test_condition_ending_too_early_points_at_its_end(pack_problems: Problems) -> None:
    assert pack_problems(SAR + rule("subject ==")) == [
        "x.yaml:16:25: $.reviews.sar.rules[local].when: condition: expected a value, found the end of the condition",
    ]


def test_condition_ending_too_early_in_a_quoted_scalar(pack_problems: Problems) -> None:
    assert pack_problems(SAR + rule('"(died"')) == [
        "x.yaml:16:21: $.reviews.sar.rules[local].when: condition: expected ')', found the end of the condition",
    ]


def test_unknown_name_in_a_notification(pack_problems: Problems) -> None:
    text = SAR + """\
notifications:
  local_notice:
    name: Local notice
    by: the local authority
    to: [the partnership]
    when: subject == child and dead
    deadline: within a week
    citation: "Test LIF 4.1"
"""
    assert pack_problems(text) == [
        "x.yaml:20:32: $.notifications.local_notice.when: unknown fact or definition 'dead' (did you mean 'died'?)",
    ]


# --- definitions ---------------------------------------------------------------------------------


def test_definition_cycle_is_located_at_the_reference_that_closes_it(pack_problems: Problems) -> None:
    text = SAR + """\
definitions:
  loop_a:
    when: died and loop_b
    citation: "Test LIF 1.1"
  loop_b:
    when: not loop_a
    citation: "Test LIF 1.2"
"""
    assert pack_problems(text) == [
        "x.yaml:20:15: $.definitions.loop_b.when: definitions refer to each other in a cycle: loop_a → loop_b → loop_a",
    ]


def test_definition_referring_to_itself(pack_problems: Problems) -> None:
    text = SAR + "definitions:\n  again:\n    when: died or again\n    citation: c\n"
    assert pack_problems(text) == [
        "x.yaml:17:19: $.definitions.again.when: definitions refer to each other in a cycle: again → again",
    ]


def test_definition_may_use_baseline_definitions(write_pack: Callable[..., str]) -> None:
    text = SAR.replace("when: sar_duty", "when: adult_at_risk") + """\
definitions:
  adult_at_risk:
    when: sar_duty or (sar_power and seriously_harmed)
    citation: "Test LIF 1.1"
"""
    pack = lif_rules.load_pack(write_pack(text))
    facts = {"subject": "adult", "care_and_support_needs": True, "seriously_harmed": True,
             "concern_about_joint_working": False}
    assert pack.decide(facts).outcomes["sar"].status == "required"


def test_definition_with_the_name_of_a_fact(pack_problems: Problems) -> None:
    text = SAR + "definitions:\n  died:\n    when: 'true'\n    citation: c\n"
    assert pack_problems(text) == ["x.yaml:16:3: $.definitions.died: 'died' is already the name of a fact"]


# --- facts ---------------------------------------------------------------------------------------


def test_fact_declarations_are_checked(pack_problems: Problems) -> None:
    text = SAR + """\
facts:
  colour:
    type: enum
    description: no values
  shade:
    type: bool
    values: [light, dark]
    description: a bool with values
  size:
    type: enum
    values: [big, big]
    description: repeated values
"""
    assert pack_problems(text) == [
        "x.yaml:17:5: $.facts.colour: an enum fact needs 'values': a list of at least two",
        "x.yaml:21:5: $.facts.shade.values: a bool fact has no 'values'",
        "x.yaml:25:13: $.facts.size.values: values must be distinct",
    ]


def test_an_enum_fact_with_one_value(pack_problems: Problems) -> None:
    text = SAR + "facts:\n  mood:\n    type: enum\n    values: [meh]\n    description: only one value\n"
    assert any("$.facts.mood" in p and "at least two" in p for p in pack_problems(text))


def test_names_that_are_condition_keywords_are_rejected(pack_problems: Problems) -> None:
    text = SAR + """\
facts:
  or:
    type: bool
    description: a fact no condition can name
  mood:
    type: enum
    values: ['true', meh]
    description: "'mood == true' compares with the boolean true, not the value 'true'"
"""
    assert [p.split(": ", 2)[:2] for p in pack_problems(text)] == [
        ["x.yaml:16:3", "$.facts.or"],
        ["x.yaml:21:14", "$.facts.mood.values[1]"],
    ]


def test_pack_facts_follow_the_baseline_facts(write_pack: Callable[..., str]) -> None:
    text = SAR + "facts:\n  on_a_plan:\n    type: bool\n    description: on a child protection plan\n"
    pack = lif_rules.load_pack(write_pack(text))
    assert pack.facts[-1] == "on_a_plan"
    assert [f.values for f in pack.compiled.facts if f.name in ("on_a_plan", "subject")] == [
        ("child", "adult"), (True, False),
    ]


# --- baselines: override and redefinition -------------------------------------------------------


def test_override_replaces_a_baseline_entry(write_pack: Callable[..., str]) -> None:
    text = SAR + """\
facts:
  subject:
    type: enum
    values: [child, adult, unborn_child]
    description: who the case is about, including an unborn child
    override: true
"""
    pack = lif_rules.load_pack(write_pack(text))
    assert pack.facts[0] == "subject"
    assert pack.decide({"subject": "unborn_child"}).outcomes["sar"].status == "not_eligible"


def test_redefinition_without_override_names_the_baseline_entry(pack_problems: Problems) -> None:
    text = SAR + """\
facts:
  died:
    type: bool
    description: the subject has died
definitions:
  sar_duty:
    when: died
    citation: "Test LIF 1.1"
roles:
  police:
    name: the police
"""
    assert pack_problems(text) == [
        f"x.yaml:16:3: $.facts.died: fact 'died' is already defined by 'national' ({national('facts', 'died')}); "
        "set 'override: true' to replace it",
        f"x.yaml:20:3: $.definitions.sar_duty: definition 'sar_duty' is already defined by 'national' "
        f"({national('definitions', 'sar_duty')}); set 'override: true' to replace it",
        f"x.yaml:24:3: $.roles.police: role 'police' is already defined by 'national' "
        f"({national('roles', 'police')}); set 'override: true' to replace it",
    ]


def test_override_without_a_baseline_entry(pack_problems: Problems) -> None:
    text = SAR + """\
facts:
  on_a_plan:
    type: bool
    description: on a child protection plan
    override: true
"""
    assert pack_problems(text) == [
        "x.yaml:16:3: $.facts.on_a_plan: 'override: true' but no earlier layer defines 'on_a_plan'",
    ]


def test_override_in_a_pack_without_a_baseline(pack_problems: Problems) -> None:
    text = SAR.replace("extends: national\n", "# no baseline\n").replace("when: sar_duty", "when: died") + """\
facts:
  died:
    type: bool
    description: the subject has died
    override: true
"""
    problems = pack_problems(text)
    assert "x.yaml:16:3: $.facts.died: 'override: true' but no earlier layer defines 'died'" in problems


def test_a_baseline_with_reviews(pack_problems: Problems, write_pack: Callable[..., str]) -> None:
    write_pack("""\
baseline: regional
extends: national
facts:
  on_a_plan:
    type: bool
    description: on a child protection plan
reviews:
  sar:
    name: SAR
    legal_basis: statutory_duty
    decided_by: the SAB
    citation: "Care Act 2014 s44"
""", "regional.yaml")
    assert pack_problems(SAR.replace("extends: national", "extends: regional")) == [
        "regional.yaml:7:1: $.reviews: a baseline holds facts, definitions, notifications, roles and notes only",
    ]


def test_a_local_baseline_chain(write_pack: Callable[..., str]) -> None:
    write_pack("""\
baseline: regional
extends: national
facts:
  on_a_plan:
    type: bool
    description: on a child protection plan
""", "regional.yaml")
    pack = lif_rules.load_pack(write_pack(SAR.replace("extends: national", "extends: regional")))
    assert pack.facts[-1] == "on_a_plan"
    assert pack.compiled.files == ("policies/baselines/national.yaml", "regional.yaml", "x.yaml")


def test_missing_baseline(pack_problems: Problems) -> None:
    assert pack_problems(SAR.replace("extends: national", "extends: nationl")) == [
        "x.yaml:2:10: $.extends: no baseline 'nationl' next to this pack or bundled (bundled baselines: national)",
    ]


def test_baselines_extending_each_other(pack_problems: Problems, write_pack: Callable[..., str]) -> None:
    write_pack("baseline: north\nextends: south\n", "north.yaml")
    write_pack("baseline: south\nextends: north\n", "south.yaml")
    assert pack_problems(SAR.replace("extends: national", "extends: north")) == [
        "south.yaml:2:10: $.extends: baselines extend each other in a cycle: test → north → south → north",
    ]


def test_loading_a_baseline_directly(pack_problems: Problems, write_pack: Callable[..., str]) -> None:
    problems = pack_problems("baseline: regional\nextends: national\n")
    assert "x.yaml:1:1: $.baseline: this file is a baseline; load a pack that extends it" in problems


def test_missing_pack_id(pack_problems: Problems) -> None:
    assert pack_problems(SAR.replace("pack: test\n", "# no id\n")) == [
        "x.yaml:2:1: $: missing required key 'pack' (the pack id, e.g. pack: dudley)",
    ]


# --- reviews and milestones ----------------------------------------------------------------------


def test_duplicate_rule_ids(pack_problems: Problems) -> None:
    assert pack_problems(SAR + rule("died", rule_id="duty")) == [
        "x.yaml:15:13: $.reviews.sar.rules[2].id: rule id 'duty' is used twice in review 'sar'",
    ]


TIMETABLE = SAR + """\
    milestones:
      - id: request_received
        name: Request received
        start: true
        citation: "Test LIF 5.1"
      - id: commissioned
        name: Commissioned
        due: {after: request_received, weeks: 8}
        citation: "Test LIF 5.2"
"""


def milestone(mid: str, body: str) -> str:
    """A third milestone of the timetable above; its ``- id:`` is on line 24."""
    return f"""\
      - id: {mid}
        name: {mid.replace('_', ' ').capitalize()}
{body}        citation: "Test LIF 5.3"
"""


def test_the_timetable_compiles(write_pack: Callable[..., str]) -> None:
    pack = lif_rules.load_pack(write_pack(TIMETABLE))
    assert [m.id for m in pack.compiled.reviews["sar"].milestones] == ["request_received", "commissioned"]


def test_dangling_milestone_anchor(pack_problems: Problems) -> None:
    text = TIMETABLE + milestone("panel", "        due: {after: comissioned, months: 1}\n")
    assert pack_problems(text) == [
        "x.yaml:26:22: $.reviews.sar.milestones[panel].due.after: unknown milestone 'comissioned' in review 'sar' "
        "(did you mean 'commissioned'?)",
    ]


def test_dangling_anchor_in_a_list_of_constraints_and_in_a_recurrence(pack_problems: Problems) -> None:
    text = TIMETABLE + milestone("panel", """\
        recurring:
          every: {after: commissioned, months: 1}
          until: sign_off
""")
    assert pack_problems(text) == [
        "x.yaml:28:18: $.reviews.sar.milestones[panel].recurring.until: unknown milestone 'sign_off' in review 'sar'",
    ]
    text = TIMETABLE + milestone("report", """\
        due:
          - {after: commissioned, months: 6}
          - {after: requested, months: 9}
""")
    assert pack_problems(text) == [
        "x.yaml:28:21: $.reviews.sar.milestones[report].due[2].after: unknown milestone 'requested' in review 'sar' "
        "(did you mean 'request_received'?)",
    ]


def test_milestone_cycle_is_located(pack_problems: Problems) -> None:
    text = TIMETABLE + milestone("draft", "        due: {after: final, weeks: 2}\n") + milestone(
        "final", "        due: {after: draft, weeks: 2}\n"
    ).replace("5.3", "5.4")
    assert pack_problems(text) == [
        "x.yaml:24:9: $.reviews.sar.milestones[draft]: milestones in review 'sar' depend on each other in a cycle: "
        "draft → final → draft",
    ]


def test_milestone_anchored_on_itself(pack_problems: Problems) -> None:
    text = TIMETABLE + milestone("draft", "        due: {after: draft, weeks: 2}\n")
    assert pack_problems(text) == [
        "x.yaml:26:22: $.reviews.sar.milestones[draft].due.after: milestone 'draft' cannot be anchored on itself",
    ]


def test_two_start_milestones(pack_problems: Problems) -> None:
    text = TIMETABLE + milestone("referral", "        start: true\n")
    assert pack_problems(text) == [
        "x.yaml:16:7: $.reviews.sar.milestones: review 'sar' needs exactly one milestone with 'start: true'",
    ]


def test_no_start_milestone(pack_problems: Problems) -> None:
    text = TIMETABLE.replace("        start: true\n", "        due: {after: commissioned, weeks: 1}\n")
    problems = pack_problems(text)
    assert "x.yaml:16:7: $.reviews.sar.milestones: review 'sar' needs exactly one milestone with 'start: true'" \
        in problems


def test_start_milestone_has_no_dates(pack_problems: Problems) -> None:
    text = TIMETABLE.replace("        start: true\n", "        start: true\n        due: {after: commissioned, weeks: 1}\n")
    problems = pack_problems(text)
    assert "x.yaml:16:9: $.reviews.sar.milestones[request_received]: the start milestone is the review's first event; it has no " \
           "'due', 'earliest' or 'recurring'" in problems


def test_milestone_without_dates(pack_problems: Problems) -> None:
    assert pack_problems(TIMETABLE + milestone("draft", "")) == [
        "x.yaml:24:9: $.reviews.sar.milestones[draft]: a milestone needs 'due', 'earliest' or 'recurring' "
        "(or 'start: true', or 'before_start: true')",
    ]


@pytest.mark.parametrize(
    ("offset", "message"),
    [
        ("{after: commissioned}", "an offset needs one of: working_days, day, months, weeks, days"),
        ("{after: commissioned, working_days: 2, days: 1}", "'working_days' cannot be combined with 'days'"),
        ("{after: commissioned, day: 15, months: 1}", "'day' cannot be combined with 'months'"),
    ],
)
def test_offsets_are_checked(pack_problems: Problems, offset: str, message: str) -> None:
    text = TIMETABLE + milestone("draft", f"        due: {offset}\n")
    assert pack_problems(text) == [f"x.yaml:26:14: $.reviews.sar.milestones[draft].due: {message}"]


def test_duplicate_milestone_ids(pack_problems: Problems) -> None:
    text = TIMETABLE + milestone("commissioned", "        due: {after: request_received, weeks: 2}\n")
    assert pack_problems(text) == [
        "x.yaml:24:13: $.reviews.sar.milestones[3].id: milestone id 'commissioned' is used twice in review 'sar'",
    ]


def test_a_pack_needs_a_review(pack_problems: Problems) -> None:
    assert pack_problems(HEAD) == ["x.yaml:1:1: $: a pack needs at least one review type"]


def test_a_pack_needs_a_document(pack_problems: Problems) -> None:
    text = SAR.replace(SAR.splitlines()[2] + "\n", "")
    assert pack_problems(text) == [
        "x.yaml:1:1: $: a pack needs a 'document:' section describing its framework document",
    ]


# --- roles and meetings --------------------------------------------------------------------------

MEETING = SAR + """\
meetings:
  panel:
    name: SAR panel
    quorum:
      each_of: [local_authority, polise, health]
      chair: boss
    citation: "Test LIF 3.1"
"""


def test_unknown_roles_in_a_quorum(pack_problems: Problems) -> None:
    assert pack_problems(MEETING) == [
        "x.yaml:19:34: $.meetings.panel.quorum.each_of[2]: unknown role 'polise' (did you mean 'police'?)",
        "x.yaml:19:42: $.meetings.panel.quorum.each_of[3]: unknown role 'health'",
        "x.yaml:20:14: $.meetings.panel.quorum.chair: unknown role 'boss'",
    ]


def test_a_quorum_needs_a_rule(pack_problems: Problems) -> None:
    text = MEETING.replace("      each_of: [local_authority, polise, health]\n      chair: boss\n", "      {}\n")
    text = text.replace("    quorum:\n      {}\n", "    quorum: {}\n")
    assert pack_problems(text) == ["x.yaml:18:13: $.meetings.panel.quorum: a quorum needs 'each_of', 'at_least' or 'chair'"]


def test_local_roles_and_predecessors(write_pack: Callable[..., str]) -> None:
    text = MEETING.replace("polise, health]", "police, probation]").replace("      chair: boss\n", "") + """\
roles:
  probation:
    name: the probation service
    predecessors:
      - id: crc
        name: the community rehabilitation company
        until: 2021-06-25
"""
    pack = lif_rules.load_pack(write_pack(text))
    q = pack.check_quorum("panel", attendees=["local_authority", "police", "crc"], on=date(2021, 6, 25))
    assert (q.quorate, q.missing) == (True, [])
    q = pack.check_quorum("panel", attendees=["local_authority", "police", "crc"], on=date(2021, 6, 28))
    assert (q.quorate, q.missing) == (False, ["probation"])


# --- examples are checked against what the pack declares ----------------------------------------


def test_examples_name_facts_reviews_notifications_and_meetings_that_exist(pack_problems: Problems) -> None:
    text = SAR + """\
examples:
  - kind: decide
    description: d
    cite: c
    facts: {subject: adlt, dead: true, died: 1}
    expect: {sar: required, scr: required}
    notifications: [national_panel_notice]
  - kind: quorum
    description: d
    cite: c
    meeting: panel
    attendees: [police]
    on: 2020-01-01
    expect_quorate: true
"""
    assert pack_problems(text) == [
        "x.yaml:19:22: $.examples[1].facts.subject: fact 'subject' takes child, adult; got 'adlt'",
        "x.yaml:19:28: $.examples[1].facts.dead: unknown fact 'dead' (did you mean 'died'?)",
        "x.yaml:19:46: $.examples[1].facts.died: fact 'died' takes true, false; got 1",
        "x.yaml:20:29: $.examples[1].expect.scr: unknown review 'scr' (did you mean 'sar'?)",
        "x.yaml:21:21: $.examples[1].notifications[1]: unknown notification 'national_panel_notice' "
        "(did you mean 'national_panel_notification'?)",
        "x.yaml:25:14: $.examples[2].meeting: no quorum rule for meeting 'panel'",
    ]


def test_schedule_example_for_a_review_without_a_timetable(pack_problems: Problems) -> None:
    text = SAR + """\
examples:
  - kind: schedule
    description: d
    cite: c
    review: sar
    start: 2020-01-01
    expect: {}
"""
    assert pack_problems(text) == [
        "x.yaml:19:13: $.examples[1].review: no review 'sar' with a timetable; reviews with one: none",
    ]


def test_a_broken_notification_is_not_also_unknown(pack_problems: Problems) -> None:
    text = SAR + """\
notifications:
  local_notice:
    name: Local notice
    by: the local authority
    to: [the partnership]
    when: dead
    deadline: within a week
    citation: "Test LIF 4.1"
examples:
  - kind: decide
    description: d
    cite: c
    facts: {died: true}
    expect: {sar: not_eligible}
    notifications: [local_notice]
"""
    assert pack_problems(text) == [
        "x.yaml:20:11: $.notifications.local_notice.when: unknown fact or definition 'dead' (did you mean 'died'?)",
    ]


# --- everything at once --------------------------------------------------------------------------


def test_one_pack_with_four_defects_reports_all_four_located(tmp_path: Path, pack_problems: Problems) -> None:
    marker = tmp_path / "marker"
    text = SAR.replace("{title: T, ", "{title: T, titel: T, ") + rule(
        "subject == adult and care_and_suport_needs"
    ).replace("status: consider", "status: consider\n        status: required") + f"""\
notes:
  - about: reviews.sar
    text: !!python/object/apply:os.system ['touch {marker}']
"""
    assert pack_problems(text) == [
        "x.yaml:3:22: $.document.titel: unexpected key 'titel'; allowed: title, short_title, publisher, source, "
        "version, published, approved, review_due, in_force, regime (did you mean 'title'?)",
        "x.yaml:16:36: $.reviews.sar.rules[local].when: unknown fact or definition 'care_and_suport_needs' "
        "(did you mean 'care_and_support_needs'?)",
        "x.yaml:18:9: $.reviews.sar.rules[local].status: duplicate key 'status' (first defined at line 17, column 9)",
        "x.yaml:22:11: $.notes[1].text: tag '!!python/object/apply:os.system' is not allowed: "
        "packs are data, and only plain YAML values are read",
    ]
    assert not marker.exists()


def test_four_defects_in_one_rule_are_all_reported(tmp_path: Path, pack_problems: Problems) -> None:
    marker = tmp_path / "marker"
    text = SAR + rule("subject == adult and care_and_suport_needs").replace(
        '"Test LIF 2.1"', f"!!python/object/apply:os.system ['touch {marker}']\n        colour: blue"
    ).replace("status: consider", "status: consider\n        status: required")
    assert pack_problems(text) == [
        "x.yaml:16:36: $.reviews.sar.rules[local].when: unknown fact or definition 'care_and_suport_needs' "
        "(did you mean 'care_and_support_needs'?)",
        "x.yaml:18:9: $.reviews.sar.rules[local].status: duplicate key 'status' (first defined at line 17, column 9)",
        "x.yaml:19:19: $.reviews.sar.rules[local].citation: tag '!!python/object/apply:os.system' is not allowed: "
        "packs are data, and only plain YAML values are read",
        "x.yaml:20:9: $.reviews.sar.rules[local].colour: unexpected key 'colour'; allowed: id, when, status, citation, "
        "because, in_force",
    ]
    assert not marker.exists()


def test_problems_of_every_stage_after_reading_come_together(pack_problems: Problems) -> None:
    text = TIMETABLE + milestone("panel", "        due: {after: comissioned, months: 1}\n") + """\
meetings:
  panel:
    name: SAR panel
    quorum: {each_of: [polise]}
    citation: "Test LIF 3.1"
colour: blue
"""
    text = text.replace("when: sar_duty", "when: sar_dooty")
    assert pack_problems(text) == [
        "x.yaml:12:15: $.reviews.sar.rules[duty].when: unknown fact or definition 'sar_dooty' (did you mean 'sar_duty'?)",
        "x.yaml:26:22: $.reviews.sar.milestones[panel].due.after: unknown milestone 'comissioned' in review 'sar' "
        "(did you mean 'commissioned'?)",
        "x.yaml:31:24: $.meetings.panel.quorum.each_of[1]: unknown role 'polise' (did you mean 'police'?)",
        "x.yaml:33:1: $.colour: unexpected key 'colour'; allowed: pack, baseline, extends, document, facts, "
        "definitions, reviews, notifications, roles, meetings, notes, examples",
    ]
